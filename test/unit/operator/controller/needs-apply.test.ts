import { describe, expect, it } from 'vitest';

import { APPLIED_HASH_ANNOTATION, containsDesired, needsApply } from '../../../../operator/controller/needs-apply.js';

describe('needsApply', () => {
  const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: '1' } }, data: { k: 'v' } };
  const live = (hash: string, data: Record<string, string> = { k: 'v' }) => ({
    metadata: { name: 'a', uid: 'u', resourceVersion: '5', labels: { x: '1', extra: 'kept' }, annotations: { [APPLIED_HASH_ANNOTATION]: hash } },
    data,
  });

  it('applies a missing child, a changed wish (new hash) and a drifted field, and nothing else', () => {
    expect(needsApply(desired, 'h1', undefined)).toBe(true);
    expect(needsApply(desired, 'h2', live('h1'))).toBe(true);
    expect(needsApply(desired, 'h1', live('h1', { k: 'edited by someone' }))).toBe(true);
    expect(needsApply(desired, 'h1', live('h1'))).toBe(false);
  });

  it('compares lists item by item and ignores fields only the live object has', () => {
    expect(containsDesired({ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: 3 }], d: 4 })).toBe(true);
    expect(containsDesired({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(containsDesired({ a: [1] }, { a: [1, 2] })).toBe(false);
  });
});
