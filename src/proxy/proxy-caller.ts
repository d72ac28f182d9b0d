import type { AnswerReader } from './answer-reader.js';
import type { ProxyMethod, ProxyRequest } from './proxy-request.js';

/** Per-call extras: headers/metadata taken from the client's connection, and whether payloads are known JSON. */
export interface ProxyCallOptions {
  /** Lower-case names; HTTP request headers for the HTTP proxy, call metadata for gRPC. */
  headers: Readonly<Record<string, string>>;
  /** False when a payload may be arbitrary bytes (a protobuf client) and must be checked before going out as JSON. */
  payloadsAreJson: boolean;
}

/**
 * Sends one request to the backend and returns its answer, or rejects with a ProxyCallError saying why there is none
 * (timeout, unreachable, status, too large, malformed). Never rejects with anything else.
 */
export interface ProxyCaller {
  readonly protocol: 'http' | 'grpc';
  call(method: ProxyMethod, request: ProxyRequest, options: ProxyCallOptions): Promise<AnswerReader>;
  /** Releases connections; later calls fail. */
  close(): void;
}
