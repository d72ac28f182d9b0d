import { describe, expect, it } from 'vitest';
import { parsePrometheus, parseSockStat, sumPrometheus } from '../../../bench/server-probe.js';

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
