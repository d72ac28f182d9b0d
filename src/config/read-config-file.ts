import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigFileError } from './config-error.js';
import { isPlainObject, type RawObject } from './raw-tree.js';

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ConfigFileError(file, `not valid JSON (${(cause as Error).message})`, { cause });
  }
}

function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (cause) {
    throw new ConfigFileError(file, `not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
}

/** Parses config text: JSON or YAML by the file's extension, else JSON when it starts with `{`, else YAML. */
export function parseConfigText(file: string, text: string): RawObject {
  const ext = extname(file).toLowerCase();
  if (ext === '.toml') {
    throw new ConfigFileError(file, 'TOML is not supported; write the same keys as JSON or YAML');
  }
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  if (ext === '.json') value = parseJson(file, body);
  else if (ext === '.yaml' || ext === '.yml') value = parseYamlText(file, body);
  else value = body.trimStart().startsWith('{') ? parseJson(file, body) : parseYamlText(file, body);
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigFileError(file, 'the top level must be an object of config sections (e.g. {"client": {...}})');
  }
  return value;
}

/** Reads and parses a config file. */
export function readConfigFile(file: string): RawObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(cause)})`;
    throw new ConfigFileError(file, reason, { cause });
  }
  return parseConfigText(file, text);
}
