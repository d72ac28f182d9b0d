import { describe, expect, it } from 'vitest';
import { UsageError, parseCliArgs } from '../../../../node/cli/args.js';

describe('parseCliArgs', () => {
  it('serve with every flag, long and short', () => {
    expect(
      parseCliArgs(['serve', '--config', 'c.json', '--port', '9000', '--address', '127.0.0.1', '--log-level', 'debug', '--engine', 'redis', '--dev-banner']),
    ).toEqual({ command: 'serve', config: 'c.json', port: '9000', address: '127.0.0.1', logLevel: 'debug', engine: 'redis', devBanner: true });
    expect(parseCliArgs(['serve', '-c', 'x.yaml', '-p', '1'])).toMatchObject({ config: 'x.yaml', port: '1', devBanner: false });
    expect(parseCliArgs(['serve'])).toEqual({
      command: 'serve',
      config: undefined,
      port: undefined,
      address: undefined,
      logLevel: undefined,
      engine: undefined,
      devBanner: false,
    });
  });
  it('gentoken needs -u and defaults the TTL to 1h', () => {
    expect(parseCliArgs(['gentoken', '-u', 'alice'])).toEqual({ command: 'gentoken', user: 'alice', ttl: '1h', config: undefined, info: undefined });
    expect(parseCliArgs(['gentoken', '-u', '', '--ttl', '30m', '--config', 'c.json', '--info', '{"a":1}'])).toEqual({
      command: 'gentoken',
      user: '',
      ttl: '30m',
      config: 'c.json',
      info: '{"a":1}',
    });
    expect(() => parseCliArgs(['gentoken'])).toThrow(/-u USER is required/);
  });
  it('checkconfig takes the file as an argument', () => {
    expect(parseCliArgs(['checkconfig', 'conf.yaml'])).toEqual({ command: 'checkconfig', file: 'conf.yaml' });
    expect(() => parseCliArgs(['checkconfig'])).toThrow(UsageError);
    expect(() => parseCliArgs(['checkconfig', 'a', 'b'])).toThrow(/unexpected argument "b"/);
  });
  it('genconfig defaults to config.json', () => {
    expect(parseCliArgs(['genconfig'])).toEqual({ command: 'genconfig', output: 'config.json', dev: false });
    expect(parseCliArgs(['genconfig', '--output', '.cache/dev.json', '--dev'])).toEqual({ command: 'genconfig', output: '.cache/dev.json', dev: true });
  });
  it('help, version, and usage errors', () => {
    expect(parseCliArgs([])).toEqual({ command: 'help' });
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['version'])).toEqual({ command: 'version' });
    expect(() => parseCliArgs(['launch'])).toThrow('unknown command "launch"');
    expect(() => parseCliArgs(['serve', '--prot', '1'])).toThrow(UsageError);
    expect(() => parseCliArgs(['serve', 'extra'])).toThrow(UsageError);
    expect(() => parseCliArgs(['serve', '--port'])).toThrow(UsageError);
  });
});
