import type { Reader } from 'protobufjs/minimal.js';
import {
  WriterClass,
  delimitedEnd,
  expectEnd,
  readString,
  readTag,
  readerFor,
  skipField,
} from '../../src/protocol/protobuf-wire.js';

// The `channels` survey in Centrifugo's form: the request is an API ChannelsRequest {pattern = 1} and each
// node answers a ChannelsResult {map<string, ChannelInfo{num_clients = 1}> channels = 1}, both protobuf.

export const channelsSurveyOp = 'channels';

export function encodeChannelsRequest(pattern: string): Uint8Array {
  const w = WriterClass.create();
  if (pattern) w.uint32(10).string(pattern);
  return w.finish();
}

export function decodeChannelsRequest(data: Uint8Array): string {
  const r = readerFor(data);
  let pattern = '';
  while (r.pos < r.len) {
    const tag = readTag(r);
    if (tag === 10) pattern = readString(r, r.len);
    else skipField(r, tag, r.len);
  }
  return pattern;
}

export function encodeChannelsResult(channels: ReadonlyMap<string, number>): Uint8Array {
  const w = WriterClass.create();
  for (const [channel, clients] of channels) {
    w.uint32(10).fork().uint32(10).string(channel).uint32(18).fork();
    if (clients) w.uint32(8).uint32(clients);
    w.ldelim().ldelim();
  }
  return w.finish();
}

function channelInfo(r: Reader, end: number): number {
  let clients = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 8) clients = r.uint32();
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return clients;
}

/** Adds one node's answer to `into` (counts of a channel on several nodes are summed). */
export function mergeChannelsResult(data: Uint8Array, into: Map<string, number>): void {
  const r = readerFor(data);
  while (r.pos < r.len) {
    const tag = readTag(r);
    if (tag !== 10) {
      skipField(r, tag, r.len);
      continue;
    }
    const end = delimitedEnd(r, r.len);
    let channel = '';
    let clients = 0;
    while (r.pos < end) {
      const t = readTag(r);
      if (t === 10) channel = readString(r, end);
      else if (t === 18) clients = channelInfo(r, delimitedEnd(r, end));
      else skipField(r, t, end);
    }
    expectEnd(r, end);
    into.set(channel, (into.get(channel) ?? 0) + clients);
  }
}
