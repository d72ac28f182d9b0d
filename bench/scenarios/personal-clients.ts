import type { BenchOptions } from '../options.js';
import type { ClientSpec } from '../subscribers.js';

/**
 * Clients each subscribed to a personal channel: a user-limited channel (`…#user`) when clients have
 * tokens, a plain per-client channel in insecure mode (anonymous clients have no user id).
 */
export function personalClients(options: BenchOptions, count: number): ClientSpec[] {
  const specs: ClientSpec[] = [];
  const prefix = options.channelPrefix;
  for (let i = 0; i < count; i++) {
    const user = `${prefix}-u${i}`;
    const channel = options.auth.kind === 'token' ? `${prefix}.personal#${user}` : `${prefix}.personal.${i}`;
    specs.push({ user, channels: [channel] });
  }
  return specs;
}

/** `count` clients of users `<prefix>-s<i>`, each subscribed to `channelOf(i)`. */
export function channelClients(options: BenchOptions, from: number, to: number, channelOf: (i: number) => string): ClientSpec[] {
  const specs: ClientSpec[] = [];
  for (let i = from; i < to; i++) specs.push({ user: `${options.channelPrefix}-s${i}`, channels: [channelOf(i)] });
  return specs;
}
