import type { ProxyRequest } from '../../src/proxy/proxy-request.js';
import type { ProxyBinding, ProxyCallContext } from '../proxy/proxy-binding.js';
import type { Session } from './session.js';

/** The fields every proxy request starts with: the connection's client id, transport, protocol and encoding. */
export function requestBase(session: Session, binding: ProxyBinding): ProxyRequest {
  return {
    client: session.clientId,
    transport: session.transport.name,
    protocol: session.transport.protocol,
    encoding: binding.encoding,
  };
}

/** The connection a proxy call is made for (identity for the log, headers to pass on). */
export function callContext(session: Session, channel?: string): ProxyCallContext {
  const context: ProxyCallContext = {
    clientId: session.clientId,
    user: session.user,
    connectionHeaders: session.connectionHeaders,
    emulatedHeaders: session.emulatedHeaders,
    payloadsAreJson: !session.codec.binary,
  };
  if (channel !== undefined) context.channel = channel;
  return context;
}
