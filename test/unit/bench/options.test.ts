import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from '../../../bench/options.js';

describe('parseBenchArgs', () => {
  it('derives the API and metrics URLs from the WebSocket URL', () => {
    const o = parseBenchArgs(['fanout', '--url', 'ws://127.0.0.1:9000/connection/websocket', '--insecure', '--subscribers', '10, 20']);
    expect(o.scenario).toBe('fanout');
    expect(o.apiUrl).toBe('http://127.0.0.1:9000/api');
    expect(o.metricsUrl).toBe('http://127.0.0.1:9000/metrics');
    expect(o.auth).toEqual({ kind: 'insecure' });
    expect(o.subscribers).toEqual([10, 20]);
  });

  it('requires exactly one way to authenticate clients', () => {
    expect(() => parseBenchArgs(['idle'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['idle', '--insecure', '--token-secret', 's'])).toThrow(BenchUsageError);
    expect(parseBenchArgs(['idle', '--token-secret', 's']).auth).toEqual({ kind: 'token', secret: 's' });
  });

  it('rejects unknown scenarios, unknown flags and bad numbers with a usage error', () => {
    expect(() => parseBenchArgs(['nope', '--insecure'])).toThrow(/unknown scenario/);
    expect(() => parseBenchArgs(['idle', '--insecure', '--bogus'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['idle', '--insecure', '--connections', '1.5'])).toThrow(/--connections/);
    expect(() => parseBenchArgs(['api', '--insecure', '--history', 'maybe'])).toThrow(/--history/);
    expect(() => parseBenchArgs(['api', '--insecure', '--ramp-factor', '1'])).toThrow(/--ramp-factor/);
  });
});
