// The gRPC server API and the unidirectional gRPC stream called the same way on Ringcast and, with CENTRIFUGO_BIN
// set, on Centrifugo v6: one @grpc/grpc-js client built from Ringcast's .proto files reads both, so field numbers
// that differed would show as missing fields. Comments name the place in Centrifugo's source each expectation
// follows.
import { connect } from 'node:http2';
import { credentials, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrpcService } from '../../../src/grpc/load-proto.js';
import { centrifugoBin, centrifugoSkipReason, compatTargets, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { GrpcApiClient } from '../../helpers/grpc-clients.js';
import { freeLoopbackPorts } from '../../helpers/kube-free-port.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

const grpcKey = 'grpc-compat-key';

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Status of a raw gRPC call whose body is `message` (lets a test send what no generated client would). */
function rawCall(port: number, path: string, message: Buffer, headers: Record<string, string> = {}): Promise<number> {
  const session = connect(`http://127.0.0.1:${port}`);
  return new Promise<number>((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
    let fromHeaders: string | undefined;
    stream.on('response', (h) => (fromHeaders = h['grpc-status'] as string | undefined));
    stream.on('trailers', (t) => resolve(Number(t['grpc-status'])));
    stream.on('end', () => resolve(Number(fromHeaders)));
    stream.on('error', reject);
    stream.resume();
    stream.end(Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]));
  }).finally(() => session.close());
}

describe.each(compatTargets)('gRPC on %s', (target) => {
  let server: CompatServer;
  let apiPort: number;
  let uniPort: number;
  let api: GrpcApiClient;
  const streams: Array<ClientReadableStream<Record<string, unknown>>> = [];

  beforeAll(async () => {
    [apiPort, uniPort] = (await freeLoopbackPorts(2)) as [number, number];
    server = await startCompatServer(target, {
      grpc_api: { enabled: true, address: '127.0.0.1', port: apiPort, key: grpcKey },
      uni_grpc: { enabled: true, address: '127.0.0.1', port: uniPort },
      channel: { namespaces: [{ name: 'hs', history_size: 10, history_ttl: '300s' }, { name: 'plain' }] },
    });
    api = new GrpcApiClient(apiPort, grpcKey);
    // The gRPC listener may come up just after /health answers.
    await waitFor('the gRPC API', async () => !(await api.call('Info', {})).error, 10_000, 50);
  });
  afterAll(async () => {
    for (const stream of streams) stream.cancel();
    api?.close();
    await server?.stop();
  });

  // api/grpc.go authorize: anything but exactly "apikey <key>" in the first authorization value.
  it('refuses a wrong or missing key with UNAUTHENTICATED', async () => {
    const wrong = new GrpcApiClient(apiPort, 'nope');
    const none = new GrpcApiClient(apiPort, null);
    try {
      expect((await wrong.call('Publish', { channel: 'hs:x', data: json(1) })).error?.code).toBe(status.UNAUTHENTICATED);
      expect((await none.call('Info', {})).error?.code).toBe(status.UNAUTHENTICATED);
    } finally {
      wrong.close();
      none.close();
    }
  });

  it('publish answers the stream position; history returns the publication with its bytes', async () => {
    const published = await api.call('Publish', { channel: 'hs:pub', data: json({ a: 1 }), tags: { k: 'v' } });
    expect(published.reply).toEqual({ result: { offset: '1', epoch: expect.any(String) } });
    const history = await api.call('History', { channel: 'hs:pub', limit: 10 });
    const result = history.reply!['result'] as { publications: Array<{ data: Buffer; offset: string; tags: unknown }>; offset: string };
    expect(result.offset).toBe('1');
    expect(result.publications.map((p) => ({ data: JSON.parse(p.data.toString()) as unknown, offset: p.offset, tags: p.tags }))).toEqual([
      { data: { a: 1 }, offset: '1', tags: { k: 'v' } },
    ]);
  });

  it('answers errors in the reply: 102 unknown channel, 108 presence off, 107 bad request', async () => {
    expect((await api.call('Publish', { channel: 'nope:x', data: json(1) })).reply).toEqual({ error: { code: 102, message: 'unknown channel' } });
    expect((await api.call('Presence', { channel: 'plain:x' })).reply).toEqual({ error: { code: 108, message: 'not available' } });
    expect((await api.call('Publish', { data: json(1) })).reply!['error']).toMatchObject({ code: 107 });
  });

  // apiproto/errors.go MapErrorToGRPCCode in transport error mode.
  it('maps errors to gRPC statuses with x-centrifugo-error-mode: transport', async () => {
    const mode = { 'x-centrifugo-error-mode': 'transport' };
    expect((await api.call('Publish', { channel: 'nope:x', data: json(1) }, mode)).error?.code).toBe(status.NOT_FOUND);
    expect((await api.call('Presence', { channel: 'plain:x' }, mode)).error?.code).toBe(status.INVALID_ARGUMENT);
  });

  it('batch answers each command in its reply field; an empty command with 104', async () => {
    const reply = await api.call('Batch', { commands: [{ publish: { channel: 'hs:batch', data: json(1) } }, { info: {} }, {}] });
    const replies = reply.reply!['replies'] as Array<Record<string, unknown>>;
    expect(replies[0]!['publish']).toEqual({ offset: '1', epoch: expect.any(String) });
    expect((replies[1]!['info'] as { nodes: unknown[] }).nodes).toHaveLength(1);
    expect(replies[2]).toEqual({ error: { code: 104, message: 'not found' } });
  });

  it('info, channels and presence_stats answer with the documented shapes', async () => {
    const info = (await api.call('Info', {})).reply!['result'] as { nodes: Array<Record<string, unknown>> };
    expect(Object.keys(info.nodes[0]!)).toEqual(expect.arrayContaining(['uid', 'name', 'version']));
    expect((await api.call('Channels', {})).reply).toEqual({ result: {} });
    expect((await api.call('PresenceStats', { channel: 'plain:x' })).reply).toEqual({ error: { code: 108, message: 'not available' } });
  });

  // grpc-go answers a request that does not unmarshal with INTERNAL before any handler runs.
  it('answers a malformed request with INTERNAL and keeps serving', async () => {
    const statusCode = await rawCall(apiPort, '/centrifugal.centrifugo.api.CentrifugoApi/Publish', Buffer.from([0x12, 0x05, 0x01]), {
      authorization: `apikey ${grpcKey}`,
    });
    expect(statusCode).toBe(status.INTERNAL);
    expect((await api.call('Info', {})).error).toBeUndefined();
  });

  function consume(request: Record<string, unknown>): { pushes: Array<Record<string, unknown>>; ended: Promise<number> } {
    const Service = loadGrpcService('centrifugo-unistream.proto', 'centrifugal.centrifugo.unistream.CentrifugoUniStream');
    const client = new Service(`127.0.0.1:${uniPort}`, credentials.createInsecure());
    const stream = (client as unknown as { Consume(r: object): ClientReadableStream<Record<string, unknown>> }).Consume(request);
    streams.push(stream);
    const pushes: Array<Record<string, unknown>> = [];
    stream.on('data', (push: Record<string, unknown>) => pushes.push(push));
    const ended = new Promise<number>((resolve) => {
      stream.on('status', (s: { code: number }) => resolve(s.code));
      stream.on('error', (err: ServiceError) => resolve(err.code));
    }).finally(() => client.close());
    return { pushes, ended };
  }

  // unigrpc/grpc.go Consume: a client of the library on a unidirectional transport.
  it('uni stream: connect push, publications, disconnect push, then status OK', async () => {
    const token = await hs256Token({ sub: 'uni', channels: ['hs:uni'] }, { expInSeconds: 3600 });
    const consumer = consume({ token });
    const connectPush = await waitFor('the connect push', () => consumer.pushes[0]?.['connect'] as Record<string, unknown> | undefined);
    expect(Object.keys(connectPush['subs'] as object)).toEqual(['hs:uni']);
    // Pings (empty Pushes) at client.ping_interval, unanswered: no pong asked for.
    expect(connectPush['ping']).toBe(25);
    expect(connectPush['pong']).toBeUndefined();
    await server.api('publish', { channel: 'hs:uni', data: { n: 1 } });
    await waitFor('the publication', () => consumer.pushes.length >= 2);
    const pub = consumer.pushes[1]!;
    expect(pub['channel']).toBe('hs:uni');
    expect(JSON.parse((pub['pub'] as { data: Buffer }).data.toString())).toEqual({ n: 1 });
    expect((pub['pub'] as { offset: string }).offset).toBe('1');
    await server.api('disconnect', { user: 'uni', disconnect: { code: 4503, reason: 'uni bye' } });
    expect(await consumer.ended).toBe(status.OK);
    expect(consumer.pushes.at(-1)).toEqual({ disconnect: { code: 4503, reason: 'uni bye' } });
  });

  it('uni stream: an invalid token is a disconnect push 3500', async () => {
    const consumer = consume({ token: 'bad' });
    expect(await consumer.ended).toBe(status.OK);
    expect(consumer.pushes).toEqual([{ disconnect: { code: 3500, reason: 'invalid token' } }]);
  });
});
