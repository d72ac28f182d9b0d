import { describe, expect, it } from 'vitest';
import { featureCase, type NotApplicable } from './broker-features.js';
import { fence, type BrokerContext } from './broker-context.js';
import { bytes, text, uniqueChannel } from './engine-fixture.js';

const history = { historySize: 10, historyTtlMs: 60_000 };

export function brokerIdempotencyCases(get: () => BrokerContext, notApplicable: NotApplicable = {}): void {
  describe('idempotent publish', () => {
    featureCase(get, notApplicable, 'idempotency', 'publishes once per key and returns the first result to repeats', async () => {
      const ctx = get();
      const channel = uniqueChannel('idem');
      await ctx.broker.subscribe(channel);
      const first = await ctx.broker.publish(channel, bytes('"a"'), { ...history, idempotencyKey: 'k1' });
      const repeat = await ctx.broker.publish(channel, bytes('"b"'), { ...history, idempotencyKey: 'k1' });
      expect(first).toEqual({ offset: 1, epoch: first.epoch, suppressed: false });
      expect(repeat).toEqual({ offset: 1, epoch: first.epoch, suppressed: true });
      const other = await ctx.broker.publish(channel, bytes('"c"'), { ...history, idempotencyKey: 'k2' });
      expect(other).toMatchObject({ offset: 2, suppressed: false });
      await ctx.handler.waitForPublications(channel, 2);
      await fence(ctx);
      expect(ctx.handler.publicationsIn(channel).map((r) => text(r.pub.data))).toEqual(['"a"', '"c"']);
      const slice = await ctx.broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications.map((p) => text(p.data))).toEqual(['"a"', '"c"']);
    });

    featureCase(get, notApplicable, 'idempotency', 'suppresses repeats without history too', async () => {
      const ctx = get();
      const channel = uniqueChannel('idem-plain');
      await ctx.broker.subscribe(channel);
      const first = await ctx.broker.publish(channel, bytes('1'), { idempotencyKey: 'k' });
      const repeat = await ctx.broker.publish(channel, bytes('2'), { idempotencyKey: 'k' });
      expect(first).toEqual({ offset: 0, epoch: '', suppressed: false });
      expect(repeat).toEqual({ offset: 0, epoch: '', suppressed: true });
      await ctx.handler.waitForPublications(channel, 1);
      await fence(ctx);
      expect(ctx.handler.publicationsIn(channel).map((r) => text(r.pub.data))).toEqual(['1']);
    });

    featureCase(get, notApplicable, 'idempotency', 'scopes keys to their channel', async () => {
      const { broker } = get();
      const a = await broker.publish(uniqueChannel('idem-a'), bytes('1'), { ...history, idempotencyKey: 'same' });
      const b = await broker.publish(uniqueChannel('idem-b'), bytes('1'), { ...history, idempotencyKey: 'same' });
      expect([a.suppressed, b.suppressed]).toEqual([false, false]);
    });

    featureCase(get, notApplicable, 'idempotency', 'publishes again once the remembered result expired', async () => {
      const { broker, advance, unit } = get();
      const channel = uniqueChannel('idem-ttl');
      const options = { ...history, idempotencyKey: 'k', idempotentResultTtlMs: unit };
      await broker.publish(channel, bytes('1'), options);
      await advance(0.6 * unit);
      expect(await broker.publish(channel, bytes('2'), options)).toMatchObject({ offset: 1, suppressed: true });
      await advance(unit);
      expect(await broker.publish(channel, bytes('3'), options)).toMatchObject({ offset: 2, suppressed: false });
      const slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications.map((p) => text(p.data))).toEqual(['1', '3']);
    });
  });

  describe('delta', () => {
    featureCase(get, notApplicable, 'delta', 'hands the previous publication of the stream to the handler', async () => {
      const { broker, handler } = get();
      const channel = uniqueChannel('delta');
      await broker.subscribe(channel);
      for (const data of ['{"v":1}', '{"v":2}', '{"v":3}']) {
        await broker.publish(channel, bytes(data), { ...history, useDelta: true });
      }
      const received = await handler.waitForPublications(channel, 3);
      expect(received.map((r) => r.useDelta)).toEqual([true, true, true]);
      expect(received.map((r) => text(r.prevPub?.data))).toEqual([undefined, '{"v":1}', '{"v":2}']);
      expect(received.map((r) => text(r.pub.data))).toEqual(['{"v":1}', '{"v":2}', '{"v":3}']);
    });

    it('gives no previous publication without useDelta or without history', async () => {
      const { broker, handler } = get();
      const channel = uniqueChannel('no-delta');
      await broker.subscribe(channel);
      await broker.publish(channel, bytes('1'), history);
      await broker.publish(channel, bytes('2'), history);
      await broker.publish(channel, bytes('3'), { useDelta: true });
      const received = await handler.waitForPublications(channel, 3);
      expect(received.map((r) => [r.useDelta, r.prevPub])).toEqual([
        [false, undefined],
        [false, undefined],
        [true, undefined],
      ]);
    });
  });
}
