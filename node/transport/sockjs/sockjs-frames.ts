// SockJS framing (protocol 0.3): what the server writes on every transport is one of these frames; the transport
// adds its own delimiters (a line feed, an SSE event, a WebSocket message).

export const openFrame = 'o';
export const heartbeatFrame = 'h';

/**
 * Every character outside printable ASCII escaped as \uXXXX: SockJS servers escape characters that browsers or
 * proxies may mangle in a stream, and escaping all of them is the simple superset (the frame stays valid JSON).
 */
function escapeNonAscii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** `a["msg1","msg2"]`: messages for the client, in order. */
export function messageFrame(messages: readonly string[]): string {
  return 'a' + escapeNonAscii(JSON.stringify(messages));
}

/** `c[code,"reason"]`: the session is closed; sent on every later request for it. */
export function closeFrame(code: number, reason: string): string {
  return 'c' + escapeNonAscii(JSON.stringify([code, reason]));
}

/** The frame for a receiver that arrives while another one is attached (SockJS's code 2010). */
export const anotherConnectionFrame = closeFrame(2010, 'Another connection still open');

/**
 * The messages of a client's send: a JSON array of strings (xhr_send, WebSocket) or a single JSON string
 * (WebSocket). Null when it is not that.
 */
export function parseClientMessages(text: string): string[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return null;
}
