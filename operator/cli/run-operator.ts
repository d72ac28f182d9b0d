import type { Logger } from 'pino';
import { createLogger } from '../../src/observability/logger.js';
import { loadOperatorKubeConfig, startOperator } from '../start-operator.js';
import { OperatorUsageError, operatorUsage, parseOperatorArgs } from './operator-args.js';

export interface OperatorIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  signals: { once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown };
  exit(code: number): void;
  createLogger?: (level: string) => Logger;
}

/**
 * `ringcast operator`: resolves with an exit code for --help and bad options, or with null once running; the
 * operator then runs until SIGTERM/SIGINT (exit 0) or until it loses the leader lease (exit 1).
 */
export async function runOperator(argv: readonly string[], io: OperatorIo): Promise<number | null> {
  let options;
  try {
    options = parseOperatorArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof OperatorUsageError)) throw error;
    io.stderr(`ringcast operator: ${error.message}\n\n${operatorUsage}\n`);
    return 2;
  }
  if (options === null) {
    io.stdout(`${operatorUsage}\n`);
    return 0;
  }
  const logger = (io.createLogger ?? createLogger)(options.logLevel).child({ component: 'operator' });
  let kubeConfig;
  try {
    kubeConfig = loadOperatorKubeConfig(options.kubeconfig);
  } catch (error) {
    io.stderr(`ringcast operator: cannot load Kubernetes credentials: ${(error as Error).message}\n`);
    return 1;
  }
  const operator = await startOperator(options, logger, kubeConfig);
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    operator.stop().then(
      () => io.exit(code),
      (error: unknown) => {
        logger.error({ err: error }, 'operator did not stop cleanly');
        io.exit(1);
      },
    );
  };
  io.signals.once('SIGTERM', () => stop(0));
  io.signals.once('SIGINT', () => stop(0));
  void operator.fatal.then((code) => {
    // Lost the lease: exit at once (without releasing anything) so a fresh process rejoins as a candidate.
    logger.error('exiting: no longer the leader');
    io.exit(code);
  });
  return null;
}
