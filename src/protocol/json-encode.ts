import type {
  Bytes,
  ClientInfo,
  ConnectResult,
  ErrorReply,
  HistoryResult,
  PresenceResult,
  Publication,
  Push,
  RefreshResult,
  Reply,
  SubscribeResult,
} from './client-protocol.js';

// Hand-written JSON encoding of replies: the hot path of every delivery, so strings are built directly
// instead of stringifying whole objects. Keys follow field-number order. Bytes fields hold JSON text and
// are inserted verbatim (line feeds aside, see raw()). Empty/zero/false fields are omitted except those PROTOCOL.md keeps (ClientInfo
// user/client, presence, presence_stats counts, history publications/epoch/offset); a present but empty
// result still appears as `{}` so the client sees which result it got.

const quote = JSON.stringify as (value: string) => string;

/**
 * The JSON text a Bytes field holds. A raw line feed would split the `\n`-delimited frame; in valid JSON it
 * can only be whitespace between tokens (inside strings it must be escaped), so it becomes a space.
 */
function raw(bytes: Bytes): string {
  const json = Buffer.isBuffer(bytes)
    ? bytes.toString('utf8')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return json.indexOf('\n') === -1 ? json : json.replace(/\n/g, ' ');
}

/** `body` is a list of `,"key":value` members; turns it into an object. */
function close(body: string): string {
  return body.length === 0 ? '{}' : '{' + body.slice(1) + '}';
}

function hasKeys(map: object): boolean {
  for (const _ in map) return true;
  return false;
}

export function clientInfoJson(info: ClientInfo): string {
  let s = '{"user":' + quote(info.user) + ',"client":' + quote(info.client);
  if (info.conn_info && info.conn_info.length > 0) s += ',"conn_info":' + raw(info.conn_info);
  if (info.chan_info && info.chan_info.length > 0) s += ',"chan_info":' + raw(info.chan_info);
  return s + '}';
}

export function publicationJson(pub: Publication): string {
  let s = '';
  if (pub.data && pub.data.length > 0) s += ',"data":' + raw(pub.data);
  if (pub.info) s += ',"info":' + clientInfoJson(pub.info);
  if (pub.offset) s += ',"offset":' + pub.offset;
  if (pub.tags && hasKeys(pub.tags)) s += ',"tags":' + JSON.stringify(pub.tags);
  if (pub.delta) s += ',"delta":true';
  if (pub.time) s += ',"time":' + pub.time;
  if (pub.channel) s += ',"channel":' + quote(pub.channel);
  if (pub.epoch) s += ',"epoch":' + quote(pub.epoch);
  return close(s);
}

function publicationsJson(pubs: readonly Publication[]): string {
  let s = '[';
  for (let i = 0; i < pubs.length; i++) {
    if (i > 0) s += ',';
    s += publicationJson(pubs[i]!);
  }
  return s + ']';
}

function errorJson(error: ErrorReply): string {
  let s = '';
  if (error.code) s += ',"code":' + error.code;
  if (error.message) s += ',"message":' + quote(error.message);
  if (error.temporary) s += ',"temporary":true';
  return close(s);
}

function subscribeResultJson(r: SubscribeResult): string {
  let s = '';
  if (r.expires) s += ',"expires":true';
  if (r.ttl) s += ',"ttl":' + r.ttl;
  if (r.recoverable) s += ',"recoverable":true';
  if (r.epoch) s += ',"epoch":' + quote(r.epoch);
  if (r.publications && r.publications.length > 0) s += ',"publications":' + publicationsJson(r.publications);
  if (r.recovered) s += ',"recovered":true';
  if (r.offset) s += ',"offset":' + r.offset;
  if (r.positioned) s += ',"positioned":true';
  if (r.data && r.data.length > 0) s += ',"data":' + raw(r.data);
  if (r.was_recovering) s += ',"was_recovering":true';
  if (r.delta) s += ',"delta":true';
  if (r.id) s += ',"id":' + r.id;
  return close(s);
}

function subscribeResultsJson(subs: Record<string, SubscribeResult>): string {
  let s = '';
  for (const channel of Object.keys(subs)) s += ',' + quote(channel) + ':' + subscribeResultJson(subs[channel]!);
  return close(s);
}

/** ConnectResult and the Connect push share names in JSON. */
function connectJson(r: ConnectResult): string {
  let s = '';
  if (r.client) s += ',"client":' + quote(r.client);
  if (r.version) s += ',"version":' + quote(r.version);
  if (r.expires) s += ',"expires":true';
  if (r.ttl) s += ',"ttl":' + r.ttl;
  if (r.data && r.data.length > 0) s += ',"data":' + raw(r.data);
  if (r.subs && hasKeys(r.subs)) s += ',"subs":' + subscribeResultsJson(r.subs);
  if (r.ping) s += ',"ping":' + r.ping;
  if (r.pong) s += ',"pong":true';
  if (r.session) s += ',"session":' + quote(r.session);
  if (r.node) s += ',"node":' + quote(r.node);
  if (r.time) s += ',"time":' + r.time;
  return close(s);
}

function presenceJson(r: PresenceResult): string {
  let s = '';
  for (const client of Object.keys(r.presence)) s += ',' + quote(client) + ':' + clientInfoJson(r.presence[client]!);
  return '{"presence":' + close(s) + '}';
}

function historyJson(r: HistoryResult): string {
  return (
    '{"publications":' + publicationsJson(r.publications) +
    ',"epoch":' + quote(r.epoch) +
    ',"offset":' + r.offset + '}'
  );
}

function refreshResultJson(r: RefreshResult): string {
  let s = '';
  if (r.client) s += ',"client":' + quote(r.client);
  if (r.version) s += ',"version":' + quote(r.version);
  if (r.expires) s += ',"expires":true';
  if (r.ttl) s += ',"ttl":' + r.ttl;
  return close(s);
}

function expiresTtlJson(r: { expires?: boolean; ttl?: number }): string {
  let s = '';
  if (r.expires) s += ',"expires":true';
  if (r.ttl) s += ',"ttl":' + r.ttl;
  return close(s);
}

function dataJson(r: { data?: Bytes }): string {
  return r.data && r.data.length > 0 ? '{"data":' + raw(r.data) + '}' : '{}';
}

export function pushJson(push: Push): string {
  let s = '';
  if (push.id) s += ',"id":' + push.id;
  if (push.channel) s += ',"channel":' + quote(push.channel);
  if (push.pub) s += ',"pub":' + publicationJson(push.pub);
  if (push.join) s += ',"join":{"info":' + clientInfoJson(push.join.info) + '}';
  if (push.leave) s += ',"leave":{"info":' + clientInfoJson(push.leave.info) + '}';
  if (push.unsubscribe) {
    let u = '';
    if (push.unsubscribe.code) u += ',"code":' + push.unsubscribe.code;
    if (push.unsubscribe.reason) u += ',"reason":' + quote(push.unsubscribe.reason);
    s += ',"unsubscribe":' + close(u);
  }
  if (push.message) s += ',"message":' + dataJson(push.message);
  if (push.subscribe) {
    const p = push.subscribe;
    let u = '';
    if (p.recoverable) u += ',"recoverable":true';
    if (p.epoch) u += ',"epoch":' + quote(p.epoch);
    if (p.offset) u += ',"offset":' + p.offset;
    if (p.positioned) u += ',"positioned":true';
    if (p.data && p.data.length > 0) u += ',"data":' + raw(p.data);
    s += ',"subscribe":' + close(u);
  }
  if (push.connect) s += ',"connect":' + connectJson(push.connect);
  if (push.disconnect) {
    const d = push.disconnect;
    let u = '';
    if (d.code) u += ',"code":' + d.code;
    if (d.reason) u += ',"reason":' + quote(d.reason);
    if (d.reconnect) u += ',"reconnect":true';
    s += ',"disconnect":' + close(u);
  }
  if (push.refresh) s += ',"refresh":' + expiresTtlJson(push.refresh);
  return close(s);
}

export function replyJson(reply: Reply): string {
  let s = '';
  if (reply.id) s += ',"id":' + reply.id;
  if (reply.error) s += ',"error":' + errorJson(reply.error);
  if (reply.push) s += ',"push":' + pushJson(reply.push);
  if (reply.connect) s += ',"connect":' + connectJson(reply.connect);
  if (reply.subscribe) s += ',"subscribe":' + subscribeResultJson(reply.subscribe);
  if (reply.unsubscribe) s += ',"unsubscribe":{}';
  if (reply.publish) s += ',"publish":{}';
  if (reply.presence) s += ',"presence":' + presenceJson(reply.presence);
  if (reply.presence_stats) {
    const p = reply.presence_stats;
    s += ',"presence_stats":{"num_clients":' + p.num_clients + ',"num_users":' + p.num_users + '}';
  }
  if (reply.history) s += ',"history":' + historyJson(reply.history);
  if (reply.rpc) s += ',"rpc":' + dataJson(reply.rpc);
  if (reply.refresh) s += ',"refresh":' + refreshResultJson(reply.refresh);
  if (reply.sub_refresh) s += ',"sub_refresh":' + expiresTtlJson(reply.sub_refresh);
  return close(s);
}
