import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import type { NodeContext } from '../../server/node-context.js';
import { apiHistory, apiHistoryRemove, apiPresence, apiPresenceStats } from './api-channel-state.js';
import { apiChannels, apiInfo } from './api-info.js';
import { ApiParamError, isPlainObject } from './api-params.js';
import { apiBroadcast, apiPublish } from './api-publish.js';
import type { ApiMethod, ApiOutcome } from './api-types.js';
import { apiDisconnect, apiRefresh, apiSubscribe, apiUnsubscribe } from './api-users.js';

const methods = new Map<string, ApiMethod>([
  ['publish', apiPublish],
  ['broadcast', apiBroadcast],
  ['subscribe', apiSubscribe],
  ['unsubscribe', apiUnsubscribe],
  ['disconnect', apiDisconnect],
  ['refresh', apiRefresh],
  ['channels', apiChannels],
  ['presence', apiPresence],
  ['presence_stats', apiPresenceStats],
  ['history', apiHistory],
  ['history_remove', apiHistoryRemove],
  ['info', apiInfo],
]);

export function isKnownMethod(method: string): boolean {
  return method === 'batch' || methods.has(method);
}

/** Runs one API method on parsed params; unknown methods answer 104, bad params 107, surprises 100. */
export async function runApiMethod(ctx: NodeContext, method: string, params: unknown): Promise<ApiOutcome> {
  const started = performance.now();
  let outcome: ApiOutcome;
  try {
    if (!isPlainObject(params)) {
      outcome = { error: protocolError(ErrorCode.badRequest, 'request body must be a JSON object') };
    } else if (method === 'batch') {
      outcome = await runBatch(ctx, params);
    } else {
      const handler = methods.get(method);
      outcome = handler ? await handler(ctx, params) : { error: protocolError(ErrorCode.methodNotFound) };
    }
  } catch (err) {
    if (err instanceof ApiParamError) {
      outcome = { error: protocolError(ErrorCode.badRequest, `bad request: ${err.message}`) };
    } else {
      ctx.logger.error({ method, err }, 'api method failed');
      outcome = { error: protocolError(ErrorCode.internal) };
    }
  }
  const label = methods.has(method) || method === 'batch' ? method : 'unknown';
  ctx.metrics.apiDuration.labels(label).observe((performance.now() - started) / 1000);
  if ('error' in outcome) ctx.metrics.apiErrors.labels(label, String(outcome.error.code)).inc();
  return outcome;
}

/** `batch`: commands `[{"publish": {...}}, …]`, sequential unless `parallel`; replies keep the order. */
async function runBatch(ctx: NodeContext, params: Record<string, unknown>): Promise<ApiOutcome> {
  const commands = params['commands'];
  if (!Array.isArray(commands)) throw new ApiParamError('commands', 'an array');
  const runOne = async (command: unknown): Promise<Record<string, unknown>> => {
    const entry = isPlainObject(command) ? Object.entries(command)[0] : undefined;
    if (!entry || entry[0] === 'batch') {
      return { error: protocolError(ErrorCode.badRequest, 'each command is {"<method>": params}') };
    }
    const [method, methodParams] = entry;
    const outcome = await runApiMethod(ctx, method, methodParams ?? {});
    return 'error' in outcome ? { error: outcome.error } : { [method]: outcome.result };
  };
  const replies =
    params['parallel'] === true ? await Promise.all(commands.map(runOne)) : await sequential(commands, runOne);
  return { result: { replies } };
}

async function sequential<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}
