// Holds N idle WebSocket connections (each connected with a token and subscribed to a personal channel) to a
// `ringcast serve` child process and prints the server's RSS and JS heap per connection.
// Usage: npx tsx test/bench/idle-connections.ts [--connections 10000] [--json]
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: { connections: { type: 'string', default: '10000' }, json: { type: 'boolean', default: false } },
});
const total = Number(values.connections);
const secret = 'idle-bench-secret-0123456789abcdef0123';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

async function heapUsed(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  return line ? Number(line[1]) : 0;
}

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function main(): Promise<void> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-idle-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      http_server: { address: '127.0.0.1', port },
      client: { token: { hmac_secret_key: secret }, channel_limit: 128 },
      channel: { without_namespace: { allow_user_limited_channels: true } },
      http_api: { key: 'idle' },
      log: { level: 'warn' },
    }),
  );
  const server = spawn(process.execPath, ['--expose-gc', 'dist/node/cli/main.js', 'serve', '--config', configFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stopServer = (): void => {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
      } catch {
        if (Date.now() > deadline) throw new Error('server did not start');
        await settle(100);
      }
    }
    await settle(1000);
    const rssBefore = rssBytes(server.pid!);
    const heapBefore = await heapUsed(port);

    const key = new TextEncoder().encode(secret);
    const sockets: WebSocket[] = [];
    let ready = 0;
    const started = Date.now();
    const concurrency = 256;
    let next = 0;
    async function openOne(i: number): Promise<void> {
      const user = `u${i}`;
      const token = await new SignJWT({ sub: user }).setProtectedHeader({ alg: 'HS256' }).sign(key);
      // Spread source addresses over 127.0.0.0/8 so large runs do not exhaust one address's ports.
      const localAddress = `127.0.${(i >> 8) & 255}.${(i & 255) || 1}`;
      await new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/connection/websocket`, { localAddress });
        sockets.push(ws);
        ws.once('error', reject);
        ws.once('open', () => ws.send(`{"id":1,"connect":{"token":"${token}"}}\n{"id":2,"subscribe":{"channel":"#${user}"}}`));
        let replies = 0;
        ws.on('message', (data: Buffer) => {
          for (const line of data.toString().split('\n')) {
            if (line.startsWith('{"id":')) replies++;
            if (line.includes('"error"')) reject(new Error(`connection ${i}: ${line}`));
          }
          if (replies === 2) {
            ready++;
            resolve();
          }
        });
      });
    }
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await openOne(next++);
      }),
    );
    const connectSeconds = (Date.now() - started) / 1000;
    await settle(3000);
    const rssAfter = rssBytes(server.pid!);
    const heapAfter = await heapUsed(port);
    const result = {
      connections: ready,
      connectRatePerSecond: Math.round(ready / connectSeconds),
      rssBytesPerConnection: Math.round((rssAfter - rssBefore) / ready),
      heapBytesPerConnection: Math.round((heapAfter - heapBefore) / ready),
      serverRssMiB: Math.round(rssAfter / 1048576),
    };
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(`idle connections:        ${result.connections}`);
      console.log(`connect rate:            ${result.connectRatePerSecond}/s`);
      console.log(`server RSS / connection: ${(result.rssBytesPerConnection / 1024).toFixed(1)} KiB`);
      console.log(`JS heap / connection:    ${(result.heapBytesPerConnection / 1024).toFixed(1)} KiB`);
      console.log(`server RSS total:        ${result.serverRssMiB} MiB`);
    }
    for (const ws of sockets) ws.terminate();
  } finally {
    stopServer();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
