// The RealtimeCluster CRD and its examples as files on disk (crds/), parsed for tests.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse, parseAllDocuments } from 'yaml';

export const crdsDir = fileURLToPath(new URL('../../crds/', import.meta.url));
export const crdFile = join(crdsDir, 'realtimeclusters.ringcast.dev.yaml');

export interface JsonSchemaNode {
  [key: string]: unknown;
}

/** The CRD document as the API server receives it. */
export function loadCrd(): Record<string, unknown> {
  return parse(readFileSync(crdFile, 'utf8')) as Record<string, unknown>;
}

/** The openAPIV3Schema of the one served version. */
export function crdSchema(): JsonSchemaNode {
  const crd = loadCrd() as { spec: { versions: { schema: { openAPIV3Schema: JsonSchemaNode } }[] } };
  const version = crd.spec.versions[0];
  if (!version) throw new Error('the CRD has no version');
  return version.schema.openAPIV3Schema;
}

export interface CrdExample {
  readonly file: string;
  readonly objects: Record<string, unknown>[];
  /** `# expect-field: <path>` lines: what the API server's refusal must name (invalid examples). */
  readonly expectFields: string[];
  /** `# applied-over: <file>`: the valid example an invalid update is applied on top of. */
  readonly appliedOver?: string;
}

/** Every example in crds/examples/<kind>/, with the expectations written in its comments. */
export function loadExamples(kind: 'valid' | 'invalid'): CrdExample[] {
  const dir = join(crdsDir, 'examples', kind);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const expectFields = [...text.matchAll(/^# expect-field: (.+)$/gm)].map((m) => m[1]!.trim());
      const appliedOver = /^# applied-over: (.+)$/m.exec(text)?.[1]?.trim();
      const objects = parseAllDocuments(text)
        .map((doc) => doc.toJS() as Record<string, unknown> | null)
        .filter((obj): obj is Record<string, unknown> => obj !== null);
      return { file, objects, expectFields, ...(appliedOver ? { appliedOver } : {}) };
    });
}
