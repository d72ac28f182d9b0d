import type { Command } from '../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../src/protocol/codes.js';
import { handleConnect } from './handlers/connect.js';
import { handleHistory } from './handlers/history.js';
import { handlePresence, handlePresenceStats } from './handlers/presence.js';
import { handlePublish } from './handlers/publish.js';
import { handleRefresh } from './handlers/refresh.js';
import { handleSubRefresh } from './handlers/sub-refresh.js';
import { handleSubscribe } from './handlers/subscribe.js';
import { handleUnsubscribe } from './handlers/unsubscribe.js';
import { SessionState, type Session } from './session.js';

type Method =
  | 'connect'
  | 'subscribe'
  | 'unsubscribe'
  | 'publish'
  | 'presence'
  | 'presence_stats'
  | 'history'
  | 'ping'
  | 'send'
  | 'rpc'
  | 'refresh'
  | 'sub_refresh';

function methodOf(command: Command): Method | null {
  if (command.connect) return 'connect';
  if (command.subscribe) return 'subscribe';
  if (command.unsubscribe) return 'unsubscribe';
  if (command.publish) return 'publish';
  if (command.presence) return 'presence';
  if (command.presence_stats) return 'presence_stats';
  if (command.history) return 'history';
  if (command.ping) return 'ping';
  if (command.send) return 'send';
  if (command.rpc) return 'rpc';
  if (command.refresh) return 'refresh';
  if (command.sub_refresh) return 'sub_refresh';
  return null;
}

/**
 * Validates a command against the session's state and runs its handler. Returns a promise only for handlers
 * that wait (token checks, broker calls), so the session keeps commands in order without awaiting the rest.
 */
export function dispatchCommand(session: Session, command: Command): Promise<void> | void {
  const method = methodOf(command);
  if (method === null) return; // an empty command is the client's pong
  if (method === 'ping') return session.close(disconnect(DisconnectCode.badRequest, 'ping command is not supported'));
  if (method !== 'send' && !(command.id > 0)) return session.close(disconnect(DisconnectCode.badRequest));
  if (session.state === SessionState.Connecting) {
    if (method !== 'connect') return session.close(disconnect(DisconnectCode.badRequest, 'connect first'));
  } else if (method === 'connect') {
    return session.close(disconnect(DisconnectCode.badRequest, 'already connected'));
  }
  const started = performance.now();
  const result = run(session, command, method);
  const metrics = session.ctx.metrics;
  if (!result) {
    metrics.commandDuration.labels(method).observe((performance.now() - started) / 1000);
    return;
  }
  return result.then(() => metrics.commandDuration.labels(method).observe((performance.now() - started) / 1000));
}

function run(session: Session, command: Command, method: Method): Promise<void> | void {
  const id = command.id;
  switch (method) {
    case 'connect':
      return handleConnect(session, id, command.connect!);
    case 'subscribe':
      return handleSubscribe(session, id, command.subscribe!);
    case 'unsubscribe':
      return handleUnsubscribe(session, id, command.unsubscribe!);
    case 'publish':
      return handlePublish(session, id, command.publish!);
    case 'refresh':
      return handleRefresh(session, id, command.refresh!);
    case 'sub_refresh':
      return handleSubRefresh(session, id, command.sub_refresh!);
    case 'rpc':
      // No RPC handler (proxy) can be configured yet: Centrifugo answers "not available" then.
      return session.replyError(id, method, ErrorCode.notAvailable);
    case 'send':
      return; // asynchronous messages go to an RPC/send handler; none is configured, so they are dropped
    case 'presence':
      return handlePresence(session, id, command.presence!);
    case 'presence_stats':
      return handlePresenceStats(session, id, command.presence_stats!);
    case 'history':
      return handleHistory(session, id, command.history!);
    case 'ping':
      return;
  }
}
