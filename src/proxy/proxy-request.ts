import { ProxyCallError } from './proxy-call-error.js';

/** The events a proxy forwards (Centrifugo's proxy types; also the `type` label of the proxy metrics). */
export type ProxyMethod = 'connect' | 'refresh' | 'subscribe' | 'publish' | 'rpc' | 'sub_refresh';

/** The CentrifugoProxy gRPC method of each event. */
export const grpcMethodNames: Readonly<Record<ProxyMethod, string>> = {
  connect: 'Connect',
  refresh: 'Refresh',
  subscribe: 'Subscribe',
  publish: 'Publish',
  rpc: 'RPC',
  sub_refresh: 'SubRefresh',
};

/**
 * One request, field name → value in Centrifugo's field order, unset fields left out (its JSON omits empty
 * fields, except `user`). Uint8Array values are payloads (`data`, `meta`): raw JSON in HTTP requests, bytes in gRPC.
 */
export type ProxyRequest = Record<string, string | boolean | readonly string[] | Uint8Array | undefined>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function payloadJson(key: string, bytes: Uint8Array, check: boolean): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
    if (check) JSON.parse(text);
  } catch (cause) {
    throw new ProxyCallError(
      'malformed',
      `request field ${key} is not JSON (a protobuf client sent binary data): turn on binary_encoding for this proxy`,
      { cause },
    );
  }
  return text === '' ? 'null' : text;
}

/**
 * The HTTP proxy's JSON body. Payloads are embedded as the JSON text they are; `checkPayloads` verifies that they
 * are JSON at all (needed only for payloads that did not come through the JSON protocol, which already checked).
 */
export function encodeRequestJson(request: ProxyRequest, checkPayloads: boolean): string {
  let out = '';
  for (const key of Object.keys(request)) {
    const value = request[key];
    if (value === undefined) continue;
    const json = value instanceof Uint8Array ? payloadJson(key, value, checkPayloads) : JSON.stringify(value);
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${json}`;
  }
  return `{${out}}`;
}
