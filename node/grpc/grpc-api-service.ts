import { timingSafeEqual } from 'node:crypto';
import {
  Metadata,
  status,
  type sendUnaryData,
  type Server,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadGrpcService } from '../../src/grpc/load-proto.js';
import { runApiMethod } from '../http/api/api-dispatch.js';
import type { ApiError, ApiOutcome } from '../http/api/api-types.js';
import type { NodeContext } from '../server/node-context.js';
import { grpcRequestParams } from './grpc-api-params.js';

export const apiProtoFile = 'centrifugo-api.proto';
export const apiServiceName = 'centrifugal.centrifugo.api.CentrifugoApi';

/** gRPC method → the server API method it runs (the same code as the HTTP API's). */
const methods: Readonly<Record<string, string>> = {
  Batch: 'batch',
  Publish: 'publish',
  Broadcast: 'broadcast',
  Subscribe: 'subscribe',
  Unsubscribe: 'unsubscribe',
  Disconnect: 'disconnect',
  Presence: 'presence',
  PresenceStats: 'presence_stats',
  History: 'history',
  HistoryRemove: 'history_remove',
  Info: 'info',
  RPC: 'rpc',
  Refresh: 'refresh',
  Channels: 'channels',
};

export interface GrpcApiOptions {
  /** '' = no key check, as in Centrifugo (a warning at start says so). */
  key: string;
  /** `grpc_api.error_mode: transport`: errors become gRPC statuses (also chosen per call by metadata). */
  transportErrorMode: boolean;
}

/** Centrifugo's mapping of an API error to a gRPC status in transport error mode. */
function statusOf(error: ApiError): status {
  switch (error.code) {
    case 102:
    case 104:
      return status.NOT_FOUND;
    case 107:
    case 108:
      return status.INVALID_ARGUMENT;
    case 112:
      return status.OUT_OF_RANGE;
    case 113:
      return status.ALREADY_EXISTS;
    default:
      return status.INTERNAL;
  }
}

/** Centrifugo's check: the first `authorization` value must be exactly `apikey <key>`. */
function authorized(metadata: Metadata, expected: Buffer | null): boolean {
  if (!expected) return true;
  const given = metadata.get('authorization')[0];
  if (typeof given !== 'string') return false;
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** The reply message of an outcome: `{error}` or `{result}`; batch answers its BatchResponse itself. */
function replyOf(method: string, outcome: ApiOutcome): object {
  if ('error' in outcome) return { error: { code: outcome.error.code, message: outcome.error.message } };
  return method === 'batch' ? (outcome.result as object) : { result: outcome.result };
}

/**
 * Adds Centrifugo's CentrifugoApi service to `server`: each call is authorised by its metadata, converted into the
 * HTTP API's params and run by the same dispatch (runApiMethod); errors go in the reply's `error` field, or become
 * gRPC statuses in transport error mode.
 */
export function addGrpcApiService(server: Server, ctx: NodeContext, options: GrpcApiOptions): void {
  if (options.key === '') ctx.logger.warn('grpc_api.key is empty: the gRPC server API accepts every call without a key');
  const expected = options.key === '' ? null : Buffer.from('apikey ' + options.key);
  const implementation: UntypedServiceImplementation = {};
  for (const [grpcMethod, apiMethod] of Object.entries(methods)) {
    implementation[grpcMethod] = (call: ServerUnaryCall<Record<string, unknown>, object>, callback: sendUnaryData<object>) => {
      if (!authorized(call.metadata, expected)) {
        callback({ code: status.UNAUTHENTICATED, details: 'unauthenticated' });
        return;
      }
      const transportMode = options.transportErrorMode || call.metadata.get('x-centrifugo-error-mode')[0] === 'transport';
      void runApiMethod(ctx, apiMethod, grpcRequestParams(call.request ?? {})).then(
        (outcome) => {
          if ('error' in outcome && transportMode && apiMethod !== 'batch') {
            callback({ code: statusOf(outcome.error), details: outcome.error.message });
            return;
          }
          callback(null, replyOf(apiMethod, outcome));
        },
        (err: unknown) => {
          // runApiMethod answers its own failures; this is a defect, kept from taking the process down.
          ctx.logger.error({ err, method: grpcMethod }, 'grpc api call failed');
          callback({ code: status.INTERNAL, details: 'internal server error' });
        },
      );
    };
  }
  server.addService(loadGrpcService(apiProtoFile, apiServiceName).service, implementation);
}
