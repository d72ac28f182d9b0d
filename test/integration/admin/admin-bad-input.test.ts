import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminConfig, adminSecret, artifactPath, logIn, signedSession } from '../../helpers/admin-ui.js';
import { launchChromium } from '../../helpers/chromium.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';

// What the admin endpoints refuse: no, forged or expired sessions; calls without the admin header or from another
// origin (raw HTTP, and a real cross-site form in Chromium that an admin who is logged in opens).
let node: TestNode;
let insecureNode: TestNode;
let browser: Browser;
let attacker: Server;

const config = {
  ...adminConfig,
  channel: { namespaces: [{ name: 'chat', history_size: 10, history_ttl: '60s' }] },
};

beforeAll(async () => {
  node = await startTestNode(config);
  insecureNode = await startTestNode({ admin: { enabled: true, insecure: true, handler_prefix: '/ops' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
  await node?.stop();
  await insecureNode?.stop();
});

interface CallOptions {
  cookie?: string;
  adminHeader?: boolean;
  origin?: string;
  fetchSite?: string;
  base?: string;
}

async function adminCall(target: TestNode, path: string, body: unknown, options: CallOptions = {}): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.cookie !== undefined) headers['Cookie'] = `ringcast_admin=${options.cookie}`;
  if (options.adminHeader !== false) headers['X-Ringcast-Admin'] = '1';
  if (options.origin) headers['Origin'] = options.origin;
  if (options.fetchSite) headers['Sec-Fetch-Site'] = options.fetchSite;
  const res = await fetch(`${target.httpUrl}${options.base ?? '/admin'}/${path}`, { method: 'POST', headers, body: JSON.stringify(body), redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

const valid = (): string => signedSession(adminSecret, Date.now() + 60_000);

describe('admin sessions', () => {
  it('accepts a session signed with admin.secret and refuses none, a forged, a malformed or an expired one', async () => {
    expect((await adminCall(node, 'api/info', {}, { cookie: valid() })).status).toBe(200);
    expect((await adminCall(node, 'api/info', {})).status).toBe(401);
    // Signed with another secret, or with a changed expiry under the old signature.
    expect((await adminCall(node, 'api/info', {}, { cookie: signedSession('another-secret-0123456789abcdef0123', Date.now() + 60_000) })).status).toBe(401);
    const [v, , nonce, signature] = valid().split('.');
    expect((await adminCall(node, 'api/info', {}, { cookie: `${v}.${Date.now() + 3_600_000}.${nonce}.${signature}` })).status).toBe(401);
    expect((await adminCall(node, 'api/info', {}, { cookie: 'v1.not-a-session' })).status).toBe(401);
    expect((await adminCall(node, 'api/info', {}, { cookie: signedSession(adminSecret, Date.now() - 1000) })).status).toBe(401);
  });

  it('sends a browser with an expired or forged session cookie to the login page', async () => {
    for (const cookie of [signedSession(adminSecret, Date.now() - 1000), `${valid().slice(0, -4)}AAAA`]) {
      const res = await fetch(`${node.httpUrl}/admin/`, { headers: { Cookie: `ringcast_admin=${cookie}` }, redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin/login');
    }
    const ok = await fetch(`${node.httpUrl}/admin/`, { headers: { Cookie: `ringcast_admin=${valid()}` }, redirect: 'manual' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('logs in only with the right password, and the session it gives works for calls', async () => {
    const form = (password: string, origin?: string) =>
      fetch(`${node.httpUrl}/admin/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(origin ? { Origin: origin } : {}) },
        body: new URLSearchParams({ password }).toString(),
        redirect: 'manual',
      });
    const wrong = await form('guess');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await form(adminConfig.admin.password, node.httpUrl);
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ringcast_admin=v1\.\d+\.[\w-]+\.[\w-]+; Path=\/admin; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const value = cookie.split(';')[0]!.slice('ringcast_admin='.length);
    expect((await adminCall(node, 'api/info', {}, { cookie: value })).status).toBe(200);
    // A login form posted from another site is refused even with the right password.
    expect((await form(adminConfig.admin.password, 'http://evil.example')).status).toBe(403);
  });
  it('logs out from the page: the cookie is cleared and the next visit goes to the login page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, node.httpUrl);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/logout')),
      page.getByRole('button', { name: 'Log out' }).click(),
    ]);
    expect(answer.status()).toBe(204);
    await page.waitForURL(/\/admin\/login$/);
    expect((await context.cookies()).some((c) => c.name === 'ringcast_admin')).toBe(false);
    await page.goto(`${node.httpUrl}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await context.close();
    // A logout another site asks for is refused, in the server API's error shape.
    const forged = await adminCall(node, 'logout', {}, { cookie: valid(), adminHeader: false });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.text)).toEqual({ error: { code: 103, message: 'cross-site request refused' } });
  });
});

describe('cross-site requests', () => {
  it('refuses a call without the admin header, from another Origin, or that the browser marks cross-site', async () => {
    const publish = { channel: 'chat:csrf', data: { forged: true } };
    expect((await adminCall(node, 'api/publish', publish, { cookie: valid(), adminHeader: false })).status).toBe(403);
    expect((await adminCall(node, 'api/publish', publish, { cookie: valid(), origin: 'http://evil.example' })).status).toBe(403);
    expect((await adminCall(node, 'api/publish', publish, { cookie: valid(), origin: 'null' })).status).toBe(403);
    expect((await adminCall(node, 'api/publish', publish, { cookie: valid(), fetchSite: 'cross-site' })).status).toBe(403);
    expect((await adminCall(node, 'x/ring', {}, { cookie: valid(), adminHeader: false })).status).toBe(403);
    expect((await node.api('history', { channel: 'chat:csrf', limit: -1 })).json).toMatchObject({ result: { offset: 0 } });
    // The same call from this origin goes through.
    const same = await adminCall(node, 'api/publish', publish, { cookie: valid(), origin: node.httpUrl, fetchSite: 'same-origin' });
    expect(same).toMatchObject({ status: 200 });
    expect(JSON.parse(same.text)).toMatchObject({ result: { offset: 1 } });
  });

  it('a logged-in admin who opens a page of another origin cannot be made to publish by its form', async () => {
    // The other origin: a page with a form that posts to the admin API by itself (text/plain JSON, the usual trick).
    // Same host, another port: the same site, so the browser sends the SameSite=Strict cookie along and only the
    // header and Origin checks stand in the way.
    attacker = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<!doctype html><form id="f" method="POST" enctype="text/plain" action="${node.httpUrl}/admin/api/publish">
        <input name='{"channel":"chat:csrf","data":{"via":"form"},"x":"' value='"}'></form>
        <script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, node.httpUrl);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/api/publish')),
      page.goto(attackerUrl),
    ]);
    expect(answer.status()).toBe(403);
    expect(await answer.request().headerValue('cookie')).toMatch(/^ringcast_admin=v1\./);
    expect(await answer.request().headerValue('origin')).toBe(attackerUrl.slice(0, -1));
    await page.screenshot({ path: artifactPath('csrf-refused.png') });
    await context.close();
    // Only the same-origin publication of the previous test is in the history.
    const history = (await node.api('history', { channel: 'chat:csrf', limit: -1 })).json as { result: { publications: { data: unknown }[] } };
    expect(history.result.publications.map((p) => p.data)).toEqual([{ forged: true }]);
  });

  it('keeps the header and Origin checks in admin.insecure mode, which needs no login', async () => {
    const page = await fetch(`${insecureNode.httpUrl}/ops/admin/`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const root = await fetch(`${insecureNode.httpUrl}/ops`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/ops/admin/');
    expect((await adminCall(insecureNode, 'api/info', {}, { base: '/ops/admin' })).status).toBe(200);
    expect((await adminCall(insecureNode, 'api/info', {}, { base: '/ops/admin', adminHeader: false })).status).toBe(403);
    expect((await adminCall(insecureNode, 'api/info', {}, { base: '/ops/admin', origin: 'http://evil.example' })).status).toBe(403);
  });
});
