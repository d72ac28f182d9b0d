import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PublicationContext } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminConfig, artifactPath, connectedClient, logIn, type SdkClient } from '../../helpers/admin-ui.js';
import { launchChromium } from '../../helpers/chromium.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';

// The admin UI in Debian's Chromium against one node: login, the cluster page, publishing from the form to an SDK
// client, the channel's history and presence, disconnecting a user, a user's connections, markup in a channel
// name. Screenshots of every page go to .cache/test-artifacts/admin/.
let node: TestNode;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const clients: SdkClient[] = [];
const ids = new Map<SdkClient, string>();
const markupChannel = '<img src=x onerror="window.__pwned=1">';

beforeAll(async () => {
  node = await startTestNode({
    ...adminConfig,
    node: { name: 'admin-node-1' },
    channel: {
      without_namespace: { allow_subscribe_for_client: true },
      namespaces: [
        { name: 'chat', allow_subscribe_for_client: true, presence: true, history_size: 50, history_ttl: '300s' },
      ],
    },
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await context?.close();
  await browser?.close();
  await node?.stop();
});

async function client(user: string, name?: string): Promise<SdkClient> {
  const { client: c, id } = await connectedClient(node.wsUrl, user, name);
  clients.push(c);
  ids.set(c, id);
  return c;
}

async function subscribed(c: SdkClient, channel: string): Promise<ReturnType<SdkClient['newSubscription']>> {
  const sub = c.newSubscription(channel);
  const ready = new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
  sub.subscribe();
  await ready;
  return sub;
}

describe('admin UI login', () => {
  it('sends a visitor without a session to the login page and refuses a wrong password', async () => {
    await page.goto(`${node.httpUrl}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await page.getByLabel('Admin password').fill('not the password');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/login') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    expect(answer.status()).toBe(401);
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong password.');
    expect((await context.cookies()).some((c) => c.name === 'ringcast_admin')).toBe(false);
    await page.screenshot({ path: artifactPath('login-refused.png') });
  });

  it('logs in with the password: an httpOnly, SameSite=Strict session cookie, and the cluster page shows the node', async () => {
    await logIn(page, node.httpUrl);
    const cookie = (await context.cookies()).find((c) => c.name === 'ringcast_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    const row = page.locator('#nodes tbody tr', { hasText: 'admin-node-1' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toMatch(/^\d+\.\d+\.\d+/); // version
    expect(cells[7]).toMatch(/MiB$/); // memory
    await expect(page.locator('#ring').textContent()).resolves.toContain('Memory engine');
    await page.screenshot({ path: artifactPath('cluster.png'), fullPage: true });
  });
});

describe('admin UI actions', () => {
  it('publishes from the form and an SDK client receives the publication', async () => {
    const alice = await client('alice');
    const sub = await subscribed(alice, 'chat:room');
    const received = new Promise<PublicationContext>((resolve) => sub.once('publication', resolve));
    await page.goto(`${node.httpUrl}/admin/#/actions`);
    const form = page.locator('#publish-form');
    await form.getByLabel('Channel').fill('chat:room');
    await form.getByLabel('Data (JSON)').fill('{"text": "hello from the admin"}');
    await form.getByRole('button', { name: 'Publish' }).click();
    const publication = await received;
    expect(publication.data).toEqual({ text: 'hello from the admin' });
    expect(publication.offset).toBe(1);
    await page.locator('#publish-outcome', { hasText: 'at offset 1' }).waitFor();
    await page.screenshot({ path: artifactPath('actions-publish.png'), fullPage: true });
  });

  it("browses the channel's history (offsets, epoch) and presence, and lists it with its subscriber count", async () => {
    const aliceClient = clients[0]!;
    await page.goto(`${node.httpUrl}/admin/#/channels`);
    const row = page.locator('#channel-results tbody tr', { hasText: 'chat:room' });
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).slice(0, 2)).toEqual(['chat:room', '1']);
    await page.screenshot({ path: artifactPath('channels.png'), fullPage: true });

    await row.getByRole('link', { name: 'chat:room' }).click();
    await page.waitForURL(/#\/channels\/chat%3Aroom$/);
    const history = await node.api('history', { channel: 'chat:room', limit: 0 });
    const epoch = (history.json as { result: { epoch: string } }).result.epoch;
    await page.locator('#history-outcome', { hasText: `offset 1, epoch ${epoch}` }).waitFor();
    const historyRow = await page.locator('#history tbody tr').first().locator('td').allTextContents();
    expect(historyRow[0]).toBe('1');
    expect(historyRow[1]).toContain('"text":"hello from the admin"');
    const presence = page.locator('#presence tbody tr');
    await presence.first().waitFor();
    const presenceCells = await presence.first().locator('td').allTextContents();
    expect(presenceCells[0]).toBe(ids.get(aliceClient));
    expect(presenceCells[1]).toBe('alice');
    await expect(page.locator('#presence-stats').textContent()).resolves.toBe('1 client(s), 1 user(s)');
    await page.screenshot({ path: artifactPath('channel.png'), fullPage: true });
  });

  it('watches the channel live through the official SDK bundled into the page', async () => {
    await page.getByRole('button', { name: 'Watch live' }).click();
    await page.locator('#live-state', { hasText: /^Watching chat:room live\.$/ }).waitFor();
    expect((await node.api('publish', { channel: 'chat:room', data: { text: 'second' } })).json).toMatchObject({ result: { offset: 2 } });
    await page.locator('#live-publications li', { hasText: '#2 {"text":"second"}' }).waitFor();
    // The page's client is in presence while it watches.
    await page.getByRole('button', { name: 'Refresh presence' }).click();
    await page.locator('#presence td', { hasText: 'ringcast-admin' }).waitFor();
    await page.screenshot({ path: artifactPath('channel-live.png'), fullPage: true });
    await page.getByRole('button', { name: 'Stop watching' }).click();
    await page.locator('#live-state', { hasText: /^Not watching\.$/ }).waitFor();
  });

  it("lists a user's connections with their transport and channels", async () => {
    const bob1 = await client('bob', 'bob-phone');
    await subscribed(bob1, 'chat:bob');
    await client('bob', 'bob-laptop');
    await page.goto(`${node.httpUrl}/admin/#/connections`);
    await page.getByLabel('User ID').fill('bob');
    await page.getByRole('button', { name: 'Find connections' }).click();
    const rows = page.locator('#connection-results tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    const texts = await rows.allTextContents();
    expect(texts.some((t) => t.includes('bob-phone') && t.includes('chat:bob') && t.includes('websocket (json)'))).toBe(true);
    expect(texts.some((t) => t.includes('bob-laptop'))).toBe(true);
    await page.screenshot({ path: artifactPath('connections.png'), fullPage: true });
  });

  it('disconnects a user from the form and the client gets the chosen disconnect code', async () => {
    const carol = await client('carol');
    const disconnected = new Promise<{ code: number; reason: string }>((resolve) => carol.once('disconnected', resolve));
    await page.goto(`${node.httpUrl}/admin/#/actions`);
    const form = page.locator('#disconnect-form');
    await form.getByLabel('User ID').fill('carol');
    await form.getByLabel('Disconnect code (optional)').fill('4501');
    await form.getByLabel('Reason (optional)').fill('bye from the admin');
    await form.getByRole('button', { name: 'Disconnect' }).click();
    await expect(disconnected).resolves.toEqual({ code: 4501, reason: 'bye from the admin' });
    await page.locator('#disconnect-outcome', { hasText: /^Disconnected carol\.$/ }).waitFor();
    await page.screenshot({ path: artifactPath('actions-disconnect.png'), fullPage: true });
  });

  it('unsubscribes a user from the form, and removes history from the channel page', async () => {
    const dave = await client('dave');
    const sub = await subscribed(dave, 'chat:dave');
    const unsubscribed = new Promise<{ code: number }>((resolve) => sub.once('unsubscribed', resolve));
    await page.goto(`${node.httpUrl}/admin/#/actions`);
    const form = page.locator('#unsubscribe-form');
    await form.getByLabel('User ID').fill('dave');
    await form.getByLabel('Channel').fill('chat:dave');
    await form.getByRole('button', { name: 'Unsubscribe' }).click();
    expect((await unsubscribed).code).toBe(2000);

    await page.goto(`${node.httpUrl}/admin/#/channels/${encodeURIComponent('chat:room')}`);
    await page.locator('#history tbody tr').first().waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove history' }).click();
    await page.locator('#history', { hasText: 'No publications in the history' }).waitFor();
    const history = (await node.api('history', { channel: 'chat:room', limit: -1 })).json as { result: { publications?: unknown[] } };
    expect(history.result.publications ?? []).toEqual([]);
  });

  it('shows a channel name with markup as text and runs none of it', async () => {
    const mallory = await client('mallory');
    await subscribed(mallory, markupChannel);
    await page.goto(`${node.httpUrl}/admin/#/channels`);
    const link = page.getByRole('link', { name: markupChannel, exact: true });
    await link.waitFor();
    expect(await page.locator('#channel-results img').count()).toBe(0);
    await link.click();
    await expect(page.locator('#channel-name').textContent()).resolves.toBe(markupChannel);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.screenshot({ path: artifactPath('channel-markup.png'), fullPage: true });
  });
});
