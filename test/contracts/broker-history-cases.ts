import { describe, expect } from 'vitest';
import { featureCase, type NotApplicable } from './broker-features.js';
import type { Broker, HistoryFilter, PublishOutcome } from '../../src/engine/broker.js';
import type { BrokerContext } from './broker-context.js';
import { bytes, text, uniqueChannel } from './engine-fixture.js';

/** Publishes `count` publications `"1"`, `"2"`, … one after another with history of `size`. */
async function publishNumbered(broker: Broker, channel: string, count: number, size = 10): Promise<PublishOutcome[]> {
  const outcomes: PublishOutcome[] = [];
  for (let i = 1; i <= count; i++) {
    outcomes.push(await broker.publish(channel, bytes(`"${i}"`), { historySize: size, historyTtlMs: 60_000 }));
  }
  return outcomes;
}

async function offsets(broker: Broker, channel: string, filter: HistoryFilter): Promise<number[]> {
  const slice = await broker.history(channel, { filter });
  return slice.publications.map((p) => p.offset ?? 0);
}

export function brokerHistoryCases(get: () => BrokerContext, notApplicable: NotApplicable = {}): void {
  describe('history', () => {
    featureCase(get, notApplicable, 'history', 'numbers publications from 1 within one epoch and returns their position', async () => {
      const { broker } = get();
      const channel = uniqueChannel('numbered');
      const outcomes = await publishNumbered(broker, channel, 3);
      expect(outcomes.map((o) => o.offset)).toEqual([1, 2, 3]);
      expect(outcomes.map((o) => o.suppressed)).toEqual([false, false, false]);
      const epoch = outcomes[0]!.epoch;
      expect(epoch).not.toBe('');
      expect(outcomes.map((o) => o.epoch)).toEqual([epoch, epoch, epoch]);
      const slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.position).toEqual({ offset: 3, epoch });
      expect(slice.publications.map((p) => [p.offset, text(p.data)])).toEqual([
        [1, '"1"'],
        [2, '"2"'],
        [3, '"3"'],
      ]);
    });

    featureCase(get, notApplicable, 'history', 'returns publications with their data, info and tags', async () => {
      const { broker } = get();
      const channel = uniqueChannel('fields');
      const info = { user: 'u1', client: 'c1', conn_info: bytes('{"c":1}'), chan_info: bytes('{"h":2}') };
      await broker.publish(channel, bytes('{"v":1}'), { historySize: 5, historyTtlMs: 60_000, info, tags: { t: 'x' } });
      const [pub] = (await broker.history(channel, { filter: { limit: -1 } })).publications;
      expect(text(pub!.data)).toBe('{"v":1}');
      expect(pub!.offset).toBe(1);
      expect(pub!.tags).toEqual({ t: 'x' });
      expect([pub!.info?.user, pub!.info?.client]).toEqual(['u1', 'c1']);
      expect(text(pub!.info?.conn_info)).toBe('{"c":1}');
      expect(text(pub!.info?.chan_info)).toBe('{"h":2}');
    });

    featureCase(get, notApplicable, 'history', 'keeps at most historySize publications, the newest', async () => {
      const { broker } = get();
      const channel = uniqueChannel('trim');
      await publishNumbered(broker, channel, 5, 3);
      const slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications.map((p) => text(p.data))).toEqual(['"3"', '"4"', '"5"']);
      expect(slice.position.offset).toBe(5);
    });

    featureCase(get, notApplicable, 'history', 'limits from the oldest publication; -1 is no limit; 0 is the position only', async () => {
      const { broker } = get();
      const channel = uniqueChannel('limit');
      const outcomes = await publishNumbered(broker, channel, 5);
      expect(await offsets(broker, channel, { limit: 2 })).toEqual([1, 2]);
      expect(await offsets(broker, channel, { limit: -1 })).toEqual([1, 2, 3, 4, 5]);
      expect(await offsets(broker, channel, { limit: 50 })).toEqual([1, 2, 3, 4, 5]);
      const positionOnly = await broker.history(channel, { filter: { limit: 0 } });
      expect(positionOnly.publications).toEqual([]);
      expect(positionOnly.position).toEqual({ offset: 5, epoch: outcomes[0]!.epoch });
    });

    featureCase(get, notApplicable, 'history', 'reads newest first in reverse', async () => {
      const { broker } = get();
      const channel = uniqueChannel('reverse');
      await publishNumbered(broker, channel, 5);
      expect(await offsets(broker, channel, { limit: -1, reverse: true })).toEqual([5, 4, 3, 2, 1]);
      expect(await offsets(broker, channel, { limit: 2, reverse: true })).toEqual([5, 4]);
    });

    featureCase(get, notApplicable, 'history', 'reads forward after since', async () => {
      const { broker } = get();
      const channel = uniqueChannel('since');
      const [first] = await publishNumbered(broker, channel, 5);
      const at = (offset: number) => ({ offset, epoch: first!.epoch });
      expect(await offsets(broker, channel, { since: at(3), limit: -1 })).toEqual([4, 5]);
      expect(await offsets(broker, channel, { since: at(3), limit: 1 })).toEqual([4]);
      expect(await offsets(broker, channel, { since: at(0), limit: -1 })).toEqual([1, 2, 3, 4, 5]);
      expect(await offsets(broker, channel, { since: at(5), limit: -1 })).toEqual([]);
      expect(await offsets(broker, channel, { since: at(9), limit: -1 })).toEqual([]);
      const positionOnly = await broker.history(channel, { filter: { since: at(3), limit: 0 } });
      expect(positionOnly.publications).toEqual([]);
      expect(positionOnly.position).toEqual(at(5));
    });

    featureCase(get, notApplicable, 'history', 'starts at the oldest kept publication when since was trimmed, so the caller sees the gap', async () => {
      const { broker } = get();
      const channel = uniqueChannel('since-trimmed');
      const [first] = await publishNumbered(broker, channel, 5, 3);
      const since = { offset: 1, epoch: first!.epoch };
      expect(await offsets(broker, channel, { since, limit: -1 })).toEqual([3, 4, 5]);
    });

    featureCase(get, notApplicable, 'history', 'reads backward before since in reverse', async () => {
      const { broker } = get();
      const channel = uniqueChannel('since-reverse');
      const [first] = await publishNumbered(broker, channel, 5);
      const at = (offset: number) => ({ offset, epoch: first!.epoch });
      expect(await offsets(broker, channel, { since: at(4), limit: -1, reverse: true })).toEqual([3, 2, 1]);
      expect(await offsets(broker, channel, { since: at(4), limit: 2, reverse: true })).toEqual([3, 2]);
      expect(await offsets(broker, channel, { since: at(1), limit: -1, reverse: true })).toEqual([]);
    });

    featureCase(get, notApplicable, 'history', 'selects by offset whatever the epoch of since and reports the real epoch to compare', async () => {
      const { broker } = get();
      const channel = uniqueChannel('since-epoch');
      const [first] = await publishNumbered(broker, channel, 5);
      const slice = await broker.history(channel, { filter: { since: { offset: 2, epoch: 'other' }, limit: -1 } });
      expect(slice.publications.map((p) => p.offset)).toEqual([3, 4, 5]);
      expect(slice.position).toEqual({ offset: 5, epoch: first!.epoch });
    });

    featureCase(get, notApplicable, 'history', 'gives a channel without publications a position whose epoch its first publication keeps', async () => {
      const { broker } = get();
      const channel = uniqueChannel('empty');
      const empty = await broker.history(channel, { filter: { limit: -1 } });
      expect(empty.publications).toEqual([]);
      expect(empty.position.offset).toBe(0);
      expect(empty.position.epoch).not.toBe('');
      const again = await broker.history(channel, { filter: { limit: 0 } });
      expect(again.position).toEqual(empty.position);
      const outcome = await broker.publish(channel, bytes('1'), { historySize: 10, historyTtlMs: 60_000 });
      expect(outcome).toEqual({ offset: 1, epoch: empty.position.epoch, suppressed: false });
    });

    featureCase(get, notApplicable, 'history', 'keeps separate streams per channel', async () => {
      const { broker } = get();
      const a = uniqueChannel('stream-a');
      const b = uniqueChannel('stream-b');
      await publishNumbered(broker, a, 3);
      await publishNumbered(broker, b, 1);
      expect(await offsets(broker, a, { limit: -1 })).toEqual([1, 2, 3]);
      expect(await offsets(broker, b, { limit: -1 })).toEqual([1]);
    });
  });
}
