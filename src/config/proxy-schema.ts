import { z } from 'zod';
import { bool, durationMs, int, objectList, section, str, strList, strMap } from './config-fields.js';
import { tlsShape } from './tls-schema.js';

// Centrifugo v6's proxy configuration (configtypes.Proxy and the blocks that hold one), key for key with its
// defaults. A proxy forwards a client event (connect, refresh, subscribe, publish, sub_refresh, rpc) to the
// application backend over HTTP (JSON) or gRPC (Centrifugo's CentrifugoProxy service).

/** `http.status_to_code_transforms[]`: an HTTP status of the backend turned into a client error or disconnect. */
export const statusToCodeTransformSchema = z.object({
  status_code: int(0, { max: 599 }),
  to_error: section({ code: int(0), message: str(), temporary: bool() }),
  to_disconnect: section({ code: int(0), reason: str() }),
});

/** One proxy: where it goes and what it sends along. */
export const proxyShape = {
  /** `http://…`/`https://…` for the HTTP proxy; `grpc://host:port` (or `host:port`) for gRPC. */
  endpoint: str(),
  /** ms */
  timeout: durationMs('1s'),
  /** Headers of the client's connection request (WebSocket upgrade, HTTP-streaming/SSE request) passed on. */
  http_headers: strList(),
  /** Metadata of a gRPC client connection passed on (Ringcast has no gRPC client transport: never present). */
  grpc_metadata: strList(),
  /** Headers the SDK sends inside its connect command (headers emulation) passed on; client-controlled. */
  emulated_headers: strList(),
  /** Payloads travel as base64 in `b64data` instead of raw JSON in `data`. */
  binary_encoding: bool(),
  /** Adds the connection's `meta` (from its token or the connect proxy) to every request but connect's. */
  include_connection_meta: bool(),
  http: section({
    tls: section(tlsShape),
    static_headers: strMap(),
    status_to_code_transforms: objectList(statusToCodeTransformSchema),
  }),
  grpc: section({
    tls: section(tlsShape),
    /** Per-call metadata key (with `credentials_value`), e.g. an authorization token for the backend. */
    credentials_key: str(),
    credentials_value: str(),
    /** gzip-compress requests. */
    compression: bool(),
    static_metadata: strMap(),
  }),
};

export const proxySchema = z.object(proxyShape);
/** Top-level `proxies[]`: named proxies namespaces refer to by `*_proxy_name`. */
export const namedProxySchema = z.object({ name: z.string(), ...proxyShape });

/** `rpc.without_namespace` and each `rpc.namespaces[]` entry. */
export const rpcOptionsShape = {
  proxy_enabled: bool(),
  /** `default` is `rpc.proxy`; any other name is one of `proxies[]`. */
  proxy_name: str('default'),
};
export const rpcNamespaceSchema = z.object({ name: z.string(), ...rpcOptionsShape });

/** The per-namespace switches of channel proxies (inside `channel.without_namespace` and `channel.namespaces[]`). */
export const channelProxyOptionsShape = {
  subscribe_proxy_enabled: bool(),
  /** `default` is `channel.proxy.subscribe`; any other name is one of `proxies[]`. */
  subscribe_proxy_name: str('default'),
  publish_proxy_enabled: bool(),
  publish_proxy_name: str('default'),
  sub_refresh_proxy_enabled: bool(),
  sub_refresh_proxy_name: str('default'),
};

export type ProxyConfig = z.output<typeof proxySchema>;
export type NamedProxyConfig = z.output<typeof namedProxySchema>;
export type StatusToCodeTransform = z.output<typeof statusToCodeTransformSchema>;
