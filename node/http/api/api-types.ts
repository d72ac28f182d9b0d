import type { NodeContext } from '../../server/node-context.js';

export interface ApiError {
  code: number;
  message: string;
}

/** `malformed`: a parameter has the wrong JSON type; the HTTP API answers 400 as Centrifugo's decoder does. */
export type ApiOutcome = { result: unknown } | { error: ApiError; malformed?: true };

/** One server API method: typed parameters in, a result or a protocol error out (never a thrown error). */
export type ApiMethod = (ctx: NodeContext, params: Record<string, unknown>) => ApiOutcome | Promise<ApiOutcome>;
