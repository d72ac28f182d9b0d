import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import { optionalString } from './api-params.js';
import type { ApiMethod } from './api-types.js';

/**
 * `connections` (a Centrifugo PRO method, with its request and result shape): the connections of `user` ("" =
 * anonymous connections) on every node of the cluster, asked through a survey. Centrifugo PRO's `expression`
 * filter is not offered.
 */
export const apiConnections: ApiMethod = async (ctx, params) => {
  const user = optionalString(params, 'user') ?? '';
  if ((optionalString(params, 'expression') ?? '') !== '') {
    return { error: protocolError(ErrorCode.badRequest, 'bad request: expression is not supported; list by user') };
  }
  return { result: { connections: await ctx.cluster.connections(user) } };
};
