import { describe, expect, it } from 'vitest';
import {
  descriptorsFor,
  estimateMemory,
  fixedMemoryBytes,
  kernelNeeds,
  memoryPerConnection,
  parseMemAvailable,
  parseSysctl,
  portRangeRefusal,
  publishRateFor,
  subscribersPerChannel,
} from '../../../bench/million-plan.js';

const need = (key: string, connections = 1_000_000, spread = true) => {
  const found = kernelNeeds(connections, spread, 500).find((n) => n.key === key);
  if (!found) throw new Error(`no need ${key}`);
  return found;
};

describe('publishRateFor', () => {
  it('gives the publications/s whose fan-out reaches the delivery target', () => {
    // 1M clients over 1000 channels: 1000 subscribers each, so 500 publications/s give 500k deliveries/s.
    expect(publishRateFor(500_000, 1_000_000, 1000)).toBe(500);
    expect(publishRateFor(500_000, 100_000, 1000)).toBe(5000);
    expect(publishRateFor(1000, 200, 10)).toBe(50);
    expect(publishRateFor(500_000, 100_000, 1000) * subscribersPerChannel(100_000, 1000)).toBe(500_000);
  });
});

describe('estimateMemory', () => {
  const perConnection = memoryPerConnection.serverBytes + memoryPerConnection.generatorBytes + memoryPerConnection.kernelBytes;

  it('adds server, generator and kernel per connection plus the fixed part', () => {
    const e = estimateMemory(100_000, 64 * 2 ** 30);
    expect(e.perConnectionBytes).toBe(perConnection);
    expect(e.totalBytes).toBe(perConnection * 100_000 + fixedMemoryBytes);
    expect(e.refusal).toBeUndefined();
  });

  it('refuses with the numbers and the N that would fit when MemAvailable is short', () => {
    const available = 8 * 2 ** 30;
    const e = estimateMemory(1_000_000, available);
    expect(e.refusal).toMatch(/^1000000 connections need about [\d.]+ GiB/);
    expect(e.refusal).toMatch(/MemAvailable is 8\.0 GiB/);
    const fits = Math.floor((available - fixedMemoryBytes) / perConnection);
    expect(e.refusal).toContain(`holds about ${fits}`);
    expect(estimateMemory(fits, available).refusal).toBeUndefined();
    expect(estimateMemory(fits + 1, available).refusal).toBeDefined();
  });

  it('reads MemAvailable from /proc/meminfo', () => {
    expect(parseMemAvailable('MemTotal:       24683652 kB\nMemFree:  1 kB\nMemAvailable:   20609704 kB\n')).toBe(20609704 * 1024);
    expect(parseMemAvailable('MemTotal: 1 kB\n')).toBe(0);
  });
});

describe('kernelNeeds', () => {
  it('asks for descriptors, files for both ends and TCP memory scaled to N, and nothing already enough', () => {
    expect(descriptorsFor(1_000_000)).toBe(1_000_256);
    expect(need('fs/nr_open').raise([1_048_576])).toBeUndefined();
    expect(need('fs/nr_open').raise([1_000_000])).toEqual([1_000_256]);
    expect(need('fs/file-max').raise([1_000_000])).toEqual([2_065_536]);
    expect(need('fs/file-max').raise([Number.MAX_SAFE_INTEGER])).toBeUndefined();
    expect(need('net/core/somaxconn').raise([128])).toEqual([1024]);
    expect(need('net/core/somaxconn', 200).raise([128])).toEqual([200]);
    expect(need('net/ipv4/tcp_max_syn_backlog', 200).raise([1024])).toBeUndefined();
    expect(need('net/ipv4/tcp_mem').raise([287_898, 383_866, 575_796])).toEqual([287_898, 500_000, 1_000_000]);
    expect(need('net/ipv4/tcp_mem', 100_000).raise([287_898, 383_866, 575_796])).toBeUndefined();
    expect(need('net/netfilter/nf_conntrack_max').raise([262_144])).toEqual([1_065_536]);
  });

  it('widens the ephemeral port range only when it is narrow', () => {
    expect(need('net/ipv4/ip_local_port_range').raise([32_768, 60_999])).toBeUndefined();
    expect(need('net/ipv4/ip_local_port_range').raise([60_000, 61_000])).toEqual([1024, 65_535]);
    expect(need('net/ipv4/ip_local_port_range', 40_000, false).raise([32_768, 60_999])).toEqual([1024, 65_535]);
  });

  it('refuses N beyond one address\'s port range when sources are not spread', () => {
    expect(portRangeRefusal(1_000_000, true, [32_768, 60_999])).toBeUndefined();
    expect(portRangeRefusal(20_000, false, [32_768, 60_999])).toBeUndefined();
    expect(portRangeRefusal(100_000, false, [1024, 65_535])).toMatch(/gives 64512 \(1024-65535\)/);
  });

  it('parses /proc/sys values', () => {
    expect(parseSysctl('32768\t60999\n')).toEqual([32_768, 60_999]);
    expect(parseSysctl('1048576\n')).toEqual([1_048_576]);
  });
});
