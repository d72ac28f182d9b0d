import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/chromium.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';

// sockjs-client's browser build in headless Chromium, on a page of another origin (as an application page would
// be): each transport the server offers, the iframe ones included (the iframe page loads sockjs.url, here the
// same build served by the page's server), carries the JSON protocol from connect to a server disconnect.

const transports = ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource', 'iframe-eventsource', 'iframe-xhr-polling'] as const;

const sockjsBuild = readFileSync(createRequire(import.meta.url).resolve('sockjs-client/dist/sockjs.min.js'));
let pageServer: Server;
let pageOrigin: string;
let node: TestNode;
let browser: Browser;

beforeAll(async () => {
  pageServer = createServer((req, res) => {
    if (req.url === '/sockjs.min.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(sockjsBuild);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><head><script src="/sockjs.min.js"></script></head><body></body></html>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  node = await startTestNode({
    client: { allowed_origins: ['http://127.0.0.1:*'] },
    sockjs: { enabled: true, url: `${pageOrigin}/sockjs.min.js` },
    channel: { namespaces: [{ name: 'chat', allow_subscribe_for_client: true }] },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await node?.stop();
  await new Promise((resolve) => pageServer?.close(resolve));
});

/** The sockjs-client socket as the page script uses it. */
interface PageSocket {
  transport: string;
  onopen: () => void;
  onmessage: (event: { data: unknown }) => void;
  onclose: (event: { code: number; reason: string }) => void;
  send(data: string): void;
}

/** Opens SockJS on the page with one transport, connects and subscribes; state lands on window.sockjsTest. */
async function openInPage(page: Page, transport: string, token: string, channel: string): Promise<string> {
  return page.evaluate(
    ({ url, transport, token, channel }) =>
      new Promise<string>((resolve, reject) => {
        const state = { messages: [] as unknown[], close: null as null | { code: number; reason: string } };
        (globalThis as unknown as { sockjsTest: typeof state }).sockjsTest = state;
        const SockJSCtor = (globalThis as unknown as { SockJS: new (u: string, r: null, o: object) => PageSocket }).SockJS;
        const socket = new SockJSCtor(url, null, { transports: [transport] });
        socket.onopen = () => socket.send(JSON.stringify({ id: 1, connect: { token } }));
        socket.onmessage = (event) => {
          for (const line of String(event.data).split('\n')) {
            if (line === '') continue;
            const message = JSON.parse(line) as { id?: number; error?: unknown };
            state.messages.push(message);
            if (message.error) reject(new Error(JSON.stringify(message.error)));
            if (message.id === 1) socket.send(JSON.stringify({ id: 2, subscribe: { channel } }));
            if (message.id === 2) resolve(socket.transport);
          }
        };
        socket.onclose = (event) => {
          state.close = { code: event.code, reason: event.reason };
          reject(new Error(`closed ${event.code} ${event.reason}`));
        };
      }),
    { url: `${node.httpUrl}/connection/sockjs`, transport, token, channel },
  );
}

describe.each(transports)('sockjs-client in Chromium over %s', (transport) => {
  it('connects from another origin, subscribes, receives an API publication and the disconnect code', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(pageOrigin);
      const user = `browser-${transport}`;
      const channel = `chat:browser-${transport}`;
      const token = await hs256Token({ sub: user }, { expInSeconds: 3600 });
      expect(await openInPage(page, transport, token, channel)).toBe(transport);

      await node.api('publish', { channel, data: { from: 'api' } });
      await page.waitForFunction(
        (ch) => (globalThis as unknown as { sockjsTest: { messages: Array<{ push?: { channel: string } }> } }).sockjsTest.messages.some((m) => m.push?.channel === ch),
        channel,
        { timeout: 10_000 },
      );
      await node.api('disconnect', { user, disconnect: { code: 4502, reason: 'browser bye' } });
      await page.waitForFunction(() => (globalThis as unknown as { sockjsTest: { close: unknown } }).sockjsTest.close !== null, null, { timeout: 10_000 });
      const close = await page.evaluate(() => (globalThis as unknown as { sockjsTest: { close: unknown } }).sockjsTest.close);
      expect(close).toEqual({ code: 4502, reason: 'browser bye' });
    } finally {
      await page.close();
    }
  });
});
