import type { ProtocolName } from '../../src/protocol/codec.js';
import type { EmulationRequest } from '../../src/protocol/emulation-request.js';
import type { EmulationSessions } from './emulation-sessions.js';

/**
 * What became of an emulation request: handed to its session; the node named is not known (the client must
 * reconnect: the node restarted or left); or the node is known but the session is gone (its stream ended).
 */
export type EmulationDelivery = 'delivered' | 'unknown_node' | 'unknown_session';

/**
 * Finds the session an emulation request is for and hands it the commands. Any node accepts the request
 * (no sticky sessions): an implementation for a cluster forwards requests for other nodes to them.
 */
export interface SessionLocator {
  /** `protocol`: how the request body came (JSON or protobuf), which is the session's protocol. */
  deliver(request: EmulationRequest, protocol: ProtocolName): Promise<EmulationDelivery>;
}

/** A single node's locator: only its own sessions; every other node id is unknown. */
export class LocalSessionLocator implements SessionLocator {
  constructor(
    private readonly nodeId: string,
    private readonly sessions: EmulationSessions,
  ) {}

  deliver(request: EmulationRequest, _protocol?: ProtocolName): Promise<EmulationDelivery> {
    if (request.node !== this.nodeId) return Promise.resolve('unknown_node');
    const session = this.sessions.get(request.session);
    if (!session) return Promise.resolve('unknown_session');
    // Synchronously, so requests reach the session in the order they arrived.
    session.handleFrame(request.data);
    return Promise.resolve('delivered');
  }
}
