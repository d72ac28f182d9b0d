/**
 * The publication payload the harness sends and how receivers find its timestamp without parsing JSON.
 *
 * Data is `{"bt":<µs since the epoch>,"s":<sequence>,"p":"<padding>"}`. The server embeds `data` verbatim in
 * the push (`{"push":{"channel":…,"pub":{"data":{"bt":…}}}}`), so a receiver scans the raw frame for the
 * `"bt":` marker with Buffer#indexOf and reads the digits after it. Several pushes in one frame (joined by
 * `\n`) simply hold several markers. Server pings are lines that are exactly `{}`.
 */
export const timestampMarker = '"bt":';
const markerBytes = Buffer.from(timestampMarker);
const pingAfterNewline = Buffer.from('\n{}');
const openBrace = 0x7b;
const closeBrace = 0x7d;
const newline = 0x0a;

/** The `data` JSON of one publication stamped with `timeUs`; `padding` pads it to a chosen size. */
export function publicationData(timeUs: number, seq: number, padding: string): string {
  return '{"bt":' + timeUs + ',"s":' + seq + ',"p":"' + padding + '"}';
}

/** Padding that makes `publicationData` about `bytes` long (at least the fixed part). */
export function paddingFor(bytes: number): string {
  const fixed = publicationData(1_700_000_000_000_000, 1_000_000, '').length;
  return 'x'.repeat(Math.max(0, bytes - fixed));
}

/** Reads the unsigned decimal integer starting at `pos`; -1 when there is no digit there. */
export function readDecimal(data: Buffer, pos: number, end: number): number {
  let value = 0;
  let digits = 0;
  for (let i = pos; i < end; i++) {
    const c = data[i]! - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    digits++;
  }
  return digits === 0 ? -1 : value;
}

/** Receives what a scan finds. */
export interface ScanSink {
  timestamp(timeUs: number): void;
}

/**
 * Scans frame payloads of one read buffer for timestamps and pings. Payload ranges must be handed over in
 * increasing order for the same buffer; the scanner remembers where the next newline and marker are, so
 * each buffer is searched once however many frames it holds.
 *
 * Fast path for one message per frame (what Ringcast sends): when the payload holds no newline, the marker
 * is looked for at the offset where it was last found (a push's prefix is the same for one channel), so a
 * frame costs one memchr for the newline and a 5-byte compare. Frames with several messages take the
 * general path: every marker and every `{}` line is found with Buffer#indexOf.
 */
export class PayloadScanner {
  private data: Buffer | null = null;
  private nextNewline = -1;
  private nextMarker = -1;
  private nextPing = -1;
  /** Where the marker sat in the last single-message payload, relative to its start (-1: unknown). */
  private markerOffset = -1;

  /**
   * Reports every timestamp in `data[start, end)` to the sink and returns true when the payload holds a
   * server ping (a `{}` line).
   */
  scan(data: Buffer, start: number, end: number, sink: ScanSink): boolean {
    if (data !== this.data) {
      this.data = data;
      this.nextNewline = data.indexOf(newline, start);
      this.nextMarker = -2; // searched lazily
      this.nextPing = -2;
    }
    if (this.nextNewline !== -1 && this.nextNewline < start) this.nextNewline = data.indexOf(newline, start);
    if (this.nextNewline === -1 || this.nextNewline >= end) return this.scanSingle(data, start, end, sink);
    return this.scanLines(data, start, end, sink);
  }

  private scanSingle(data: Buffer, start: number, end: number, sink: ScanSink): boolean {
    if (end - start === 2 && data[start] === openBrace && data[start + 1] === closeBrace) return true;
    const off = this.markerOffset;
    const at = start + off;
    if (off >= 0 && at + markerBytes.length < end && matchesMarker(data, at)) {
      const value = readDecimal(data, at + markerBytes.length, end);
      if (value >= 0) sink.timestamp(value);
      return false;
    }
    const found = data.indexOf(markerBytes, start);
    if (found !== -1 && found < end) {
      this.markerOffset = found - start;
      const value = readDecimal(data, found + markerBytes.length, end);
      if (value >= 0) sink.timestamp(value);
    }
    return false;
  }

  private scanLines(data: Buffer, start: number, end: number, sink: ScanSink): boolean {
    if (this.nextMarker === -2 || (this.nextMarker !== -1 && this.nextMarker < start)) this.nextMarker = data.indexOf(markerBytes, start);
    while (this.nextMarker !== -1 && this.nextMarker < end) {
      const value = readDecimal(data, this.nextMarker + markerBytes.length, end);
      if (value >= 0) sink.timestamp(value);
      this.nextMarker = data.indexOf(markerBytes, this.nextMarker + markerBytes.length);
    }
    let ping = end - start >= 3 && data[start] === openBrace && data[start + 1] === closeBrace && data[start + 2] === newline;
    if (this.nextPing === -2 || (this.nextPing !== -1 && this.nextPing < start)) this.nextPing = data.indexOf(pingAfterNewline, start);
    while (this.nextPing !== -1 && this.nextPing < end) {
      const after = this.nextPing + 3;
      if (after <= end && (after === end || data[after] === newline)) ping = true;
      this.nextPing = data.indexOf(pingAfterNewline, this.nextPing + 1);
    }
    return ping;
  }
}

function matchesMarker(data: Buffer, at: number): boolean {
  for (let i = 0; i < markerBytes.length; i++) if (data[at + i] !== markerBytes[i]) return false;
  return true;
}
