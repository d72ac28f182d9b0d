import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPageConfig, launchChromium } from '../../helpers/chromium.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';

// Drives the demo page in Debian's headless Chromium: the page loads the official centrifuge browser bundle
// from this node, connects, subscribes, shows a publication sent through the HTTP API and publishes itself.
let node: TestNode;
let browser: Browser;

beforeAll(async () => {
  node = await startTestNode(demoPageConfig);
  browser = await launchChromium();
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
