import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Centrifuge } from 'centrifuge';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { hs256Token } from './tokens.js';

export const adminPassword = 'correct horse battery staple';
export const adminSecret = 'admin-session-secret-0123456789abcdef0123';

/** Node config with the admin UI on (Centrifugo's keys). */
export const adminConfig = { admin: { enabled: true, password: adminPassword, secret: adminSecret } };

/** Screenshots of the admin pages, kept as test artifacts (gitignored with the rest of .cache). */
export function artifactPath(name: string): string {
  const dir = join(process.cwd(), '.cache', 'test-artifacts', 'admin');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Opens the admin UI of a node and logs in through the form. */
export async function logIn(page: Page, httpUrl: string, password = adminPassword): Promise<void> {
  await page.goto(`${httpUrl}/admin/`);
  await page.waitForURL(/\/admin\/login$/);
  await page.getByLabel('Admin password').fill(password);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.getByRole('button', { name: 'Log in' }).click()]);
}

/** A session value signed the way the node documents it (`v1.<expires ms>.<nonce>.<HMAC-SHA256>`), made independently. */
export function signedSession(secret: string, expiresAt: number, nonce = 'test-nonce'): string {
  const payload = `v1.${expiresAt}.${nonce}`;
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export type SdkClient = InstanceType<typeof Centrifuge>;

/** An official centrifuge SDK client for `user` (token signed with the test secret), connected; `id` is its client id. */
export async function connectedClient(wsUrl: string, user: string, name = 'admin-test'): Promise<{ client: SdkClient; id: string }> {
  const client = new Centrifuge(wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: user }), name });
  const connected = new Promise<string>((resolve) => client.once('connected', (ctx) => resolve(ctx.client)));
  client.connect();
  return { client, id: await connected };
}
