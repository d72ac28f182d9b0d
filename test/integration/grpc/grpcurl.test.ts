import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcurlPath } from '../../helpers/grpc-tools-path.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';

// grpcurl (built by `make grpc-tools` from its Go module) calls the gRPC server API with the .proto Ringcast ships:
// a client outside Node's gRPC stack, reading the same messages.

const execFileAsync = promisify(execFile);
const grpcurl = grpcurlPath();
const protoDir = fileURLToPath(new URL('../../../src/grpc/protos/', import.meta.url));
const key = 'grpcurl-key';
let node: TestNode;

async function call(method: string, body: object, apiKey = key): Promise<{ code: number; out: string }> {
  const args = ['-plaintext', '-import-path', protoDir, '-proto', 'centrifugo-api.proto', '-H', `authorization: apikey ${apiKey}`, '-d', JSON.stringify(body)];
  args.push(`127.0.0.1:${node.node.grpcApiPort}`, `centrifugal.centrifugo.api.CentrifugoApi/${method}`);
  try {
    const { stdout } = await execFileAsync(grpcurl!, args, { timeout: 20_000 });
    return { code: 0, out: stdout };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe.skipIf(!grpcurl)(`grpcurl against the gRPC server API${grpcurl ? '' : ' (skipped: run make grpc-tools to build grpcurl)'}`, () => {
  beforeAll(async () => {
    node = await startTestNode({
      grpc_api: { enabled: true, address: '127.0.0.1', port: 0, key },
      channel: { namespaces: [{ name: 'cli', history_size: 5, history_ttl: '60s' }] },
    });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('publishes and reads the publication back from history', async () => {
    const data = Buffer.from(JSON.stringify({ via: 'grpcurl' })).toString('base64');
    const published = await call('Publish', { channel: 'cli:a', data });
    expect(published.code).toBe(0);
    expect(JSON.parse(published.out)).toEqual({ result: { offset: '1', epoch: expect.any(String) } });
    const history = JSON.parse((await call('History', { channel: 'cli:a', limit: 5 })).out) as {
      result: { publications: Array<{ data: string; offset: string }> };
    };
    expect(history.result.publications).toHaveLength(1);
    expect(JSON.parse(Buffer.from(history.result.publications[0]!.data, 'base64').toString())).toEqual({ via: 'grpcurl' });
  });

  it('shows the error field for an unknown channel, and Unauthenticated for a wrong key', async () => {
    expect(JSON.parse((await call('Presence', { channel: 'nope:x' })).out)).toEqual({ error: { code: 102, message: 'unknown channel' } });
    const refused = await call('Info', {}, 'wrong');
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('Unauthenticated');
  });
});
