import type { Writer } from 'protobufjs/minimal.js';
import type {
  Bytes,
  ClientInfo,
  ConnectResult,
  ErrorReply,
  Publication,
  Push,
  Reply,
  SubscribeResult,
} from './client-protocol.js';

// Hand-written encoding of Replies on protobufjs's Writer (field numbers: client.proto / PROTOCOL.md). The
// numbers passed to `w.uint32` before a value are tags, field << 3 | wire type (0 varint, 2 length-delimited).
// proto3 rules: zero values are omitted; a result or push object that is present is written even when empty
// (`publish: {}` → an empty field 8), so the client sees which result it got. Map entries always carry both
// key and value.

function bytes(w: Writer, tag: number, value: Bytes | undefined): void {
  if (value !== undefined && value.length > 0) w.uint32(tag).bytes(value);
}

function string(w: Writer, tag: number, value: string | undefined): void {
  if (value) w.uint32(tag).string(value);
}

function uint32(w: Writer, tag: number, value: number | undefined): void {
  if (value) w.uint32(tag).uint32(value);
}

function uint64(w: Writer, tag: number, value: number | undefined): void {
  if (value) w.uint32(tag).uint64(value);
}

function int64(w: Writer, tag: number, value: number | undefined): void {
  if (value) w.uint32(tag).int64(value);
}

function bool(w: Writer, tag: number, value: boolean | undefined): void {
  if (value) w.uint32(tag).bool(true);
}

export function clientInfo(w: Writer, info: ClientInfo): void {
  string(w, 10, info.user);
  string(w, 18, info.client);
  bytes(w, 26, info.conn_info);
  bytes(w, 34, info.chan_info);
}

/** Writes `value` as the length-delimited field `tag`. */
function nested<T>(w: Writer, tag: number, encode: (w: Writer, value: T) => void, value: T): void {
  w.uint32(tag).fork();
  encode(w, value);
  w.ldelim();
}

/** Join and Leave pushes: `ClientInfo info = 1`. */
function infoPush(w: Writer, p: { info: ClientInfo }): void {
  nested(w, 10, clientInfo, p.info);
}

function errorReply(w: Writer, e: ErrorReply): void {
  uint32(w, 8, e.code);
  string(w, 18, e.message);
  bool(w, 24, e.temporary);
}

function dataMessage(w: Writer, m: { data?: Bytes }): void {
  bytes(w, 10, m.data);
}

export function publication(w: Writer, pub: Publication): void {
  bytes(w, 34, pub.data); // 4 data
  if (pub.info) nested(w, 42, clientInfo, pub.info); // 5 info
  uint64(w, 48, pub.offset); // 6 offset
  if (pub.tags) {
    // 7 tags
    for (const key of Object.keys(pub.tags)) {
      w.uint32(58).fork().uint32(10).string(key).uint32(18).string(pub.tags[key]!).ldelim();
    }
  }
  bool(w, 64, pub.delta); // 8 delta
  int64(w, 72, pub.time); // 9 time
  string(w, 82, pub.channel); // 10 channel
  string(w, 114, pub.epoch); // 14 epoch
}

function publications(w: Writer, tag: number, pubs: readonly Publication[] | undefined): void {
  if (pubs === undefined) return;
  for (const pub of pubs) nested(w, tag, publication, pub);
}

function subscribeResult(w: Writer, r: SubscribeResult): void {
  bool(w, 8, r.expires);
  uint32(w, 16, r.ttl);
  bool(w, 24, r.recoverable);
  string(w, 50, r.epoch); // 6
  publications(w, 58, r.publications); // 7
  bool(w, 64, r.recovered); // 8
  uint64(w, 72, r.offset); // 9
  bool(w, 80, r.positioned); // 10
  bytes(w, 90, r.data); // 11
  bool(w, 96, r.was_recovering); // 12
  bool(w, 104, r.delta); // 13
  int64(w, 112, r.id); // 14
}

function subscribeResults(w: Writer, tag: number, subs: Record<string, SubscribeResult> | undefined): void {
  if (subs === undefined) return;
  for (const channel of Object.keys(subs)) {
    w.uint32(tag).fork().uint32(10).string(channel).uint32(18).fork();
    subscribeResult(w, subs[channel]!);
    w.ldelim().ldelim();
  }
}

/** ConnectResult (in a reply) and the Connect push share names but not numbers; fields in number order. */
function connect(w: Writer, r: ConnectResult, asPush: boolean): void {
  string(w, 10, r.client); // 1
  string(w, 18, r.version); // 2
  if (asPush) {
    bytes(w, 26, r.data); // 3
    subscribeResults(w, 34, r.subs); // 4
    bool(w, 40, r.expires); // 5
    uint32(w, 48, r.ttl); // 6
  } else {
    bool(w, 24, r.expires); // 3
    uint32(w, 32, r.ttl); // 4
    bytes(w, 42, r.data); // 5
    subscribeResults(w, 50, r.subs); // 6
  }
  uint32(w, 56, r.ping); // 7
  bool(w, 64, r.pong); // 8
  string(w, 74, r.session); // 9
  string(w, 82, r.node); // 10
  int64(w, 88, r.time); // 11
}

export function push(w: Writer, p: Push): void {
  int64(w, 8, p.id); // 1 id (channel compaction)
  string(w, 18, p.channel); // 2 channel
  if (p.pub) nested(w, 34, publication, p.pub); // 4
  if (p.join) nested(w, 42, infoPush, p.join); // 5
  if (p.leave) nested(w, 50, infoPush, p.leave); // 6
  if (p.unsubscribe) {
    w.uint32(58).fork(); // 7 unsubscribe
    uint32(w, 16, p.unsubscribe.code);
    string(w, 26, p.unsubscribe.reason);
    w.ldelim();
  }
  if (p.message) nested(w, 66, dataMessage, p.message); // 8
  if (p.subscribe) {
    const s = p.subscribe;
    w.uint32(74).fork(); // 9 subscribe
    bool(w, 8, s.recoverable);
    string(w, 34, s.epoch);
    uint64(w, 40, s.offset);
    bool(w, 48, s.positioned);
    bytes(w, 58, s.data);
    w.ldelim();
  }
  if (p.connect) {
    w.uint32(82).fork(); // 10 connect
    connect(w, p.connect, true);
    w.ldelim();
  }
  if (p.disconnect) {
    w.uint32(90).fork(); // 11 disconnect
    uint32(w, 8, p.disconnect.code);
    string(w, 18, p.disconnect.reason);
    bool(w, 24, p.disconnect.reconnect);
    w.ldelim();
  }
  if (p.refresh) {
    w.uint32(98).fork(); // 12 refresh
    bool(w, 8, p.refresh.expires);
    uint32(w, 16, p.refresh.ttl);
    w.ldelim();
  }
}

export function reply(w: Writer, r: Reply): void {
  uint32(w, 8, r.id); // 1 id
  if (r.error) nested(w, 18, errorReply, r.error); // 2
  if (r.push) nested(w, 34, push, r.push); // 4
  if (r.connect) {
    w.uint32(42).fork(); // 5 connect
    connect(w, r.connect, false);
    w.ldelim();
  }
  if (r.subscribe) nested(w, 50, subscribeResult, r.subscribe); // 6
  if (r.unsubscribe) w.uint32(58).uint32(0); // 7, empty
  if (r.publish) w.uint32(66).uint32(0); // 8, empty
  if (r.presence) {
    w.uint32(74).fork(); // 9 presence
    const presence = r.presence.presence;
    for (const client of Object.keys(presence)) {
      w.uint32(10).fork().uint32(10).string(client).uint32(18).fork();
      clientInfo(w, presence[client]!);
      w.ldelim().ldelim();
    }
    w.ldelim();
  }
  if (r.presence_stats) {
    w.uint32(82).fork(); // 10 presence_stats
    uint32(w, 8, r.presence_stats.num_clients);
    uint32(w, 16, r.presence_stats.num_users);
    w.ldelim();
  }
  if (r.history) {
    w.uint32(90).fork(); // 11 history
    publications(w, 10, r.history.publications);
    string(w, 18, r.history.epoch);
    uint64(w, 24, r.history.offset);
    w.ldelim();
  }
  if (r.rpc) nested(w, 106, dataMessage, r.rpc); // 13
  if (r.refresh) {
    w.uint32(114).fork(); // 14 refresh
    string(w, 10, r.refresh.client);
    string(w, 18, r.refresh.version);
    bool(w, 24, r.refresh.expires);
    uint32(w, 32, r.refresh.ttl);
    w.ldelim();
  }
  if (r.sub_refresh) {
    w.uint32(122).fork(); // 15 sub_refresh
    bool(w, 8, r.sub_refresh.expires);
    uint32(w, 16, r.sub_refresh.ttl);
    w.ldelim();
  }
}
