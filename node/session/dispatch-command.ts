import type { Command } from '../../src/protocol/client-protocol.js';
import { DisconnectCode, disconnect } from '../../src/protocol/codes.js';
import { handleConnect } from './handlers/connect.js';
import { handleHistory } from './handlers/history.js';
import { handlePresence, handlePresenceStats } from './handlers/presence.js';
import { handlePublish } from './handlers/publish.js';
import { handleRefresh } from './handlers/refresh.js';
import { handleRpc } from './handlers/rpc.js';
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
 * Validates a command against the session's state and runs its handler, with Centrifugo's rules: before connect
 * only connect is allowed; a command with id 0 (and no `send`) is a pong, refused (3501) when no ping is
 * waiting for one; a command with an id but no request body, or a `ping` command, is a bad request (3501); after
 * a refused connect every command closes the connection (3501). Returns a promise only for handlers that wait
 * (token checks, broker calls), so the session keeps commands in order without awaiting the rest.
 */
export function dispatchCommand(session: Session, command: Command): Promise<void> | void {
  if (session.unusable) return session.badRequest('connection is unusable after a refused connect');
  const method = methodOf(command);
  if (session.state === SessionState.Connecting && method !== 'connect') {
    return session.badRequest('connect first');
  }
  if (command.id === 0 && method !== 'send') {
    if (!session.acceptPong()) return session.badRequest('unexpected pong');
    return;
  }
  if (method === null) return session.badRequest('command has no request');
  if (method === 'ping') return session.badRequest('ping command is not supported');
  if (method === 'connect' && session.state !== SessionState.Connecting) {
    return session.badRequest('already connected');
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
      return handleRpc(session, id, command.rpc!);
    case 'send':
      // Centrifugo has no asynchronous message handler without a proxy: it disconnects with 3508 so the client
      // learns its messages go nowhere (centrifuge client.go handleSend).
      return session.close(disconnect(DisconnectCode.notAvailable));
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
