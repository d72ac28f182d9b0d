import { credentials, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrpcService } from '../../../src/grpc/load-proto.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// The unidirectional gRPC stream consumed by a real @grpc/grpc-js client from the .proto Ringcast ships: one
// ConnectRequest in, Push messages out — Connect first, then publications of the server-side channels, then a
// Disconnect before the stream ends.

type Push = Record<string, unknown>;

interface Consumer {
  pushes: Push[];
  ended: Promise<{ code: number; details: string }>;
  stream: ClientReadableStream<Push>;
}

let node: TestNode;
const streams: Array<ClientReadableStream<Push>> = [];

beforeAll(async () => {
  node = await startTestNode({
    client: { ping_interval: '1s', pong_timeout: '500ms' },
    uni_grpc: { enabled: true, address: '127.0.0.1', port: 0 },
    channel: { namespaces: [{ name: 'feed', history_size: 20, history_ttl: '300s', force_recovery: true }] },
  });
});

afterAll(async () => {
  for (const stream of streams) stream.cancel();
  await node?.stop();
});

function consume(request: Record<string, unknown>): Consumer {
  const Service = loadGrpcService('centrifugo-unistream.proto', 'centrifugal.centrifugo.unistream.CentrifugoUniStream');
  const client = new Service(`127.0.0.1:${node.node.uniGrpcPort}`, credentials.createInsecure());
  const stream = (client as unknown as { Consume(r: object): ClientReadableStream<Push> }).Consume(request);
  streams.push(stream);
  const pushes: Push[] = [];
  stream.on('data', (push: Push) => pushes.push(push));
  const ended = new Promise<{ code: number; details: string }>((resolve) => {
    stream.on('status', (s: { code: number; details: string }) => {
      client.close();
      resolve({ code: s.code, details: s.details });
    });
    stream.on('error', (err: ServiceError) => resolve({ code: err.code, details: err.details }));
  });
  return { pushes, ended, stream };
}

describe('unidirectional gRPC stream', () => {
  it('streams the connect push, publications of server-side channels and a disconnect', async () => {
    const token = await hs256Token({ sub: 'grpc-user', channels: ['feed:g'] }, { expInSeconds: 3600 });
    const consumer = consume({ token, name: 'grpc-test' });
    const connect = await waitFor('the connect push', () => consumer.pushes[0]?.['connect'] as Record<string, unknown> | undefined);
    expect(typeof connect['client']).toBe('string');
    expect(Object.keys(connect['subs'] as object)).toEqual(['feed:g']);
    // Pings are announced but not answered (no pong), as on Centrifugo's uni stream.
    expect(connect['ping']).toBe(1);
    expect(connect['pong']).toBeUndefined();

    await node.api('publish', { channel: 'feed:g', data: { n: 1 } });
    await node.api('publish', { channel: 'feed:g', data: { n: 2 } });
    await waitFor('two publications', () => consumer.pushes.filter((p) => p['pub']).length === 2);
    const pubs = consumer.pushes.filter((p) => p['pub']).map((p) => {
      const pub = p['pub'] as { data: Buffer; offset: string };
      return { channel: p['channel'], data: JSON.parse(pub.data.toString()) as unknown, offset: pub.offset };
    });
    expect(pubs).toEqual([
      { channel: 'feed:g', data: { n: 1 }, offset: '1' },
      { channel: 'feed:g', data: { n: 2 }, offset: '2' },
    ]);
    // Pings arrive as empty Pushes and do not end the unanswered stream.
    await waitFor('two pings', () => consumer.pushes.filter((p) => Object.keys(p).length === 0).length >= 2, 10_000);

    await node.api('disconnect', { user: 'grpc-user', disconnect: { code: 4501, reason: 'go away' } });
    const end = await consumer.ended;
    expect(end.code).toBe(status.OK);
    expect(consumer.pushes.at(-1)).toEqual({ disconnect: { code: 4501, reason: 'go away' } });
  });

  it('recovers missed publications of a server-side subscription named in subs', async () => {
    await node.api('publish', { channel: 'feed:r', data: { n: 1 } });
    const history = (await node.api('history', { channel: 'feed:r', limit: 1 })).json as { result: { epoch: string } };
    await node.api('publish', { channel: 'feed:r', data: { n: 2 } });
    const token = await hs256Token({ sub: 'recovering', channels: ['feed:r'] }, { expInSeconds: 3600 });
    const consumer = consume({ token, subs: { 'feed:r': { recover: true, epoch: history.result.epoch, offset: '1' } } });
    const connect = await waitFor('the connect push', () => consumer.pushes[0]?.['connect'] as Record<string, unknown> | undefined);
    const sub = (connect['subs'] as Record<string, { recovered?: boolean; publications?: Array<{ data: Buffer }> }>)['feed:r']!;
    expect(sub.recovered).toBe(true);
    expect(sub.publications!.map((p) => JSON.parse(p.data.toString()) as unknown)).toEqual([{ n: 2 }]);
  });

  it('turns a refused connect into a disconnect push (invalid token: 3500)', async () => {
    const consumer = consume({ token: 'not-a-jwt' });
    const end = await consumer.ended;
    expect(end.code).toBe(status.OK);
    expect(consumer.pushes).toEqual([{ disconnect: { code: 3500, reason: 'invalid token' } }]);
  });

  it('answers a ConnectRequest that does not decode with INTERNAL, and keeps serving', async () => {
    // A raw stream whose request is a bytes field longer than the message, as grpc-go refuses it.
    const { connect } = await import('node:http2');
    const session = connect(`http://127.0.0.1:${node.node.uniGrpcPort}`);
    try {
      const body = Buffer.from([0x0a, 0x05, 0x01]);
      const grpcStatus = await new Promise<string | undefined>((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/centrifugal.centrifugo.unistream.CentrifugoUniStream/Consume',
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        let fromHeaders: string | undefined;
        stream.on('response', (headers) => (fromHeaders = headers['grpc-status'] as string | undefined));
        stream.on('trailers', (trailers) => resolve(trailers['grpc-status'] as string));
        stream.on('end', () => resolve(fromHeaders));
        stream.on('error', reject);
        stream.resume();
        stream.end(Buffer.concat([Buffer.from([0, 0, 0, 0, body.length]), body]));
      });
      expect(Number(grpcStatus)).toBe(status.INTERNAL);
    } finally {
      session.close();
    }
    const token = await hs256Token({ sub: 'after' }, { expInSeconds: 3600 });
    const consumer = consume({ token });
    await waitFor('the connect push', () => consumer.pushes[0]?.['connect']);
  });

  it('a client that goes away releases its session', async () => {
    const token = await hs256Token({ sub: 'leaver', channels: ['feed:l'] }, { expInSeconds: 3600 });
    const consumer = consume({ token });
    await waitFor('the connect push', () => consumer.pushes[0]?.['connect']);
    expect(node.node.ctx.hub.connections).toBeGreaterThan(0);
    const before = node.node.ctx.hub.connections;
    consumer.stream.cancel();
    await waitFor('the session to go', () => node.node.ctx.hub.connections === before - 1);
  });

  it('a node shutting down ends the stream with a shutdown disconnect (3001) and stops listening', async () => {
    const other = await startTestNode({ uni_grpc: { enabled: true, address: '127.0.0.1', port: 0 } });
    try {
      const Service = loadGrpcService('centrifugo-unistream.proto', 'centrifugal.centrifugo.unistream.CentrifugoUniStream');
      const client = new Service(`127.0.0.1:${other.node.uniGrpcPort}`, credentials.createInsecure());
      const token = await hs256Token({ sub: 'drained' }, { expInSeconds: 3600 });
      const stream = (client as unknown as { Consume(r: object): ClientReadableStream<Push> }).Consume({ token });
      const pushes: Push[] = [];
      stream.on('data', (push: Push) => pushes.push(push));
      const ended = new Promise<number>((resolve) => {
        stream.on('status', (s: { code: number }) => resolve(s.code));
        stream.on('error', (err: ServiceError) => resolve(err.code));
      });
      await waitFor('the connect push', () => pushes[0]?.['connect']);
      await other.stop();
      expect(await ended).toBe(status.OK);
      expect(pushes.at(-1)).toEqual({ disconnect: { code: 3001, reason: 'shutdown' } });
      client.close();
    } finally {
      await other.stop();
    }
  });
});
