import { randomFillSync } from 'node:crypto';

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const pool = Buffer.alloc(4096);
let used = pool.length;

/**
 * A random 8-letter epoch for a stream that may start with this call (Centrifugo's form). Every history
 * publish and read passes one, so random bytes come from a pool refilled 512 epochs at a time.
 */
export function newStreamEpoch(): string {
  if (used + 8 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let epoch = '';
  for (let i = 0; i < 8; i++) epoch += letters[pool[used + i]! % 52];
  used += 8;
  return epoch;
}
