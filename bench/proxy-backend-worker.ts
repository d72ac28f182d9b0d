// A connect proxy backend for the `connect-proxy` scenario, in its own process so its CPU is measured apart from
// the generator's: answers every Connect at once with a fixed user, over HTTP (JSON) or gRPC (the CentrifugoProxy
// service). Forked by proxy-backend.ts with `<http|grpc> <port>`; reports its port over IPC, then answers
// `stats` requests with its request count and CPU time. Not meant to be run by hand.
import { createServer } from 'node:http';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { loadGrpcService } from '../src/grpc/load-proto.js';
import { proxyProtoFile, proxyServiceName } from '../src/proxy/grpc-proxy-caller.js';

const [kind, portArg] = process.argv.slice(2);
let requests = 0;
const answer = { result: { user: 'bench' } };
const answerJson = JSON.stringify(answer);

function report(message: object): void {
  process.send?.(message);
}

async function listen(): Promise<number> {
  const port = Number(portArg ?? 0);
  if (kind === 'grpc') {
    const server = new Server();
    const service = loadGrpcService(proxyProtoFile, proxyServiceName).service;
    server.addService(service, {
      Connect: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        requests++;
        callback(null, answer);
      },
    });
    return new Promise((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
  }
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answerJson) }).end(answerJson);
    });
  });
  server.keepAliveTimeout = 120_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

process.on('message', (message: { op?: string }) => {
  if (message.op !== 'stats') return;
  const cpu = process.cpuUsage();
  report({ op: 'stats', requests, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
});
process.on('disconnect', () => process.exit(0));
listen().then(
  (port) => report({ op: 'listening', port }),
  (err: unknown) => {
    report({ op: 'error', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
