import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import type { NodeContext } from '../../server/node-context.js';
import { apiHistory, apiHistoryRemove, apiPresence, apiPresenceStats } from './api-channel-state.js';
import { apiConnections } from './api-connections.js';
import { apiChannels, apiInfo, apiRpc } from './api-info.js';
import { inheritElementSources, inheritSource } from './api-json.js';
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
  ['rpc', apiRpc],
  ['connections', apiConnections],
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
      outcome = { error: protocolError(ErrorCode.badRequest, 'request body must be a JSON object'), malformed: true };
    } else if (method === 'batch') {
      outcome = await runBatch(ctx, params);
    } else {
      const handler = methods.get(method);
      outcome = handler ? await handler(ctx, params) : { error: protocolError(ErrorCode.methodNotFound, 'not found') };
    }
  } catch (err) {
    if (err instanceof ApiParamError) {
      const error = protocolError(ErrorCode.badRequest, `bad request: ${err.message}`);
      outcome = err.kind === 'type' ? { error, malformed: true } : { error };
    } else {
      ctx.logger.error({ method, err }, 'api method failed');
      outcome = { error: protocolError(ErrorCode.internal) };
    }
  }
  const label = methods.has(method) || method === 'batch' ? method : 'unknown';
  ctx.metrics.apiDurationOf(label).observe((performance.now() - started) / 1000);
  if ('error' in outcome) ctx.metrics.apiErrors.labels(label, String(outcome.error.code)).inc();
  return outcome;
}

/** The order in which Centrifugo's batch looks for a command's method (the first one set wins). */
const batchMethodOrder = [
  'publish',
  'broadcast',
  'subscribe',
  'unsubscribe',
  'disconnect',
  'history',
  'history_remove',
  'presence',
  'presence_stats',
  'info',
  'rpc',
  'refresh',
  'channels',
  'connections',
];

/**
 * `batch`: commands `[{"publish": {...}}, …]`, sequential unless `parallel`; replies keep the order. A command
 * naming no known method answers 104 and a `null` one 107, as in Centrifugo's batch executor.
 */
async function runBatch(ctx: NodeContext, params: Record<string, unknown>): Promise<ApiOutcome> {
  const commands = params['commands'] ?? [];
  if (!Array.isArray(commands)) throw new ApiParamError('commands', 'an array');
  inheritElementSources(params, 'commands', commands);
  const runOne = async (command: unknown): Promise<Record<string, unknown>> => {
    if (!isPlainObject(command)) return { error: protocolError(ErrorCode.badRequest) };
    const method = batchMethodOrder.find((name) => command[name] !== undefined && command[name] !== null);
    if (method === undefined) return { error: protocolError(ErrorCode.methodNotFound, 'not found') };
    inheritSource(command, [method], command[method]);
    const outcome = await runApiMethod(ctx, method, command[method]);
    return 'error' in outcome ? { error: outcome.error } : { [method]: outcome.result };
  };
  const replies =
    params['parallel'] === true ? await Promise.all(commands.map(runOne)) : await sequential(commands, runOne);
  // Centrifugo's JSON encoder omits an empty `replies`.
  return { result: replies.length > 0 ? { replies } : {} };
}

async function sequential<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) out.push(await fn(items[i]!, i));
  return out;
}
