import { expect, it } from 'vitest';
import { NotAvailableError } from '../../src/engine/not-available-error.js';
import { fence, type BrokerContext } from './broker-context.js';
import { bytes, text, uniqueChannel } from './engine-fixture.js';

/** Parts of the broker contract an engine may not offer at all (the NATS broker keeps nothing). */
export type BrokerFeature = 'history' | 'idempotency' | 'delta';

/** Features an engine does not offer, each with the reason the suite prints beside every case it replaces. */
export type NotApplicable = Partial<Record<BrokerFeature, string>>;

/**
 * What an engine without the feature must do instead, checked in place of each of the feature's cases: it
 * refuses clearly or ignores the option as documented; it never pretends.
 */
const instead: Record<BrokerFeature, (ctx: BrokerContext) => Promise<void>> = {
  async history({ broker, handler }) {
    const channel = uniqueChannel('na-history');
    await broker.subscribe(channel);
    const outcome = await broker.publish(channel, bytes('"x"'), { historySize: 10, historyTtlMs: 60_000 });
    expect(outcome).toEqual({ offset: 0, epoch: '', suppressed: false });
    const [received] = await handler.waitForPublications(channel, 1);
    expect(received!.position).toEqual({ offset: 0, epoch: '' });
    await expect(broker.history(channel, { filter: { limit: -1 } })).rejects.toBeInstanceOf(NotAvailableError);
    await expect(broker.removeHistory(channel)).rejects.toBeInstanceOf(NotAvailableError);
  },
  async idempotency(ctx) {
    const channel = uniqueChannel('na-idempotency');
    await ctx.broker.subscribe(channel);
    const first = await ctx.broker.publish(channel, bytes('1'), { idempotencyKey: 'k' });
    const repeat = await ctx.broker.publish(channel, bytes('2'), { idempotencyKey: 'k' });
    expect([first.suppressed, repeat.suppressed]).toEqual([false, false]);
    await ctx.handler.waitForPublications(channel, 2);
    await fence(ctx);
    expect(ctx.handler.publicationsIn(channel).map((r) => text(r.pub.data))).toEqual(['1', '2']);
  },
  async delta({ broker, handler }) {
    const channel = uniqueChannel('na-delta');
    await broker.subscribe(channel);
    await broker.publish(channel, bytes('{"v":1}'), { useDelta: true });
    await broker.publish(channel, bytes('{"v":2}'), { useDelta: true });
    const received = await handler.waitForPublications(channel, 2);
    expect(received.map((r) => [r.useDelta, r.prevPub])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
  },
};

/**
 * Registers one contract case. When the engine lacks `feature`, the case is still listed — its title says it
 * is not applicable and why — and checks what the engine does instead.
 */
export function featureCase(
  get: () => BrokerContext,
  notApplicable: NotApplicable,
  feature: BrokerFeature,
  title: string,
  body: () => Promise<void>,
): void {
  const reason = notApplicable[feature];
  if (reason === undefined) {
    it(title, body);
    return;
  }
  it(`${title} — not applicable: ${reason}; checks that ${feature} is refused or ignored instead`, () => instead[feature](get()));
}
