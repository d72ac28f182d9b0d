import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

// The house rules on imports, checked over the sources: no module imports itself through others (type-only
// imports included), and node/ and operator/ depend on src/, never on each other.

const roots = ['src', 'node', 'operator', 'bench'];
const importFrom = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [normalize(path)] : [];
  });
}

function importGraph(): Map<string, string[]> {
  const files = roots.flatMap((root) => sourceFiles(root));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(importFrom)]
      .map((m) => normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts'))
      .filter((dep) => known.has(dep));
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected groups of more than one module (Tarjan), each sorted. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('module graph', () => {
  const graph = importGraph();

  it('reads the sources', () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(graph.get(normalize('node/session/open-session.ts'))).toContain(normalize('node/session/session.ts'));
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('keeps node/ and operator/ apart', () => {
    const crossing = [...graph].flatMap(([file, deps]) =>
      deps
        .filter((dep) => (file.startsWith('node/') && dep.startsWith('operator/')) || (file.startsWith('operator/') && dep.startsWith('node/')))
        .map((dep) => `${file} -> ${dep}`),
    );
    expect(crossing).toEqual([]);
  });
});
