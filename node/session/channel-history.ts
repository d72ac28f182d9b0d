import type { PublishOptions } from '../../src/engine/broker.js';
import type { ChannelAccessOptions } from './channel-access.js';

/** Whether the namespace keeps a history stream (both size and ttl set, as in Centrifugo). */
export function historyEnabled(options: ChannelAccessOptions): boolean {
  return options.history_size > 0 && options.history_ttl > 0;
}

/** The broker's history options for a publication into a channel of this namespace. */
export function historyPublishOptions(options: ChannelAccessOptions): PublishOptions {
  if (!historyEnabled(options)) return {};
  return {
    historySize: options.history_size,
    historyTtlMs: options.history_ttl,
    historyMetaTtlMs: options.history_meta_ttl,
  };
}
