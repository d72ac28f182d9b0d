import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrpcService } from '../../../src/grpc/load-proto.js';
import { issueCa, issueClientCert, issueServingCert, type CertKeyPair } from '../../helpers/kube-pki.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';

// grpc_api.tls as Centrifugo names it: the API served over TLS with the configured certificate; with client_ca_pem
// a client must present a certificate that CA signed (mutual TLS).

const dir = mkdtempSync(join(tmpdir(), 'ringcast-grpc-tls-'));
let ca: CertKeyPair;
let node: TestNode;

beforeAll(async () => {
  ca = await issueCa(dir, 'ca', 'ringcast test CA');
  const serving = await issueServingCert(dir, 'server', 'ringcast', ['IP:127.0.0.1', 'DNS:localhost'], ca);
  node = await startTestNode({
    grpc_api: { enabled: true, address: '127.0.0.1', port: 0, key: 'k', tls: { enabled: true, cert_pem: serving.cert, key_pem: serving.key, client_ca_pem: ca.cert } },
  });
});

afterAll(async () => {
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function info(creds: ReturnType<typeof credentials.createSsl>): Promise<{ error?: ServiceError; reply?: Record<string, unknown> }> {
  const Service = loadGrpcService('centrifugo-api.proto', 'centrifugal.centrifugo.api.CentrifugoApi');
  const client = new Service(`127.0.0.1:${node.node.grpcApiPort}`, creds);
  const metadata = new Metadata();
  metadata.set('authorization', 'apikey k');
  return new Promise((resolve) => {
    (client as unknown as Record<string, (r: object, m: Metadata, o: object, cb: (e: ServiceError | null, r?: Record<string, unknown>) => void) => void>)['Info']!.call(
      client,
      {},
      metadata,
      { deadline: Date.now() + 10_000 },
      (error, reply) => {
        client.close();
        resolve(error ? { error } : { reply: reply ?? {} });
      },
    );
  });
}

describe('gRPC server API over TLS', () => {
  it('answers a client with a certificate signed by client_ca_pem', async () => {
    const clientCert = await issueClientCert(dir, 'client', ca, { commonName: 'backend' });
    const reply = await info(
      credentials.createSsl(readFileSync(ca.cert), readFileSync(clientCert.key), readFileSync(clientCert.cert)),
    );
    expect(reply.error).toBeUndefined();
    expect((reply.reply!['result'] as { nodes: unknown[] }).nodes).toHaveLength(1);
  });

  it('refuses a client without a certificate', async () => {
    const reply = await info(credentials.createSsl(readFileSync(ca.cert)));
    expect(reply.error).toBeDefined();
  });
});
