import { randomUUID } from 'node:crypto';
import type { TransportTally } from '../../src/observability/metrics.js';
import type { Bytes, ClientInfo, Command, ErrorReply, Reply } from '../../src/protocol/client-protocol.js';
import type { Codec, EncodedFrame } from '../../src/protocol/codec.js';
import { DisconnectCode, UnsubscribeCode, disconnect, protocolError, type Disconnect } from '../../src/protocol/codes.js';
import type { TimerEntry, TimerTarget } from '../../src/timing/timer-wheel.js';
import type { Flushable } from '../delivery/flush-scheduler.js';
import type { NodeContext } from '../server/node-context.js';
import type { Transport } from '../transport/transport.js';
import { dispatchCommand } from './dispatch-command.js';
import type { PublicationFrames } from '../delivery/publication-frames.js';
import type { ChannelSubscription } from './channel-subscription.js';
import { refreshPresence, releaseSubscriptions, removeSubscription } from './subscription-ops.js';

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
  readonly subscriptions = new Map<string, ChannelSubscription>();

  private outbox: EncodedFrame[] = [];
  private dirty = false;
  private busy = false;
  private backlog: Command[] = [];
  private staleTimer: TimerEntry | undefined;
  private pingTimer: TimerEntry | undefined;
  private pongTimer: TimerEntry | undefined;
  private expireTimer: TimerEntry | undefined;
  private subExpireTimer: TimerEntry | undefined;
  private presenceTimer: TimerEntry | undefined;
  private readonly tally: TransportTally;

  constructor(
    readonly ctx: NodeContext,
    readonly transport: Transport,
    readonly codec: Codec,
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
    // Any traffic proves the client is alive, so it also answers an outstanding ping.
    if (this.pongTimer) {
      this.ctx.wheel.cancel(this.pongTimer);
      this.pongTimer = undefined;
    }
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
        const pending = dispatchCommand(this, this.backlog.shift()!);
        if (pending) await pending;
      }
    } catch (err) {
      this.ctx.logger.error({ client: this.clientId, err }, 'command failed');
      this.close(disconnect(DisconnectCode.internal));
    } finally {
      this.busy = false;
    }
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
    this.outbox.push(frame);
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
    if (sub.held) {
      sub.held.push({ frame: sub.delta ? frames.fullFrameForDelta(this.codec) : frames.plainFrame(this.codec), offset, epoch: frames.epoch });
      return;
    }
    if (offset > 0) {
      const previous = sub.offset;
      if (!this.advancePosition(sub, offset, frames.epoch)) return;
      if (sub.delta) {
        const patch = frames.prev && frames.prev.offset === previous ? frames.deltaFrame(this.codec) : null;
        this.enqueue(patch ?? frames.fullFrameForDelta(this.codec));
        return;
      }
    }
    this.enqueue(sub.delta ? frames.fullFrameForDelta(this.codec) : frames.plainFrame(this.codec));
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
  }

  flush(): void {
    this.dirty = false;
    if (this.closed || this.outbox.length === 0) return;
    const frames = this.outbox;
    this.outbox = [];
    this.transport.writeFrames(frames);
    this.tally.sent += frames.length;
    // A client that cannot keep up is cut off rather than buffered without bound; it recovers on reconnect.
    if (this.transport.bufferedAmount() > this.ctx.client.queueMaxSize) {
      this.close(disconnect(DisconnectCode.slow));
    }
  }

  // ---- lifecycle ----

  /** Called once connect succeeded: starts pings and the expiry check. */
  markConnected(): void {
    this.state = SessionState.Connected;
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
      const delay = this.expireAt - this.ctx.clock.now() + this.ctx.client.expiredCloseDelayMs;
      this.expireTimer = this.ctx.wheel.schedule(delay, this, TimerKind.Expire);
    }
  }

  /** (Re)arms the check of subscription expiries for the earliest one. */
  scheduleSubExpiryCheck(): void {
    this.ctx.wheel.cancel(this.subExpireTimer);
    this.subExpireTimer = undefined;
    if (this.closed) return;
    let earliest = 0;
    for (const sub of this.subscriptions.values()) {
      if (sub.expireAt > 0 && (earliest === 0 || sub.expireAt < earliest)) earliest = sub.expireAt;
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
        if (this.expireAt > 0 && this.expireAt + this.ctx.client.expiredCloseDelayMs <= now) {
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
        refreshPresence(this);
        this.presenceTimer = this.ctx.wheel.schedule(this.ctx.client.presenceUpdateIntervalMs, this, TimerKind.Presence);
        break;
    }
  }

  private expireSubscriptions(now: number): void {
    for (const sub of [...this.subscriptions.values()]) {
      if (sub.expireAt > 0 && sub.expireAt + this.ctx.client.expiredSubCloseDelayMs <= now) {
        removeSubscription(this, sub.channel, { code: UnsubscribeCode.expired, reason: 'subscription expired' });
      }
    }
    this.scheduleSubExpiryCheck();
  }

  /** Server-initiated close: flushes queued frames, sends the disconnect, releases everything. */
  close(d: Disconnect): void {
    if (this.closed) return;
    if (this.outbox.length > 0) this.flush();
    if (this.closed) return;
    this.cleanup(d.code);
    this.transport.close(d);
  }

  /** The transport closed by itself (client went away). */
  handleTransportClosed(code: number): void {
    if (this.closed) return;
    this.cleanup(code);
  }

  private cleanup(code: number): void {
    const wasConnected = this.state === SessionState.Connected;
    this.state = SessionState.Closed;
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
      releaseSubscriptions(this);
      this.ctx.hub.remove(this);
    }
  }
}
