/**
 * Why a proxy call gave no usable answer, as counted in `ringcast_proxy_errors_total{kind}`:
 * - `timeout`: no answer within the proxy's timeout;
 * - `unreachable`: the backend could not be reached (connection refused or reset, DNS, gRPC UNAVAILABLE);
 * - `status`: the backend answered HTTP non-200 (without a matching status transform) or a gRPC error status;
 * - `too_large`: the answer exceeded `ringcast.proxy.max_response_size`;
 * - `malformed`: the answer (or the request: a payload that is not JSON without binary_encoding) did not fit
 *   Centrifugo's proxy protocol: not JSON, a field of the wrong type, invalid base64, a code out of range.
 */
export type ProxyFailureKind = 'timeout' | 'unreachable' | 'status' | 'too_large' | 'malformed';

/** A proxy call that failed; the client gets error 100 (temporary) and the message goes to the log. */
export class ProxyCallError extends Error {
  readonly code = 'PROXY_CALL_FAILED';

  constructor(
    readonly kind: ProxyFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
