import type { RingcastConfig } from '../../src/config/config-schema.js';
import { generateConnectionToken } from '../cli/gentoken.js';

/** The user the admin UI's live view connects as (it shows in presence while someone watches). */
export const liveViewUser = 'ringcast-admin';
const liveTokenTtlSeconds = 300;

export type LiveTokenAnswer = { token: string; websocket: string } | { unavailable: string };

/**
 * A short-lived connection token whose `channels` claim subscribes the admin UI's SDK client to one channel. Only
 * possible when the node verifies HS256 tokens with a secret it knows, and WebSocket is on.
 */
export async function liveToken(config: RingcastConfig, channel: string): Promise<LiveTokenAnswer> {
  if (config.websocket.disabled) return { unavailable: 'Live view needs the WebSocket transport (websocket.disabled is on).' };
  if (config.client.token.jwks_public_endpoint) {
    return { unavailable: 'Live view is off: tokens are verified with a JWKS endpoint, so the node cannot sign one.' };
  }
  if (!config.client.token.hmac_secret_key) {
    return { unavailable: 'Live view needs client.token.hmac_secret_key: the node signs a short-lived token for it.' };
  }
  const token = await generateConnectionToken(config, { user: liveViewUser, ttlSeconds: liveTokenTtlSeconds, channels: [channel] });
  return { token, websocket: config.websocket.handler_prefix };
}
