import type { ChannelOptions, RingcastConfig } from '../config/config-schema.js';
import { compileGoRegex } from '../config/go-regex.js';
import type { ResolvedChannel } from './resolve-namespace.js';

/** Whether the channel is longer than `channel.max_length` bytes (0 = no limit); Centrifugo v6 answers 107 bad request. */
export function channelTooLong(config: RingcastConfig, channel: string): boolean {
  const max = config.channel.max_length;
  return max > 0 && Buffer.byteLength(channel, 'utf8') > max;
}

/** Compiled channel_regex per (stable, per-config) options object. */
const compiled = new WeakMap<ChannelOptions, RegExp>();

function regexFor(options: ChannelOptions): RegExp {
  let regex = compiled.get(options);
  if (!regex) {
    regex = compileGoRegex(options.channel_regex);
    compiled.set(options, regex);
  }
  return regex;
}

/**
 * Centrifugo's channel name rule on subscribe: with the namespace's `channel_regex` set, the part after the
 * namespace must match it; otherwise the whole name must be ASCII. A failing name is a bad request (107).
 */
export function channelNameValid(channel: string, resolved: ResolvedChannel): boolean {
  const pattern = resolved.options.channel_regex;
  if (pattern !== '') return regexFor(resolved.options).test(resolved.rest);
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(channel);
}
