import type { Command, Publication, Reply } from './client-protocol.js';

export type ProtocolName = 'json' | 'protobuf';

/** A frame ready for the transport: text for JSON (sent as a text frame), bytes for protobuf (binary frame). */
export type EncodedFrame = string | Uint8Array;

/**
 * Turns client frames into commands and replies into frames. Implementations are stateless so one instance
 * serves every connection. Decode errors throw `ProtocolDecodeError`; the session answers them with 3501.
 */
export interface Codec {
  readonly name: ProtocolName;
  /** Whether frames of this codec travel as binary WebSocket frames. */
  readonly binary: boolean;
  /** Decodes one frame, which may hold several commands (JSON: `\n`-joined; protobuf: uvarint-delimited). */
  decodeCommands(frame: Uint8Array): Command[];
  /** Encodes one reply as a standalone frame (protobuf: with its uvarint length prefix). */
  encodeReply(reply: Reply): EncodedFrame;
  /** Encodes several replies into one frame (JSON: `\n`-joined; protobuf: concatenated, each length-prefixed). */
  encodeReplies(replies: readonly Reply[]): EncodedFrame;
  /**
   * Encodes a publication push for `channel` once, so the same frame can go to every subscriber on this
   * protocol. Equal to `encodeReply({ push: { channel, pub } })`, or `{ push: { id, pub } }` for subscribers
   * with channel compaction when `channelId` > 0.
   */
  encodePublicationPush(channel: string, pub: Publication, channelId?: number): EncodedFrame;
}
