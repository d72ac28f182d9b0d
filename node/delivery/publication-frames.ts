import { createDelta } from 'fossil-delta';
import type { Bytes, Publication } from '../../src/protocol/client-protocol.js';
import type { Codec, EncodedFrame } from '../../src/protocol/codec.js';

/** JSON clients with delta negotiated get every payload (full or patch) as a JSON string of its text. */
export function asJsonString(bytes: Bytes): Bytes {
  return Buffer.from(JSON.stringify(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')));
}

/**
 * The frames of one publication, built lazily and at most once per protocol and form, then shared by every
 * subscriber that needs that form: plain, full-for-delta-subscribers, or fossil delta against `prev`.
 */
export class PublicationFrames {
  private readonly plain = new Map<Codec, EncodedFrame>();
  private readonly deltaFull = new Map<Codec, EncodedFrame>();
  private readonly deltas = new Map<Codec, EncodedFrame | null>();
  private patch: Uint8Array | null | undefined;

  constructor(
    readonly channel: string,
    readonly pub: Publication,
    /** The stream's epoch ('' for publications without history). */
    readonly epoch: string,
    /** The previous publication of the stream, when the publisher asked for delta and history holds it. */
    readonly prev: Publication | undefined,
  ) {}

  plainFrame(codec: Codec): EncodedFrame {
    let frame = this.plain.get(codec);
    if (!frame) {
      frame = codec.encodePublicationPush(this.channel, this.pub);
      this.plain.set(codec, frame);
    }
    return frame;
  }

  /** The full payload as a subscriber with delta negotiated expects it (JSON: a string of the JSON text). */
  fullFrameForDelta(codec: Codec): EncodedFrame {
    if (codec.binary) return this.plainFrame(codec);
    let frame = this.deltaFull.get(codec);
    if (!frame) {
      frame = codec.encodePublicationPush(this.channel, { ...this.pub, data: asJsonString(this.pub.data) });
      this.deltaFull.set(codec, frame);
    }
    return frame;
  }

  /** The delta frame against `prev`, or null when a patch would not be smaller than the payload. */
  deltaFrame(codec: Codec): EncodedFrame | null {
    if (this.deltas.has(codec)) return this.deltas.get(codec)!;
    const patch = this.patchBytes();
    let frame: EncodedFrame | null = null;
    if (patch) {
      const data = codec.binary ? patch : asJsonString(patch);
      frame = codec.encodePublicationPush(this.channel, { ...this.pub, data, delta: true });
    }
    this.deltas.set(codec, frame);
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
