import type { Logger } from 'pino';
import type { ControlHandler, Controller } from '../controller.js';
import { EngineUnavailableError } from '../engine-unavailable-error.js';
import type { PushedMessage } from './tarantool-replies.js';
import type { TarantoolShard } from './tarantool-shard.js';

const broadcastName = 'control';
const nodeName = (nodeId: string) => `node.${nodeId}`;

/**
 * Node-to-node control messages over the Tarantool shards: every node listens to `control` and its own
 * `node.<id>` on every shard (a subscription table apart from channels, so no channel name can collide), and
 * each message is queued on one shard, taken in turn (a shard that is down is skipped).
 */
export class TarantoolControl implements Controller {
  private handler: ControlHandler | undefined;
  private round = 0;

  constructor(
    private readonly shards: () => readonly TarantoolShard[],
    private readonly logger: Logger,
  ) {}

  async runControl(nodeId: string, handler: ControlHandler): Promise<void> {
    this.handler = handler;
    await Promise.all(this.shards().map((shard) => shard.listenControl([broadcastName, nodeName(nodeId)])));
  }

  receive(message: PushedMessage): void {
    try {
      this.handler?.handleControl(message.data);
    } catch (err) {
      this.logger.error({ err }, 'handling a control message failed');
    }
  }

  async publishControl(data: Uint8Array, toNode?: string): Promise<void> {
    const shards = this.shards();
    const name = toNode === undefined ? broadcastName : nodeName(toNode);
    const payload = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let lastError: unknown;
    for (let attempt = 0; attempt < shards.length; attempt++) {
      const shard = shards[this.round++ % shards.length]!;
      if (!shard.ready) continue;
      try {
        await shard.call('publish_control', [name, payload]);
        return;
      } catch (err) {
        lastError = err;
      }
    }
    throw new EngineUnavailableError('no Tarantool shard is available for control messages', 'all', { cause: lastError });
  }
}
