import type { TemplatedApp } from 'uWebSockets.js';
import type { EngineHealth } from '../../src/engine/engine-health.js';
import type { Metrics } from '../../src/observability/metrics.js';
import { respond } from './respond.js';

/**
 * `/health` is readiness. It answers 503 while the node drains, and otherwise `{}` on the memory engine. On the
 * Redis engine it reports each shard (`{"ring_version":N,"shards":{"<name>":"ready"|"unavailable"}}`) and answers
 * 503 only while no shard is reachable: with some shards down the node still serves every channel on the others
 * (theirs get error 100), so taking it out of the Service would only make things worse. `<health>/live` answers as
 * long as the process does (liveness). `/metrics` is the Prometheus scrape endpoint.
 */
export function mountOps(
  app: TemplatedApp,
  metrics: Metrics,
  health: () => EngineHealth | undefined,
  notServing: () => string | null,
  options: { healthPath: string | null; metricsPath: string | null },
): void {
  if (options.healthPath) {
    app.get(options.healthPath, (res) => {
      const reason = notServing();
      const engine = reason ? undefined : health();
      let status = '200 OK';
      let body = '{}';
      if (reason) {
        status = '503 Service Unavailable';
        body = JSON.stringify({ status: reason });
      } else if (engine) {
        const shards: Record<string, string> = {};
        for (const shard of engine.shards) shards[shard.name] = shard.ready ? 'ready' : 'unavailable';
        if (!engine.ready) status = '503 Service Unavailable';
        body = JSON.stringify({ ring_version: engine.ringVersion ?? null, shards });
      }
      res.cork(() => res.writeStatus(status).writeHeader('Content-Type', 'application/json').end(body));
    });
    app.get(`${options.healthPath.replace(/\/+$/, '')}/live`, (res) => {
      res.cork(() => res.writeHeader('Content-Type', 'application/json').end('{}'));
    });
  }
  if (options.metricsPath) {
    app.get(options.metricsPath, (res) => {
      const guard = { aborted: false };
      res.onAborted(() => (guard.aborted = true));
      void metrics.registry.metrics().then(
        (text) => respond(res, guard, '200 OK', text, metrics.registry.contentType),
        () => respond(res, guard, '500 Internal Server Error', 'metrics collection failed', 'text/plain'),
      );
    });
  }
}
