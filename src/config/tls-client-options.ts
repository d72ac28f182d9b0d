import type { ConnectionOptions } from 'node:tls';
import { readPemData } from './pem-data.js';

/** Centrifugo's client-side TLS block, as the config schema types it (tls-schema.ts). */
export interface TlsClientConfig {
  enabled: boolean;
  cert_pem: string;
  key_pem: string;
  server_ca_pem: string;
  insecure_skip_verify: boolean;
  server_name: string;
}

/**
 * Node TLS options for a client connection from Centrifugo's TLS block (undefined when TLS is off): TLS 1.2 or
 * newer, the server CA to trust (else the system roots), a client certificate for mutual TLS, the server name to
 * verify, and `insecure_skip_verify`. `key` names the block in errors (a PEM that cannot be read).
 */
export function tlsClientOptions(tls: TlsClientConfig, key: string): ConnectionOptions | undefined {
  if (!tls.enabled) return undefined;
  const options: ConnectionOptions = { rejectUnauthorized: !tls.insecure_skip_verify, minVersion: 'TLSv1.2' };
  const ca = readPemData(tls.server_ca_pem, `${key}.server_ca_pem`);
  const cert = readPemData(tls.cert_pem, `${key}.cert_pem`);
  const privateKey = readPemData(tls.key_pem, `${key}.key_pem`);
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (privateKey) options.key = privateKey;
  if (tls.server_name) options.servername = tls.server_name;
  return options;
}
