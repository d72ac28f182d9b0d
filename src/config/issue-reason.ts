import type { z } from 'zod';

const typeNames: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  object: 'an object',
};

/** A config value as shown in an error message. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** The human reason for one zod issue, given the offending input value. */
export function issueReason(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return 'is required';
      const expected = typeNames[issue.expected] ?? issue.expected;
      const actual = Number.isInteger(value) || typeof value !== 'number' ? showValue(value) : String(value);
      return `expected ${expected}, got ${actual}`;
    }
    case 'too_small':
      return `must be at least ${String(issue.minimum)}, got ${showValue(value)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}, got ${showValue(value)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${showValue(value)}`;
    case 'invalid_union':
      // Durations are the only unions in the schema.
      return `expected a duration like "25s", "1m30s" or "500ms", got ${showValue(value)}`;
    default:
      return issue.message;
  }
}
