import { isUnsupportedCentrifugoKey } from './centrifugo-unsupported-keys.js';
import { editDistance, typoBudget } from './edit-distance.js';
import { leafPaths, type SchemaNode } from './schema-tree.js';

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ambiguousV5Keys: Readonly<Record<string, string>> = { api_key: 'http_api.key' };

/** A known key this unknown one was probably meant to be: a sibling within a few edits, or a moved key. */
export function suggestKey(key: string, siblingKeys: Iterable<string>, prefix: string, root: SchemaNode): string | null {
  const siblings = [...siblingKeys];
  let best: string | null = null;
  let bestDistance = typoBudget(key) + 1;
  for (const sibling of siblings) {
    const distance = editDistance(key, sibling);
    if (distance < bestDistance) {
      best = join(prefix, sibling);
      bestDistance = distance;
    }
  }
  if (best) return best;
  // A truncated or extended name ("hmac_secret" for "hmac_secret_key").
  for (const sibling of siblings) {
    const [short, long] = key.length < sibling.length ? [key, sibling] : [sibling, key];
    if (short.length >= 4 && long.startsWith(short)) return join(prefix, sibling);
  }
  // Centrifugo v5 flat names that more than one v6 key ends with (api_key: grpc_api.key too); v5 meant this one.
  const v5Meaning = prefix === '' ? ambiguousV5Keys[key] : undefined;
  if (v5Meaning) return v5Meaning;
  // A key from another place (or Centrifugo v5's flat names, e.g. token_hmac_secret_key → client.token.hmac_secret_key).
  const matches = leafPaths(root)
    .filter((path) => {
      const flat = path.replace(/\./g, '_');
      return flat === key || flat.endsWith(`_${key}`);
    })
    .sort((a, b) => a.length - b.length);
  const [first, second] = matches;
  return first !== undefined && (second === undefined || second.length > first.length) ? first : null;
}

/** Warnings for keys of `raw` the schema does not know (never throws; values are checked elsewhere). */
export function unknownKeyWarnings(raw: unknown, root: SchemaNode): string[] {
  const warnings: string[] = [];
  const walk = (value: unknown, node: SchemaNode, prefix: string): void => {
    if (node.type === 'list') {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, node.element, `${prefix}[${i}]`));
      return;
    }
    if (node.type !== 'object' || !isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const path = join(prefix, key);
      const known = node.children.get(key);
      if (known) {
        walk(child, known, path);
      } else if (isUnsupportedCentrifugoKey(path)) {
        warnings.push(`config key ${path} is a Centrifugo option Ringcast does not support yet; it is ignored`);
      } else {
        const suggestion = suggestKey(key, node.children.keys(), prefix, root);
        const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
        warnings.push(`unknown config key ${path}${hint}; it is ignored`);
      }
    }
  };
  walk(raw, root, '');
  return warnings;
}
