// Redis topologies a shard can be, built from real redis-server processes on loopback: a Sentinel-managed
// master (master, replica, three Sentinels) and a Redis Cluster of three masters.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { freeLoopbackPorts } from './kube-free-port.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

export interface SentinelShard {
  master: RedisServer;
  replica: RedisServer;
  sentinels: RedisServer[];
  masterName: string;
  /** `redis+sentinel://…?sentinel_master_name=…&addr=…` */
  address: string;
  /** Resolves once the replica has every write the master has acknowledged so far (same replication offset). */
  replicated(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSentinelShard(masterName = 'ringcast'): Promise<SentinelShard> {
  // No diskless-sync delay (5 s by default): the replica is in sync right away.
  const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port), '--repl-diskless-sync-delay', '0'] });
  await waitFor('the replica in sync with the master', async () => (await cli(replica.port, 'INFO', 'replication')).includes('master_link_status:up'), 20_000, 100);
  const ports = await freeLoopbackPorts(3);
  const sentinels = await Promise.all(
    ports.map((port) =>
      startRedisServer({
        port,
        sentinelConfig: [
          `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
          `sentinel down-after-milliseconds ${masterName} 1000`,
          `sentinel failover-timeout ${masterName} 5000`,
          '',
        ].join('\n'),
      }),
    ),
  );
  await waitFor('the Sentinels to know the master and the replica', async () => {
    const replies = await Promise.all(sentinels.map((s) => cli(s.port, 'SENTINEL', 'REPLICAS', masterName).catch(() => '')));
    return replies.every((r) => r.includes(String(replica.port)));
  }, 20_000, 200);
  const [first, ...rest] = sentinels;
  const extra = rest.map((s) => `&addr=127.0.0.1:${s.port}`).join('');
  return {
    master,
    replica,
    sentinels,
    masterName,
    address: `redis+sentinel://127.0.0.1:${first!.port}?sentinel_master_name=${masterName}${extra}`,
    async replicated() {
      // WAIT only covers the calling connection's own writes (none here), so compare replication offsets instead.
      // After a diskless sync the master streams to the replica only from its first ACK, up to a second later.
      const target = replicationOffset(await cli(master.port, 'INFO', 'replication'), 'master_repl_offset');
      await waitFor('the replica at the master\'s replication offset', async () =>
        replicationOffset(await cli(replica.port, 'INFO', 'replication'), 'slave_repl_offset') >= target, 10_000, 20);
    },
    async stop() {
      await Promise.all([...sentinels, replica, master].map((s) => s.stop()));
    },
  };
}

function replicationOffset(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (!match) throw new Error(`INFO replication has no ${field}`);
  return Number(match[1]);
}

export interface RedisClusterShard {
  nodes: RedisServer[];
  /** `redis+cluster://…?addr=…` */
  address: string;
  stop(): Promise<void>;
}

/** A Redis Cluster of `masters` masters (no replicas), slots spread by `redis-cli --cluster create`. */
export async function startRedisCluster(masters = 3): Promise<RedisClusterShard> {
  const nodes = await Promise.all(
    Array.from({ length: masters }, () =>
      startRedisServer({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'] }),
    ),
  );
  try {
    await run('redis-cli', [
      '--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes',
    ]);
    await waitFor('cluster_state:ok on every node', async () => {
      const infos = await Promise.all(nodes.map((n) => cli(n.port, 'CLUSTER', 'INFO').catch(() => '')));
      return infos.every((i) => i.includes('cluster_state:ok'));
    }, 20_000, 100);
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
  const [first, ...rest] = nodes;
  const query = rest.map((n) => `addr=127.0.0.1:${n.port}`).join('&');
  return {
    nodes,
    address: `redis+cluster://127.0.0.1:${first!.port}${query ? '?' + query : ''}`,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
