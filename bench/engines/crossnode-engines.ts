// Cross-node fan-out per engine: for Redis, NATS and Tarantool in turn, starts the backend and two Ringcast
// nodes on it (all pinned to core 0; niced -10 as root, as `make bench` does), subscribes 100 channels x 50
// clients on node B, publishes through node A's API (`ringcast bench crossnode` with the load `make bench` uses
// for its Redis rows), and writes the ceiling of each run to test/bench/results/engines-crossnode.md. Run after
// `make build`, pinned to the other core:
//   taskset -c 1 npx tsx bench/engines/crossnode-engines.ts [--engines redis,nats,tarantool] [--quick]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { cpus, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBenchArgs } from '../options.js';
import { runScenario } from '../run-bench.js';
import type { CrossNodeData } from '../scenarios/crossnode.js';

const secret = 'bench-secret-0123456789abcdef0123456789';
const apiKey = 'bench-api-key';
const serverCpus = '0';

interface Proc {
  name: string;
  child: ChildProcess;
}

const procs: Proc[] = [];

// As root, the servers run at nice -10 so other work on the machine disturbs the figures less.
const niced = process.getuid?.() === 0 ? ['nice', '-n', '-10'] : [];

function start(name: string, command: string, args: string[], cwd?: string): Proc {
  const child = spawn('taskset', ['-c', serverCpus, ...niced, command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd });
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
  child.on('exit', (code) => {
    if (code && code !== 0 && !stopping) process.stderr.write(`${name} exited ${code}: ${tail}\n`);
  });
  const proc = { name, child };
  procs.push(proc);
  return proc;
}

let stopping = false;
async function stopAll(): Promise<void> {
  stopping = true;
  for (const proc of procs.splice(0).reverse()) {
    proc.child.kill('SIGTERM');
    await new Promise((resolve) => {
      if (proc.child.exitCode !== null) resolve(undefined);
      else proc.child.once('exit', resolve);
    });
  }
  stopping = false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

interface Backend {
  config: Record<string, unknown>;
  pid: number;
  /** Redis only: where the bench reads the command counter. */
  redisAddress?: string;
}

/** Starts the backend; returns the engine config for the nodes. */
async function startBackend(engine: string, dir: string): Promise<Backend> {
  const port = await freePort();
  if (engine === 'redis') {
    const proc = start('redis-server', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
    await until('redis-server', () => listening(port));
    const address = `redis://127.0.0.1:${port}`;
    return { config: { engine: { type: 'redis', redis: { address: [address] } } }, pid: proc.child.pid!, redisAddress: address };
  }
  if (engine === 'nats') {
    const proc = start('nats-server', 'nats-server', ['-a', '127.0.0.1', '-p', String(port)]);
    await until('nats-server', () => listening(port));
    return { config: { engine: { type: 'nats' }, broker: { nats: { url: `nats://127.0.0.1:${port}` } } }, pid: proc.child.pid! };
  }
  const init = join(dir, 'init.lua');
  writeFileSync(
    init,
    `box.cfg{listen = '127.0.0.1:${port}', work_dir = '${dir}', memtx_memory = 256 * 1024 * 1024, wal_mode = 'write'}\n` +
      `box.once('bench', function() box.schema.user.create('bench', {password = 'bench'}) box.schema.user.grant('bench', 'super') end)\n`,
  );
  const proc = start('tarantool', 'tarantool', [init], dir);
  await until('tarantool', () => listening(port));
  const config = { engine: { type: 'tarantool', tarantool: { address: [`127.0.0.1:${port}`], user: 'bench', password: 'bench' } } };
  return { config, pid: proc.child.pid! };
}

async function startNode(name: string, engineConfig: Record<string, unknown>, history: boolean, dir: string): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const file = join(dir, `${name}.json`);
  const namespaces = history ? [{ name: 'hist', history_size: 100, history_ttl: '300s', allow_subscribe_for_client: true }] : [];
  writeFileSync(
    file,
    JSON.stringify({
      http_server: { address: '127.0.0.1', port },
      client: { token: { hmac_secret_key: secret } },
      http_api: { key: apiKey },
      log: { level: 'warn' },
      node: { name },
      channel: { without_namespace: { allow_subscribe_for_client: true }, namespaces },
      ...engineConfig,
    }),
  );
  const proc = start(name, process.execPath, ['dist/node/cli/main.js', 'serve', '--config', file]);
  await until(`node ${name}`, async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
    } catch {
      return false;
    }
  });
  return { port, pid: proc.child.pid! };
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

interface Row {
  engine: string;
  history: boolean;
  data: CrossNodeData;
  loadBefore: string;
  clientBound: boolean;
}

async function measure(engine: string, history: boolean, quick: boolean): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), `ringcast-crossnode-${engine}-`));
  try {
    const backend = await startBackend(engine, dir);
    const a = await startNode('publisher', backend.config, history, dir);
    const b = await startNode('subscriber', backend.config, history, dir);
    // Both nodes know each other before the load starts.
    await until('cluster of 2', async () => {
      const res = await fetch(`http://127.0.0.1:${a.port}/api/info`, { method: 'POST', headers: { 'X-API-Key': apiKey }, body: '{}' });
      return ((await res.json()) as { result: { nodes: unknown[] } }).result.nodes.length === 2;
    });
    const loadBefore = loadAverage();
    // The load of `make bench`'s crossnode rows (bench/suite/run-suite.ts), so the figures sit beside them.
    const args = [
      'crossnode',
      '--url', `ws://127.0.0.1:${b.port}/connection/websocket`,
      '--api-url', `http://127.0.0.1:${a.port}/api`,
      '--api-key', apiKey,
      '--token-secret', secret,
      '--server-pid', String(b.pid),
      '--publisher-pid', String(a.pid),
      // The backend's CPU per publication (the option is named for Redis, the measure is any process's).
      '--redis-pids', String(backend.pid),
      ...(backend.redisAddress ? ['--redis-addresses', backend.redisAddress] : []),
      '--history', history ? 'on' : 'off',
      '--label', `${engine}${history ? ' +history' : ''}`,
      '--channels', '100', '--per-channel', '50', '--batch', '20', '--parallel-batch',
      '--api-connections', '32', '--api-window', '1',
      '--step-seconds', quick ? '1' : '3', '--ramp-factor', '1.6', '--start-rate', quick ? '20000' : '50000', '--max-steps', quick ? '5' : '8',
      '--read-interval', '10', '--quiet',
    ];
    const result = await runScenario(parseBenchArgs(args), `ringcast bench ${args.join(' ')}`);
    return { engine, history, data: result.data as CrossNodeData, loadBefore, clientBound: result.clientBound };
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  // The generator too, as `make bench` does.
  if (niced.length > 0) setPriority(-10);
  const { values } = parseArgs({ options: { engines: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } } });
  const engines = (values.engines ?? 'redis,nats,tarantool').split(',');
  const rows: Row[] = [];
  for (const engine of engines) {
    for (const history of engine === 'nats' ? [false] : [false, true]) {
      process.stderr.write(`crossnode ${engine} history ${history ? 'on' : 'off'}\n`);
      rows.push(await measure(engine, history, values.quick === true));
    }
  }
  const lines = [
    '# Cross-node fan-out per engine',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node.js ${process.version}.`,
    `Publisher node A, subscriber node B and the backend pinned to core 0, the generator on core 1${niced.length ? ', all at nice -10' : ''}.`,
    '`ringcast bench crossnode` with the load of `make bench`\'s crossnode rows: 100 channels x 50 subscribers on node B,',
    'publications round-robin through node A\'s HTTP API (parallel batches of 20, 32 connections, one request in flight each),',
    'after a warm-up, 3 s steps from 1,000 publications/s growing 1.6x until saturation. The figure is the step with the most',
    'deliveries per second. Command: `taskset -c 1 npx tsx bench/engines/crossnode-engines.ts`.',
    '',
    '| engine | history | deliveries/s | publications/s | node B CPU µs/delivery | node A CPU µs/publication | backend CPU µs/publication | delivery p50 / p99 ms | load avg before | generator-bound |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const c = row.data.ceiling;
    lines.push(
      `| ${row.engine} | ${row.history ? 'on' : 'off'} | ${fmt(c?.deliveriesPerSecond)} | ${fmt(c?.publishedPerSecond)} | ${fmt(c?.serverCpuUsPerDelivery, 2)} | ${fmt(c?.cluster?.publisherCpuUsPerPublication, 1)} | ${fmt(c?.cluster?.redisCpuUsPerPublication, 1)} | ${fmt((c?.deliveryLatency.p50 ?? NaN) / 1000, 1)} / ${fmt((c?.deliveryLatency.p99 ?? NaN) / 1000, 1)} | ${row.loadBefore} | ${row.clientBound ? 'yes ⚠︎' : 'no'} |`,
    );
  }
  const out = values.out ?? 'test/bench/results/engines-crossnode.md';
  writeFileSync(out, lines.join('\n') + '\n');
  process.stdout.write(lines.join('\n') + '\n');
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
main().catch(async (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  await stopAll();
  process.exit(1);
});
