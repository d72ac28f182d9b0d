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
 * increasing order for the same buffer; the scanner remembers where the next marker is, so each buffer is
 * searched once however many frames it holds.
 */
export class PayloadScanner {
  private data: Buffer | null = null;
  private nextMarker = -1;
  private nextPing = -1;

  /**
   * Reports every timestamp in `data[start, end)` to the sink and returns true when the payload holds a
   * server ping (a `{}` line).
   */
  scan(data: Buffer, start: number, end: number, sink: ScanSink): boolean {
    if (data !== this.data) {
      this.data = data;
      this.nextMarker = data.indexOf(markerBytes, start);
      this.nextPing = data.indexOf(pingAfterNewline, start);
    }
    if (this.nextMarker !== -1 && this.nextMarker < start) this.nextMarker = data.indexOf(markerBytes, start);
    while (this.nextMarker !== -1 && this.nextMarker < end) {
      const value = readDecimal(data, this.nextMarker + markerBytes.length, end);
      if (value >= 0) sink.timestamp(value);
      this.nextMarker = data.indexOf(markerBytes, this.nextMarker + markerBytes.length);
    }
    return this.hasPing(data, start, end);
  }

  private hasPing(data: Buffer, start: number, end: number): boolean {
    let ping = false;
    if (end - start >= 2 && data[start] === openBrace && data[start + 1] === closeBrace) {
      ping = end - start === 2 || data[start + 2] === newline;
    }
    if (this.nextPing !== -1 && this.nextPing < start) this.nextPing = data.indexOf(pingAfterNewline, start);
    while (this.nextPing !== -1 && this.nextPing < end) {
      const after = this.nextPing + 3;
      if (after <= end && (after === end || data[after] === newline)) ping = true;
      this.nextPing = data.indexOf(pingAfterNewline, this.nextPing + 1);
    }
    return ping;
  }
}
