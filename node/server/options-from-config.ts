import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { channelNameValid, channelTooLong } from '../../src/channels/channel-name.js';
import { isPrivateChannel } from '../../src/channels/private-channel.js';
import { resolveNamespace } from '../../src/channels/resolve-namespace.js';
import { isUserLimitedChannel, userAllowedInChannel } from '../../src/channels/user-limited-channel.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { presenceTtlMs } from '../../src/config/engine-selection.js';
import type { Disconnect } from '../../src/protocol/codes.js';
import type { ChannelResolver } from '../session/channel-access.js';
import type { TokenVerifier } from '../session/token-verifier.js';
import type { ClientOptions } from './node-options.js';

/** The client section of the config as the session uses it (durations already in ms). */
export function clientOptionsFromConfig(config: RingcastConfig): ClientOptions {
  const client = config.client;
  const personal = client.subscribe_to_user_personal_channel;
  return {
    insecure: client.insecure,
    allowAnonymousConnectWithoutToken: client.allow_anonymous_connect_without_token,
    pingIntervalMs: client.ping_interval,
    pongTimeoutMs: client.pong_timeout,
    staleCloseDelayMs: client.stale_close_delay,
    expiredCloseDelayMs: client.expired_close_delay,
    expiredSubCloseDelayMs: client.expired_sub_close_delay,
    channelLimit: client.channel_limit,
    queueMaxSize: client.queue_max_size,
    userConnectionLimit: client.user_connection_limit,
    connectionLimit: client.connection_limit,
    connectIncludeServerTime: client.connect_include_server_time,
    disallowAnonymousConnectionTokens: client.disallow_anonymous_connection_tokens,
    personalChannel: personal.enabled ? (user) => personalChannelName(config, user) : null,
    personalSingleConnection: personal.enabled && personal.single_connection,
    uniCodeToDisconnect: uniCodeToDisconnect(config),
    rpcPingMethod: config.rpc.ping.enabled ? config.rpc.ping.method : null,
    allowChannelCompaction: config.ringcast.client.allow_channel_compaction,
    maxMessagesInFrame: config.ringcast.client.max_messages_in_frame,
    allowedOrigins: client.allowed_origins,
    recoveryMaxPublicationLimit: client.recovery_max_publication_limit,
    historyMaxPublicationLimit: client.history_max_publication_limit,
    presenceUpdateIntervalMs: client.presence_update_interval,
    presenceTtlMs: presenceTtlMs(config),
  };
}

function uniCodeToDisconnect(config: RingcastConfig): ReadonlyMap<number, Disconnect> | null {
  const section = config.client.connect_code_to_unidirectional_disconnect;
  if (!section.enabled) return null;
  return new Map(section.transforms.map((t) => [t.code, { code: t.to.code, reason: t.to.reason }]));
}

/** Centrifugo's personal channel name: `[<namespace><namespace_boundary>]<user_boundary><user>`. */
export function personalChannelName(config: RingcastConfig, user: string): string {
  const namespace = config.client.subscribe_to_user_personal_channel.personal_channel_namespace;
  const personal = config.channel.user_boundary + user;
  return namespace === '' ? personal : namespace + config.channel.namespace_boundary + personal;
}

export function channelResolverFromConfig(config: RingcastConfig): ChannelResolver {
  return {
    resolve: (channel) => resolveNamespace(config, channel)?.options ?? null,
    isPrivate: (channel) => isPrivateChannel(config, channel),
    isUserLimited: (channel) => isUserLimitedChannel(config, channel),
    userAllowed: (channel, user) => userAllowedInChannel(config, channel, user),
    tooLong: (channel) => channelTooLong(config, channel),
    validName: (channel) => {
      if (channelTooLong(config, channel)) return false;
      const resolved = resolveNamespace(config, channel);
      return resolved === null || channelNameValid(channel, resolved);
    },
  };
}

export function tokenVerifierFromConfig(config: RingcastConfig): TokenVerifier {
  return createTokenVerifier(config);
}
