import type { NodeContext } from '../../server/node-context.js';
import { optionalString } from './api-params.js';
import type { ApiMethod } from './api-types.js';

/** Glob as Centrifugo's `channels` pattern: `*` any run, `?` one character; no pattern lists everything. */
function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + escaped + '$');
}

export const apiChannels: ApiMethod = (ctx, params) => {
  const pattern = optionalString(params, 'pattern');
  const matcher = pattern ? globToRegExp(pattern) : undefined;
  const channels: Record<string, { num_clients: number }> = {};
  for (const name of ctx.hub.channelNames()) {
    if (!matcher || matcher.test(name)) channels[name] = { num_clients: ctx.hub.channelSize(name) };
  }
  return { result: { channels } };
};

export function nodeInfo(ctx: NodeContext): Record<string, unknown> {
  const usage = process.cpuUsage();
  const uptimeSeconds = Math.max(1, (ctx.clock.now() - ctx.startedAt) / 1000);
  return {
    uid: ctx.nodeId,
    name: ctx.nodeName,
    version: ctx.version,
    num_clients: ctx.hub.connections,
    num_users: ctx.hub.users,
    num_channels: ctx.hub.channels,
    num_subs: ctx.hub.subscriptions,
    uptime: Math.floor((ctx.clock.now() - ctx.startedAt) / 1000),
    process: {
      // Average CPU use since start, in percent of one core.
      cpu: Math.round(((usage.user + usage.system) / 1e6 / uptimeSeconds) * 10000) / 100,
      rss: process.memoryUsage.rss(),
    },
  };
}

export const apiInfo: ApiMethod = (ctx) => ({ result: { nodes: [nodeInfo(ctx)] } });
