import { describe, expect, it } from 'vitest';
import { decodeProcessData, encodeProcessData, processFigures } from '../../../../node/cluster/node-process-data.js';
import { decodeControlCommand } from '../../../../src/protocol/control-protobuf-decode.js';
import { encodeControlCommand } from '../../../../src/protocol/control-protobuf-encode.js';

describe('process figures in node info', () => {
  it('travel in the node heartbeat (controlpb Node.data, field 9) and come back as numbers', () => {
    const figures = processFigures(10_000);
    expect(figures.rss).toBeGreaterThan(0);
    const node = { uid: 'u', name: 'n', version: '1', numClients: 2, numUsers: 1, numChannels: 3, uptime: 10, numSubs: 4 };
    const bytes = encodeControlCommand({ uid: 'u', node: { ...node, data: encodeProcessData(figures) } });
    const decoded = decodeControlCommand(bytes).node!;
    expect({ ...decoded, data: undefined }).toEqual({ ...node, data: undefined });
    expect(decodeProcessData(decoded.data)).toEqual(figures);
  });
  it('are absent for nodes that send no data or data of their own', () => {
    expect(decodeProcessData(undefined)).toBeUndefined();
    expect(decodeProcessData(new Uint8Array(0))).toBeUndefined();
    expect(decodeProcessData(Buffer.from('not json'))).toBeUndefined();
    expect(decodeProcessData(Buffer.from('{"process":{"cpu":"x","rss":1}}'))).toBeUndefined();
  });
});
