import type { ProxyConfig } from '../config/proxy-schema.js';
import { isHttpEndpoint } from '../config/validate-proxies.js';
import { tlsClientOptions } from '../config/tls-client-options.js';
import { grpcChannelSecurity } from '../grpc/grpc-tls.js';
import { GrpcProxyCaller } from './grpc-proxy-caller.js';
import { HttpProxyCaller } from './http-proxy-caller.js';
import type { ProxyCaller } from './proxy-caller.js';

/**
 * The caller for one configured proxy: HTTP for `http(s)://` endpoints, gRPC otherwise (Centrifugo's rule).
 * `key` is where the proxy sits in the config (for errors about its PEM files).
 */
export function createProxyCaller(proxy: ProxyConfig, key: string, maxResponseSize: number): ProxyCaller {
  if (isHttpEndpoint(proxy.endpoint)) {
    return new HttpProxyCaller({
      endpoint: proxy.endpoint,
      timeoutMs: proxy.timeout,
      staticHeaders: proxy.http.static_headers,
      statusTransforms: proxy.http.status_to_code_transforms,
      tls: tlsClientOptions(proxy.http.tls, `${key}.http.tls`),
      maxResponseSize,
    });
  }
  const grpc = proxy.grpc;
  return new GrpcProxyCaller({
    endpoint: proxy.endpoint,
    timeoutMs: proxy.timeout,
    security: grpcChannelSecurity(grpc.tls, `${key}.grpc.tls`),
    staticMetadata: grpc.static_metadata,
    credentials: grpc.credentials_key ? { key: grpc.credentials_key, value: grpc.credentials_value } : null,
    compression: grpc.compression,
    maxResponseSize,
  });
}
