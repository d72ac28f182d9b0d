import type { Logger } from 'pino';
import type { Broker } from '../../src/engine/broker.js';
import type { PresenceManager } from '../../src/engine/presence-manager.js';
import type { Metrics } from '../../src/observability/metrics.js';
import type { Clock } from '../../src/timing/clock.js';
import type { TimerWheel } from '../../src/timing/timer-wheel.js';
import type { ClusterOps } from '../cluster/cluster-ops.js';
import type { FlushScheduler } from '../delivery/flush-scheduler.js';
import type { BrokerSubscriptions } from '../hub/broker-subscriptions.js';
import type { Hub } from '../hub/hub.js';
import type { HubMember } from '../hub/hub-member.js';
import type { NodeProxies } from '../proxy/node-proxies.js';
import type { ChannelResolver } from '../session/channel-access.js';
import type { TokenVerifier } from '../session/token-verifier.js';
import type { ClientOptions } from './node-options.js';

/**
 * Everything a session and the server API work with; built once per node and passed down. Generic over the
 * session type (`SessionContext` in session.ts) so this file does not depend on the session.
 */
export interface NodeContext<Session extends HubMember = HubMember> {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly version: string;
  readonly startedAt: number;
  readonly client: ClientOptions;
  readonly channels: ChannelResolver;
  readonly tokens: TokenVerifier;
  /** The proxies to the application backend (connect, refresh, channel and RPC namespaces). */
  readonly proxies: NodeProxies;
  readonly hub: Hub<Session>;
  readonly broker: Broker;
  readonly brokerSubs: BrokerSubscriptions<Session>;
  readonly presence: PresenceManager;
  /** Operations that reach every node (user disconnects, surveys, node list). */
  readonly cluster: ClusterOps;
  readonly wheel: TimerWheel;
  readonly clock: Clock;
  readonly scheduler: FlushScheduler;
  readonly metrics: Metrics;
  readonly logger: Logger;
}
