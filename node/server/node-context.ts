import type { Logger } from 'pino';
import type { Broker } from '../../src/engine/broker.js';
import type { PresenceManager } from '../../src/engine/presence-manager.js';
import type { Metrics } from '../../src/observability/metrics.js';
import type { Clock } from '../../src/timing/clock.js';
import type { TimerWheel } from '../../src/timing/timer-wheel.js';
import type { FlushScheduler } from '../delivery/flush-scheduler.js';
import type { BrokerSubscriptions } from '../hub/broker-subscriptions.js';
import type { Hub } from '../hub/hub.js';
import type { ChannelResolver } from '../session/channel-access.js';
import type { TokenVerifier } from '../session/token-verifier.js';
import type { ClientOptions } from './node-options.js';

/** Everything a session and the server API work with; built once per node and passed down. */
export interface NodeContext {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly version: string;
  readonly startedAt: number;
  readonly client: ClientOptions;
  readonly channels: ChannelResolver;
  readonly tokens: TokenVerifier;
  readonly hub: Hub;
  readonly broker: Broker;
  readonly brokerSubs: BrokerSubscriptions;
  readonly presence: PresenceManager;
  readonly wheel: TimerWheel;
  readonly clock: Clock;
  readonly scheduler: FlushScheduler;
  readonly metrics: Metrics;
  readonly logger: Logger;
}
