// The official centrifuge SDK as a proxy test client: its WebSocket carries a Cookie header (as a browser sends
// the application's session cookie), so the connect proxy can authenticate it without a token.
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';

export type SdkClient = InstanceType<typeof Centrifuge>;

export interface SdkOptions {
  /** Sent as the Cookie header of the WebSocket upgrade. */
  cookie?: string;
  /** SDK options passed through (token, headers, name, …). */
  options?: Record<string, unknown>;
}

/** A WebSocket class that sends `headers` with its upgrade request (what the SDK constructs). */
export function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as unknown as typeof WebSocket;
}

export function sdkClient(wsUrl: string, { cookie, options = {} }: SdkOptions = {}): SdkClient {
  const websocket = cookie ? webSocketWithHeaders({ Cookie: cookie }) : WebSocket;
  return new Centrifuge(wsUrl, { websocket, minReconnectDelay: 100, maxReconnectDelay: 500, ...options });
}

/** Resolves with the first `event` the emitter fires, or rejects after `timeoutMs`. */
export function once<T>(emitter: { once(event: string, listener: (ctx: T) => void): unknown }, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (ctx: T) => {
      clearTimeout(timer);
      resolve(ctx);
    });
  });
}

/** The error an SDK call rejected with (its code, message and temporary flag). */
export async function rejection(promise: Promise<unknown>): Promise<{ code: number; message: string; temporary?: boolean }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; message: string; temporary?: boolean };
  }
  throw new Error('expected the call to be rejected');
}
