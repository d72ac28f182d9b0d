import { parseArgs } from 'node:util';

export const usage = `Usage:
  ringcast serve [--config FILE] [--port N] [--address A] [--log-level L] [--engine memory|redis|nats|tarantool] [--dev-banner]
  ringcast gentoken -u USER [--ttl 1h] [--config FILE] [--info JSON]
  ringcast checkconfig FILE
  ringcast genconfig [--output FILE] [--dev]
  ringcast bench <idle|fanout|channels|api|latency|storm|connect-proxy> [options]   (load generator; --help for options)
  ringcast operator [options]   (the Kubernetes operator; --help for options)
  ringcast roundtrip --url URL [options]   (connect, publish and receive through a running cluster; --help)
  ringcast version

Environment: RINGCAST_<KEY PATH> (e.g. RINGCAST_HTTP_SERVER_PORT=9000) overrides the config file;
CENTRIFUGO_<KEY PATH> is read too, with lower precedence. Flags override both.`;

/** A command line that cannot be understood; `ringcast` prints it with the usage text and exits 2. */
export class UsageError extends Error {
  readonly code = 'CLI_USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export interface ServeArgs {
  command: 'serve';
  config?: string;
  port?: string;
  address?: string;
  logLevel?: string;
  engine?: string;
  devBanner: boolean;
}

export interface GentokenArgs {
  command: 'gentoken';
  user: string;
  ttl: string;
  config?: string;
  info?: string;
}

export interface CheckconfigArgs {
  command: 'checkconfig';
  file: string;
}

export interface GenconfigArgs {
  command: 'genconfig';
  output: string;
  dev: boolean;
}

export type CliArgs =
  | ServeArgs
  | GentokenArgs
  | CheckconfigArgs
  | GenconfigArgs
  | { command: 'bench'; argv: string[] }
  | { command: 'roundtrip'; argv: string[] }
  | { command: 'help' }
  | { command: 'version' };

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

function parse(command: string, args: string[], options: Options, positionals = 0): Parsed {
  try {
    const result: Parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
    if (result.positionals.length > positionals) {
      throw new UsageError(`${command}: unexpected argument "${result.positionals[positionals] ?? ''}"`);
    }
    return result;
  } catch (cause) {
    if (cause instanceof UsageError) throw cause;
    throw new UsageError(`${command}: ${(cause as Error).message}`, { cause });
  }
}

function optionalString(value: string | boolean | (string | boolean)[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Parses `ringcast <command> …` (argv without the node binary and script). */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      return { command: 'help' };
    case 'version':
    case '--version':
      return { command: 'version' };
    case 'bench':
      // The load generator parses its own options.
      return { command: 'bench', argv: rest };
    case 'roundtrip':
      return { command: 'roundtrip', argv: rest };
    case 'serve': {
      const { values } = parse('serve', rest, {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        address: { type: 'string', short: 'a' },
        'log-level': { type: 'string' },
        engine: { type: 'string' },
        'dev-banner': { type: 'boolean' },
      });
      return {
        command: 'serve',
        config: optionalString(values['config']),
        port: optionalString(values['port']),
        address: optionalString(values['address']),
        logLevel: optionalString(values['log-level']),
        engine: optionalString(values['engine']),
        devBanner: values['dev-banner'] === true,
      };
    }
    case 'gentoken': {
      const { values } = parse('gentoken', rest, {
        user: { type: 'string', short: 'u' },
        ttl: { type: 'string', short: 't' },
        config: { type: 'string', short: 'c' },
        info: { type: 'string' },
      });
      const user = optionalString(values['user']);
      if (user === undefined) throw new UsageError('gentoken: -u USER is required (use -u "" for an anonymous token)');
      return {
        command: 'gentoken',
        user,
        ttl: optionalString(values['ttl']) ?? '1h',
        config: optionalString(values['config']),
        info: optionalString(values['info']),
      };
    }
    case 'checkconfig': {
      const { values, positionals } = parse('checkconfig', rest, { config: { type: 'string', short: 'c' } }, 1);
      const file = positionals[0] ?? optionalString(values['config']);
      if (!file) throw new UsageError('checkconfig: the config FILE to check is required');
      return { command: 'checkconfig', file };
    }
    case 'genconfig': {
      const { values } = parse('genconfig', rest, {
        output: { type: 'string', short: 'o' },
        dev: { type: 'boolean' },
      });
      return { command: 'genconfig', output: optionalString(values['output']) ?? 'config.json', dev: values['dev'] === true };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
