import type { Reader } from 'protobufjs/minimal.js';
import type {
  ControlCommand,
  ControlDisconnect,
  ControlNode,
  ControlRefresh,
  ControlSubscribe,
  ControlSurvey,
  ControlSurveyResponse,
  ControlUnsubscribe,
} from './control-command.js';
import { ProtocolDecodeError } from './protocol-decode-error.js';
import {
  delimitedEnd,
  expectEnd,
  readBytes,
  readInt64,
  readString,
  readTag,
  readUint64,
  readerFor,
  skipField,
} from './protobuf-wire.js';

// Reads control Commands (centrifuge controlpb numbering; see control-command.ts); unknown fields are skipped.

const empty: Uint8Array = new Uint8Array(0);

function node(r: Reader, end: number): ControlNode {
  const n: ControlNode = { uid: '', name: '', version: '', numClients: 0, numUsers: 0, numChannels: 0, uptime: 0, numSubs: 0 };
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: n.uid = readString(r, end); break;
      case 18: n.name = readString(r, end); break;
      case 26: n.version = readString(r, end); break;
      case 32: n.numClients = r.uint32(); break;
      case 40: n.numUsers = r.uint32(); break;
      case 48: n.numChannels = r.uint32(); break;
      case 56: n.uptime = r.uint32(); break;
      case 74: n.data = readBytes(r, end); break;
      case 80: n.numSubs = r.uint32(); break;
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return n;
}

function unsubscribe(r: Reader, end: number): ControlUnsubscribe {
  const u: ControlUnsubscribe = { channel: '', user: '', client: '', session: '', code: 0, reason: '' };
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: u.channel = readString(r, end); break;
      case 18: u.user = readString(r, end); break;
      case 26: u.client = readString(r, end); break;
      case 34: u.session = readString(r, end); break;
      case 40: u.code = r.uint32(); break;
      case 50: u.reason = readString(r, end); break;
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return u;
}

function disconnectMessage(r: Reader, end: number): ControlDisconnect {
  const d: ControlDisconnect = { user: '', whitelist: [], code: 0, reason: '', client: '', session: '' };
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: d.user = readString(r, end); break;
      case 18: d.whitelist.push(readString(r, end)); break;
      case 24: d.code = r.uint32(); break;
      case 34: d.reason = readString(r, end); break;
      case 50: d.client = readString(r, end); break;
      case 58: d.session = readString(r, end); break;
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return d;
}

function survey(r: Reader, end: number): ControlSurvey & ControlSurveyResponse {
  const s = { id: 0, op: '', code: 0, data: empty };
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 8: s.id = readUint64(r); break;
      case 18: s.op = readString(r, end); break; // request: op
      case 16: s.code = r.uint32(); break; // response: code
      case 26: s.data = readBytes(r, end); break;
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return s;
}

function subscribe(r: Reader, end: number): ControlSubscribe {
  const s: ControlSubscribe = {
    user: '', channel: '', client: '', session: '', emitPresence: false, emitJoinLeave: false, pushJoinLeave: false,
    expireAt: 0, position: false, recover: false, channelInfo: undefined, data: undefined, recoverSince: undefined,
  };
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: s.user = readString(r, end); break;
      case 18: s.channel = readString(r, end); break;
      case 24: s.emitPresence = r.bool(); break;
      case 32: s.emitJoinLeave = r.bool(); break;
      case 40: s.expireAt = readInt64(r); break;
      case 48: s.position = r.bool(); break;
      case 56: s.recover = r.bool(); break;
      case 66: s.channelInfo = readBytes(r, end); break;
      case 74: s.client = readString(r, end); break;
      case 82: s.data = readBytes(r, end); break;
      case 90: {
        const sinceEnd = delimitedEnd(r, end);
        const since = { offset: 0, epoch: '' };
        while (r.pos < sinceEnd) {
          const t = readTag(r);
          if (t === 8) since.offset = readUint64(r);
          else if (t === 18) since.epoch = readString(r, sinceEnd);
          else skipField(r, t, sinceEnd);
        }
        expectEnd(r, sinceEnd);
        s.recoverSince = since;
        break;
      }
      case 98: s.session = readString(r, end); break;
      case 104: s.pushJoinLeave = r.bool(); break;
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return s;
}

function notification(r: Reader, end: number): { op: string; data: Uint8Array } {
  const n = { op: '', data: empty };
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) n.op = readString(r, end);
    else if (tag === 18) n.data = readBytes(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return n;
}

function refresh(r: Reader, end: number): ControlRefresh {
  const f: ControlRefresh = { user: '', client: '', session: '', expired: false, expireAt: 0, info: undefined };
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: f.user = readString(r, end); break;
      case 18: f.client = readString(r, end); break;
      case 24: f.expired = r.bool(); break;
      case 32: f.expireAt = readInt64(r); break;
      case 42: f.info = readBytes(r, end); break;
      case 50: f.session = readString(r, end); break;
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return f;
}

/** Decodes a control Command; anything malformed is a ProtocolDecodeError. */
export function decodeControlCommand(data: Uint8Array): ControlCommand {
  try {
    const r = readerFor(data);
    const end = r.len;
    const cmd: ControlCommand = { uid: '' };
    while (r.pos < end) {
      const tag = readTag(r);
      switch (tag) {
        case 10: cmd.uid = readString(r, end); break;
        case 34: cmd.node = node(r, delimitedEnd(r, end)); break;
        case 42: cmd.unsubscribe = unsubscribe(r, delimitedEnd(r, end)); break;
        case 50: cmd.disconnect = disconnectMessage(r, delimitedEnd(r, end)); break;
        case 58: r.pos = delimitedEnd(r, end); cmd.shutdown = true; break;
        case 66: {
          const s = survey(r, delimitedEnd(r, end));
          cmd.surveyRequest = { id: s.id, op: s.op, data: s.data };
          break;
        }
        case 74: {
          const s = survey(r, delimitedEnd(r, end));
          cmd.surveyResponse = { id: s.id, code: s.code, data: s.data };
          break;
        }
        case 82: cmd.subscribe = subscribe(r, delimitedEnd(r, end)); break;
        case 90: cmd.notification = notification(r, delimitedEnd(r, end)); break;
        case 98: cmd.refresh = refresh(r, delimitedEnd(r, end)); break;
        default: skipField(r, tag, end);
      }
    }
    return cmd;
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    throw new ProtocolDecodeError(`malformed control command: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
