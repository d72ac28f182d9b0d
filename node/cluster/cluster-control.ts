import type { Logger } from 'pino';
import type { ControlHandler, Controller } from '../../src/engine/controller.js';
import { UnsubscribeCode } from '../../src/protocol/codes.js';
import type { ControlCommand, ControlNode, ControlSubscribe, ControlSurvey } from '../../src/protocol/control-command.js';
import { decodeControlCommand } from '../../src/protocol/control-protobuf-decode.js';
import { encodeControlCommand } from '../../src/protocol/control-protobuf-encode.js';
import type { Clock } from '../../src/timing/clock.js';
import type { Hub } from '../hub/hub.js';
import type { Session } from '../session/session.js';
import { channelMatcher } from './channel-glob.js';
import {
  channelsSurveyOp,
  decodeChannelsRequest,
  encodeChannelsRequest,
  encodeChannelsResult,
  mergeChannelsResult,
} from './channels-survey.js';
import type { ClusterOps, ConnectionReport, NodeSummary, UserRefreshRequest, UserSubscribeRequest, UserTarget } from './cluster-ops.js';
import {
  connectionsSurveyOp,
  decodeConnectionsRequest,
  encodeConnectionsRequest,
  encodeConnectionsResult,
  localConnections,
  mergeConnectionsResult,
} from './connections-survey.js';
import {
  disconnectLocal,
  refreshLocal,
  subscribeLocal,
  unsubscribeLocal,
} from './local-user-operations.js';
import { NodeRegistry } from './node-registry.js';
import { encodeProcessData, processFigures } from './node-process-data.js';
import { Surveys, type SurveyReply } from './surveys.js';

/** Centrifuge's cadence: node info every 3 s, a node unheard of for 7 s is gone, checked every 9 s. */
const heartbeatMs = 3000;
const maxNodeAgeMs = 7000;
const cleanMs = 9000;
const surveyTimeoutMs = 5000;

/** Survey codes (Centrifugo): the op is not handled on that node. */
const surveyMethodNotFound = 3;

export interface ClusterControlOptions {
  nodeId: string;
  nodeName: string;
  version: string;
  startedAt: number;
  clock: Clock;
  hub: Hub<Session>;
  /** Undefined on the memory engine: the node is the whole cluster. */
  controller: Controller | undefined;
  logger: Logger;
}

/** Answers a survey op on this node. */
export type SurveyAnswer = (data: Uint8Array) => Promise<SurveyReply>;

/**
 * This node's part in the cluster, over the engine's control channel and in Centrifugo's control protocol:
 * node info heartbeats (so `/api/info` lists every node, Centrifugo's too), user-level operations that reach
 * whichever node holds the user, and surveys (`channels`, emulation forwarding).
 */
export class ClusterControl implements ClusterOps, ControlHandler {
  private readonly registry = new NodeRegistry();
  private readonly surveys: Surveys;
  private readonly answers = new Map<string, SurveyAnswer>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: ClusterControlOptions) {
    this.surveys = new Surveys(options.nodeId, (cmd, toNode) => this.send(cmd, toNode), options.logger);
    this.answers.set(channelsSurveyOp, async (data) => ({ code: 0, data: encodeChannelsResult(this.localChannels(decodeChannelsRequest(data))) }));
    this.answers.set(connectionsSurveyOp, async (data) => ({
      code: 0,
      data: encodeConnectionsResult(localConnections(options.hub, decodeConnectionsRequest(data))),
    }));
  }

  /** Registers the answer to a survey op (emulation forwarding registers its own). */
  answer(op: string, handler: SurveyAnswer): void {
    this.answers.set(op, handler);
  }

  /** Whether a node with this uid is this one or has been heard from. */
  knowsNode(uid: string): boolean {
    return uid === this.options.nodeId || this.registry.has(uid);
  }

  async start(): Promise<void> {
    const controller = this.options.controller;
    if (!controller) return;
    await controller.runControl(this.options.nodeId, this);
    const beat = (): void => {
      this.send({ uid: this.options.nodeId, node: this.selfNode() }).catch((err: unknown) => {
        this.options.logger.debug({ err: (err as Error).message }, 'node info not sent');
      });
    };
    beat();
    const heartbeat = setInterval(beat, heartbeatMs);
    const cleaner = setInterval(() => {
      for (const uid of this.registry.clean(this.options.clock.now(), maxNodeAgeMs)) {
        this.options.logger.info({ peer: uid }, 'node left the cluster (no node info for 7 s)');
      }
    }, cleanMs);
    heartbeat.unref();
    cleaner.unref();
    this.timers = [heartbeat, cleaner];
  }

  /** Stops the heartbeats and tells the other nodes this one is leaving. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.options.controller) {
      await this.send({ uid: this.options.nodeId, shutdown: true }).catch(() => {});
    }
  }

  nodes(): NodeSummary[] {
    return [this.selfNode(), ...this.registry.list()];
  }

  async channels(pattern: string): Promise<Record<string, number>> {
    const merged = new Map<string, number>();
    const replies = await this.survey(channelsSurveyOp, encodeChannelsRequest(pattern));
    for (const [uid, reply] of replies) {
      if (reply.code !== 0) {
        this.options.logger.warn({ peer: uid, code: reply.code }, 'a node could not answer the channels survey');
        continue;
      }
      mergeChannelsResult(reply.data, merged);
    }
    return Object.fromEntries(merged);
  }

  async connections(user: string): Promise<Record<string, ConnectionReport>> {
    const merged: Record<string, ConnectionReport> = {};
    for (const [uid, reply] of await this.survey(connectionsSurveyOp, encodeConnectionsRequest(user))) {
      // A Centrifugo node in the same cluster does not know this op (code 3): it holds no Ringcast connections.
      if (reply.code !== 0) {
        if (reply.code !== surveyMethodNotFound) {
          this.options.logger.warn({ peer: uid, code: reply.code }, 'a node could not answer the connections survey');
        }
        continue;
      }
      mergeConnectionsResult(reply.data, merged);
    }
    return merged;
  }

  /** Asks every node (this one included) or one node, and collects the answers. */
  survey(op: string, data: Uint8Array, toNode?: string): Promise<Map<string, SurveyReply>> {
    const self = this.options.nodeId;
    const answer = this.answers.get(op);
    const local = (toNode === undefined || toNode === self) && answer ? () => answer(data) : undefined;
    const remoteNodes = !this.options.controller ? 0 : toNode === undefined ? this.registry.size : toNode === self ? 0 : 1;
    return this.surveys.ask(op, data, { remoteNodes, ...(toNode ? { toNode } : {}) }, local, surveyTimeoutMs);
  }

  async disconnect(target: UserTarget, code: number, reason: string, whitelist: readonly string[]): Promise<void> {
    disconnectLocal(this.options.hub, target, code, reason, whitelist);
    await this.broadcast({ disconnect: { ...target, whitelist: [...whitelist], code, reason } });
  }

  async unsubscribe(target: UserTarget, channel: string): Promise<void> {
    unsubscribeLocal(this.options.hub, target, channel);
    await this.broadcast({
      unsubscribe: { ...target, channel, code: UnsubscribeCode.server, reason: 'server unsubscribe' },
    });
  }

  async subscribe(target: UserTarget, channel: string, request: UserSubscribeRequest): Promise<void> {
    await subscribeLocal(this.options.hub, target, channel, request);
    const { options, since } = request;
    await this.broadcast({
      subscribe: {
        ...target,
        channel,
        emitPresence: options.emitPresence,
        emitJoinLeave: options.emitJoinLeave,
        pushJoinLeave: options.pushJoinLeave,
        expireAt: options.expireAt > 0 ? Math.floor(options.expireAt / 1000) : 0,
        position: options.positioning,
        recover: options.recovery,
        channelInfo: options.chanInfo,
        data: options.data,
        recoverSince: since,
      },
    });
  }

  async refresh(target: UserTarget, request: UserRefreshRequest): Promise<void> {
    refreshLocal(this.options.hub, target, request);
    await this.broadcast({
      refresh: { ...target, expired: request.expired, expireAt: request.expireAtSeconds, info: request.info },
    });
  }

  handleControl(data: Uint8Array): void {
    let cmd: ControlCommand;
    try {
      cmd = decodeControlCommand(data);
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'skipped a malformed control message');
      return;
    }
    if (cmd.uid === this.options.nodeId) return;
    const hub = this.options.hub;
    if (cmd.node) {
      if (this.registry.update(cmd.node, this.options.clock.now())) {
        this.options.logger.info({ peer: cmd.node.uid, name: cmd.node.name, version: cmd.node.version }, 'node joined the cluster');
      }
    } else if (cmd.shutdown) {
      this.registry.remove(cmd.uid);
    } else if (cmd.disconnect) {
      const d = cmd.disconnect;
      disconnectLocal(hub, d, d.code, d.reason, d.whitelist);
    } else if (cmd.unsubscribe) {
      unsubscribeLocal(hub, cmd.unsubscribe, cmd.unsubscribe.channel);
    } else if (cmd.subscribe) {
      const s = cmd.subscribe;
      subscribeLocal(hub, s, s.channel, subscribeRequestFromControl(s)).catch((err: unknown) => {
        this.options.logger.warn({ channel: s.channel, err }, 'server-side subscribe from another node failed');
      });
    } else if (cmd.refresh) {
      const r = cmd.refresh;
      refreshLocal(hub, r, { expired: r.expired, expireAtSeconds: r.expireAt, info: r.info });
    } else if (cmd.surveyRequest) {
      this.answerSurvey(cmd.uid, cmd.surveyRequest);
    } else if (cmd.surveyResponse) {
      this.surveys.handleResponse(cmd.uid, cmd.surveyResponse);
    }
  }

  private answerSurvey(from: string, request: ControlSurvey): void {
    const answer = this.answers.get(request.op);
    const replying = answer ? answer(request.data) : Promise.resolve({ code: surveyMethodNotFound, data: new Uint8Array(0) });
    replying
      .catch(() => ({ code: 1, data: new Uint8Array(0) }))
      .then((reply) => this.send({ uid: this.options.nodeId, surveyResponse: { id: request.id, ...reply } }, from))
      .catch((err: unknown) => this.options.logger.warn({ peer: from, op: request.op, err }, 'survey answer not sent'));
  }

  private localChannels(pattern: string): Map<string, number> {
    const matches = channelMatcher(pattern);
    const hub = this.options.hub;
    const out = new Map<string, number>();
    for (const channel of hub.channelNames()) {
      if (matches(channel)) out.set(channel, hub.channelSize(channel));
    }
    return out;
  }

  private selfNode(): ControlNode {
    const { hub, clock, startedAt } = this.options;
    return {
      uid: this.options.nodeId,
      name: this.options.nodeName,
      version: this.options.version,
      numClients: hub.connections,
      numUsers: hub.users,
      numChannels: hub.channels,
      numSubs: hub.subscriptions,
      uptime: Math.floor((clock.now() - startedAt) / 1000),
      data: encodeProcessData(processFigures(clock.now() - startedAt)),
    };
  }

  private async broadcast(message: Omit<ControlCommand, 'uid'>): Promise<void> {
    if (!this.options.controller) return;
    await this.send({ uid: this.options.nodeId, ...message });
  }

  private async send(cmd: ControlCommand, toNode?: string): Promise<void> {
    const controller = this.options.controller;
    if (!controller) return;
    await controller.publishControl(encodeControlCommand(cmd), toNode);
  }
}

/** The options another node (Ringcast or Centrifugo) decided for a server-side subscription it asks for. */
function subscribeRequestFromControl(s: ControlSubscribe): UserSubscribeRequest {
  return {
    options: {
      emitPresence: s.emitPresence,
      emitJoinLeave: s.emitJoinLeave,
      pushJoinLeave: s.pushJoinLeave,
      recovery: s.recover,
      positioning: s.position,
      chanInfo: s.channelInfo,
      data: s.data,
      expireAt: s.expireAt > 0 ? s.expireAt * 1000 : 0,
    },
    since: s.recoverSince,
  };
}
