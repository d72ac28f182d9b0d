import type { EncodedFrame } from '../../src/protocol/codec.js';

/**
 * Groups one flush's frames into WebSocket messages of at most `maxPerMessage` frames each, as Centrifugo's
 * writer does: JSON replies joined by `\n` (the SDKs split text messages on it), protobuf replies back to back
 * (each is already uvarint-length-prefixed). Fewer messages mean fewer frame headers and `send` calls per
 * delivery. A frame of the other kind (never produced by one codec) is left as its own message.
 */
export function joinFrames(frames: readonly EncodedFrame[], binary: boolean, maxPerMessage: number): EncodedFrame[] {
  if (frames.length <= 1 || maxPerMessage <= 1) return frames as EncodedFrame[];
  const messages: EncodedFrame[] = [];
  let group: EncodedFrame[] = [];
  const close = (): void => {
    if (group.length === 1) messages.push(group[0]!);
    else if (group.length > 1) messages.push(binary ? concatBytes(group as Uint8Array[]) : (group as string[]).join('\n'));
    group = [];
  };
  for (const frame of frames) {
    if ((typeof frame === 'string') === binary) {
      close();
      messages.push(frame);
      continue;
    }
    group.push(frame);
    if (group.length === maxPerMessage) close();
  }
  close();
  return messages;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
