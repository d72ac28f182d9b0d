import { ProtocolDecodeError } from './protocol-decode-error.js';
import { WriterClass, readBytes, readerFor, readString, readTag, skipField } from './protobuf-wire.js';

/**
 * A command batch for an emulated (HTTP-streaming or SSE) session, as the body of `POST /emulation`:
 * which node holds the session, which session, and the commands as one frame of the session's protocol.
 */
export interface EmulationRequest {
  node: string;
  session: string;
  /** JSON: the UTF-8 bytes of the `\n`-joined commands; protobuf: uvarint-delimited Commands. */
  data: Uint8Array;
}

/**
 * JSON body `{"node","session","data"}` where `data` is a string holding the commands (as centrifuge-js
 * sends it: `JSON.stringify({session, node, data})`).
 */
export function decodeJsonEmulationRequest(body: Uint8Array): EmulationRequest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (err) {
    throw new ProtocolDecodeError(`invalid emulation request: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolDecodeError('invalid emulation request: not a JSON object');
  }
  const o = value as Record<string, unknown>;
  const node = o['node'] ?? '';
  const session = o['session'] ?? '';
  const data = o['data'] ?? '';
  if (typeof node !== 'string') throw new ProtocolDecodeError('invalid emulation request: node must be a string');
  if (typeof session !== 'string') throw new ProtocolDecodeError('invalid emulation request: session must be a string');
  if (typeof data !== 'string') throw new ProtocolDecodeError('invalid emulation request: data must be a string');
  return { node, session, data: Buffer.from(data, 'utf8') };
}

/** Protobuf EmulationRequest: node 1, session 2, data 3. `data` is a view into `body`. */
export function decodeProtobufEmulationRequest(body: Uint8Array): EmulationRequest {
  const r = readerFor(body);
  const req: EmulationRequest = { node: '', session: '', data: new Uint8Array(0) };
  try {
    while (r.pos < r.len) {
      const tag = readTag(r);
      switch (tag) {
        case 10: req.node = readString(r, r.len); break; // 1 node
        case 18: req.session = readString(r, r.len); break; // 2 session
        case 26: req.data = readBytes(r, r.len); break; // 3 data
        default: skipField(r, tag, r.len);
      }
    }
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProtocolDecodeError(`malformed emulation request: ${reason}`, { cause: err });
  }
  return req;
}

/** Protobuf EmulationRequest (node 1, session 2, data 3): how an emulation request travels between nodes. */
export function encodeProtobufEmulationRequest(request: EmulationRequest): Uint8Array {
  const w = WriterClass.create();
  if (request.node) w.uint32(10).string(request.node);
  if (request.session) w.uint32(18).string(request.session);
  if (request.data.length > 0) w.uint32(26).bytes(request.data);
  return w.finish();
}
