import { callAdmin, callApi, describeError } from './admin-api.js';
import { h, replace, table } from './dom.js';
import { bytes, duration } from './format.js';
import type { NodeInfo, RingAnswer } from './types.js';

// Every node of the cluster and the ring of shards, refreshed live: shard health every second (read from this
// node's connections, no Redis round trip), nodes every 3 s (their heartbeat), channel counts every 5 s (a survey).

const healthEveryMs = 1000;
const nodesEveryMs = 3000;
const channelsEveryMs = 5000;

export function clusterPage(main: HTMLElement): () => void {
  const nodesBox = h('div', { id: 'nodes', 'aria-busy': 'true' }, 'Loading nodes…');
  const ringBox = h('div', { id: 'ring', 'aria-busy': 'true' }, 'Loading the ring…');
  const updated = h('p', { class: 'updated', id: 'updated' });
  replace(
    main,
    h('h1', {}, 'Cluster'),
    updated,
    h('section', { 'aria-labelledby': 'nodes-title' }, h('h2', { id: 'nodes-title' }, 'Nodes'), nodesBox),
    h('section', { 'aria-labelledby': 'ring-title' }, h('h2', { id: 'ring-title' }, 'Ring'), ringBox),
  );

  let ring: RingAnswer | undefined;
  let perShard: number[] | undefined;
  const stamp = (): void => {
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  };

  const showNodes = async (): Promise<void> => {
    const outcome = await callApi<{ nodes: NodeInfo[] }>('info', {});
    nodesBox.removeAttribute('aria-busy');
    if (!outcome.ok) return replace(nodesBox, h('p', { class: 'failed' }, describeError(outcome.error)));
    const nodes = [...outcome.result.nodes].sort((a, b) => a.name.localeCompare(b.name));
    replace(
      nodesBox,
      table(
        `${nodes.length} node${nodes.length === 1 ? '' : 's'}`,
        ['Name', 'Version', 'Uptime', 'Connections', 'Users', 'Subscriptions', 'Channels', 'Memory (RSS)', 'CPU'],
        nodes.map((node) => [
          h('span', { title: node.uid }, node.name),
          node.version,
          duration(node.uptime ?? 0),
          node.num_clients ?? 0,
          node.num_users ?? 0,
          node.num_subs ?? 0,
          node.num_channels ?? 0,
          bytes(node.process?.rss),
          node.process ? `${node.process.cpu.toFixed(1)} %` : '—',
        ]),
        'No nodes answered.',
      ),
    );
    stamp();
  };

  const showRing = (): void => {
    ringBox.removeAttribute('aria-busy');
    if (!ring) return;
    if (ring.engine !== 'redis' || !ring.ring) {
      const text =
        ring.engine === 'memory'
          ? 'Memory engine: this node is the whole cluster, there is no ring of shards.'
          : 'This engine has no ring of Redis shards.';
      replace(ringBox, h('p', {}, text));
      return;
    }
    const healthy = ring.ring.shards.filter((s) => s.ready).length;
    replace(
      ringBox,
      h('p', { class: 'ring-summary' }, `Ring version ${ring.ring.version}: ${healthy} of ${ring.ring.shards.length} shards healthy, as seen from ${ring.node}.`),
      table(
        'Shards',
        ['#', 'Shard', 'Address', 'Health', 'Channels'],
        ring.ring.shards.map((shard) => [
          shard.index,
          shard.name,
          h('code', {}, shard.address),
          h('span', { class: shard.ready ? 'badge healthy' : 'badge unhealthy', 'data-shard': shard.name }, shard.ready ? 'healthy' : 'unhealthy'),
          perShard ? (perShard[shard.index] ?? 0) : '…',
        ]),
        'The ring has no shards.',
      ),
    );
  };

  const refreshHealth = async (): Promise<void> => {
    ring = await callAdmin<RingAnswer>('ring');
    showRing();
    stamp();
  };
  const refreshChannels = async (): Promise<void> => {
    const answer = await callAdmin<RingAnswer>('ring', { channels: true });
    ring = answer;
    perShard = answer.channels_per_shard;
    showRing();
  };

  const failed = (err: unknown): void => {
    updated.textContent = `Refresh failed: ${String(err)}`;
  };
  const timers = [
    repeat(showNodes, nodesEveryMs, failed),
    repeat(refreshHealth, healthEveryMs, failed),
    repeat(refreshChannels, channelsEveryMs, failed),
  ];
  return () => timers.forEach((stop) => stop());
}

/** Runs `task` now and then again `everyMs` after each run ends (never two at once); returns a stop function. */
function repeat(task: () => Promise<void>, everyMs: number, failed: (err: unknown) => void): () => void {
  let stopped = false;
  let timer: number | undefined;
  const run = async (): Promise<void> => {
    try {
      await task();
    } catch (err) {
      failed(err);
    }
    if (!stopped) timer = window.setTimeout(run, everyMs);
  };
  void run();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
