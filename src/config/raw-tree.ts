/** Helpers for the untyped (pre-validation) config object: dotted paths, deep merge, reading by path. */
export type RawObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges `b` into a copy of `a`: objects merge key by key, anything else (arrays too) is replaced. */
export function deepMerge(a: RawObject, b: RawObject): RawObject {
  const out: RawObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** Sets `value` at `segments` in place, creating (or replacing non-object) intermediate objects. */
export function setPath(target: RawObject, segments: readonly string[], value: unknown): void {
  let node = target;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      const current = node[segment];
      node[segment] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
      return;
    }
    const next = node[segment];
    if (isPlainObject(next)) {
      node = next;
    } else {
      const created: RawObject = {};
      node[segment] = created;
      node = created;
    }
  });
}

/** Reads the value at a zod-style path (keys and array indexes); undefined when absent. */
export function getPath(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isPlainObject(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}

/** A zod path as a config key: ["channel", "namespaces", 0, "name"] → "channel.namespaces[0].name". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}
