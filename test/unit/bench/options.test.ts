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

describe('parseBenchArgs million', () => {
  it('defaults to a million connections, 1000 channels, 500k deliveries/s for 60 s', () => {
    const o = parseBenchArgs(['million', '--token-secret', 's']);
    expect(o.scenario).toBe('million');
    expect(o.connections).toBe(1_000_000);
    expect(o.channels).toBe(1000);
    expect(o.deliveries).toBe(500_000);
    expect(o.durationSeconds).toBe(60);
    expect(o.connectRate).toBe(5000);
  });

  it('keeps the other scenarios\' defaults and takes the million flags', () => {
    expect(parseBenchArgs(['idle', '--insecure']).connections).toBe(10_000);
    expect(parseBenchArgs(['latency', '--insecure']).durationSeconds).toBe(10);
    const o = parseBenchArgs(['million', '--insecure', '--connections', '100000', '--connect-rate', '2000', '--deliveries', '1e5', '--duration', '2']);
    expect([o.connections, o.connectRate, o.deliveries, o.durationSeconds]).toEqual([100_000, 2000, 100_000, 2]);
    expect(() => parseBenchArgs(['million', '--insecure', '--connect-rate', '0'])).toThrow(/--connect-rate/);
    expect(() => parseBenchArgs(['million', '--insecure', '--deliveries', 'lots'])).toThrow(/--deliveries/);
  });
});
