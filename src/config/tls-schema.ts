import { bool, str } from './config-fields.js';

/**
 * Centrifugo's TLS client block (`engine.redis.tls`, a proxy's `http.tls` / `grpc.tls`). PEMs are given as the text
 * itself, a path to a file, or base64 (see pem-data.ts).
 */
export const tlsShape = {
  enabled: bool(),
  cert_pem: str(),
  key_pem: str(),
  server_ca_pem: str(),
  insecure_skip_verify: bool(),
  server_name: str(),
};
