import type { Broker } from '../../src/engine/broker.js';
import { bytes, uniqueChannel } from './engine-fixture.js';
import type { RecordingHandler } from './recording-handler.js';

/** What each broker contract case gets: a running broker, its recorded events and the engine's time. */
export interface BrokerContext {
  broker: Broker;
  handler: RecordingHandler;
  advance(ms: number): Promise<void>;
  /** Base TTL in ms for expiry cases. */
  unit: number;
}

/**
 * Waits until everything published before it was delivered: a marker published afterwards on another subscribed
 * channel has arrived. Lets "nothing was delivered" assertions work on engines that deliver asynchronously.
 */
export async function fence(ctx: BrokerContext): Promise<void> {
  const channel = uniqueChannel('fence');
  await ctx.broker.subscribe(channel);
  await ctx.broker.publish(channel, bytes('"fence"'), {});
  await ctx.handler.waitForPublications(channel, 1);
  await ctx.broker.unsubscribe(channel);
}
