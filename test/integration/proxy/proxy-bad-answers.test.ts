// Backends that answer badly: invalid JSON, wrong types, huge bodies, codes out of range, non-200 statuses, bytes
// that are not the proxy's messages, a backend that is not there. Each gives the client error 100 (temporary), a log
// line naming the proxy and what was wrong, a count in ringcast_proxy_errors_total — and the node keeps serving.
// Cases where Centrifugo answers the same also run against it when CENTRIFUGO_BIN is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centrifugoBin, centrifugoSkipReason, compatTargets, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { freeLoopbackPorts } from '../../helpers/kube-free-port.js';
import { ProxyBackend, type BackendAnswer, type BackendKind } from '../../helpers/proxy-backend.js';
import { RawClient } from '../../helpers/raw-client.js';
import { hs256Token } from '../../helpers/tokens.js';

const secretCookie = 'session=do-not-log-me';

interface BadCase {
  name: string;
  backends: readonly BackendKind[];
  answer: BackendAnswer;
  /** Ringcast's log says this about it. */
  log: RegExp;
  kind: string;
  /** Centrifugo answers it the same way (else the case is Ringcast's own stricter rule). */
  centrifugoToo: boolean;
}

const big = 'x'.repeat(200_000);
const cases: BadCase[] = [
  { name: 'invalid JSON', backends: ['http'], answer: { raw: { body: '{"result": {"data": ' } }, log: /answer is not valid JSON/, kind: 'malformed', centrifugoToo: true },
  { name: 'a JSON array instead of an object', backends: ['http'], answer: { raw: { body: '[1, 2]' } }, log: /answer must be a JSON object/, kind: 'malformed', centrifugoToo: true },
  { name: 'an error code of the wrong type', backends: ['http'], answer: { error: { code: '1403' } }, log: /answer field error\.code must be an integer/, kind: 'malformed', centrifugoToo: true },
  { name: 'a result of the wrong type', backends: ['http'], answer: { result: 'yes' }, log: /answer field result must be an object/, kind: 'malformed', centrifugoToo: true },
  { name: 'b64data that is not base64', backends: ['http', 'grpc'], answer: { result: { b64data: '!!not base64!!' } }, log: /b64data is not valid base64/, kind: 'malformed', centrifugoToo: true },
  { name: 'HTTP 500', backends: ['http'], answer: { raw: { status: 500, body: 'oops' } }, log: /backend answered HTTP 500/, kind: 'status', centrifugoToo: true },
  { name: 'a body over ringcast.proxy.max_response_size', backends: ['http', 'grpc'], answer: { result: { data: big } }, log: /max_response_size|RESOURCE_EXHAUSTED|exceeds/, kind: 'too_large', centrifugoToo: false },
  { name: 'an error code above 1999', backends: ['http', 'grpc'], answer: { error: { code: 5000, message: 'x' } }, log: /error\.code 5000 is outside 100–1999/, kind: 'malformed', centrifugoToo: false },
  { name: 'an error code of 0 (missing)', backends: ['http', 'grpc'], answer: { error: { message: 'no code' } }, log: /error\.code 0 is outside/, kind: 'malformed', centrifugoToo: false },
  { name: 'a disconnect code below 3000', backends: ['http', 'grpc'], answer: { disconnect: { code: 1000, reason: 'x' } }, log: /disconnect\.code 1000 is outside 3000–4999/, kind: 'malformed', centrifugoToo: false },
  { name: 'bytes that are not a proxy message', backends: ['grpc'], answer: { rawGrpc: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]) }, log: /gRPC status INTERNAL: Response message parsing error/, kind: 'malformed', centrifugoToo: true },
];

if (!centrifugoBin) it.skip(`Centrifugo side of the bad answers — ${centrifugoSkipReason}`, () => undefined);

for (const kind of ['http', 'grpc'] as const) {
  describe.each(compatTargets)(`bad answers from a ${kind} backend on %s`, (target) => {
    let backend: ProxyBackend;
    let server: CompatServer;
    const logs: string[] = [];
    let client: RawClient;
    let nextId = 1;
    const answers = new Map<string, BackendAnswer>();

    beforeAll(async () => {
      backend = await ProxyBackend.start(kind);
      backend.on('rpc', ({ body }) => answers.get(String(body['method'])) ?? { result: { data: { ok: body['method'] } } });
      const [closedPort] = await freeLoopbackPorts(1);
      server = await startCompatServer(
        target,
        {
          rpc: {
            proxy: { endpoint: backend.endpoint('rpc'), timeout: '2s', http_headers: ['Cookie'] },
            without_namespace: { proxy_enabled: true },
            namespaces: [{ name: 'gone', proxy_enabled: true, proxy_name: 'gone' }],
          },
          proxies: [{ name: 'gone', endpoint: kind === 'http' ? `http://127.0.0.1:${closedPort}/rpc` : `grpc://127.0.0.1:${closedPort}`, timeout: '2s' }],
          ringcast: { proxy: { max_response_size: 65_536 } },
        },
        { logs },
      );
      client = await RawClient.open(server.wsUrl, undefined, { Cookie: secretCookie });
      client.sendJson({ id: nextId, connect: { token: await hs256Token({ sub: 'tester' }) } });
      expect((await client.reply(nextId++))['connect']).toBeDefined();
    });
    afterAll(async () => {
      client?.close();
      await server?.stop();
      await backend?.stop();
    });

    async function rpc(method: string): Promise<Record<string, unknown>> {
      const id = nextId++;
      client.sendJson({ id, rpc: { method, data: { n: id } } });
      return client.reply(id, 10_000);
    }

    const applicable = cases.filter((c) => c.backends.includes(kind) && (target === 'ringcast' || c.centrifugoToo));
    it.each(applicable)('$name: error 100 for the client, a log line, and the node keeps serving', async (bad) => {
      const method = `bad-${bad.name.replace(/\W+/g, '-')}`;
      answers.set(method, bad.answer);
      expect(await rpc(method)).toMatchObject({ error: { code: 100, temporary: true } });
      expect((await rpc('fine'))['rpc']).toEqual({ data: { ok: 'fine' } });
      if (target !== 'ringcast') return;
      const line = logs.findLast((l) => bad.log.test(l));
      expect(line, `a log line matching ${bad.log} in:\n${logs.join('')}`).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ proxy: 'default', type: 'rpc', protocol: kind, kind: bad.kind, user: 'tester' });
    });

    it('an unreachable backend: error 100, and the other proxies keep working', async () => {
      expect(await rpc('gone:call')).toMatchObject({ error: { code: 100, temporary: true } });
      expect((await rpc('fine'))['rpc']).toEqual({ data: { ok: 'fine' } });
      if (target !== 'ringcast') return;
      expect(logs.some((l) => /"proxy":"gone"/.test(l) && /"kind":"unreachable"/.test(l))).toBe(true);
    });

    it.runIf(target === 'ringcast')('counts failures by kind and never logs the cookie it passed on', async () => {
      const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`ringcast_proxy_errors_total\\{protocol="${kind}",type="rpc",name="default",kind="malformed"\\} [1-9]`));
      expect(metrics).toMatch(new RegExp(`ringcast_proxy_errors_total\\{protocol="${kind}",type="rpc",name="gone",kind="unreachable"\\} [1-9]`));
      expect(metrics).toMatch(new RegExp(`ringcast_proxy_duration_seconds_count\\{protocol="${kind}",type="rpc",name="default"\\} [1-9]`));
      expect(metrics).toMatch(new RegExp(`ringcast_proxy_inflight_requests\\{protocol="${kind}",type="rpc",name="default"\\} 0`));
      expect(backend.received('rpc').some((r) => r.headers['cookie'] === secretCookie)).toBe(true);
      expect(logs.join('')).not.toContain('do-not-log-me');
    });
  });
}
