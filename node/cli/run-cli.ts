import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { formatRuntimeReport, runtimeReport } from '../server/runtime-report.js';
import { UsageError, parseCliArgs, usage, type GentokenArgs } from './args.js';
import { checkConfigFile } from './checkconfig.js';
import { ConfigExistsError, generateConfig, writeNewConfigFile } from './genconfig.js';
import { NoHmacSecretError, generateConnectionToken, parseInfo, parseTtlSeconds } from './gentoken.js';
import { startServe, stopOnSignals, type SignalSource, type StartNode } from './serve.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  signals: SignalSource;
  exit(code: number): void;
}

async function gentoken(args: GentokenArgs, io: CliIo): Promise<number> {
  const ttlSeconds = parseTtlSeconds(args.ttl);
  const info = parseInfo(args.info);
  const { config } = loadConfig({ file: args.config, env: io.env });
  io.stdout(`${await generateConnectionToken(config, { user: args.user, ttlSeconds, info })}\n`);
  return 0;
}

/**
 * Runs one `ringcast` command. Resolves with the exit code, or with null for `serve`, which keeps running
 * until a signal stops it (then `io.exit` is called).
 */
export async function runCli(argv: readonly string[], io: CliIo, startNode: StartNode): Promise<number | null> {
  try {
    const args = parseCliArgs(argv);
    switch (args.command) {
      case 'help':
        io.stdout(`${usage}\n`);
        return 0;
      case 'version':
        io.stdout(formatRuntimeReport(runtimeReport(io.env)));
        return 0;
      case 'bench': {
        // Loaded only when asked for, so `serve` never pays for the load generator.
        const { runBench } = await import('../../bench/run-bench.js');
        return await runBench(args.argv);
      }
      case 'roundtrip': {
        const { runRoundtrip } = await import('./roundtrip.js');
        return await runRoundtrip(args.argv, io);
      }
      case 'gentoken':
        return await gentoken(args, io);
      case 'checkconfig': {
        const result = checkConfigFile(args.file, io.env);
        for (const line of result.stdout) io.stdout(`${line}\n`);
        for (const line of result.stderr) io.stderr(`${line}\n`);
        return result.ok ? 0 : 1;
      }
      case 'genconfig':
        writeNewConfigFile(args.output, generateConfig({ dev: args.dev }));
        io.stdout(`config written to ${args.output}\n`);
        return 0;
      case 'serve': {
        const started = await startServe(args, startNode, io);
        if (!started.ok) return started.exitCode;
        stopOnSignals(started.node, started.logger, io.signals, io.exit, started.config.shutdown.timeout);
        return null;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ringcast: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`ringcast: invalid config: ${error.message}\n`);
      return 1;
    }
    if (error instanceof NoHmacSecretError || error instanceof ConfigExistsError) {
      io.stderr(`ringcast: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
