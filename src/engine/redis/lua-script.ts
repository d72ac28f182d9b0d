import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-clients.js';

type Arg = string | Buffer | number;

/**
 * The Buffer-reply variants ioredis generates for every builtin command at runtime but leaves out of its
 * typings. (`callBuffer` would be typed, but breaks under auto-pipelining.)
 */
interface BufferScripting {
  evalshaBuffer(...args: Arg[]): Promise<unknown>;
  evalBuffer(...args: Arg[]): Promise<unknown>;
}

/**
 * A Lua script run by its SHA1 (EVALSHA), loaded on demand: a shard that does not know it yet (first use,
 * or a restarted Redis) answers NOSCRIPT and the call is repeated once as EVAL, which caches it. Replies
 * come with bulk strings as Buffers.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: readonly string[], args: readonly Arg[]): Promise<unknown> {
    const scripting = client as unknown as BufferScripting;
    try {
      return await scripting.evalshaBuffer(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return scripting.evalBuffer(this.source, keys.length, ...keys, ...args);
    }
  }
}
