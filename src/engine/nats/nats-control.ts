import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import type { ControlHandler, Controller } from '../controller.js';
import type { NatsLink } from './nats-connection.js';
import type { NatsSubjects } from './nats-subjects.js';

/**
 * Node-to-node control messages over NATS, as Centrifugo's NATS broker carries them: the raw protobuf control
 * Command on `<prefix>.control` (every node) or `<prefix>.node.<id>` (one node).
 */
export class NatsControl implements Controller {
  private handler: ControlHandler | undefined;
  private nodeId = '';
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly link: NatsLink,
    private readonly subjects: NatsSubjects,
    private readonly logger: Logger,
  ) {}

  async runControl(nodeId: string, handler: ControlHandler): Promise<void> {
    this.handler = handler;
    this.nodeId = nodeId;
    const connection = this.link.existing();
    if (connection) await this.attach(connection);
  }

  /** Subscribes the control subjects on a (new) connection; nats.js keeps them across its reconnects. */
  async attach(connection: NatsConnection): Promise<void> {
    if (!this.handler || this.subscriptions.length > 0) return;
    const receive = (err: Error | null, msg: { data: Uint8Array }): void => {
      if (err) return;
      try {
        this.handler?.handleControl(msg.data);
      } catch (error) {
        this.logger.error({ err: error }, 'handling a control message failed');
      }
    };
    this.subscriptions = [
      connection.subscribe(this.subjects.control, { callback: receive }),
      connection.subscribe(this.subjects.node(this.nodeId), { callback: receive }),
    ];
    await this.link.flush().catch(() => {});
  }

  async publishControl(data: Uint8Array, toNode?: string): Promise<void> {
    const subject = toNode === undefined ? this.subjects.control : this.subjects.node(toNode);
    this.link.current().publish(subject, data);
  }

  close(): void {
    this.handler = undefined;
    for (const subscription of this.subscriptions) if (!subscription.isClosed()) subscription.unsubscribe();
    this.subscriptions = [];
  }
}
