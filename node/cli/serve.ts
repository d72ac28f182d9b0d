import type { Logger } from 'pino';
import { ConfigError } from '../../src/config/config-error.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ServeArgs } from './args.js';
import { devBanner } from './dev-banner.js';

export interface NodeHandle {
  readonly port: number;
  stop(): Promise<void>;
}

export type StartNode = (opts: { config: RingcastConfig; logger: Logger }) => Promise<NodeHandle>;

export interface ServeIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  createLogger?: (level: string) => Logger;
}

export type ServeStart =
  | { ok: true; node: NodeHandle; logger: Logger; config: RingcastConfig }
  | { ok: false; exitCode: number };

/** Serve flags as config overrides (dotted key paths); values are validated like any other source. */
export function serveOverrides(args: ServeArgs): Record<string, unknown> {
  return {
    'http_server.port': args.port,
    'http_server.address': args.address,
    'log.level': args.logLevel,
    'engine.type': args.engine,
  };
}

/** Loads the config, logs its warnings, starts the node and prints the dev banner when asked. */
export async function startServe(args: ServeArgs, startNode: StartNode, io: ServeIo): Promise<ServeStart> {
  let config: RingcastConfig;
  let warnings: string[];
  try {
    ({ config, warnings } = loadConfig({ file: args.config, env: io.env, overrides: serveOverrides(args) }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`ringcast: invalid config: ${error.message}\n`);
    return { ok: false, exitCode: 1 };
  }
  const logger = (io.createLogger ?? createLogger)(config.log.level);
  for (const warning of warnings) logger.warn(warning);
  let node: NodeHandle;
  try {
    node = await startNode({ config, logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`ringcast: invalid config: ${error.message}\n`);
    } else {
      logger.error({ err: error }, 'node failed to start');
      io.stderr(`ringcast: cannot start: ${(error as Error).message}\n`);
    }
    return { ok: false, exitCode: 1 };
  }
  if (args.devBanner) io.stdout(await devBanner(config, node.port));
  return { ok: true, node, logger, config };
}

export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/**
 * On SIGTERM or SIGINT: stop the node (it disconnects clients with 3001) and exit 0; exit 1 if stopping fails
 * or takes longer than `timeoutMs` (`shutdown.timeout`).
 */
export function stopOnSignals(
  node: NodeHandle,
  logger: Logger,
  signals: SignalSource,
  exit: (code: number) => void,
  timeoutMs: number,
): void {
  let stopping = false;
  const onSignal = (signal: string) => () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            logger.error({ timeoutMs }, 'shutdown timed out');
            exit(1);
          }, timeoutMs)
        : undefined;
    node.stop().then(
      () => {
        clearTimeout(timer);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  signals.once('SIGTERM', onSignal('SIGTERM'));
  signals.once('SIGINT', onSignal('SIGINT'));
}
