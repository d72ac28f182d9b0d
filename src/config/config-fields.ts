import { z } from 'zod';
import { nsToMs, parseGoDuration } from './go-duration.js';

/** How a leaf value is written in an environment variable (and coerced from text). */
export type LeafKind = 'string' | 'int' | 'bool' | 'duration' | 'string-list' | 'enum' | 'json';

const leafKinds = new WeakMap<z.ZodType, LeafKind>();

/** The kind a schema node was built with by one of the helpers below, if it is a leaf. */
export function leafKindOf(schema: z.ZodType): LeafKind | undefined {
  return leafKinds.get(schema);
}

function leaf<T extends z.ZodType>(schema: T, kind: LeafKind): T {
  leafKinds.set(schema, kind);
  return schema;
}

const goTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const goFalse = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Text booleans as Go's strconv.ParseBool reads them (Centrifugo decodes config weakly, so "true" works too). */
function coerceBool(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (goTrue.has(value)) return true;
  if (goFalse.has(value)) return false;
  return value;
}

function coerceInt(value: unknown): unknown {
  if (typeof value === 'string' && /^[-+]?\d+$/.test(value.trim())) return Number(value.trim());
  return value;
}

/** A single string where a list is expected is a one-item list (Centrifugo's weak decoding does the same). */
function coerceList(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value;
}

export function str(defaultValue = '') {
  return leaf(z.string().default(defaultValue), 'string');
}

export function bool(defaultValue = false) {
  return leaf(z.preprocess(coerceBool, z.boolean()).default(defaultValue), 'bool');
}

export function int(defaultValue: number, bounds: { min?: number; max?: number } = {}) {
  let schema = z.number().int().min(bounds.min ?? 0);
  if (bounds.max !== undefined) schema = schema.max(bounds.max);
  return leaf(z.preprocess(coerceInt, schema).default(defaultValue), 'int');
}

export function strList(defaultValue: readonly string[] = []) {
  return leaf(z.preprocess(coerceList, z.array(z.string())).default(() => [...defaultValue]), 'string-list');
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) {
  return leaf(z.enum(values).default(defaultValue as never), 'enum');
}

export function enumList<const T extends readonly [string, ...string[]]>(values: T) {
  return leaf(z.preprocess(coerceList, z.array(z.enum(values))).default(() => []), 'string-list');
}

/**
 * A duration: a Go duration string ("25s", "1m30s", "500ms") or, as in Centrifugo, a number of nanoseconds.
 * Exposed in the typed config as whole milliseconds. Negative durations are rejected.
 */
const durationValue = z.union([z.string(), z.number()]).transform((input, ctx): number => {
  const ns = typeof input === 'number' ? input : parseGoDuration(input.trim());
  if (ns === null || !Number.isFinite(ns)) {
    ctx.issues.push({
      code: 'custom',
      input,
      message: `expected a duration like "25s", "1m30s" or "500ms", got ${JSON.stringify(input)}`,
    });
    return z.NEVER;
  }
  if (ns < 0) {
    ctx.issues.push({ code: 'custom', input, message: `a duration must not be negative, got ${JSON.stringify(input)}` });
    return z.NEVER;
  }
  return nsToMs(ns);
});

export function durationMs(defaultGo: string) {
  const ns = parseGoDuration(defaultGo);
  if (ns === null) throw new Error(`bad default duration ${defaultGo}`);
  return leaf(durationValue.default(nsToMs(ns)), 'duration');
}

/** A map of strings (e.g. a proxy's static headers); in the environment it is one JSON object. */
export function strMap() {
  return leaf(z.record(z.string(), z.string()).default(() => ({})), 'json');
}

/** An object section: absent means "all defaults" (prefault runs the inner defaults). */
export function section<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.object(shape).prefault({} as never);
}

/** A list of objects (e.g. channel.namespaces); in the environment it is one JSON array. */
export function objectList<T extends z.ZodType>(element: T) {
  return leaf(z.array(element).default(() => []), 'json');
}
