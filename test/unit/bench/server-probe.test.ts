import { describe, expect, it } from 'vitest';
import { gcWindow, parseGcPauses, parsePrometheus, parseSockStat, sumPrometheus } from '../../../bench/server-probe.js';

describe('parseSockStat', () => {
  it('reads TCP sockets in use, buffer pages and sockets used', () => {
    const text = 'sockets: used 2310\nTCP: inuse 2004 orphan 0 tw 12 alloc 2010 mem 37\nUDP: inuse 1 mem 2\n';
    expect(parseSockStat(text)).toEqual({ tcpInUse: 2004, tcpMemPages: 37, socketsUsed: 2310 });
  });
});

describe('parsePrometheus', () => {
  it('takes the first sample of each wanted metric and skips comments and others', () => {
    const text = [
      '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
      '# TYPE process_cpu_seconds_total counter',
      'process_cpu_seconds_total 12.5',
      'nodejs_heap_size_used_bytes 1.5e+07',
      'ringcast_node_connections{node="a"} 10',
      'go_memstats_heap_inuse_bytes{x="1"} 42',
      'go_memstats_heap_inuse_bytes{x="2"} 43',
    ].join('\n');
    const m = parsePrometheus(text, ['process_cpu_seconds_total', 'nodejs_heap_size_used_bytes', 'go_memstats_heap_inuse_bytes']);
    expect(m.get('process_cpu_seconds_total')).toBe(12.5);
    expect(m.get('nodejs_heap_size_used_bytes')).toBe(15_000_000);
    expect(m.get('go_memstats_heap_inuse_bytes')).toBe(42);
    expect(m.has('ringcast_node_connections')).toBe(false);
  });
});

describe('sumPrometheus', () => {
  it('adds every label set of one metric and ignores metrics whose names only start the same', () => {
    const text = [
      '# TYPE ringcast_transport_writes_total counter',
      'ringcast_transport_writes_total{transport="websocket"} 10',
      'ringcast_transport_writes_total{transport="sse"} 2.5',
      'ringcast_transport_writes_total_extra 100',
    ].join('\n');
    expect(sumPrometheus(text, 'ringcast_transport_writes_total')).toBe(12.5);
    expect(sumPrometheus(text, 'ringcast_transport_messages_sent_total')).toBeUndefined();
  });
});

describe('GC pauses', () => {
  const node = (scavenge: number[], major: number[], sum: number): string => {
    const bounds = ['0.001', '0.01', '0.1'];
    const lines: string[] = [];
    for (const [kind, counts] of [['minor', scavenge], ['major', major]] as const) {
      bounds.forEach((le, i) => lines.push(`nodejs_gc_duration_seconds_bucket{le="${le}",kind="${kind}"} ${counts[i]}`));
      lines.push(`nodejs_gc_duration_seconds_bucket{le="+Inf",kind="${kind}"} ${counts[2]}`);
      lines.push(`nodejs_gc_duration_seconds_count{kind="${kind}"} ${counts[2]}`);
    }
    lines.push(`nodejs_gc_duration_seconds_sum{kind="minor"} ${sum}`, `nodejs_gc_duration_seconds_sum{kind="major"} 0`);
    return lines.join('\n');
  };

  it("reads Node's histogram over all kinds and takes the window's p99 bucket bound", () => {
    const a = parseGcPauses(node([10, 10, 10], [0, 0, 0], 0.005))!;
    // 100 more pauses: 98 under 1 ms, one under 10 ms (major), one under 100 ms.
    const b = parseGcPauses(node([108, 108, 109], [0, 1, 1], 0.075))!;
    expect(b.count).toBe(110);
    const w = gcWindow(a, b, 2);
    expect(w.pauses).toBe(100);
    expect(w.pauseMsPerSecond).toBe(35);
    expect(w.meanPauseMs).toBe(0.7);
    expect(w.p99PauseMsAtMost).toBe(10);
    expect(w.maxPauseMsAtMost).toBe(100);
  });

  it("reads Go's summary as count and sum only", () => {
    const text = [
      'go_gc_duration_seconds{quantile="0.5"} 0.0001',
      'go_gc_duration_seconds_sum 0.25',
      'go_gc_duration_seconds_count 50',
    ].join('\n');
    const before = parseGcPauses(text)!;
    const after = parseGcPauses(text.replace('_sum 0.25', '_sum 0.35').replace('_count 50', '_count 60'))!;
    const w = gcWindow(before, after, 1);
    expect(w).toEqual({ pauses: 10, pauseMsPerSecond: 100, meanPauseMs: 10 });
  });

  it('is undefined when the server exposes no GC metric', () => {
    expect(parseGcPauses('process_cpu_seconds_total 1')).toBeUndefined();
  });
});
