import type { Logger } from 'pino';
import { shardIndex } from '../../sharding/jump-hash.js';
import type { ControlHandler, Controller } from '../controller.js';
import { asBuffer } from './as-buffer.js';
import { EngineUnavailableError } from '../engine-unavailable-error.js';
import type { RedisRing } from './redis-ring.js';
import type { RedisShard } from './redis-shard.js';

/**
 * Node-to-node control messages over the ring, as Centrifugo's Redis engine carries them: every node
 * subscribes `<prefix>.control` and its own `<prefix>.node.<id>` on every shard, and each message is
 * published on one shard (a shard that is down is skipped): broadcasts take the shards in turn, messages to
 * one node always start at the shard that node's id hashes to, so they arrive in the order they were sent
 * (emulation requests of one session must not overtake each other).
 */
export class RedisControl implements Controller {
  private handler: ControlHandler | undefined;
  private nodeChannel = '';
  private round = 0;

  constructor(
    private readonly ring: RedisRing,
    private readonly logger: Logger,
  ) {}

  async runControl(nodeId: string, handler: ControlHandler): Promise<void> {
    this.handler = handler;
    this.nodeChannel = this.ring.all()[0]?.keys.nodeChannel(nodeId) ?? '';
    for (const shard of this.ring.all()) this.attach(shard);
  }

  /** Subscribes a shard that joined the ring to the control channels. */
  attach(shard: RedisShard): void {
    if (!this.handler) return;
    shard.subscriptions.keep(shard.keys.controlChannel);
    shard.subscriptions.keep(this.nodeChannel);
  }

  /** Handles a PUB/SUB message when it is a control message; false when it is not one. */
  receive(shard: RedisShard, pubSubChannel: string, message: Buffer): boolean {
    if (pubSubChannel !== shard.keys.controlChannel && pubSubChannel !== this.nodeChannel) return false;
    try {
      this.handler?.handleControl(message);
    } catch (err) {
      this.logger.error({ shard: shard.name, err }, 'handling a control message failed');
    }
    return true;
  }

  async publishControl(data: Uint8Array, toNode?: string): Promise<void> {
    const shards = this.ring.all();
    const payload = asBuffer(data);
    let lastError: unknown;
    const first = toNode === undefined ? this.round++ : shardIndex(toNode, shards.length);
    for (let attempt = 0; attempt < shards.length; attempt++) {
      const shard = shards[(first + attempt) % shards.length]!;
      if (!shard.ready) continue;
      const channel = toNode === undefined ? shard.keys.controlChannel : shard.keys.nodeChannel(toNode);
      try {
        await shard.counted(shard.commands.publish(channel, payload));
        return;
      } catch (err) {
        lastError = err;
      }
    }
    throw new EngineUnavailableError('no Redis shard is available for control messages', 'all', { cause: lastError });
  }
}
