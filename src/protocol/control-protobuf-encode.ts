import type { Writer } from 'protobufjs/minimal.js';
import type { ControlCommand } from './control-command.js';
import { WriterClass } from './protobuf-wire.js';

// Writes control Commands (centrifuge controlpb numbering; see control-command.ts).

function str(w: Writer, tag: number, v: string): void {
  if (v) w.uint32(tag).string(v);
}
function bytes(w: Writer, tag: number, v: Uint8Array | undefined): void {
  if (v && v.length > 0) w.uint32(tag).bytes(v);
}
function u32(w: Writer, tag: number, v: number): void {
  if (v) w.uint32(tag).uint32(v);
}
function u64(w: Writer, tag: number, v: number): void {
  if (v) w.uint32(tag).uint64(v);
}
function i64(w: Writer, tag: number, v: number): void {
  if (v) w.uint32(tag).int64(v);
}
function bool(w: Writer, tag: number, v: boolean): void {
  if (v) w.uint32(tag).bool(true);
}
function nested(w: Writer, tag: number, write: () => void): void {
  w.uint32(tag).fork();
  write();
  w.ldelim();
}

export function encodeControlCommand(cmd: ControlCommand): Uint8Array {
  const w = WriterClass.create();
  str(w, 10, cmd.uid); // 1 uid
  if (cmd.node) {
    const n = cmd.node;
    nested(w, 34, () => {
      // 4 node
      str(w, 10, n.uid);
      str(w, 18, n.name);
      str(w, 26, n.version);
      u32(w, 32, n.numClients);
      u32(w, 40, n.numUsers);
      u32(w, 48, n.numChannels);
      u32(w, 56, n.uptime);
      bytes(w, 74, n.data); // 9
      u32(w, 80, n.numSubs); // 10
    });
  }
  if (cmd.unsubscribe) {
    const u = cmd.unsubscribe;
    nested(w, 42, () => {
      // 5 unsubscribe
      str(w, 10, u.channel);
      str(w, 18, u.user);
      str(w, 26, u.client);
      str(w, 34, u.session);
      u32(w, 40, u.code);
      str(w, 50, u.reason);
    });
  }
  if (cmd.disconnect) {
    const d = cmd.disconnect;
    nested(w, 50, () => {
      // 6 disconnect
      str(w, 10, d.user);
      for (const id of d.whitelist) w.uint32(18).string(id);
      u32(w, 24, d.code);
      str(w, 34, d.reason);
      str(w, 50, d.client); // 6
      str(w, 58, d.session); // 7
    });
  }
  if (cmd.shutdown) w.uint32(58).uint32(0); // 7 shutdown {}
  if (cmd.surveyRequest) {
    const s = cmd.surveyRequest;
    nested(w, 66, () => {
      // 8 survey_request
      u64(w, 8, s.id);
      str(w, 18, s.op);
      bytes(w, 26, s.data);
    });
  }
  if (cmd.surveyResponse) {
    const s = cmd.surveyResponse;
    nested(w, 74, () => {
      // 9 survey_response
      u64(w, 8, s.id);
      u32(w, 16, s.code);
      bytes(w, 26, s.data);
    });
  }
  if (cmd.subscribe) {
    const s = cmd.subscribe;
    nested(w, 82, () => {
      // 10 subscribe
      str(w, 10, s.user);
      str(w, 18, s.channel);
      bool(w, 24, s.emitPresence);
      bool(w, 32, s.emitJoinLeave);
      i64(w, 40, s.expireAt);
      bool(w, 48, s.position);
      bool(w, 56, s.recover);
      bytes(w, 66, s.channelInfo);
      str(w, 74, s.client);
      bytes(w, 82, s.data);
      if (s.recoverSince) {
        const since = s.recoverSince;
        nested(w, 90, () => {
          u64(w, 8, since.offset);
          str(w, 18, since.epoch);
        });
      }
      str(w, 98, s.session);
      bool(w, 104, s.pushJoinLeave);
    });
  }
  if (cmd.notification) {
    const n = cmd.notification;
    nested(w, 90, () => {
      // 11 notification
      str(w, 10, n.op);
      bytes(w, 18, n.data);
    });
  }
  if (cmd.refresh) {
    const r = cmd.refresh;
    nested(w, 98, () => {
      // 12 refresh
      str(w, 10, r.user);
      str(w, 18, r.client);
      bool(w, 24, r.expired);
      i64(w, 32, r.expireAt);
      bytes(w, 42, r.info);
      str(w, 50, r.session);
    });
  }
  return w.finish();
}
