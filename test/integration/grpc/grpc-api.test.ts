import { connect } from 'node:http2';
import { status } from '@grpc/grpc-js';
import { Centrifuge } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GrpcApiClient } from '../../helpers/grpc-clients.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// Centrifugo's gRPC server API called by a real @grpc/grpc-js client: the same methods and answers as the HTTP
// API (one implementation behind both), the key in `authorization: apikey <key>` metadata, errors in the reply.

type Client = InstanceType<typeof Centrifuge>;

const grpcKey = 'grpc-secret-key';
let node: TestNode;
let api: GrpcApiClient;
const clients: Client[] = [];

beforeAll(async () => {
  node = await startTestNode({
    grpc_api: { enabled: true, address: '127.0.0.1', port: 0, key: grpcKey },
    channel: {
      namespaces: [{ name: 'room', presence: true, history_size: 10, history_ttl: '300s', allow_subscribe_for_client: true }],
    },
  });
  api = new GrpcApiClient(node.node.grpcApiPort!, grpcKey);
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  api?.close();
  await node?.stop();
});

async function connectedClient(user: string, channel: string): Promise<{ client: Client; pubs: unknown[]; disconnects: Array<{ code: number; reason: string }> }> {
  const token = await hs256Token({ sub: user }, { expInSeconds: 3600 });
  const client = new Centrifuge(node.wsUrl, { websocket: WebSocket, token });
  clients.push(client);
  const pubs: unknown[] = [];
  const disconnects: Array<{ code: number; reason: string }> = [];
  client.on('disconnected', (ctx) => disconnects.push({ code: ctx.code, reason: ctx.reason }));
  const sub = client.newSubscription(channel);
  sub.on('publication', (ctx) => pubs.push(ctx.data));
  client.connect();
  sub.subscribe();
  await sub.ready(5000);
  return { client, pubs, disconnects };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('gRPC server API', () => {
  it('publish reaches a subscriber and answers the stream position; history returns it', async () => {
    const { pubs } = await connectedClient('alice', 'room:a');
    const published = await api.call('Publish', { channel: 'room:a', data: json({ text: 'hi' }) });
    expect(published.error).toBeUndefined();
    const result = published.reply!['result'] as { offset: string; epoch: string };
    expect(result.offset).toBe('1');
    expect(result.epoch).not.toBe('');
    await waitFor('the publication', () => pubs.length === 1);
    expect(pubs[0]).toEqual({ text: 'hi' });

    const history = await api.call('History', { channel: 'room:a', limit: 10 });
    const pubsInHistory = (history.reply!['result'] as { publications: Array<{ data: Buffer; offset: string }> }).publications;
    expect(pubsInHistory).toHaveLength(1);
    expect(JSON.parse(pubsInHistory[0]!.data.toString())).toEqual({ text: 'hi' });
    expect(pubsInHistory[0]!.offset).toBe('1');

    const since = await api.call('History', { channel: 'room:a', limit: 10, since: { offset: '1', epoch: result.epoch } });
    expect((since.reply!['result'] as { publications?: unknown[] }).publications ?? []).toHaveLength(0);
  });

  it('b64data carries binary payloads and wins over data', async () => {
    await api.call('Publish', { channel: 'room:b64', data: json({ ignored: true }), b64data: Buffer.from('"from b64"').toString('base64') });
    const history = await api.call('History', { channel: 'room:b64', limit: 1 });
    const [pub] = (history.reply!['result'] as { publications: Array<{ data: Buffer }> }).publications;
    expect(pub!.data.toString()).toBe('"from b64"');
  });

  it('broadcast answers per channel, an unknown namespace with 102', async () => {
    const { pubs } = await connectedClient('bob', 'room:b');
    const reply = await api.call('Broadcast', { channels: ['room:b', 'room:c', 'nope:x'], data: json({ n: 1 }) });
    const responses = (reply.reply!['result'] as { responses: Array<{ error?: { code: number }; result?: unknown }> }).responses;
    expect(responses).toHaveLength(3);
    expect(responses[0]!.error).toBeUndefined();
    expect(responses[1]!.error).toBeUndefined();
    expect(responses[2]!.error!.code).toBe(102);
    await waitFor('the broadcast publication', () => pubs.length === 1);
  });

  it('presence, presence_stats and channels list a connected client', async () => {
    await connectedClient('carol', 'room:p');
    const presence = await api.call('Presence', { channel: 'room:p' });
    const entries = Object.values((presence.reply!['result'] as { presence: Record<string, { user: string }> }).presence);
    expect(entries.map((e) => e.user)).toEqual(['carol']);
    const stats = await api.call('PresenceStats', { channel: 'room:p' });
    expect(stats.reply!['result']).toEqual({ num_clients: 1, num_users: 1 });
    const channels = await api.call('Channels', { pattern: 'room:p*' });
    expect((channels.reply!['result'] as { channels: Record<string, { num_clients: number }> }).channels).toEqual({ 'room:p': { num_clients: 1 } });
  });

  it('info lists this node', async () => {
    const info = await api.call('Info', {});
    const nodes = (info.reply!['result'] as { nodes: Array<{ uid: string; num_clients: number; process: { rss: string } }> }).nodes;
    expect(nodes).toHaveLength(1);
    expect(nodes[0]!.uid).toBe(node.node.ctx.nodeId);
    expect(Number(nodes[0]!.process.rss)).toBeGreaterThan(0);
  });

  it('disconnect closes the user with the code given', async () => {
    const { disconnects } = await connectedClient('dave', 'room:d');
    const reply = await api.call('Disconnect', { user: 'dave', disconnect: { code: 4500, reason: 'bye' } });
    expect(reply.reply!['error']).toBeUndefined();
    const d = await waitFor('the disconnect', () => disconnects[0]);
    expect(d).toEqual({ code: 4500, reason: 'bye' });
  });

  it('errors come in the reply: unknown channel 102, presence off 108, bad disconnect code 107', async () => {
    expect((await api.call('Publish', { channel: 'nope:x', data: json(1) })).reply!['error']).toEqual({ code: 102, message: 'unknown channel' });
    expect((await api.call('Presence', { channel: 'plain' })).reply!['error']).toMatchObject({ code: 108 });
    expect((await api.call('Disconnect', { user: 'x', disconnect: { code: 10, reason: '' } })).reply!['error']).toMatchObject({ code: 107 });
    expect((await api.call('Publish', { data: json(1) })).reply!['error']).toMatchObject({ code: 107 });
  });

  it('transport error mode by metadata turns the error into Centrifugo\'s gRPC status', async () => {
    const reply = await api.call('Publish', { channel: 'nope:x', data: json(1) }, { 'x-centrifugo-error-mode': 'transport' });
    expect(reply.error?.code).toBe(status.NOT_FOUND);
  });

  it('batch runs its commands in order, each answered in its own reply field', async () => {
    const reply = await api.call('Batch', {
      commands: [
        { publish: { channel: 'room:batch', data: json('one') } },
        { history: { channel: 'room:batch', limit: 5 } },
        { presence: { channel: 'nope:x' } },
        {},
      ],
    });
    const replies = reply.reply!['replies'] as Array<Record<string, unknown>>;
    expect(replies).toHaveLength(4);
    expect((replies[0]!['publish'] as { offset: string }).offset).toBe('1');
    expect((replies[1]!['history'] as { publications: unknown[] }).publications).toHaveLength(1);
    expect(replies[2]!['error']).toMatchObject({ code: 102 });
    expect(replies[3]!['error']).toMatchObject({ code: 104 });
  });

  it('refuses a wrong or missing key with UNAUTHENTICATED, as Centrifugo does', async () => {
    const wrong = new GrpcApiClient(node.node.grpcApiPort!, 'wrong');
    const none = new GrpcApiClient(node.node.grpcApiPort!, null);
    try {
      expect((await wrong.call('Info', {})).error?.code).toBe(status.UNAUTHENTICATED);
      expect((await none.call('Publish', { channel: 'room:a', data: json(1) })).error?.code).toBe(status.UNAUTHENTICATED);
    } finally {
      wrong.close();
      none.close();
    }
    // Nothing was published by the refused call.
    const history = await api.call('History', { channel: 'room:a', limit: 10 });
    expect((history.reply!['result'] as { publications: unknown[] }).publications).toHaveLength(1);
  });

  it('a malformed message gets a gRPC error, and the node keeps serving', async () => {
    // A raw HTTP/2 gRPC request whose body is not a PublishRequest (a bytes field longer than the message).
    const session = connect(`http://127.0.0.1:${node.node.grpcApiPort}`);
    try {
      const body = Buffer.from([0x12, 0x05, 0x01]);
      const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, body.length]), body]);
      const grpcStatus = await new Promise<string | undefined>((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/centrifugal.centrifugo.api.CentrifugoApi/Publish',
          'content-type': 'application/grpc',
          te: 'trailers',
          authorization: `apikey ${grpcKey}`,
        });
        let fromHeaders: string | undefined;
        stream.on('response', (headers) => (fromHeaders = headers['grpc-status'] as string | undefined));
        stream.on('trailers', (trailers) => resolve(trailers['grpc-status'] as string));
        stream.on('end', () => resolve(fromHeaders));
        stream.on('error', reject);
        stream.resume();
        stream.end(frame);
      });
      expect(grpcStatus).toBeDefined();
      expect(Number(grpcStatus)).toBe(status.INTERNAL);
    } finally {
      session.close();
    }
    expect((await api.call('Info', {})).error).toBeUndefined();
    const http = await node.api('info', {});
    expect(http.status).toBe(200);
  });

  it('a method Ringcast does not serve answers UNIMPLEMENTED', async () => {
    const session = connect(`http://127.0.0.1:${node.node.grpcApiPort}`);
    try {
      const grpcStatus = await new Promise<string | undefined>((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/centrifugal.centrifugo.api.CentrifugoApi/Connections',
          'content-type': 'application/grpc',
          te: 'trailers',
          authorization: `apikey ${grpcKey}`,
        });
        let fromHeaders: string | undefined;
        stream.on('response', (headers) => (fromHeaders = headers['grpc-status'] as string | undefined));
        stream.on('trailers', (trailers) => resolve(trailers['grpc-status'] as string));
        stream.on('end', () => resolve(fromHeaders));
        stream.on('error', reject);
        stream.resume();
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
      expect(Number(grpcStatus)).toBe(status.UNIMPLEMENTED);
    } finally {
      session.close();
    }
  });
});
