import { credentials, ServerCredentials, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { ConfigError } from '../config/config-error.js';
import { readPemData } from '../config/pem-data.js';
import type { TlsClientConfig } from '../config/tls-client-options.js';

/** How a gRPC client reaches its server: transport credentials plus the channel options they need. */
export interface GrpcChannelSecurity {
  credentials: ChannelCredentials;
  options: ChannelOptions;
}

const pem = (value: string, key: string): Buffer | null => {
  const text = readPemData(value, key);
  return text === undefined ? null : Buffer.from(text);
};

/**
 * Client-side security from Centrifugo's TLS block (`<proxy>.grpc.tls`): plaintext when TLS is off; otherwise the
 * server CA (else the system roots), a client certificate for mutual TLS, `server_name` as the name the server's
 * certificate must carry, and `insecure_skip_verify`. `key` names the block in errors.
 */
export function grpcChannelSecurity(tls: TlsClientConfig, key: string): GrpcChannelSecurity {
  if (!tls.enabled) return { credentials: credentials.createInsecure(), options: {} };
  const options: ChannelOptions = {};
  if (tls.server_name) {
    options['grpc.ssl_target_name_override'] = tls.server_name;
    options['grpc.default_authority'] = tls.server_name;
  }
  return {
    credentials: credentials.createSsl(
      pem(tls.server_ca_pem, `${key}.server_ca_pem`),
      pem(tls.key_pem, `${key}.key_pem`),
      pem(tls.cert_pem, `${key}.cert_pem`),
      tls.insecure_skip_verify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {},
    ),
    options,
  };
}

/** A server's TLS block (Centrifugo's TLSConfig on the serving side). */
export interface TlsServerConfig {
  enabled: boolean;
  cert_pem: string;
  key_pem: string;
  /** Clients must present a certificate signed by this CA (mutual TLS) when set. */
  client_ca_pem?: string;
}

/** Server-side credentials: plaintext when TLS is off, else the certificate and key, with client certificates required when a client CA is given. */
export function grpcServerCredentials(tls: TlsServerConfig, key: string): ServerCredentials {
  if (!tls.enabled) return ServerCredentials.createInsecure();
  const cert = pem(tls.cert_pem, `${key}.cert_pem`);
  const privateKey = pem(tls.key_pem, `${key}.key_pem`);
  if (!cert || !privateKey) throw new ConfigError(key, 'TLS needs cert_pem and key_pem');
  const clientCa = pem(tls.client_ca_pem ?? '', `${key}.client_ca_pem`);
  return ServerCredentials.createSsl(clientCa, [{ cert_chain: cert, private_key: privateKey }], clientCa !== null);
}
