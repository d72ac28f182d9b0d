import { ConfigError } from './config-error.js';
import type { RingcastConfig } from './config-schema.js';
import { readPemData } from './pem-data.js';

/**
 * The gRPC listeners (`grpc_api`, `uni_grpc`) and the SockJS endpoint: TLS needs a readable certificate and key,
 * and each listener needs a port of its own.
 */
export function validateListeners(config: RingcastConfig): void {
  const ports = new Map<number, string>([[config.http_server.port, 'http_server.port']]);
  for (const section of ['grpc_api', 'uni_grpc'] as const) {
    const options = config[section];
    if (!options.enabled) continue;
    const tls = options.tls;
    if (tls.enabled) {
      if (readPemData(tls.cert_pem, `${section}.tls.cert_pem`) === undefined) throw new ConfigError(`${section}.tls.cert_pem`, 'TLS needs a certificate');
      if (readPemData(tls.key_pem, `${section}.tls.key_pem`) === undefined) throw new ConfigError(`${section}.tls.key_pem`, 'TLS needs a private key');
      readPemData(tls.client_ca_pem, `${section}.tls.client_ca_pem`);
    }
    if (options.port === 0) continue;
    const taken = ports.get(options.port);
    if (taken) throw new ConfigError(`${section}.port`, `port ${options.port} is already used by ${taken}`);
    ports.set(options.port, `${section}.port`);
  }
  if (config.sockjs.enabled && !config.sockjs.handler_prefix.startsWith('/')) {
    throw new ConfigError('sockjs.handler_prefix', 'must start with "/"');
  }
}
