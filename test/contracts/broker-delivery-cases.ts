import { describe, expect, it } from 'vitest';
import { featureCase, type NotApplicable } from './broker-features.js';
import { fence, type BrokerContext } from './broker-context.js';
import { bytes, text, uniqueChannel } from './engine-fixture.js';

const history = { historySize: 2000, historyTtlMs: 60_000 };

export function brokerDeliveryCases(get: () => BrokerContext, notApplicable: NotApplicable = {}): void {
  describe('delivery', () => {
    it('delivers 1000 publications of a channel in publish order', async () => {
      const { broker, handler } = get();
      const channel = uniqueChannel('order');
      await broker.subscribe(channel);
      const sent = Array.from({ length: 1000 }, (_, i) => `{"n":${i}}`);
      await Promise.all(sent.map((data) => broker.publish(channel, bytes(data), {})));
      const received = await handler.waitForPublications(channel, 1000);
      expect(received.map((r) => text(r.pub.data))).toEqual(sent);
    });

    featureCase(get, notApplicable, 'history', 'delivers 1000 history publications with consecutive offsets and matching positions', async () => {
      const { broker, handler } = get();
      const channel = uniqueChannel('order-history');
      await broker.subscribe(channel);
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => broker.publish(channel, bytes(`${i}`), history)),
      );
      const received = await handler.waitForPublications(channel, 1000);
      expect(received.map((r) => r.pub.offset)).toEqual(outcomes.map((o) => o.offset));
      expect(received.map((r) => r.pub.offset)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      const epoch = outcomes[0]!.epoch;
      expect(epoch).not.toBe('');
      for (const r of received) expect(r.position).toEqual({ offset: r.pub.offset, epoch });
      expect(received.map((r) => text(r.pub.data))).toEqual(Array.from({ length: 1000 }, (_, i) => `${i}`));
    });

    it('delivers only the channels the broker subscribed', async () => {
      const ctx = get();
      const subscribed = uniqueChannel('subscribed');
      const other = uniqueChannel('other');
      await ctx.broker.subscribe(subscribed);
      await ctx.broker.publish(other, bytes('"no"'), {});
      await ctx.broker.publish(subscribed, bytes('"yes"'), {});
      await ctx.handler.waitForPublications(subscribed, 1);
      await fence(ctx);
      expect(ctx.handler.publicationsIn(other)).toEqual([]);
      expect(ctx.handler.publicationsIn(subscribed).map((r) => text(r.pub.data))).toEqual(['"yes"']);
    });

    it('stops delivering a channel after unsubscribe', async () => {
      const ctx = get();
      const channel = uniqueChannel('unsub');
      await ctx.broker.subscribe(channel);
      await ctx.broker.publish(channel, bytes('1'), {});
      await ctx.handler.waitForPublications(channel, 1);
      await ctx.broker.unsubscribe(channel);
      await ctx.broker.publish(channel, bytes('2'), {});
      await fence(ctx);
      expect(ctx.handler.publicationsIn(channel).map((r) => text(r.pub.data))).toEqual(['1']);
    });

    it('hands over info and tags; without history no offset and an empty position', async () => {
      const { broker, handler } = get();
      const channel = uniqueChannel('info');
      await broker.subscribe(channel);
      const info = { user: 'u1', client: 'c1', conn_info: bytes('{"a":1}'), chan_info: bytes('{"b":2}') };
      const outcome = await broker.publish(channel, bytes('{"x":1}'), { info, tags: { k: 'v' } });
      expect(outcome).toEqual({ offset: 0, epoch: '', suppressed: false });
      const [received] = await handler.waitForPublications(channel, 1);
      expect(text(received!.pub.data)).toBe('{"x":1}');
      expect(received!.pub.offset ?? 0).toBe(0);
      expect(received!.position).toEqual({ offset: 0, epoch: '' });
      expect(received!.pub.tags).toEqual({ k: 'v' });
      expect(received!.pub.info?.user).toBe('u1');
      expect(received!.pub.info?.client).toBe('c1');
      expect(text(received!.pub.info?.conn_info)).toBe('{"a":1}');
      expect(text(received!.pub.info?.chan_info)).toBe('{"b":2}');
      expect(received!.useDelta).toBe(false);
      expect(received!.prevPub).toBeUndefined();
    });

    it('delivers join and leave events of subscribed channels only', async () => {
      const ctx = get();
      const channel = uniqueChannel('presence-events');
      const other = uniqueChannel('presence-other');
      await ctx.broker.subscribe(channel);
      const info = { user: 'u1', client: 'c1' };
      await ctx.broker.publishJoin(other, info);
      await ctx.broker.publishLeave(other, info);
      await ctx.broker.publishJoin(channel, info);
      await ctx.broker.publishLeave(channel, { user: 'u2', client: 'c2' });
      const joins = await ctx.handler.waitForJoins(channel, 1);
      const leaves = await ctx.handler.waitForLeaves(channel, 1);
      await fence(ctx);
      expect(joins.map((e) => [e.info.user, e.info.client])).toEqual([['u1', 'c1']]);
      expect(leaves.map((e) => [e.info.user, e.info.client])).toEqual([['u2', 'c2']]);
      expect(ctx.handler.joins.filter((e) => e.channel === other)).toEqual([]);
      expect(ctx.handler.leaves.filter((e) => e.channel === other)).toEqual([]);
    });

    featureCase(get, notApplicable, 'history', 'keeps history of a channel that nobody subscribed', async () => {
      const { broker } = get();
      const channel = uniqueChannel('unsubscribed-history');
      const outcome = await broker.publish(channel, bytes('"kept"'), { historySize: 10, historyTtlMs: 60_000 });
      expect(outcome.offset).toBe(1);
      const slice = await broker.history(channel, { filter: { limit: -1 } });
      expect(slice.publications.map((p) => text(p.data))).toEqual(['"kept"']);
      expect(slice.position).toEqual({ offset: 1, epoch: outcome.epoch });
    });
  });
}
