import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPageConfig, launchChromium } from '../../helpers/chromium.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';

// The demo page in Debian's headless Chromium with the WebSocket transport switched off: the official
// browser bundle connects over SSE (EventSource) and sends its commands through POST /emulation.
let node: TestNode;
let browser: Browser;

beforeAll(async () => {
  node = await startTestNode({ ...demoPageConfig, websocket: { disabled: true }, sse: { enabled: true } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

describe('demo page over SSE', () => {
  it('connects over SSE with WebSocket disabled, subscribes, shows API publications and publishes', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.goto(`${node.httpUrl}/?transport=sse&channel=demo-sse`);
    await page.waitForSelector('#state.connected', { timeout: 10_000 });
    expect(await page.textContent('#client')).toContain(', sse)');
    expect(await page.textContent('#transport-name')).toBe('SSE');

    await page.click('#subscribe');
    await page.waitForFunction("document.querySelector('#substate')?.textContent === 'subscribed to demo-sse'");
    expect((await node.api('publish', { channel: 'demo-sse', data: { text: 'from the api' } })).json).toEqual({ result: {} });
    await page.waitForFunction("document.querySelector('#messages')?.textContent?.includes('from the api')");

    await page.fill('#text', 'from the page');
    await page.click('#publish');
    await page.waitForFunction("document.querySelector('#messages')?.textContent?.includes('from the page')");
    const items = await page.$$eval('#messages li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(items.some((t) => t.includes('anonymous') && t.includes('"text":"from the page"'))).toBe(true);

    expect(requests.some((r) => r.startsWith('GET /connection/sse'))).toBe(true);
    expect(requests).toContain('POST /emulation');
    expect(requests.some((r) => r.includes('/connection/websocket'))).toBe(false);
    await page.screenshot({ path: process.env['RINGCAST_DEMO_SSE_SCREENSHOT'] ?? '/tmp/ringcast-demo-sse.png' });
    await page.close();
  });
});
