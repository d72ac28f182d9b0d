import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminConfig, artifactPath, connectedClient, logIn, type SdkClient } from '../../helpers/admin-ui.js';
import { launchChromium } from '../../helpers/chromium.js';
import { channelsOnShard, startTestCluster, type TestCluster } from '../../helpers/test-cluster.js';

// The admin UI on a Redis ring: two real redis-server shards, two nodes. The cluster page of either node lists
// both nodes (with their memory, carried in the node heartbeats) and both shards with their channel counts; a
// stopped shard turns unhealthy on the page within the heartbeat interval (3 s) and healthy again when it is back.
let cluster: TestCluster;
let browser: Browser;
const clients: SdkClient[] = [];

/** Centrifuge's node info heartbeat interval, which the page's refresh must beat. */
const heartbeatMs = 3000;

beforeAll(async () => {
  cluster = await startTestCluster(2, 2, {
    ...adminConfig,
    channel: { without_namespace: { allow_subscribe_for_client: true } },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await browser?.close();
  await cluster?.stop();
});

async function openCluster(index: number): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await logIn(page, cluster.nodes[index]!.httpUrl);
  await page.locator('#nodes tbody tr').first().waitFor();
  return page;
}

async function shardRows(page: Page): Promise<string[][]> {
  const rows = page.locator('#ring tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push(await rows.nth(i).locator('td').allTextContents());
  return out;
}

describe('admin UI on the Redis ring', () => {
  it('lists every node and every shard, with channels per shard, on the cluster page of any node', async () => {
    // Two channels on shard 0 and three on shard 1, subscribed from clients on different nodes.
    const onShard0 = channelsOnShard('ring-a-', 0, 2, 2);
    const onShard1 = channelsOnShard('ring-b-', 1, 2, 3);
    for (const [i, channel] of [...onShard0, ...onShard1].entries()) {
      const { client } = await connectedClient(cluster.nodes[i % 2]!.wsUrl, `user-${i}`);
      clients.push(client);
      const sub = client.newSubscription(channel);
      const ready = new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
      sub.subscribe();
      await ready;
    }
    for (const index of [0, 1]) {
      const page = await openCluster(index);
      await expect.poll(() => page.locator('#nodes tbody tr').count(), { timeout: 10_000 }).toBe(2);
      const nodes = await page.locator('#nodes tbody tr').allTextContents();
      expect(nodes.map((row) => row.slice(0, 6))).toEqual(['node-a', 'node-b']);
      // Memory for both nodes: the other node's comes with its heartbeat.
      for (const row of nodes) expect(row).toMatch(/\d+(\.\d)? MiB/);
      const shardNames = cluster.redis.map((r) => r.url);
      await page.locator('#ring tbody tr').first().waitFor();
      await expect.poll(() => page.locator('#ring tbody tr td:last-child', { hasText: '…' }).count(), { timeout: 15_000 }).toBe(0);
      const rows = await shardRows(page);
      expect(rows.map((cells) => [cells[0], cells[2], cells[3], cells[4]])).toEqual([
        ['0', shardNames[0], 'healthy', '2'],
        ['1', shardNames[1], 'healthy', '3'],
      ]);
      await page.screenshot({ path: artifactPath(`ring-node-${index === 0 ? 'a' : 'b'}.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('shows the shard a channel lives on', async () => {
    const page = await openCluster(1);
    const channel = channelsOnShard('ring-b-', 1, 2, 1)[0]!;
    await page.goto(`${cluster.nodes[1]!.httpUrl}/admin/#/channels/${encodeURIComponent(channel)}`);
    await page.locator('#channel-shard').waitFor();
    await expect(page.locator('#channel-shard').textContent()).resolves.toBe(cluster.redis[1]!.url);
    await page.goto(`${cluster.nodes[1]!.httpUrl}/admin/#/channels?pattern=ring-*`);
    await expect.poll(() => page.locator('#channel-results tbody tr').count(), { timeout: 10_000 }).toBe(5);
    const shards = await page.locator('#channel-results tbody tr td:nth-child(3)').allTextContents();
    expect(shards.filter((s) => s === cluster.redis[0]!.url)).toHaveLength(2);
    expect(shards.filter((s) => s === cluster.redis[1]!.url)).toHaveLength(3);
    await page.screenshot({ path: artifactPath('ring-channels.png'), fullPage: true });
    await page.context().close();
  });

  it("lists a user's connections on both nodes", async () => {
    for (const node of cluster.nodes) clients.push((await connectedClient(node.wsUrl, 'roaming-user', `on-${node.port}`)).client);
    const page = await openCluster(0);
    await page.goto(`${cluster.nodes[0]!.httpUrl}/admin/#/connections?user=roaming-user`);
    await expect.poll(() => page.locator('#connection-results tbody tr').count(), { timeout: 10_000 }).toBe(2);
    const rows = await page.locator('#connection-results tbody tr').allTextContents();
    for (const node of cluster.nodes) expect(rows.some((row) => row.includes(`on-${node.port}`))).toBe(true);
    await page.context().close();
  });

  it('turns a stopped shard unhealthy within the heartbeat interval, and healthy when it is back', async () => {
    const page = await openCluster(1);
    const shard = cluster.redis[1]!.url;
    const badge = (state: string): string => `#ring .badge.${state}[data-shard="${shard}"]`;
    await page.locator(badge('healthy')).waitFor();
    await cluster.redis[1]!.kill();
    const stoppedAt = Date.now();
    await page.locator(badge('unhealthy')).waitFor({ timeout: heartbeatMs });
    const shownAfterMs = Date.now() - stoppedAt;
    console.log(`a stopped shard showed unhealthy on the cluster page after ${shownAfterMs} ms`);
    expect(await page.locator('#ring .badge.healthy').count()).toBe(1);
    await expect(page.locator('.ring-summary').textContent()).resolves.toContain('1 of 2 shards healthy');
    await page.screenshot({ path: artifactPath('ring-shard-down.png'), fullPage: true });
    await cluster.redis[1]!.start();
    await page.locator(badge('healthy')).waitFor({ timeout: 15_000 });
    await page.context().close();
  });
});
