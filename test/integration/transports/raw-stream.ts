import { request, type IncomingMessage } from 'node:http';
import { waitFor } from '../../helpers/wait-for.js';

export type Message = Record<string, unknown>;

/**
 * A bare HTTP-streaming peer for frame-level tests: one request, the response body kept as it arrives,
 * split into JSON lines. Reading can be paused to play a slow client.
 */
export class RawStream {
  text = '';
  ended = false;
  private constructor(readonly res: IncomingMessage) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (this.text += chunk));
    res.on('end', () => (this.ended = true));
    res.on('error', () => (this.ended = true));
    res.on('close', () => (this.ended = true));
  }

  static open(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawStream> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'POST', headers: init.headers ?? {} }, (res) => resolve(new RawStream(res)));
      req.on('error', reject);
      req.end(init.body);
    });
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  /** Every JSON message so far (blank lines skipped). */
  messages(): Message[] {
    return this.text
      .split('\n')
      .filter((line, i, all) => line.trim() !== '' && i < all.length - 1)
      .map((line) => JSON.parse(line) as Message);
  }

  async message(what: string, match: (m: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    return waitFor(what, () => this.messages().find(match), timeoutMs, 5);
  }

  async reply(id: number, timeoutMs = 5000): Promise<Message> {
    return this.message(`reply ${id}`, (m) => m['id'] === id, timeoutMs);
  }

  async end(timeoutMs = 5000): Promise<void> {
    await waitFor('end of stream', () => this.ended, timeoutMs);
  }

  pause(): void {
    this.res.pause();
  }

  resume(): void {
    this.res.resume();
  }

  destroy(): void {
    this.res.destroy();
  }
}

/** POSTs commands (JSON, `\n`-joined) to the emulation endpoint for a session. */
export async function emulate(
  httpUrl: string,
  target: { node: string; session: string },
  commands: unknown[],
  headers: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(`${httpUrl}/emulation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ ...target, data: commands.map((c) => JSON.stringify(c)).join('\n') }),
  });
  await res.arrayBuffer();
  return res.status;
}
