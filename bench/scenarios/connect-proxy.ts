import { sleep } from '../clock.js';
import type { BenchContext } from '../context.js';
import { roundSummary } from '../context.js';
import { CpuMeter } from '../cpu-meter.js';
import type { PercentileSummary } from '../histogram.js';
import { formatRate } from '../progress.js';
import { startBenchProxyBackend, type ProxyBackendKind } from '../proxy-backend.js';
import { SubscriberPool } from '../subscriber-pool.js';
import type { ClientSpec } from '../subscribers.js';
import type { ScenarioOutcome } from './scenario.js';

export interface ConnectProxyData {
  backend: ProxyBackendKind;
  connections: number;
  ready: number;
  failed: number;
  connectSeconds: number;
  /** Connections authenticated by the connect proxy per second (socket open to connect reply, all in flight). */
  connectsPerSecond: number;
  /** Socket open to connect reply, µs. */
  setupLatency: PercentileSummary;
  /** Server CPU (fraction of a core) while connecting, and per connect. */
  serverCpu: number;
  serverCpuUsPerConnect: number;
  /** Requests the backend answered (one per connect) and its CPU (fraction of a core) meanwhile. */
  backendRequests: number;
  backendCpu: number;
  /** Generator CPU (fraction of a core) meanwhile; it shares its core with the backend. */
  connectGeneratorCpu: number;
}

/**
 * Connects through a connect proxy: N clients connect without a token, so the server asks the backend (started
 * here, in its own process, answering at once with a fixed user) about each one. The server must be configured
 * with `client.proxy.connect` pointing at the backend (`--proxy-backend-port` fixes its port for that). Measures
 * connects per second and server CPU per connect; generator and backend share the generator's core, and their sum
 * decides whether the run was client-bound.
 */
export async function runConnectProxy(ctx: BenchContext): Promise<ScenarioOutcome<ConnectProxyData>> {
  const o = ctx.options;
  const backend = await startBenchProxyBackend(o.proxyBackend, o.proxyBackendPort);
  ctx.progress.log(`  connect-proxy: ${o.proxyBackend} backend at ${backend.endpoint}`, o.quiet);
  try {
    const pool = new SubscriberPool({ target: ctx.ws, auth: { kind: 'insecure' }, concurrency: o.concurrency, spreadSources: o.spreadSources });
    const specs: ClientSpec[] = Array.from({ length: o.connections }, (_, i) => ({ user: `proxied-${i}`, channels: [] }));
    await pool.add(specs);
    // A short warm-up: the server's first proxy calls open its connections to the backend.
    const warm = Math.min(200, o.connections);
    await pool.connect(0, warm, o.connectTimeoutSeconds * 1000);
    await pool.closeAll();
    await sleep(500);

    const backend0 = await backend.stats();
    const cpu0 = await ctx.probe.cpuSeconds();
    const meter = new CpuMeter();
    const progress = setInterval(() => ctx.progress.update(`connect-proxy: ${pool.live}/${o.connections} connected`), 500);
    const opened = await pool.connect(0, o.connections, o.connectTimeoutSeconds * 1000);
    clearInterval(progress);
    const generatorCpu = meter.lap();
    const serverCpu = ((await ctx.probe.cpuSeconds()) - cpu0) / opened.seconds;
    const backend1 = await backend.stats();
    const backendCpu = (backend1.cpuSeconds - backend0.cpuSeconds) / opened.seconds;
    ctx.progress.log(
      `  connect-proxy: ${opened.ready} connected through the ${o.proxyBackend} proxy in ${opened.seconds.toFixed(2)} s (${formatRate(opened.ratePerSecond)}/s), ${opened.failed} failed`,
      o.quiet,
    );
    const problems = await pool.problems();
    if (opened.failed + opened.pending > 0) problems.unshift(`${opened.failed} clients failed, ${opened.pending} not ready in time`);
    await pool.closeAll();
    await sleep(300);
    return {
      // The backend runs on the generator's core: together they are the client side of this run.
      generatorCpu: generatorCpu + backendCpu,
      problems,
      data: {
        backend: o.proxyBackend,
        connections: o.connections,
        ready: opened.ready,
        failed: opened.failed,
        connectSeconds: Math.round(opened.seconds * 1000) / 1000,
        connectsPerSecond: Math.round(opened.ratePerSecond),
        setupLatency: roundSummary(opened.setup),
        serverCpu: Math.round(serverCpu * 1000) / 1000,
        serverCpuUsPerConnect: opened.ready > 0 ? Math.round((serverCpu * opened.seconds * 1e6) / opened.ready) : 0,
        backendRequests: backend1.requests - backend0.requests,
        backendCpu: Math.round(backendCpu * 1000) / 1000,
        connectGeneratorCpu: Math.round(generatorCpu * 1000) / 1000,
      },
    };
  } finally {
    await backend.stop();
  }
}
