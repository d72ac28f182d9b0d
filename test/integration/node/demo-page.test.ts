import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';

// Drives the demo page in Debian's headless Chromium: the page loads the official centrifuge browser bundle
// from this node, connects, subscribes, shows a publication sent through the HTTP API and publishes itself.
let node: TestNode;
let browser: Browser;

beforeAll(async () => {
  node = await startTestNode({
    ringcast: { demo: { enabled: true } },
    client: { allow_anonymous_connect_without_token: true, allowed_origins: ['http://127.0.0.1:*'] },
    channel: {
      without_namespace: {
        allow_subscribe_for_client: true,
        allow_subscribe_for_anonymous: true,
        allow_publish_for_subscriber: true,
        allow_publish_for_anonymous: true,
      },
    },
  });
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

describe('demo page', () => {
  it('connects, subscribes, shows API publications and publishes from the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${node.httpUrl}/?channel=demo`);
    await page.waitForSelector('#state.connected', { timeout: 10_000 });
    await page.click('#subscribe');
    await page.waitForFunction("document.querySelector('#substate')?.textContent === 'subscribed to demo'");

    expect((await node.api('publish', { channel: 'demo', data: { text: 'from the api' } })).json).toEqual({ result: {} });
    await page.waitForFunction("document.querySelector('#messages')?.textContent?.includes('from the api')");

    await page.fill('#text', 'from the page');
    await page.click('#publish');
    await page.waitForFunction("document.querySelector('#messages')?.textContent?.includes('from the page')");
    const items = await page.$$eval('#messages li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(items.some((t) => t.includes('anonymous') && t.includes('"text":"from the page"'))).toBe(true);
    await page.screenshot({ path: process.env['RINGCAST_DEMO_SCREENSHOT'] ?? '/tmp/ringcast-demo.png' });
    await page.close();
  });
});
