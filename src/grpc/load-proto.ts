import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';

// Loads the project's .proto files (src/grpc/protos, copied next to the compiled code by `npm run build`) into
// grpc-js service constructors, for gRPC clients (the proxies) and servers alike.
//
// Messages decode to plain objects shaped like their JSON form: field names as written in the .proto (snake_case),
// unset fields absent (proto3 zero values and unset messages alike), `bytes` as Buffer, 64-bit integers as decimal
// strings (no precision lost), enums as their names.

const loaderOptions: Options = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true };

/** The path of a .proto file shipped with Ringcast (e.g. `centrifugo-proxy.proto`). */
export function protoPath(file: string): string {
  return fileURLToPath(new URL(`./protos/${file}`, import.meta.url));
}

/** The client constructor (whose `.service` is the server-side definition) of `service`, e.g. `pkg.Service`. */
export function loadGrpcService(file: string, service: string): ServiceClientConstructor {
  const root = loadPackageDefinition(loadSync(protoPath(file), loaderOptions));
  let node: unknown = root;
  for (const part of service.split('.')) node = (node as GrpcObject | undefined)?.[part];
  if (typeof node !== 'function' || !('service' in node)) throw new Error(`${file} defines no gRPC service ${service}`);
  return node as ServiceClientConstructor;
}
