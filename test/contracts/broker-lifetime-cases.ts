import { describe, expect } from 'vitest';
import { featureCase, type NotApplicable } from './broker-features.js';
import type { BrokerContext } from './broker-context.js';
import { bytes, text, uniqueChannel } from './engine-fixture.js';

export function brokerLifetimeCases(get: () => BrokerContext, notApplicable: NotApplicable = {}): void {
  describe('stream lifetime', () => {
    featureCase(get, notApplicable, 'history', 'expires publications historyTtl after the last publish and keeps the position', async () => {
      const { broker, advance, unit } = get();
      const channel = uniqueChannel('ttl');
      const options = { historySize: 10, historyTtlMs: unit, historyMetaTtlMs: 100 * unit };
      const first = await broker.publish(channel, bytes('1'), options);
      await advance(0.6 * unit);
      await broker.publish(channel, bytes('2'), options);
      await advance(0.6 * unit);
      // 1.2 units after the first publish, 0.6 after the last: the whole stream is still there.
      let slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications.map((p) => text(p.data))).toEqual(['1', '2']);
      await advance(unit);
      slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications).toEqual([]);
      expect(slice.position).toEqual({ offset: 2, epoch: first.epoch });
      const next = await broker.publish(channel, bytes('3'), options);
      expect(next).toEqual({ offset: 3, epoch: first.epoch, suppressed: false });
    });

    featureCase(get, notApplicable, 'history', 'starts a new epoch at offset 1 once the meta expired', async () => {
      const { broker, advance, unit } = get();
      const channel = uniqueChannel('meta-ttl');
      const options = { historySize: 10, historyTtlMs: unit, historyMetaTtlMs: 2 * unit };
      await broker.publish(channel, bytes('1'), options);
      const old = await broker.publish(channel, bytes('2'), options);
      await advance(3 * unit);
      const fresh = await broker.publish(channel, bytes('3'), options);
      expect(fresh.offset).toBe(1);
      expect(fresh.epoch).not.toBe('');
      expect(fresh.epoch).not.toBe(old.epoch);
      const slice = await broker.history(channel, { filter: { limit: -1 }, metaTtlMs: 2 * unit });
      expect(slice.position).toEqual({ offset: 1, epoch: fresh.epoch });
      expect(slice.publications.map((p) => text(p.data))).toEqual(['3']);
    });

    featureCase(get, notApplicable, 'history', 'reports a new epoch at offset 0 when read after the meta expired', async () => {
      const { broker, advance, unit } = get();
      const channel = uniqueChannel('meta-ttl-read');
      const old = await broker.publish(channel, bytes('1'), {
        historySize: 10,
        historyTtlMs: unit,
        historyMetaTtlMs: 2 * unit,
      });
      await advance(3 * unit);
      const slice = await broker.history(channel, { filter: { limit: -1 }, metaTtlMs: 2 * unit });
      expect(slice.publications).toEqual([]);
      expect(slice.position.offset).toBe(0);
      expect(slice.position.epoch).not.toBe(old.epoch);
    });

    featureCase(get, notApplicable, 'history', 'keeps the meta alive while the stream is read', async () => {
      const { broker, advance, unit } = get();
      const channel = uniqueChannel('meta-read');
      const metaTtlMs = 2 * unit;
      const options = { historySize: 10, historyTtlMs: unit, historyMetaTtlMs: metaTtlMs };
      const first = await broker.publish(channel, bytes('1'), options);
      await advance(1.2 * unit);
      await broker.history(channel, { filter: { limit: 0 }, metaTtlMs });
      await advance(1.2 * unit);
      // 2.4 units after the publish, 1.2 after the read.
      const slice = await broker.history(channel, { filter: { limit: 0 }, metaTtlMs });
      expect(slice.position).toEqual({ offset: 1, epoch: first.epoch });
    });

    featureCase(get, notApplicable, 'history', 'removeHistory drops the publications and keeps epoch and offset', async () => {
      const { broker } = get();
      const channel = uniqueChannel('remove');
      const options = { historySize: 10, historyTtlMs: 60_000 };
      await broker.publish(channel, bytes('1'), options);
      const second = await broker.publish(channel, bytes('2'), options);
      await broker.removeHistory(channel);
      let slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications).toEqual([]);
      expect(slice.position).toEqual({ offset: 2, epoch: second.epoch });
      const third = await broker.publish(channel, bytes('3'), options);
      expect(third).toEqual({ offset: 3, epoch: second.epoch, suppressed: false });
      slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications.map((p) => [p.offset, text(p.data)])).toEqual([[3, '3']]);
    });

    featureCase(get, notApplicable, 'history', 'removeHistory of a channel without history is harmless', async () => {
      const { broker } = get();
      await expect(broker.removeHistory(uniqueChannel('remove-none'))).resolves.toBeUndefined();
    });
  });
}
