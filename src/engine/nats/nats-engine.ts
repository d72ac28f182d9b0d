import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { EngineHealth } from '../engine-health.js';
import { NatsBroker } from './nats-broker.js';
import { NatsLink, type NatsConnectionListener, type NatsSettings } from './nats-connection.js';
import { NatsControl } from './nats-control.js';
import { NatsSubjects } from './nats-subjects.js';

export interface NatsEngineOptions {
  /** Subject prefix (`broker.nats.prefix`, Centrifugo's default "centrifugo"). */
  prefix: string;
  connection: NatsSettings;
  /** How long `start` waits for NATS before serving anyway (its channels answer error 100 meanwhile). */
  startTimeoutMs: number;
}

/** The NATS broker of one node with the control channel on the same connection. */
export class NatsEngine implements NatsConnectionListener {
  readonly link: NatsLink;
  readonly broker: NatsBroker;
  readonly control: NatsControl;

  constructor(
    private readonly options: NatsEngineOptions,
    logger: Logger,
  ) {
    const subjects = new NatsSubjects(options.prefix);
    this.link = new NatsLink(options.connection, this, logger);
    this.broker = new NatsBroker(this.link, subjects, logger);
    this.control = new NatsControl(this.link, subjects, logger);
  }

  async start(): Promise<void> {
    await this.link.start(this.options.startTimeoutMs);
  }

  onConnected(connection: NatsConnection, first: boolean): void {
    void this.control.attach(connection);
    if (!first) this.broker.reconnected(connection);
  }

  onDisconnected(): void {}

  health(): EngineHealth {
    const ready = this.link.ready;
    return { ready, ringVersion: undefined, shards: [{ name: this.link.displayName, ready }] };
  }

  async close(): Promise<void> {
    await this.broker.close();
    this.control.close();
    await this.link.close();
  }
}
