import { randomUUID } from 'node:crypto';
import type { TransportTally } from '../../src/observability/metrics.js';
import type { Bytes, ClientInfo, Command, ErrorReply, Reply, UnsubscribePush } from '../../src/protocol/client-protocol.js';
import type { Codec, EncodedFrame } from '../../src/protocol/codec.js';
import { DisconnectCode, UnsubscribeCode, disconnect, protocolError, type Disconnect } from '../../src/protocol/codes.js';
import type { TimerEntry, TimerTarget } from '../../src/timing/timer-wheel.js';
import type { Flushable } from '../delivery/flush-scheduler.js';
import type { NodeContext } from '../server/node-context.js';
import type { Transport } from '../transport/transport.js';
import type { PublicationFrames } from '../delivery/publication-frames.js';
import type { ChannelSubscription } from './channel-subscription.js';

/** The node context as sessions and the code around them see it. */
export type SessionContext = NodeContext<Session>;

/**
 * What a session asks of the command layer, handed in when it is made (open-session.ts). The handlers work on
 * sessions, so this module imports none of them and the two do not import each other in a circle.
 */
export interface SessionBehaviour {
  dispatch(session: Session, command: Command): Promise<void> | void;
  removeSubscription(session: Session, channel: string, push?: UnsubscribePush): boolean;
  releaseSubscriptions(session: Session): void;
  refreshPresence(session: Session): void;
  refreshConnectionByProxy(session: Session): Promise<void>;
  refreshSubscriptionByProxy(session: Session, sub: ChannelSubscription): Promise<void>;
}

export const enum SessionState {
  Connecting,
  Connected,
  Closed,
}

const enum TimerKind {
  Stale = 1,
  Ping = 2,
  Pong = 3,
  Expire = 4,
  SubExpire = 5,
  Presence = 6,
}

/** Commands held while an async command runs; past this a client is flooding and is disconnected. */
const maxBacklog = 4096;

/**
 * The array a single queued frame is handed to the transport in, reused by every session: transports copy what
 * they keep during `writeFrames` and never hold on to the array. Emptied after each use.
 */
const oneFrame: EncodedFrame[] = [''];

/**
 * One client connection: its protocol state machine, identity, subscriptions, outgoing queue and timers.
 * Frames in and out keep their order; protocol errors are replies, protocol violations are disconnects.
 */
export class Session implements TimerTarget, Flushable {
  readonly clientId = randomUUID();
  user = '';
  connInfo: Bytes | undefined;
  state = SessionState.Connecting;
  /** Connection expiry in ms since the epoch; 0 = never. */
  expireAt = 0;
  /** When connect succeeded (ms since the epoch); 0 before. */
  connectedAt = 0;
  /** The client's `name` and `version` from its connect command (SDKs send them; shown by `connections`). */
  appName = '';
  appVersion = '';
  readonly subscriptions = new Map<string, ChannelSubscription>();
  /** Channels whose client subscribe is being checked (token verification): duplicates answer 105. */
  readonly subscribing = new Set<string>();
  /** A refused connect leaves the connection unusable: any further command closes it with 3501. */
  unusable = false;
  /** Opaque connection metadata (token `meta` claim or connect proxy result): sent to proxies, never to clients. */
  meta: Bytes | undefined;
  /** Headers the SDK sent in its connect command (headers emulation), kept only when a proxy passes some on. */
  emulatedHeaders: Record<string, string> | undefined;
  /**
   * With a refresh proxy the server refreshes the connection at its expiry (Centrifugo's server-side refresh):
   * no close delay, and a client `refresh` command is a protocol violation.
   */
  serverSideRefresh = false;
  /** A refresh proxy call for this connection is in flight. */
  refreshing = false;

  /** The only frame queued since the last flush: most flushes carry one, and then no array is allocated. */
  private onlyOut: EncodedFrame | undefined;
  /** The frames queued since the last flush when there are several. */
  private outbox: EncodedFrame[] = [];
  private dirty = false;
  private busy = false;
  private backlog: Command[] = [];
  private staleTimer: TimerEntry | undefined;
  private pingTimer: TimerEntry | undefined;
  private pongTimer: TimerEntry | undefined;
  /** A ping was sent and its pong has not come yet. */
  private pingAwaitingPong = false;
  private expireTimer: TimerEntry | undefined;
  private subExpireTimer: TimerEntry | undefined;
  private presenceTimer: TimerEntry | undefined;
  private readonly tally: TransportTally;

  constructor(
    readonly ctx: SessionContext,
    readonly transport: Transport,
    readonly codec: Codec,
    private readonly behaviour: SessionBehaviour,
    /** Headers of the connection request that some proxy passes on, by lower-case name. */
    readonly connectionHeaders?: Readonly<Record<string, string>>,
  ) {
    this.tally = ctx.metrics.transportTally(transport.name);
    this.staleTimer = ctx.wheel.schedule(ctx.client.staleCloseDelayMs, this, TimerKind.Stale);
  }

  get closed(): boolean {
    return this.state === SessionState.Closed;
  }

  clientInfo(chanInfo?: Bytes): ClientInfo {
    const info: ClientInfo = { user: this.user, client: this.clientId };
    if (this.connInfo) info.conn_info = this.connInfo;
    if (chanInfo) info.chan_info = chanInfo;
    return info;
  }

  // ---- inbound ----

  /** A frame from the client. Must be called synchronously with the transport's buffer still valid. */
  handleFrame(frame: Uint8Array): void {
    if (this.closed) return;
    let commands: Command[];
    try {
      commands = this.codec.decodeCommands(frame);
    } catch (err) {
      this.ctx.logger.info({ client: this.clientId, err: (err as Error).message }, 'malformed frame');
      this.close(disconnect(DisconnectCode.badRequest));
      return;
    }
    this.tally.received += commands.length;
    if (this.backlog.length + commands.length > maxBacklog) {
      this.close(disconnect(DisconnectCode.tooManyRequests));
      return;
    }
    for (const command of commands) this.backlog.push(command);
    if (!this.busy) void this.drainBacklog();
  }

  private async drainBacklog(): Promise<void> {
    this.busy = true;
    try {
      while (this.backlog.length > 0 && !this.closed) {
        const pending = this.behaviour.dispatch(this, this.backlog.shift()!);
        if (pending) await pending;
      }
    } catch (err) {
      this.ctx.logger.error({ client: this.clientId, err }, 'command failed');
      this.close(disconnect(DisconnectCode.internal));
    } finally {
      this.busy = false;
    }
  }

  /**
   * A pong (a command with id 0) arrived: true when it answers the last ping. As in Centrifugo, only a pong
   * answers a ping (other traffic does not), and a pong nobody asked for is a protocol violation.
   */
  acceptPong(): boolean {
    if (!this.pingAwaitingPong) return false;
    this.pingAwaitingPong = false;
    if (this.pongTimer) {
      this.ctx.wheel.cancel(this.pongTimer);
      this.pongTimer = undefined;
    }
    return true;
  }

  // ---- outbound ----

  reply(reply: Reply): void {
    this.enqueue(this.codec.encodeReply(reply));
  }

  replyError(id: number, method: string, error: ErrorReply | number): void {
    const err = typeof error === 'number' ? protocolError(error) : error;
    this.ctx.metrics.replyErrors.labels(method, String(err.code)).inc();
    this.reply({ id, error: err });
  }

  /** Queues an encoded frame; frames queued in one event-loop turn leave in one corked write. */
  enqueue(frame: EncodedFrame): void {
    if (this.closed) return;
    if (this.onlyOut === undefined && this.outbox.length === 0) {
      this.onlyOut = frame;
    } else {
      if (this.onlyOut !== undefined) this.outbox.push(this.onlyOut);
      this.onlyOut = undefined;
      this.outbox.push(frame);
    }
    if (!this.dirty) {
      this.dirty = true;
      this.ctx.scheduler.markDirty(this);
    }
  }

  /** A non-publication push for a channel (join/leave): held while the subscribe reply is pending. */
  deliver(channel: string, frame: EncodedFrame): void {
    const sub = this.subscriptions.get(channel);
    if (!sub) return;
    if (sub.held) sub.held.push({ frame, offset: 0, epoch: '' });
    else this.enqueue(frame);
  }

  /**
   * A publication for a channel. Stream publications are checked against the subscription's position:
   * duplicates (already recovered) are skipped, a gap or new epoch on a positioned subscription disconnects
   * with 3010 so the client recovers. Delta subscribers get a fossil patch when they hold the previous payload.
   */
  deliverPublication(channel: string, frames: PublicationFrames): void {
    const sub = this.subscriptions.get(channel);
    if (!sub) return;
    const offset = frames.pub.offset ?? 0;
    const useId = sub.useId && frames.channelId > 0;
    if (sub.held) {
      const frame = sub.delta ? frames.fullFrameForDelta(this.codec, useId) : frames.plainFrame(this.codec, useId);
      sub.held.push({ frame, offset, epoch: frames.epoch });
      return;
    }
    if (offset > 0) {
      const previous = sub.offset;
      if (!this.advancePosition(sub, offset, frames.epoch)) return;
      if (sub.delta) {
        const patch = frames.prev && frames.prev.offset === previous ? frames.deltaFrame(this.codec, useId) : null;
        this.enqueue(patch ?? frames.fullFrameForDelta(this.codec, useId));
        return;
      }
    }
    this.enqueue(sub.delta ? frames.fullFrameForDelta(this.codec, useId) : frames.plainFrame(this.codec, useId));
  }

  /** Moves a subscription's stream position; false when the publication must not be sent. */
  private advancePosition(sub: ChannelSubscription, offset: number, epoch: string): boolean {
    if (sub.epoch !== '' && epoch !== sub.epoch) {
      if (sub.positioned) {
        this.close(disconnect(DisconnectCode.insufficientState));
        return false;
      }
      sub.epoch = epoch;
      sub.offset = offset;
      return true;
    }
    if (offset <= sub.offset) return false; // already sent, e.g. in the recovered set
    if (sub.positioned && sub.offset > 0 && offset !== sub.offset + 1) {
      this.close(disconnect(DisconnectCode.insufficientState));
      return false;
    }
    sub.epoch = epoch;
    sub.offset = offset;
    return true;
  }

  /** Sends the publications held while a subscription was being set up, after its reply or push. */
  releaseHeld(channel: string): void {
    const sub = this.subscriptions.get(channel);
    if (!sub || !sub.held) return;
    const held = sub.held;
    sub.held = null;
    for (const entry of held) {
      if (entry.offset > 0 && !this.advancePosition(sub, entry.offset, entry.epoch)) {
        if (this.closed) return;
        continue;
      }
      this.enqueue(entry.frame);
    }
    if (sub.interruptedDuringSetup) this.insufficientState(channel);
  }

  /**
   * The channel's publications may have been lost on the way to this node (engine reconnect, ring change).
   * A subscription that tracks its stream position is told to recover, as Centrifugo does: a client-side one
   * gets the unsubscribe push 2500 (the SDK resubscribes with recovery), a server-side one a 3010 disconnect
   * (the client reconnects and recovers). Others have nothing to recover.
   */
  insufficientState(channel: string): void {
    const sub = this.subscriptions.get(channel);
    if (!sub || !sub.positioned || this.closed) return;
    if (sub.held) {
      sub.interruptedDuringSetup = true;
      return;
    }
    if (sub.serverSide) {
      this.close(disconnect(DisconnectCode.insufficientState));
      return;
    }
    this.behaviour.removeSubscription(this, channel, { code: UnsubscribeCode.insufficientState, reason: 'insufficient state' });
  }

  private hasQueued(): boolean {
    return this.onlyOut !== undefined || this.outbox.length > 0;
  }

  flush(): void {
    this.dirty = false;
    if (this.closed || !this.hasQueued()) return;
    let frames: EncodedFrame[];
    if (this.onlyOut !== undefined) {
      frames = oneFrame;
      frames[0] = this.onlyOut;
      this.onlyOut = undefined;
    } else {
      frames = this.outbox;
      this.outbox = [];
    }
    this.transport.writeFrames(frames);
    this.tally.sent += frames.length;
    this.tally.writes++;
    if (frames === oneFrame) oneFrame[0] = '';
    // A client that cannot keep up is cut off rather than buffered without bound; it recovers on reconnect.
    if (this.transport.bufferedAmount() > this.ctx.client.queueMaxSize) {
      this.close(disconnect(DisconnectCode.slow));
    }
  }

  // ---- lifecycle ----

  /** Called once connect succeeded: starts pings and the expiry check. */
  markConnected(): void {
    this.state = SessionState.Connected;
    this.connectedAt = this.ctx.clock.now();
    this.ctx.wheel.cancel(this.staleTimer);
    this.staleTimer = undefined;
    if (this.ctx.client.pingIntervalMs > 0) {
      this.pingTimer = this.ctx.wheel.schedule(this.ctx.client.pingIntervalMs, this, TimerKind.Ping);
    }
    this.scheduleExpiryCheck();
    this.presenceTimer = this.ctx.wheel.schedule(this.ctx.client.presenceUpdateIntervalMs, this, TimerKind.Presence);
  }

  /** (Re)arms the connection expiry check after connect or refresh. */
  scheduleExpiryCheck(): void {
    this.ctx.wheel.cancel(this.expireTimer);
    this.expireTimer = undefined;
    if (this.expireAt > 0) {
      const closeDelay = this.serverSideRefresh ? 0 : this.ctx.client.expiredCloseDelayMs;
      this.expireTimer = this.ctx.wheel.schedule(this.expireAt - this.ctx.clock.now() + closeDelay, this, TimerKind.Expire);
    }
  }

  /** (Re)arms the check of subscription expiries for the earliest one. */
  scheduleSubExpiryCheck(): void {
    this.ctx.wheel.cancel(this.subExpireTimer);
    this.subExpireTimer = undefined;
    if (this.closed) return;
    let earliest = 0;
    for (const sub of this.subscriptions.values()) {
      // A subscription whose sub_refresh proxy call is in flight is rescheduled when the answer comes.
      if (sub.expireAt > 0 && !sub.refreshing && (earliest === 0 || sub.expireAt < earliest)) earliest = sub.expireAt;
    }
    if (earliest > 0) {
      const delay = earliest - this.ctx.clock.now() + this.ctx.client.expiredSubCloseDelayMs;
      this.subExpireTimer = this.ctx.wheel.schedule(delay, this, TimerKind.SubExpire);
    }
  }

  onTimer(kind: number): void {
    if (this.closed) return;
    const now = this.ctx.clock.now();
    switch (kind) {
      case TimerKind.Stale:
        this.staleTimer = undefined;
        if (this.state === SessionState.Connecting) this.close(disconnect(DisconnectCode.stale));
        break;
      case TimerKind.Ping:
        this.reply({});
        this.pingAwaitingPong = true;
        // Unidirectional clients cannot answer; their pings only keep intermediaries from closing the stream.
        if (!this.transport.unidirectional) {
          this.pongTimer = this.ctx.wheel.schedule(this.ctx.client.pongTimeoutMs, this, TimerKind.Pong);
        }
        this.pingTimer = this.ctx.wheel.schedule(this.ctx.client.pingIntervalMs, this, TimerKind.Ping);
        break;
      case TimerKind.Pong:
        this.pongTimer = undefined;
        this.close(disconnect(DisconnectCode.noPong));
        break;
      case TimerKind.Expire:
        this.expireTimer = undefined;
        if (this.serverSideRefresh) {
          if (this.expireAt > 0 && this.expireAt <= now) void this.behaviour.refreshConnectionByProxy(this);
          else this.scheduleExpiryCheck();
        } else if (this.expireAt > 0 && this.expireAt + this.ctx.client.expiredCloseDelayMs <= now) {
          this.close(disconnect(DisconnectCode.expired));
        } else {
          this.scheduleExpiryCheck();
        }
        break;
      case TimerKind.SubExpire:
        this.subExpireTimer = undefined;
        this.expireSubscriptions(now);
        break;
      case TimerKind.Presence:
        this.behaviour.refreshPresence(this);
        this.presenceTimer = this.ctx.wheel.schedule(this.ctx.client.presenceUpdateIntervalMs, this, TimerKind.Presence);
        break;
    }
  }

  private expireSubscriptions(now: number): void {
    for (const sub of [...this.subscriptions.values()]) {
      if (sub.expireAt > 0 && sub.expireAt + this.ctx.client.expiredSubCloseDelayMs <= now) {
        // A sub_refresh proxy gets a chance to extend it first (Centrifugo's server-side subscription refresh).
        if (sub.serverSideRefresh) {
          if (!sub.refreshing) void this.behaviour.refreshSubscriptionByProxy(this, sub);
          continue;
        }
        this.behaviour.removeSubscription(this, sub.channel, { code: UnsubscribeCode.expired, reason: 'subscription expired' });
      }
    }
    this.scheduleSubExpiryCheck();
  }

  /**
   * A protocol violation: logged with what was wrong, then closed with 3501 and Centrifugo's reason "bad request"
   * (the detail stays in the log, as in Centrifugo).
   */
  badRequest(why: string): void {
    this.ctx.logger.info({ client: this.clientId, user: this.user, reason: why }, 'disconnect: bad request');
    this.close(disconnect(DisconnectCode.badRequest));
  }

  /**
   * Server-initiated close: flushes queued frames, sends the disconnect, releases everything. `connectError`: the
   * refused connect's error, which some unidirectional transports answer as an HTTP response.
   */
  close(d: Disconnect, connectError?: { code: number; message: string }): void {
    if (this.closed) return;
    if (this.hasQueued()) this.flush();
    if (this.closed) return;
    this.cleanup(d.code);
    this.transport.close(d, connectError);
  }

  /** The transport closed by itself (client went away). */
  handleTransportClosed(code: number): void {
    if (this.closed) return;
    this.cleanup(code);
  }

  private cleanup(code: number): void {
    const wasConnected = this.state === SessionState.Connected;
    this.state = SessionState.Closed;
    this.onlyOut = undefined;
    this.outbox = [];
    this.backlog = [];
    const wheel = this.ctx.wheel;
    wheel.cancel(this.staleTimer);
    wheel.cancel(this.pingTimer);
    wheel.cancel(this.pongTimer);
    wheel.cancel(this.expireTimer);
    wheel.cancel(this.subExpireTimer);
    wheel.cancel(this.presenceTimer);
    this.ctx.metrics.disconnects.labels(String(code)).inc();
    if (wasConnected) {
      this.behaviour.releaseSubscriptions(this);
      this.ctx.hub.remove(this);
    }
  }
}
