import { describe, expect, it } from 'vitest';
import { RecoveryTracker, addRecoveryCounts, emptyRecoveryCounts } from '../../../bench/recovery-tracker.js';

describe('RecoveryTracker', () => {
  it('asks for recovery only once a position is known, from the last publication pushed', () => {
    const t = new RecoveryTracker();
    expect(t.subscribeFields(0, 0)).toBe(',"recoverable":true');
    t.subscribed(0, 0, { recoverable: true, epoch: 'e1', offset: 4 });
    t.published(0, 0, 5);
    t.published(0, 0, 3);
    expect(t.subscribeFields(0, 0)).toBe(',"recoverable":true,"recover":true,"epoch":"e1","offset":5');
    expect(t.subscribeFields(0, 1)).toBe(',"recoverable":true');
    expect(t.subscribeFields(1, 0)).toBe(',"recoverable":true');
    expect(t.snapshot()).toEqual(emptyRecoveryCounts());
  });

  it('counts recovered publications, gaps, and replies that did not recover', () => {
    const t = new RecoveryTracker();
    for (const i of [0, 1, 2, 3]) t.subscribed(i, 0, { recoverable: true, epoch: 'e', offset: 10 });
    t.subscribed(0, 0, { recoverable: true, epoch: 'e', offset: 12, recovered: true, publications: [{ offset: 11 }, { offset: 12 }] });
    t.subscribed(1, 0, { recoverable: true, epoch: 'e', offset: 13, recovered: true, publications: [{ offset: 11 }, { offset: 13 }] });
    t.subscribed(2, 0, { recoverable: true, epoch: 'f', offset: 1, recovered: false });
    t.subscribed(3, 0, undefined);
    expect(t.snapshot()).toEqual({ attempts: 4, recovered: 2, notRecovered: 2, publications: 4, gaps: 1 });
    // The reply's position replaces the saved one, whether or not it recovered.
    expect(t.subscribeFields(2, 0)).toBe(',"recoverable":true,"recover":true,"epoch":"f","offset":1');
    expect(t.subscribeFields(3, 0)).toContain('"offset":10');
  });

  it('adds counts field by field', () => {
    const a = { attempts: 1, recovered: 1, notRecovered: 0, publications: 2, gaps: 0 };
    expect(addRecoveryCounts(a, a)).toEqual({ attempts: 2, recovered: 2, notRecovered: 0, publications: 4, gaps: 0 });
  });
});
