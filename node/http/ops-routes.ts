import type { TemplatedApp } from 'uWebSockets.js';
import type { Metrics } from '../../src/observability/metrics.js';
import { respond } from './respond.js';

/** `/health` answers `{}` while the node serves; `/metrics` is the Prometheus scrape endpoint. */
export function mountOps(
  app: TemplatedApp,
  metrics: Metrics,
  options: { healthPath: string | null; metricsPath: string | null },
): void {
  if (options.healthPath) {
    app.get(options.healthPath, (res) => {
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
