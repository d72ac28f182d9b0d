import type { NodeContext } from '../../server/node-context.js';
import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import { decodeProcessData, processFigures } from '../../cluster/node-process-data.js';
import { optionalString } from './api-params.js';
import type { ApiMethod } from './api-types.js';

export const apiChannels: ApiMethod = async (ctx, params) => {
  const counts = await ctx.cluster.channels(optionalString(params, 'pattern') ?? '');
  const channels: Record<string, { num_clients: number }> = {};
  for (const [name, numClients] of Object.entries(counts)) channels[name] = { num_clients: numClients };
  return { result: { channels } };
};

export function nodeInfo(ctx: NodeContext): Record<string, unknown> {
  return {
    uid: ctx.nodeId,
    name: ctx.nodeName,
    version: ctx.version,
    num_clients: ctx.hub.connections,
    num_users: ctx.hub.users,
    num_channels: ctx.hub.channels,
    num_subs: ctx.hub.subscriptions,
    uptime: Math.floor((ctx.clock.now() - ctx.startedAt) / 1000),
    process: processFigures(ctx.clock.now() - ctx.startedAt),
  };
}

/** Every live node of the cluster: this one (with its process figures) and those heard from recently. */
export const apiInfo: ApiMethod = (ctx) => {
  const [, ...others] = ctx.cluster.nodes();
  const nodes = [nodeInfo(ctx)];
  for (const node of others) {
    // Ringcast nodes send their process figures with their node info; Centrifugo nodes do not.
    const figures = decodeProcessData(node.data);
    nodes.push({
      uid: node.uid,
      name: node.name,
      version: node.version,
      num_clients: node.numClients,
      num_users: node.numUsers,
      num_channels: node.numChannels,
      num_subs: node.numSubs,
      uptime: node.uptime,
      ...(figures ? { process: figures } : {}),
    });
  }
  return { result: { nodes } };
};

/** `rpc`: Centrifugo runs registered server-side extensions here; Ringcast has none, so every method is unknown. */
export const apiRpc: ApiMethod = (_ctx, params) => {
  const method = optionalString(params, 'method') ?? '';
  if (method === '') return { error: protocolError(ErrorCode.badRequest) };
  return { error: protocolError(ErrorCode.methodNotFound, 'not found') };
};
