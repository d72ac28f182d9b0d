import type { Logger } from 'pino';
import type { ProtocolName } from '../../src/protocol/codec.js';
import {
  decodeProtobufEmulationRequest,
  encodeProtobufEmulationRequest,
  type EmulationRequest,
} from '../../src/protocol/emulation-request.js';
import type { EmulationSessions } from '../transport/emulation-sessions.js';
import { LocalSessionLocator, type EmulationDelivery, type SessionLocator } from '../transport/session-locator.js';
import type { ClusterControl } from './cluster-control.js';

/** Centrifuge's survey op for emulation requests forwarded to the node holding the session. */
export const emulationSurveyOp = 'centrifuge_emulation';

/** Survey answer codes (Centrifuge): the request did not parse; the session is not on this node. */
const badRequest = 1;
const noSession = 2;

/**
 * Emulation requests for sessions on any node of the cluster: this node's own are handed over directly,
 * others are forwarded to the node holding the session as Centrifuge does (an `centrifuge_emulation` survey
 * carrying the protobuf EmulationRequest, whose data is the JSON string itself for JSON sessions).
 */
export class ClusterSessionLocator implements SessionLocator {
  private readonly local: LocalSessionLocator;

  constructor(
    private readonly nodeId: string,
    private readonly sessions: EmulationSessions,
    private readonly cluster: ClusterControl,
    private readonly logger: Logger,
  ) {
    this.local = new LocalSessionLocator(nodeId, sessions);
    cluster.answer(emulationSurveyOp, async (data) => ({ code: this.handleForwarded(data), data: new Uint8Array(0) }));
  }

  async deliver(request: EmulationRequest, protocol: ProtocolName): Promise<EmulationDelivery> {
    if (request.node === this.nodeId) return this.local.deliver(request, protocol);
    if (!this.cluster.knowsNode(request.node)) return 'unknown_node';
    const data = protocol === 'json' ? Buffer.from(JSON.stringify(Buffer.from(request.data).toString('utf8'))) : request.data;
    const replies = await this.cluster.survey(emulationSurveyOp, encodeProtobufEmulationRequest({ ...request, data }), request.node);
    const reply = replies.get(request.node);
    if (!reply) return 'unknown_node';
    return reply.code === noSession ? 'unknown_session' : 'delivered';
  }

  private handleForwarded(body: Uint8Array): number {
    let request: EmulationRequest;
    try {
      request = decodeProtobufEmulationRequest(body);
    } catch (err) {
      this.logger.info({ err: (err as Error).message }, 'malformed forwarded emulation request');
      return badRequest;
    }
    const session = this.sessions.get(request.session);
    if (!session) return noSession;
    let frame = request.data;
    if (session.codec.name === 'json') {
      try {
        const text: unknown = JSON.parse(Buffer.from(frame).toString('utf8'));
        if (typeof text !== 'string') return badRequest;
        frame = Buffer.from(text, 'utf8');
      } catch {
        return badRequest;
      }
    }
    session.handleFrame(frame);
    return 0;
  }
}
