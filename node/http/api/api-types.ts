import type { NodeContext } from '../../server/node-context.js';

export interface ApiError {
  code: number;
  message: string;
}

export type ApiOutcome = { result: unknown } | { error: ApiError };

/** One server API method: typed parameters in, a result or a protocol error out (never a thrown error). */
export type ApiMethod = (ctx: NodeContext, params: Record<string, unknown>) => ApiOutcome | Promise<ApiOutcome>;
