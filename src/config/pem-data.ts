import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';

/**
 * A PEM value as Centrifugo's TLS options take it: the PEM text itself, a path to a file holding it, or the
 * PEM base64-encoded. Empty stays undefined.
 */
export function readPemData(value: string, key: string): string | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (text.startsWith('-----BEGIN')) return text;
  if (existsSync(text)) {
    try {
      return readFileSync(text, 'utf8');
    } catch (err) {
      throw new ConfigError(key, `cannot read ${text}: ${(err as Error).message}`);
    }
  }
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  if (decoded.includes('-----BEGIN')) return decoded;
  throw new ConfigError(key, 'expected PEM text, a path to a PEM file, or base64-encoded PEM');
}
