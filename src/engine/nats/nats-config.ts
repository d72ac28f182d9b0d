import type { RingcastConfig } from '../../config/config-schema.js';
import { tlsClientOptions } from '../../config/tls-client-options.js';
import type { NatsEngineOptions } from './nats-engine.js';

/** The NATS broker's options from `broker.nats.*` (Centrifugo's names). */
export function natsEngineOptions(config: RingcastConfig, nodeName: string): NatsEngineOptions {
  const nats = config.broker.nats;
  return {
    prefix: nats.prefix,
    connection: {
      servers: nats.url.split(',').map((url) => url.trim()).filter((url) => url !== ''),
      dialTimeoutMs: nats.dial_timeout,
      writeTimeoutMs: Math.max(nats.write_timeout, 1000),
      tls: tlsClientOptions(nats.tls, 'broker.nats.tls'),
      name: nodeName,
    },
    startTimeoutMs: Math.max(nats.dial_timeout, 1000) * 2,
  };
}
