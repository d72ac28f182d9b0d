import { connect as connectTcp, type Socket } from 'node:net';
import {
  FrameReader,
  IprotoProtocolError,
  RequestType,
  authBody,
  callBody,
  decodeResponse,
  encodeRequest,
  evalBody,
  greetingBytes,
  parseGreeting,
  pushChunk,
} from './iproto.js';

export interface TarantoolEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The connection is gone (or never came up): every request in flight fails with this. */
export class TarantoolConnectionError extends Error {
  readonly code = 'TARANTOOL_CONNECTION';
}

interface Pending {
  resolve(data: unknown[]): void;
  reject(err: Error): void;
  onPush: ((data: unknown[]) => void) | undefined;
  timer: NodeJS.Timeout | undefined;
}

export interface RequestOptions {
  /** ms; 0 = no timeout (a long poll that ends on its own). */
  timeoutMs: number;
  /** Receives each box.session.push of this request, in order, before it resolves. */
  onPush?: (data: unknown[]) => void;
}

/**
 * One connection to a Tarantool instance speaking IPROTO: requests are pipelined and matched to responses by
 * sync; a request that times out fails alone, a broken stream (closed socket, a frame that does not parse)
 * fails them all and closes the connection for good. `onClose` tells the owner, which reconnects.
 */
export class TarantoolConnection {
  private readonly pending = new Map<number, Pending>();
  private readonly frames = new FrameReader();
  private sync = 0;
  private closedWith: Error | undefined;
  onClose: ((err: Error) => void) | undefined;

  private constructor(private readonly socket: Socket) {}

  /** Connects, reads the greeting and authenticates (when a user is set) within `timeoutMs`. */
  static async open(endpoint: TarantoolEndpoint, timeoutMs: number): Promise<TarantoolConnection> {
    const socket = connectTcp({ host: endpoint.host, port: endpoint.port });
    socket.setNoDelay(true);
    const greeting = await readGreeting(socket, timeoutMs);
    const connection = new TarantoolConnection(socket);
    connection.listen();
    if (endpoint.user !== '') {
      try {
        await connection.request(RequestType.auth, authBody(endpoint.user, endpoint.password, greeting.salt), { timeoutMs });
      } catch (err) {
        connection.close(err as Error);
        throw err;
      }
    }
    return connection;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  call(name: string, args: readonly unknown[], options: RequestOptions): Promise<unknown[]> {
    return this.request(RequestType.call, callBody(name, args), options);
  }

  eval(expr: string, args: readonly unknown[], options: RequestOptions): Promise<unknown[]> {
    return this.request(RequestType.eval, evalBody(expr, args), options);
  }

  private request(type: number, body: Map<number, unknown>, options: RequestOptions): Promise<unknown[]> {
    if (this.closedWith) return Promise.reject(new TarantoolConnectionError(this.closedWith.message));
    const sync = (this.sync = (this.sync + 1) % 0x7fffffff);
    return new Promise<unknown[]>((resolve, reject) => {
      const pending: Pending = { resolve, reject, onPush: options.onPush, timer: undefined };
      if (options.timeoutMs > 0) {
        pending.timer = setTimeout(() => {
          this.pending.delete(sync);
          reject(new TarantoolConnectionError(`Tarantool did not answer within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      this.pending.set(sync, pending);
      this.socket.write(encodeRequest(type, sync, body));
    });
  }

  private listen(): void {
    this.socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of this.frames.push(chunk)) this.dispatch(frame);
      } catch (err) {
        this.close(err instanceof Error ? err : new IprotoProtocolError(String(err)));
      }
    });
    this.socket.on('error', (err) => this.close(err));
    this.socket.on('close', () => this.close(new TarantoolConnectionError('Tarantool closed the connection')));
  }

  private dispatch(frame: Buffer): void {
    const response = decodeResponse(frame);
    const pending = this.pending.get(response.sync);
    if (!pending) return; // timed out meanwhile
    if (response.type === pushChunk) {
      pending.onPush?.(response.data);
      return;
    }
    this.pending.delete(response.sync);
    clearTimeout(pending.timer);
    if (response.error) pending.reject(response.error);
    else pending.resolve(response.data);
  }

  close(reason: Error = new TarantoolConnectionError('connection closed')): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    this.socket.destroy();
    const failure = new TarantoolConnectionError(reason.message, { cause: reason });
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(failure);
    }
    this.pending.clear();
    this.onClose?.(reason);
  }
}

function readGreeting(socket: Socket, timeoutMs: number): Promise<{ version: string; salt: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new TarantoolConnectionError(`no Tarantool greeting within ${timeoutMs} ms`)), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
    };
    const fail = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onClose = (): void => fail(new TarantoolConnectionError('connection closed before the greeting'));
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (received.length < greetingBytes) return;
      cleanup();
      try {
        const greeting = parseGreeting(received.subarray(0, greetingBytes));
        // Anything after the greeting belongs to the first response; the server sends nothing unasked.
        if (received.length > greetingBytes) throw new IprotoProtocolError('unexpected bytes after the Tarantool greeting');
        resolve(greeting);
      } catch (err) {
        socket.destroy();
        reject(err as Error);
      }
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('close', onClose);
  });
}
