// A client of nsfwd (test/node-tools/nsfwd): loopback ports on the host that lead to addresses inside
// the cluster's network namespace (API server, health endpoints, pod and Service addresses). nsfwd
// exits when this process does, because its stdin is a pipe from here.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Forward {
  /** 127.0.0.1:<port> on the host. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface NsForwarder {
  /** A new loopback port forwarding to `target` (host:port as seen inside the namespace). */
  forward(target: string): Promise<Forward>;
  stop(): void;
}

export function startNsForwarder(nsfwd: string, nsPid: number): NsForwarder {
  const child: ChildProcessWithoutNullStreams = spawn(nsfwd, [`/proc/${nsPid}/ns/net`], { stdio: ['pipe', 'pipe', 'pipe'] });
  // The forwarder keeps the test process alive only while a command waits for its reply.
  type Refable = { ref?: () => void; unref?: () => void };
  const stdout = child.stdout as unknown as Refable;
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Refable).unref?.();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  child.stdin.on('error', () => {});
  child.once('error', () => {});

  const replies = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  replies.on('line', (line) => {
    waiting.shift()?.(line);
    if (waiting.length === 0) stdout.unref?.();
  });
  child.once('exit', (code, signal) => {
    for (const resolve of waiting.splice(0)) resolve(`err nsfwd exited (${signal ?? code}): ${stderr.trim()}`);
  });

  // Commands are answered in order, so queueing the resolvers in order pairs each reply with its command.
  const command = (line: string): Promise<string> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve(`err nsfwd is not running: ${stderr.trim()}`);
        return;
      }
      waiting.push(resolve);
      stdout.ref?.();
      child.stdin.write(`${line}\n`);
    });

  return {
    async forward(target) {
      const reply = await command(`listen ${target}`);
      if (!reply.startsWith('ok ')) throw new Error(`nsfwd could not forward to ${target}: ${reply.replace(/^err /, '')}`);
      const address = reply.slice(3);
      const port = Number(address.split(':').pop());
      return {
        address,
        port,
        close: async () => {
          await command(`close ${address}`);
        },
      };
    },
    stop() {
      child.stdin.end();
    },
  };
}
