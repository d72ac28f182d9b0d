import { createDelta } from 'fossil-delta';
import type { Bytes, Publication } from '../../src/protocol/client-protocol.js';
import type { Codec, EncodedFrame } from '../../src/protocol/codec.js';

/** JSON clients with delta negotiated get every payload (full or patch) as a JSON string of its text. */
export function asJsonString(bytes: Bytes): Bytes {
  return Buffer.from(JSON.stringify(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')));
}

/**
 * Frames of one form already encoded, per codec and channel form (name, or compaction id). A list searched
 * linearly and made on first use: a node has two or three codecs, and most publications need one entry, where
 * a map per form cost about 900 bytes of allocation per publication.
 */
interface CachedFrame<T> {
  readonly codec: Codec;
  readonly useId: boolean;
  readonly frame: T;
}

function cached<T>(list: CachedFrame<T>[] | undefined, codec: Codec, useId: boolean): CachedFrame<T> | undefined {
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    if (entry.codec === codec && entry.useId === useId) return entry;
  }
  return undefined;
}

/**
 * The frames of one publication, built lazily and at most once per protocol and form, then shared by every
 * subscriber that needs that form: plain, full-for-delta-subscribers, or fossil delta against `prev`; each
 * with the channel name or, for subscribers with channel compaction, the node's channel id.
 */
export class PublicationFrames {
  private plain: CachedFrame<EncodedFrame>[] | undefined;
  private deltaFull: CachedFrame<EncodedFrame>[] | undefined;
  private deltas: CachedFrame<EncodedFrame | null>[] | undefined;
  private patch: Uint8Array | null | undefined;

  constructor(
    readonly channel: string,
    readonly pub: Publication,
    /** The stream's epoch ('' for publications without history). */
    readonly epoch: string,
    /** The previous publication of the stream, when the publisher asked for delta and history holds it. */
    readonly prev: Publication | undefined,
    /** The channel's compaction id on this node (0 = none assigned). */
    readonly channelId = 0,
  ) {}

  plainFrame(codec: Codec, useId = false): EncodedFrame {
    const hit = cached(this.plain, codec, useId);
    if (hit) return hit.frame;
    const frame = codec.encodePublicationPush(this.channel, this.pub, useId ? this.channelId : 0);
    (this.plain ??= []).push({ codec, useId, frame });
    return frame;
  }

  /** The full payload as a subscriber with delta negotiated expects it (JSON: a string of the JSON text). */
  fullFrameForDelta(codec: Codec, useId = false): EncodedFrame {
    if (codec.binary) return this.plainFrame(codec, useId);
    const hit = cached(this.deltaFull, codec, useId);
    if (hit) return hit.frame;
    const data = asJsonString(this.pub.data);
    const frame = codec.encodePublicationPush(this.channel, { ...this.pub, data }, useId ? this.channelId : 0);
    (this.deltaFull ??= []).push({ codec, useId, frame });
    return frame;
  }

  /** The delta frame against `prev`, or null when a patch would not be smaller than the payload. */
  deltaFrame(codec: Codec, useId = false): EncodedFrame | null {
    const hit = cached(this.deltas, codec, useId);
    if (hit) return hit.frame;
    const patch = this.patchBytes();
    let frame: EncodedFrame | null = null;
    if (patch) {
      const data = codec.binary ? patch : asJsonString(patch);
      frame = codec.encodePublicationPush(this.channel, { ...this.pub, data, delta: true }, useId ? this.channelId : 0);
    }
    (this.deltas ??= []).push({ codec, useId, frame });
    return frame;
  }

  private patchBytes(): Uint8Array | null {
    if (this.patch !== undefined) return this.patch;
    this.patch = null;
    if (!this.prev) return null;
    const patch = createDelta(this.prev.data, this.pub.data);
    if (patch.length >= this.pub.data.length) return null;
    // JSON clients get the patch inside a JSON string: it must survive the UTF-8 round trip unchanged.
    const roundTrip = Buffer.from(Buffer.from(patch).toString('utf8'), 'utf8');
    if (!roundTrip.equals(Buffer.from(patch))) return null;
    this.patch = patch;
    return patch;
  }
}
