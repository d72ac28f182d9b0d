// Per-proxy options on the wire: TLS towards the backend (gRPC `grpc.tls`, HTTPS `http.tls`, with `server_name`),
// gRPC per-call credentials, compression and static metadata, HTTP static headers (the connection's own headers win),
// and status_to_code_transforms. Against Ringcast, and Centrifugo with CENTRIFUGO_BIN.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centrifugoBin, centrifugoSkipReason, compatTargets, startCompatServer } from '../../helpers/compat-servers.js';
import { issueCa, issueServingCert, type CertKeyPair } from '../../helpers/kube-pki.js';
import { ProxyBackend, type BackendKind } from '../../helpers/proxy-backend.js';
import { RawClient } from '../../helpers/raw-client.js';

if (!centrifugoBin) it.skip(`Centrifugo side of the proxy options — ${centrifugoSkipReason}`, () => undefined);

const dir = mkdtempSync(join(tmpdir(), 'ringcast-proxy-tls-'));
let ca: CertKeyPair;
let otherCa: CertKeyPair;
let loopbackCert: CertKeyPair;
let namedCert: CertKeyPair;

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([issueCa(dir, 'ca', 'proxy-test-ca'), issueCa(dir, 'other-ca', 'some-other-ca')]);
  [loopbackCert, namedCert] = await Promise.all([
    issueServingCert(dir, 'loopback', 'proxy-backend', ['IP:127.0.0.1', 'DNS:localhost'], ca),
    issueServingCert(dir, 'named', 'backend.internal', ['DNS:backend.internal'], ca),
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Connects a raw client with a cookie (the connect proxy decides) and returns the connect reply. */
async function connectThrough(wsUrl: string): Promise<Record<string, unknown>> {
  const client = await RawClient.open(wsUrl, undefined, { Cookie: 'session=tls-user' });
  try {
    client.sendJson({ id: 1, connect: {} });
    return await client.reply(1, 10_000);
  } finally {
    client.close();
  }
}

describe.each(compatTargets)('TLS towards the backend on %s', (target) => {
  for (const kind of ['grpc', 'http'] as const satisfies readonly BackendKind[]) {
    it(`${kind}: verifies the backend's certificate against server_ca_pem, also by server_name`, async () => {
      const trusted = await ProxyBackend.start(kind, { tls: { enabled: true, cert_pem: loopbackCert.cert, key_pem: loopbackCert.key } });
      const named = await ProxyBackend.start(kind, { tls: { enabled: true, cert_pem: namedCert.cert, key_pem: namedCert.key } });
      for (const backend of [trusted, named]) backend.on('connect', () => ({ result: { user: 'tls-user', data: { secure: true } } }));
      const tlsKey = kind === 'grpc' ? 'grpc' : 'http';
      const proxyFor = (backend: ProxyBackend, tls: Record<string, unknown>): Record<string, unknown> => ({
        enabled: true,
        endpoint: backend.endpoint('connect'),
        [tlsKey]: { tls: { enabled: true, ...tls } },
      });
      const variants: Array<{ tls: Record<string, unknown>; backend: ProxyBackend; ok: boolean }> = [
        { backend: trusted, tls: { server_ca_pem: ca.cert }, ok: true },
        { backend: trusted, tls: { server_ca_pem: otherCa.cert }, ok: false },
        { backend: named, tls: { server_ca_pem: ca.cert, server_name: 'backend.internal' }, ok: true },
        { backend: named, tls: { server_ca_pem: ca.cert }, ok: false },
        { backend: trusted, tls: { insecure_skip_verify: true }, ok: true },
      ];
      try {
        for (const variant of variants) {
          const server = await startCompatServer(target, { client: { proxy: { connect: proxyFor(variant.backend, variant.tls) } } });
          try {
            const reply = await connectThrough(server.wsUrl);
            if (variant.ok) expect(reply['connect'], JSON.stringify(variant.tls)).toMatchObject({ data: { secure: true } });
            else expect(reply['error'], JSON.stringify(variant.tls)).toMatchObject({ code: 100, temporary: true });
          } finally {
            await server.stop();
          }
        }
      } finally {
        await trusted.stop();
        await named.stop();
      }
    });
  }
});

describe.each(compatTargets)('what goes with a proxy request on %s', (target) => {
  it('gRPC: per-call credentials, static metadata, compression, and the connection headers (which win)', async () => {
    const backend = await ProxyBackend.start('grpc');
    backend.on('connect', () => ({ result: { user: 'tls-user' } }));
    const server = await startCompatServer(target, {
      client: {
        proxy: {
          connect: {
            enabled: true,
            endpoint: backend.endpoint('connect'),
            http_headers: ['Cookie'],
            grpc: {
              credentials_key: 'authorization',
              credentials_value: 'Bearer backend-secret',
              compression: true,
              static_metadata: { 'x-static': 'static', cookie: 'session=static' },
            },
          },
        },
      },
    });
    try {
      expect((await connectThrough(server.wsUrl))['connect']).toBeDefined();
      const { headers } = backend.received('connect')[0]!;
      // (The call went gzip-compressed: grpc-js hides grpc-encoding from handlers, so only its success shows it.)
      expect(headers).toMatchObject({ authorization: 'Bearer backend-secret', 'x-static': 'static', cookie: 'session=tls-user' });
    } finally {
      await server.stop();
      await backend.stop();
    }
  });

  it('HTTP: static headers, the connection headers (which win), and status_to_code_transforms', async () => {
    const backend = await ProxyBackend.start('http');
    let status = 200;
    backend.on('connect', () => (status === 200 ? { result: { user: 'tls-user' } } : { raw: { status, body: '' } }));
    const server = await startCompatServer(target, {
      client: {
        proxy: {
          connect: {
            enabled: true,
            endpoint: backend.endpoint('connect'),
            http_headers: ['Cookie'],
            http: {
              static_headers: { 'X-Static': 'static', Cookie: 'session=static' },
              status_to_code_transforms: [
                { status_code: 403, to_error: { code: 1403, message: 'forbidden', temporary: false } },
                { status_code: 410, to_disconnect: { code: 4410, reason: 'gone' } },
              ],
            },
          },
        },
      },
    });
    try {
      expect((await connectThrough(server.wsUrl))['connect']).toBeDefined();
      const { headers } = backend.received('connect')[0]!;
      expect(headers).toMatchObject({ 'x-static': 'static', cookie: 'session=tls-user', 'content-type': 'application/json' });
      status = 403;
      expect((await connectThrough(server.wsUrl))['error']).toMatchObject({ code: 1403, message: 'forbidden' });
      status = 410;
      const client = await RawClient.open(server.wsUrl, undefined, { Cookie: 'session=x' });
      client.sendJson({ id: 1, connect: {} });
      expect(await client.closed()).toEqual({ code: 4410, reason: 'gone' });
      status = 502;
      expect((await connectThrough(server.wsUrl))['error']).toMatchObject({ code: 100, temporary: true });
    } finally {
      await server.stop();
      await backend.stop();
    }
  });
});
