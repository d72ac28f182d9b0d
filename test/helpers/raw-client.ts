import WebSocket from 'ws';
import { waitFor } from './wait-for.js';

/** A bare WebSocket peer for frame-level tests: sends exactly what it is told, records everything it gets. */
export class RawClient {
  readonly messages: string[] = [];
  readonly binaryMessages: Buffer[] = [];
  closeCode: number | undefined;
  closeReason = '';
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.binaryMessages.push(Buffer.from(data));
      else this.messages.push(data.toString('utf8'));
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
    });
    ws.on('error', () => undefined);
  }

  static async open(url: string, protocols?: string | string[], headers?: Record<string, string>): Promise<RawClient> {
    const ws = new WebSocket(url, protocols, { headers });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return client;
  }

  send(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** Sends JSON commands as one `\n`-joined text frame. */
  sendJson(...commands: unknown[]): void {
    this.ws.send(commands.map((c) => JSON.stringify(c)).join('\n'));
  }

  private parsed: Array<Record<string, unknown>> = [];
  private parsedFrames = 0;

  /** Every JSON message received so far (frames split on `\n`), parsed once each. */
  replies(): Array<Record<string, unknown>> {
    for (; this.parsedFrames < this.messages.length; this.parsedFrames++) {
      for (const line of this.messages[this.parsedFrames]!.split('\n')) {
        if (line) this.parsed.push(JSON.parse(line) as Record<string, unknown>);
      }
    }
    return this.parsed;
  }

  async reply(id: number, timeoutMs = 5000): Promise<Record<string, unknown>> {
    return waitFor(`reply ${id}`, () => this.replies().findLast((r) => r['id'] === id), timeoutMs, 2);
  }

  async closed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const code = await waitFor('close', () => this.closeCode, timeoutMs);
    return { code, reason: this.closeReason };
  }

  close(): void {
    this.ws.close();
  }
}
