import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { connect, Events, type ConnectionOptions, type NatsConnection, type Subscription } from 'nats';
import type { Logger } from 'pino';
import { EngineUnavailableError } from '../engine-unavailable-error.js';

export interface NatsSettings {
  /** Server URLs (`nats://host:port`, `tls://…`); credentials in a URL become user/password or token. */
  servers: string[];
  /** ms for the TCP connect and handshake (`dial_timeout`). */
  dialTimeoutMs: number;
  /** ms a flush (a PING round trip) may take before the connection counts as broken (`write_timeout`). */
  writeTimeoutMs: number;
  tls: TlsConnectionOptions | undefined;
  /** Name the server shows for this connection (the node's name). */
  name: string;
}

/** Receives a connection's life: first connected, lost, back (nats.js resubscribed everything by then). */
export interface NatsConnectionListener {
  onConnected(connection: NatsConnection, first: boolean): void;
  onDisconnected(): void;
}

const reconnectWaitMs = 250;
const maxRetryDelayMs = 5_000;

/** `nats://user:pass@host:4222` → the server without credentials plus the credentials, as nats.js takes them. */
export function splitCredentials(servers: readonly string[]): { servers: string[]; auth: Partial<ConnectionOptions> } {
  const auth: Partial<ConnectionOptions> = {};
  const plain = servers.map((server) => {
    const match = /^([a-z]+:\/\/)([^@/]*)@(.*)$/i.exec(server);
    if (!match) return server;
    const [, scheme, credentials, rest] = match;
    const colon = credentials!.indexOf(':');
    if (colon >= 0) {
      auth.user = decodeURIComponent(credentials!.slice(0, colon));
      auth.pass = decodeURIComponent(credentials!.slice(colon + 1));
    } else if (credentials) {
      auth.token = decodeURIComponent(credentials);
    }
    return scheme! + rest!;
  });
  return { servers: plain, auth };
}

/** A server URL without credentials, for logs and /health. */
export function redactNatsUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

/**
 * One connection to NATS for the node. Connecting is retried with backoff until it succeeds or the node
 * closes (so a NATS server that is down at start-up does not stop the node: its channels answer error 100
 * meanwhile); once connected, nats.js reconnects on its own forever and resubscribes, and every loss and
 * return is logged once and reported to the listener.
 */
export class NatsLink {
  private connection: NatsConnection | undefined;
  private connected = false;
  private closed = false;
  private everConnected = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly firstConnect: Promise<void>;
  private resolveFirst!: () => void;
  readonly displayName: string;

  constructor(
    private readonly settings: NatsSettings,
    private readonly listener: NatsConnectionListener,
    private readonly logger: Logger,
  ) {
    this.firstConnect = new Promise((resolve) => (this.resolveFirst = resolve));
    this.displayName = settings.servers.map(redactNatsUrl).join(',');
  }

  get ready(): boolean {
    return this.connected;
  }

  /** Starts connecting; resolves once connected or after `timeoutMs` (the node serves meanwhile). */
  async start(timeoutMs: number): Promise<boolean> {
    void this.attempt(0);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.firstConnect, timedOut]);
    clearTimeout(timer);
    if (!this.connected) {
      this.logger.warn({ nats: this.displayName }, 'NATS server is not reachable yet; its channels answer error 100 until it is');
    }
    return this.connected;
  }

  /** The live connection; throws EngineUnavailableError while there is none (the caller answers 100). */
  current(): NatsConnection {
    if (!this.connected || !this.connection) {
      throw new EngineUnavailableError('the NATS server is not reachable', this.displayName);
    }
    return this.connection;
  }

  /** The connection even while it is reconnecting (subscriptions made then are sent on reconnect). */
  existing(): NatsConnection | undefined {
    return this.connection;
  }

  private async attempt(failures: number): Promise<void> {
    if (this.closed) return;
    const { servers, auth } = splitCredentials(this.settings.servers);
    const options: ConnectionOptions = {
      ...auth,
      servers,
      name: this.settings.name,
      timeout: this.settings.dialTimeoutMs,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: reconnectWaitMs,
      reconnectJitter: 100,
      // A dead server whose socket stays open is noticed after two missed pings.
      pingInterval: 5_000,
      maxPingOut: 2,
    };
    if (this.settings.tls) options.tls = this.settings.tls as NonNullable<ConnectionOptions['tls']>;
    let connection: NatsConnection;
    try {
      connection = await connect(options);
    } catch (err) {
      if (failures === 0 || failures % 20 === 0) {
        this.logger.warn({ nats: this.displayName, err: (err as Error).message }, 'cannot connect to NATS; retrying');
      }
      const delay = Math.min(maxRetryDelayMs, reconnectWaitMs * 2 ** Math.min(failures, 5)) * (0.5 + Math.random() / 2);
      this.retry = setTimeout(() => void this.attempt(failures + 1), delay);
      return;
    }
    if (this.closed) {
      await connection.close().catch(() => {});
      return;
    }
    this.connection = connection;
    this.connected = true;
    const first = !this.everConnected;
    this.everConnected = true;
    this.logger.info({ nats: this.displayName, server: connection.getServer() }, 'connected to NATS');
    void this.watch(connection);
    this.listener.onConnected(connection, first);
    this.resolveFirst();
  }

  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect) {
        if (!this.connected) continue;
        this.connected = false;
        this.logger.warn({ nats: this.displayName, server: String(status.data) }, 'lost the NATS server; reconnecting (its channels answer error 100 meanwhile)');
        this.listener.onDisconnected();
      } else if (status.type === Events.Reconnect) {
        this.connected = true;
        this.logger.info({ nats: this.displayName, server: String(status.data) }, 'reconnected to NATS; subscriptions restored');
        this.listener.onConnected(connection, false);
      } else if (status.type === Events.Error) {
        this.logger.warn({ nats: this.displayName, err: String(status.data) }, 'NATS reported an error');
      }
    }
  }

  /** A PING round trip: every command written before it was processed by the server. */
  async flush(): Promise<void> {
    const connection = this.current();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new EngineUnavailableError('NATS did not answer in time', this.displayName)),
        this.settings.writeTimeoutMs,
      );
    });
    try {
      await Promise.race([connection.flush(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.connected = false;
    const connection = this.connection;
    this.connection = undefined;
    this.resolveFirst();
    if (connection && !connection.isClosed()) await connection.close().catch(() => {});
  }
}

export type { Subscription };
