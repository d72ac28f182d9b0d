import type { EncodedFrame } from '../../src/protocol/codec.js';
import type { Chunk } from '../http/stream-response.js';

/** How protocol frames are laid out in a streamed HTTP body, and what the client ignores. */
export interface StreamFormat {
  readonly contentType: string;
  /** The bytes of one write carrying `frames` in order. */
  encode(frames: readonly EncodedFrame[]): Chunk;
  /** Bytes the client skips, written only to make uWS drain its buffer when nothing else waits. */
  readonly filler: Chunk;
}

function asText(frame: EncodedFrame): string {
  return typeof frame === 'string' ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8');
}

/**
 * JSON messages one per line (http_stream in JSON, uni_http_stream). A blank line is the filler: centrifuge-js
 * skips empty lines as keep-alives; for uni_http_stream the empty push `{}` (a ping) is used instead, since
 * line-by-line consumers may not expect blank lines.
 */
export function ndjsonFormat(filler: '\n' | '{}\n'): StreamFormat {
  return {
    contentType: 'application/json; charset=utf-8',
    filler,
    encode(frames) {
      let s = '';
      for (const frame of frames) s += asText(frame) + '\n';
      return s;
    },
  };
}

/**
 * Protobuf messages each prefixed by its uvarint length (the codec's frames already are). The filler is one
 * zero byte: an empty Reply, which the client takes for a ping (and may answer with a pong).
 */
export const lengthDelimitedFormat: StreamFormat = {
  contentType: 'application/octet-stream',
  filler: new Uint8Array([0]),
  encode(frames) {
    if (frames.length === 1 && typeof frames[0] !== 'string') return frames[0]!;
    return Buffer.concat(frames.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)));
  },
};

/**
 * Server-sent events: each message is one event, `data: <json>\n\n`. A raw CR or LF in a JSON text can only
 * be whitespace between tokens, but EventSource treats both as line ends: CRs become spaces, and LFs (which
 * separate messages) become further `data:` lines, which EventSource joins back with LF. The filler is an
 * SSE comment line.
 */
export const sseFormat: StreamFormat = {
  contentType: 'text/event-stream; charset=utf-8',
  filler: ':\n',
  encode(frames) {
    let s = '';
    for (const frame of frames) {
      let text = asText(frame);
      if (text.includes('\r')) text = text.replace(/\r/g, ' ');
      if (text.includes('\n')) text = text.replace(/\n/g, '\ndata: ');
      s += 'data: ' + text + '\n\n';
    }
    return s;
  },
};
