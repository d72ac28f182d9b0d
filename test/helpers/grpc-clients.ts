import { credentials, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadGrpcService } from '../../src/grpc/load-proto.js';

type UnaryCall = (
  request: object,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, reply?: Record<string, unknown>) => void,
) => void;

/** A real @grpc/grpc-js client of Ringcast's gRPC server API, from the .proto the node ships. */
export class GrpcApiClient {
  readonly client: Client;

  constructor(port: number, private readonly key: string | null) {
    const Service = loadGrpcService('centrifugo-api.proto', 'centrifugal.centrifugo.api.CentrifugoApi');
    this.client = new Service(`127.0.0.1:${port}`, credentials.createInsecure());
  }

  /** Calls `method`; resolves with the reply or the call's gRPC error. */
  call(method: string, request: object, extra: Record<string, string> = {}): Promise<{ reply?: Record<string, unknown>; error?: ServiceError }> {
    const metadata = new Metadata();
    if (this.key !== null) metadata.set('authorization', `apikey ${this.key}`);
    for (const [name, value] of Object.entries(extra)) metadata.set(name, value);
    const fn = (this.client as unknown as Record<string, UnaryCall>)[method]!.bind(this.client);
    return new Promise((resolve) => {
      fn(request, metadata, { deadline: Date.now() + 10_000 }, (error, reply) => {
        resolve(error ? { error } : { reply: reply ?? {} });
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
