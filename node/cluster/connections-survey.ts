import type { Hub } from '../hub/hub.js';
import type { Session } from '../session/session.js';
import type { ConnectionReport } from './cluster-ops.js';

// The `connections` survey: every node lists the connections of one user it holds, as the `connections` server
// API method reports them (Centrifugo PRO's ConnectionInfo JSON shape). Ringcast's own op, JSON both ways;
// Centrifugo nodes answer it "not found" and are left out.

export const connectionsSurveyOp = 'ringcast_connections';

/**
 * Centrifugo's subscription sources (`state.channels[ch].source`) for what Ringcast knows: 1 = the
 * connection token named the channel, 10 = a server-side subscription otherwise, 0 = the client subscribed.
 */
const sourceConnectionToken = 1;
const sourceServerSide = 10;
const sourceClient = 0;

export function encodeConnectionsRequest(user: string): Uint8Array {
  return Buffer.from(JSON.stringify({ user }));
}

export function decodeConnectionsRequest(data: Uint8Array): string {
  const parsed = parseJson(data) as { user?: unknown } | undefined;
  return typeof parsed?.user === 'string' ? parsed.user : '';
}

/** This node's connections of `user` (connected ones only: a connection still authenticating has no user yet). */
export function localConnections(hub: Hub<Session>, user: string): Record<string, ConnectionReport> {
  const out: Record<string, ConnectionReport> = {};
  for (const session of hub.userSessions(user) ?? []) {
    if (session.closed) continue;
    const channels: Record<string, { source: number }> = {};
    for (const [channel, sub] of session.subscriptions) {
      const source = sub.fromConnectionToken ? sourceConnectionToken : sub.serverSide ? sourceServerSide : sourceClient;
      channels[channel] = { source };
    }
    out[session.clientId] = {
      ...(session.appName ? { app_name: session.appName } : {}),
      ...(session.appVersion ? { app_version: session.appVersion } : {}),
      transport: session.transport.name,
      protocol: session.transport.protocol,
      user: session.user,
      state: { channels },
      connected_at_ms: session.connectedAt,
    };
  }
  return out;
}

export function encodeConnectionsResult(connections: Record<string, ConnectionReport>): Uint8Array {
  return Buffer.from(JSON.stringify({ connections }));
}

/** Adds one node's answer to `into`; an answer that does not parse adds nothing. */
export function mergeConnectionsResult(data: Uint8Array, into: Record<string, ConnectionReport>): void {
  const parsed = parseJson(data) as { connections?: unknown } | undefined;
  const connections = parsed?.connections;
  if (typeof connections !== 'object' || connections === null || Array.isArray(connections)) return;
  for (const [clientId, report] of Object.entries(connections as Record<string, unknown>)) {
    if (isReport(report)) into[clientId] = report;
  }
}

function isReport(value: unknown): value is ConnectionReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const state = r['state'] as { channels?: unknown } | undefined;
  return (
    typeof r['transport'] === 'string' &&
    typeof r['protocol'] === 'string' &&
    typeof r['user'] === 'string' &&
    typeof r['connected_at_ms'] === 'number' &&
    typeof state?.channels === 'object' &&
    state.channels !== null
  );
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
}
