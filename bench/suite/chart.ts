import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { FanoutData } from '../scenarios/fanout.js';
import type { LatencyData } from '../scenarios/latency.js';
import type { SuiteReport } from './suite-types.js';

interface Row {
  server: string;
  panel: string;
  x: string;
  value: number;
}

/** The rows the chart plots: fan-out ceiling and CPU per delivery by subscribers, latency percentiles. */
export function chartRows(report: SuiteReport): Row[] {
  const rows: Row[] = [];
  for (const run of report.runs) {
    if (run.scenario === 'fanout') {
      for (const level of (run.result.data as FanoutData).levels) {
        const c = level.ceiling;
        if (!c) continue;
        rows.push({ server: run.kind, panel: 'fan-out deliveries/s (thousands)', x: String(level.subscribers), value: c.deliveriesPerSecond / 1000 });
        rows.push({ server: run.kind, panel: 'server CPU-µs per delivery', x: String(level.subscribers), value: c.serverCpuUsPerDelivery });
      }
    }
    // The common-rate latency runs: same load for every server, and within the generator's budget.
    if (run.scenario === 'latency' && run.variant === 'common') {
      const l = (run.result.data as LatencyData).measured.deliveryLatency;
      for (const [x, v] of [['p50', l.p50], ['p90', l.p90], ['p99', l.p99], ['p99.9', l.p999]] as const) {
        rows.push({ server: run.kind, panel: 'delivery latency, common rate (ms)', x, value: v / 1000 });
      }
    }
  }
  return rows;
}

function panel(rows: Row[], title: string, xTitle: string, log = false): object {
  return {
    title,
    width: 200,
    height: 200,
    data: { values: rows.filter((r) => r.panel === title) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: xTitle, sort: null },
      xOffset: { field: 'server' },
      y: { field: 'value', type: 'quantitative', aggregate: 'median', title: null, ...(log ? { scale: { type: 'symlog' } } : {}) },
      color: { field: 'server', type: 'nominal', scale: { domain: ['ringcast', 'centrifugo'], range: ['#d95f02', '#1b9e77'] } },
    },
  };
}

/** An SVG with three panels, rendered by Vega-Lite in Node (no canvas needed for SVG). */
export async function renderChart(report: SuiteReport): Promise<string> {
  const rows = chartRows(report);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Ringcast ${report.machine.ringcast}${report.machine.centrifugo ? ` vs ${report.machine.centrifugo}` : ''} — one core each (${report.machine.cpuModel})`,
    hconcat: [
      panel(rows, 'fan-out deliveries/s (thousands)', 'subscribers'),
      panel(rows, 'server CPU-µs per delivery', 'subscribers'),
      panel(rows, 'delivery latency, common rate (ms)', 'percentile', true),
    ],
    config: { font: 'sans-serif', legend: { orient: 'bottom' } },
  } as unknown as TopLevelSpec;
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
