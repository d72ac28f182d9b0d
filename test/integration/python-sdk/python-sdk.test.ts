// The official Python SDK (centrifuge-python 0.7) and API client (cent 5.2), installed from PyPI into
// .cache/pyenv by `make python-sdk`, driven through the cases where Ringcast used to differ from Centrifugo;
// the same scenarios run against Centrifugo v6 when CENTRIFUGO_BIN is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { runPythonScenario } from '../../helpers/python-sdk.js';
import { testSecret } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';

const config = {
  client: { subscribe_to_user_personal_channel: { enabled: true, personal_channel_namespace: 'personal' } },
  channel: {
    without_namespace: {
      allow_subscribe_for_client: true,
      allow_history_for_subscriber: true,
      allow_recovery: true,
      history_size: 500,
      history_ttl: '300s',
    },
    namespaces: [{ name: 'personal', presence: true }],
  },
};

if (!centrifugoBin) it.skip(`Python SDK scenarios on Centrifugo — ${centrifugoSkipReason}`, () => undefined);

describe.each(compatTargets)('official Python SDK and API client against %s', (target) => {
  let server: CompatServer;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
    tokens = {
      alice: await hs256Token({ sub: 'alice' }),
      sub_wrong_key: await hs256Token({ sub: 'alice', channel: '$py-a' }, { secret: `${testSecret}-other` }),
      sub_expired: await hs256Token({ sub: 'alice', channel: '$py-c' }, { expInSeconds: -60 }),
      sub_fresh: await hs256Token({ sub: 'alice', channel: '$py-c' }, { expInSeconds: 600 }),
    };
  });
  afterAll(() => server.stop());

  // api/handler_gen.go handleBatch: the answer is the BatchResponse, {"replies": […]} at the top level
  // (cent reads `replies` from there).
  it('1. cent batch reads its replies', async () => {
    expect(await runPythonScenario(server, 'batch', tokens)).toEqual({ replies: 3, offsets: [1, 2] });
  });

  // memstream Get: limit < 0 is no limit (API); client.go handleHistory caps a negative client limit at
  // client.history_max_publication_limit (300 by default).
  it('2. history with limit -1 returns the whole stream (cent and the client SDK)', async () => {
    const result = await runPythonScenario(server, 'history_all', tokens);
    expect(result).toEqual({ api: 150, api_offset: 150, sdk: 150, sdk_first: { i: 1 } });
  });

  // handler.go OnSubscribe: ErrInvalidToken → ErrorPermissionDenied (103, the SDK unsubscribes that subscription);
  // ErrTokenExpired → ErrorTokenExpired (109, the SDK gets a new token and resubscribes); the connection stays.
  it('3. bad subscription tokens answer 103 and an expired one 109; the connection stays up', async () => {
    const result = await runPythonScenario(server, 'subscription_tokens', tokens);
    expect(result).toMatchObject({ bad: 103, garbage: 103, connected: true, disconnects: [] });
    expect(result['expired_errors']).toEqual([expect.stringContaining('109')]);
  });

  // handler.go OnClientConnecting: an authenticated user is subscribed server-side to
  // <personal_channel_namespace>:#<user>.
  it('4. subscribe_to_user_personal_channel subscribes the user to personal:#alice server-side', async () => {
    expect(await runPythonScenario(server, 'personal_channel', tokens)).toEqual({ channel: 'personal:#alice', data: { to: 'alice' } });
  });

  // client.go isStreamRecovered / node.go history: an empty epoch matches any epoch, so get_state's
  // position {offset 0, epoch ""} recovers the whole stream at once.
  it('5. recover from offset 0 with an empty epoch gets the whole stream, once', async () => {
    const result = await runPythonScenario(server, 'recover_empty_epoch', tokens);
    expect(result).toEqual({ get_state_calls: 1, recovered: true, publications: [{ i: 1 }, { i: 2 }, { i: 3 }], subscribed: true });
  });
});
