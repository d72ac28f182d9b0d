// The HTTP status of a failed @kubernetes/client-node call (403, 404, 409, 422, ...).
import { ApiException } from '@kubernetes/client-node';

/** The status code when `error` is an API error response, otherwise undefined. */
export function apiStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** Resolves to the status code the call failed with; throws if the call succeeded or failed otherwise. */
export async function expectApiFailure(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    const code = apiStatusCode(error);
    if (code !== undefined) return code;
    throw error;
  }
  throw new Error('expected the API call to fail, but it succeeded');
}
