/**
 * The shard of a channel: jump consistent hash (Lamping & Veach) of the 64-bit FNV-1a hash of the channel's
 * UTF-8 bytes — the function Centrifugo's Redis engine uses, so both pick the same shard from the same ordered
 * list. 64-bit arithmetic runs on four 16-bit limbs (no BigInt on the publish path).
 */

/** A 64-bit unsigned value as four 16-bit limbs, least significant first. */
type Limbs = [number, number, number, number];

const encoder = new TextEncoder();

// FNV-1a 64: offset basis 0xcbf29ce484222325, prime 0x100000001b3 = 2^40 + 0x1b3.
function fnvStep(h: Limbs, byte: number): void {
  h[0] ^= byte;
  const a0 = h[0];
  const a1 = h[1];
  // h * 0x1b3
  let t = a0 * 0x1b3;
  const r0 = t & 0xffff;
  t = a1 * 0x1b3 + (t >>> 16);
  const r1 = t & 0xffff;
  t = h[2] * 0x1b3 + Math.floor(t / 65536);
  let r2 = t & 0xffff;
  t = h[3] * 0x1b3 + Math.floor(t / 65536);
  let r3 = t & 0xffff;
  // + h << 40: limb 2 gains a0 << 8, limb 3 gains (a1 << 8 | a0 >> 8)
  t = r2 + ((a0 << 8) & 0xffff);
  r2 = t & 0xffff;
  r3 = (r3 + (((a1 << 8) | (a0 >>> 8)) & 0xffff) + (t >>> 16)) & 0xffff;
  h[0] = r0;
  h[1] = r1;
  h[2] = r2;
  h[3] = r3;
}

function fnv1a64Limbs(channel: string): Limbs {
  const h: Limbs = [0x2325, 0x8422, 0x9ce4, 0xcbf2];
  let ascii = true;
  for (let i = 0; i < channel.length; i++) {
    if (channel.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (let i = 0; i < channel.length; i++) fnvStep(h, channel.charCodeAt(i));
  } else {
    for (const byte of encoder.encode(channel)) fnvStep(h, byte);
  }
  return h;
}

/** FNV-1a 64 of the channel's UTF-8 bytes as 16 hex digits (for tests and logs). */
export function fnv1a64Hex(channel: string): string {
  const h = fnv1a64Limbs(channel);
  return h.map((limb) => limb.toString(16).padStart(4, '0')).reverse().join('');
}

// The jump's linear congruential step: key = key * 2862933555777941757 + 1 (mod 2^64).
const m: Limbs = [0xb0fd, 0x87b0, 0x2ee6, 0x27bb];

function lcgStep(k: Limbs): void {
  const [k0, k1, k2, k3] = k;
  // Schoolbook product of the low 64 bits; each partial product < 2^32, sums stay exact in doubles.
  let c = k0 * m[0] + 1;
  const r0 = c % 65536;
  c = Math.floor(c / 65536) + k0 * m[1] + k1 * m[0];
  const r1 = c % 65536;
  c = Math.floor(c / 65536) + k0 * m[2] + k1 * m[1] + k2 * m[0];
  const r2 = c % 65536;
  c = Math.floor(c / 65536) + k0 * m[3] + k1 * m[2] + k2 * m[1] + k3 * m[0];
  k[0] = r0;
  k[1] = r1;
  k[2] = r2;
  k[3] = c % 65536;
}

/** Index in [0, buckets) of the channel's shard; 0 for one bucket (or fewer). */
export function shardIndex(channel: string, buckets: number): number {
  if (buckets <= 1) return 0;
  const key = fnv1a64Limbs(channel);
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    lcgStep(key);
    // key >> 33: the top 31 bits.
    const top31 = key[3] * 32768 + (key[2] >>> 1);
    j = Math.floor((b + 1) * (2147483648 / (top31 + 1)));
  }
  return b;
}
