import { str } from './config-fields.js';
import { tlsShape } from './tls-schema.js';

/**
 * Centrifugo's TLS block on a serving side (`grpc_api.tls`, `uni_grpc.tls`): the certificate and key to serve with,
 * and `client_ca_pem` to require client certificates signed by that CA (mutual TLS). PEMs as text, path or base64.
 */
export const serverTlsShape = {
  ...tlsShape,
  client_ca_pem: str(),
};
