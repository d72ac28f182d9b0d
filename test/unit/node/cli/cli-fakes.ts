import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { NodeHandle, StartNode } from '../../../../node/cli/serve.js';
import type { RingcastConfig } from '../../../../src/config/config-schema.js';
import { createLogger } from '../../../../src/observability/logger.js';

/** A logger whose JSON lines land in `lines`. */
export function capturingLogger(level: string): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** A startNode stand-in recording the config it got; `stop` resolves, rejects or hangs as told. */
export function fakeStartNode(options: { port?: number; fail?: Error; stop?: 'ok' | 'fail' | 'hang' } = {}) {
  const calls: RingcastConfig[] = [];
  let stopped = 0;
  const node: NodeHandle = {
    port: options.port ?? 8123,
    stop: () => {
      stopped++;
      if (options.stop === 'fail') return Promise.reject(new Error('stop failed'));
      if (options.stop === 'hang') return new Promise<void>(() => undefined);
      return Promise.resolve();
    },
  };
  const start: StartNode = async ({ config }) => {
    calls.push(config);
    if (options.fail) throw options.fail;
    return node;
  };
  return { start, calls, node, stopped: () => stopped };
}

export function fakeIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  const signals = new EventEmitter();
  return {
    io: {
      env,
      stdout: (text: string) => void out.push(text),
      stderr: (text: string) => void err.push(text),
      signals: signals as unknown as { once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown },
      exit: (code: number) => void exits.push(code),
    },
    out,
    err,
    exits,
    signals,
  };
}
