import type { TemplatedApp } from 'uWebSockets.js';
import { uniJsonCodec } from '../../src/protocol/uni-json-codec.js';
import type { SessionContext } from '../session/session.js';
import { mountSseEndpoint } from './sse.js';
import { sseFormat } from './stream-format.js';
import type { StreamEndpointOptions } from './stream-session.js';
import type { ConnectCodeToHttp } from './streaming-transport.js';
import { uniFirstFrame } from './uni-connect-frame.js';

/**
 * `/connection/uni_sse`: a bare ConnectRequest (JSON) in the `cf_connect` query parameter (none: an empty
 * request) or the POST body; then only pushes, each one SSE event with a bare Push object.
 */
export function mountUniSse(
  app: TemplatedApp,
  ctx: SessionContext,
  options: StreamEndpointOptions & { connectCodeToHttp: ConnectCodeToHttp | null },
): void {
  mountSseEndpoint(
    app,
    ctx,
    options,
    {
      name: 'uni_sse',
      protocol: 'json',
      codec: uniJsonCodec,
      format: sseFormat,
      emulation: false,
      unidirectional: true,
      connectCodeToHttp: options.connectCodeToHttp,
    },
    uniFirstFrame,
  );
}
