import { z } from 'zod';
import { configSchema } from './config-schema.js';
import { leafKindOf, type LeafKind } from './config-fields.js';

/** The config schema as a tree of key names, for unknown-key warnings and environment variable lookup. */
export type SchemaNode =
  | { type: 'object'; children: ReadonlyMap<string, SchemaNode> }
  | { type: 'list'; element: SchemaNode }
  | { type: 'leaf'; kind: LeafKind };

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
      current = current.unwrap() as z.ZodType;
    } else {
      return current;
    }
  }
}

export function describeSchema(schema: z.ZodType): SchemaNode {
  const kind = leafKindOf(schema);
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    const children = new Map<string, SchemaNode>();
    for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      children.set(key, describeSchema(child));
    }
    return { type: 'object', children };
  }
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType);
    if (element instanceof z.ZodObject) return { type: 'list', element: describeSchema(element) };
  }
  return { type: 'leaf', kind: kind ?? leafKindOf(inner) ?? 'json' };
}

let cached: SchemaNode | undefined;

/** The tree of the node configuration schema (built once). */
export function configTree(): SchemaNode {
  return (cached ??= describeSchema(configSchema));
}

/** Every leaf (and list) key path of a tree, dotted, e.g. "client.token.hmac_secret_key", "channel.namespaces". */
export function leafPaths(node: SchemaNode, prefix = ''): string[] {
  if (node.type !== 'object') return [prefix];
  const out: string[] = [];
  for (const [key, child] of node.children) out.push(...leafPaths(child, prefix ? `${prefix}.${key}` : key));
  return out;
}
