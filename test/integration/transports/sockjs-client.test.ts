import SockJS from 'sockjs-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// The `sockjs-client` npm package in Node against /connection/sockjs, once per transport the server offers: the
// JSON client protocol rides on SockJS messages — connect, subscribe, a publication sent through the HTTP API, and
// a disconnect that arrives as SockJS's close event with Centrifugo's code and reason.

type Message = Record<string, unknown>;
type SockjsSocket = InstanceType<typeof SockJS>;

const transports = ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource'] as const;

let node: TestNode;
const sockets: SockjsSocket[] = [];

beforeAll(async () => {
  node = await startTestNode({
    sockjs: { enabled: true },
    channel: { namespaces: [{ name: 'chat', allow_subscribe_for_client: true }] },
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await node?.stop();
});

interface Client {
  socket: SockjsSocket;
  messages: Message[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
  reply(id: number): Promise<Message>;
}

function open(transport: string): Client {
  const socket = new SockJS(`${node.httpUrl}/connection/sockjs`, null, { transports: [transport] });
  sockets.push(socket);
  const messages: Message[] = [];
  socket.onmessage = (event: { data: string }) => {
    for (const line of event.data.split('\n')) if (line !== '') messages.push(JSON.parse(line) as Message);
  };
  const opened = new Promise<void>((resolve) => (socket.onopen = () => resolve()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.onclose = (event: { code: number; reason: string }) => resolve({ code: event.code, reason: event.reason });
  });
  return { socket, messages, opened, closed, reply: (id) => waitFor(`reply ${id}`, () => messages.find((m) => m['id'] === id)) };
}

describe.each(transports)('sockjs-client over %s', (transport) => {
  it('connects, subscribes, receives a publication and is disconnected with the code sent', async () => {
    const user = `sockjs-${transport}`;
    const client = open(transport);
    await client.opened;
    expect((client.socket as unknown as { transport: string }).transport).toBe(transport);

    const token = await hs256Token({ sub: user }, { expInSeconds: 3600 });
    client.socket.send(JSON.stringify({ id: 1, connect: { token, name: 'sockjs-test' } }));
    const connected = await client.reply(1);
    expect(connected['error']).toBeUndefined();
    expect(typeof (connected['connect'] as { client: string }).client).toBe('string');

    const channel = `chat:${transport}`;
    client.socket.send(JSON.stringify({ id: 2, subscribe: { channel } }));
    expect((await client.reply(2))['error']).toBeUndefined();

    const published = await node.api('publish', { channel, data: { text: 'über 🚀' } });
    expect(published.status).toBe(200);
    const push = await waitFor('the publication', () => client.messages.find((m) => m['push']));
    expect(push).toEqual({ push: { channel, pub: { data: { text: 'über 🚀' } } } });

    await node.api('disconnect', { user, disconnect: { code: 4501, reason: 'bye' } });
    expect(await client.closed).toEqual({ code: 4501, reason: 'bye' });
    await waitFor('the session to be released', () => (node.node.ctx.hub.userSessions(user)?.size ?? 0) === 0);
  });
});

describe('sockjs-client when the node shuts down', () => {
  it('is closed with the shutdown code (3001), over xhr-streaming and websocket alike', async () => {
    const other = await startTestNode({ sockjs: { enabled: true } });
    try {
      const opened = await Promise.all(
        (['xhr-streaming', 'websocket'] as const).map(async (transport) => {
          const socket = new SockJS(`${other.httpUrl}/connection/sockjs`, null, { transports: [transport] });
          sockets.push(socket);
          const replies: Message[] = [];
          socket.onmessage = (event: { data: string }) => replies.push(JSON.parse(event.data) as Message);
          const closed = new Promise<{ code: number; reason: string }>((resolve) => {
            socket.onclose = (event: { code: number; reason: string }) => resolve({ code: event.code, reason: event.reason });
          });
          await new Promise<void>((resolve) => (socket.onopen = () => resolve()));
          socket.send(JSON.stringify({ id: 1, connect: { token: await hs256Token({ sub: `down-${transport}` }, { expInSeconds: 60 }) } }));
          await waitFor('the connect reply', () => replies.find((r) => r['id'] === 1));
          // Wrapped: an async function returning the promise itself would wait for it.
          return { closed };
        }),
      );
      await other.stop();
      expect(await Promise.all(opened.map((o) => o.closed))).toEqual([
        { code: 3001, reason: 'shutdown' },
        { code: 3001, reason: 'shutdown' },
      ]);
    } finally {
      await other.stop();
    }
  });
});
