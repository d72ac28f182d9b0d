import { describe, expect, it } from 'vitest';

import { OperatorUsageError, parseOperatorArgs } from '../../../../operator/cli/operator-args.js';

describe('parseOperatorArgs', () => {
  it('takes flags over RINGCAST_OPERATOR_* variables over defaults', () => {
    const options = parseOperatorArgs(['--namespace', 'a', '--lease-duration', '20s'], {
      RINGCAST_OPERATOR_NAMESPACE: 'b',
      RINGCAST_OPERATOR_NODE_IMAGE: 'img:1',
      POD_NAMESPACE: 'ops',
    })!;
    expect(options.watchNamespace).toBe('a');
    expect(options.nodeImage).toBe('img:1');
    expect(options.leaderElection).toMatchObject({ namespace: 'ops', name: 'ringcast-operator', leaseDurationMs: 20_000, renewDeadlineMs: 10_000 });
    expect(options).toMatchObject({ opsHost: '0.0.0.0', opsPort: 8080, resyncMs: 300_000, clusterDomain: 'cluster.local' });
  });

  it('refuses inconsistent lease timings and unknown flags', () => {
    expect(() => parseOperatorArgs(['--lease-duration', '5s', '--renew-deadline', '10s'], {})).toThrow(OperatorUsageError);
    expect(() => parseOperatorArgs(['--bogus'], {})).toThrow(OperatorUsageError);
    expect(parseOperatorArgs(['--help'], {})).toBeNull();
  });
});
