import { createDelta } from 'fossil-delta';
import type { Bytes, Publication } from '../../src/protocol/client-protocol.js';
import type { Codec, EncodedFrame } from '../../src/protocol/codec.js';

/** JSON clients with delta negotiated get every payload (full or patch) as a JSON string of its text. */
export function asJsonString(bytes: Bytes): Bytes {
  return Buffer.from(JSON.stringify(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')));
}

/** Frames of one form per codec: index 0 names the channel, index 1 carries the compaction id instead. */
type FramesByCodec<T> = [Map<Codec, T>, Map<Codec, T>];

function byCodec<T>(): FramesByCodec<T> {
  return [new Map(), new Map()];
}

/**
 * The frames of one publication, built lazily and at most once per protocol and form, then shared by every
 * subscriber that needs that form: plain, full-for-delta-subscribers, or fossil delta against `prev`; each
 * with the channel name or, for subscribers with channel compaction, the node's channel id.
 */
export class PublicationFrames {
  private readonly plain = byCodec<EncodedFrame>();
  private readonly deltaFull = byCodec<EncodedFrame>();
  private readonly deltas = byCodec<EncodedFrame | null>();
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
    const cache = this.plain[useId ? 1 : 0];
    let frame = cache.get(codec);
    if (!frame) {
      frame = codec.encodePublicationPush(this.channel, this.pub, useId ? this.channelId : 0);
      cache.set(codec, frame);
    }
    return frame;
  }

  /** The full payload as a subscriber with delta negotiated expects it (JSON: a string of the JSON text). */
  fullFrameForDelta(codec: Codec, useId = false): EncodedFrame {
    if (codec.binary) return this.plainFrame(codec, useId);
    const cache = this.deltaFull[useId ? 1 : 0];
    let frame = cache.get(codec);
    if (!frame) {
      frame = codec.encodePublicationPush(this.channel, { ...this.pub, data: asJsonString(this.pub.data) }, useId ? this.channelId : 0);
      cache.set(codec, frame);
    }
    return frame;
  }

  /** The delta frame against `prev`, or null when a patch would not be smaller than the payload. */
  deltaFrame(codec: Codec, useId = false): EncodedFrame | null {
    const cache = this.deltas[useId ? 1 : 0];
    if (cache.has(codec)) return cache.get(codec)!;
    const patch = this.patchBytes();
    let frame: EncodedFrame | null = null;
    if (patch) {
      const data = codec.binary ? patch : asJsonString(patch);
      frame = codec.encodePublicationPush(this.channel, { ...this.pub, data, delta: true }, useId ? this.channelId : 0);
    }
    cache.set(codec, frame);
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
