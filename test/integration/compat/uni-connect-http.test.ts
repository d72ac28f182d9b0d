// connect_code_to_http_response for the unidirectional HTTP transports, against Ringcast and (CENTRIFUGO_BIN)
// Centrifugo: internal/unisse/handler.go and internal/unihttpstream/handler.go answer a refused connect with the
// first transform matching the connect's error or disconnect code (body: the transform's, else the error
// message); no match is a plain 500. Without the option the stream starts and ends with a disconnect push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { hs256Token } from '../../helpers/tokens.js';

const transforms = [
  { code: 109, to: { status_code: 401, body: '' } },
  { code: 3500, to: { status_code: 403, body: 'go away' } },
];
const config = {
  uni_sse: { enabled: true, connect_code_to_http_response: { enabled: true, transforms } },
  uni_http_stream: { enabled: true, connect_code_to_http_response: { enabled: true, transforms } },
};

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

describe.each(compatTargets)('connect_code_to_http_response on %s', (target) => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
  });
  afterAll(() => server.stop());

  async function connect(transport: 'uni_sse' | 'uni_http_stream', request: unknown): Promise<{ status: number; body: string }> {
    const controller = new AbortController();
    const url = `${server.httpUrl}/connection/${transport}`;
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(request), signal: controller.signal });
    if (res.status === 200) {
      // A stream: read until the connect push (Centrifugo's SSE handler may flush a bare "\r\n" first), then hang up.
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const deadline = setTimeout(() => controller.abort(), 5000);
      let body = '';
      try {
        while (!body.includes('"connect"')) {
          const chunk = await reader.read();
          if (chunk.done) break;
          body += decoder.decode(chunk.value, { stream: true });
        }
      } catch {
        // the deadline: the assertions below say what arrived
      } finally {
        clearTimeout(deadline);
        controller.abort();
      }
      return { status: 200, body };
    }
    return { status: res.status, body: await res.text() };
  }

  it.each(['uni_sse', 'uni_http_stream'] as const)('%s: mapped codes answer their status and body', async (transport) => {
    const expired = await hs256Token({ sub: 'u' }, { expInSeconds: -60 });
    expect(await connect(transport, { token: expired })).toEqual({ status: 401, body: 'token expired' });
    expect(await connect(transport, { token: 'not.a.jwt' })).toEqual({ status: 403, body: 'go away' });
  });

  it.each(['uni_sse', 'uni_http_stream'] as const)('%s: an unmapped refusal is 500; a good connect streams', async (transport) => {
    expect(await connect(transport, {})).toEqual({ status: 500, body: 'Internal Server Error' });
    // A `null` request is an empty one (no token: refused, unmapped).
    expect(await connect(transport, null)).toEqual({ status: 500, body: 'Internal Server Error' });
    const ok = await connect(transport, { token: await hs256Token({ sub: 'u' }) });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('"connect"');
  });
});
