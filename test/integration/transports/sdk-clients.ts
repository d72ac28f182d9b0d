import { Centrifuge } from 'centrifuge';
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import { EventSource } from 'eventsource';

export type Client = InstanceType<typeof Centrifuge>;

/**
 * The official SDK over its emulation transports, in Node: fetch and ReadableStream are Node's own, the
 * EventSource comes from the `eventsource` package. `emulationEndpoint` must be absolute outside a browser.
 */
export interface EmulationVariant {
  name: string;
  transport: 'http_stream' | 'sse';
  create(httpUrl: string, opts: Record<string, unknown>): Client;
  encode(value: unknown): unknown;
  decode(data: unknown): unknown;
}

function endpoints(httpUrl: string, transport: string): Array<{ transport: 'http_stream' | 'sse'; endpoint: string }> {
  return [{ transport: transport as 'http_stream' | 'sse', endpoint: `${httpUrl}/connection/${transport}` }];
}

const jsonData = { encode: (value: unknown): unknown => value, decode: (data: unknown): unknown => data };
const binaryData = {
  encode: (value: unknown): unknown => new TextEncoder().encode(JSON.stringify(value)),
  decode: (data: unknown): unknown => JSON.parse(new TextDecoder().decode(data as Uint8Array)),
};

export const emulationVariants: readonly EmulationVariant[] = [
  {
    name: 'http_stream json',
    transport: 'http_stream',
    create: (httpUrl, opts) =>
      new Centrifuge(endpoints(httpUrl, 'http_stream'), { emulationEndpoint: `${httpUrl}/emulation`, ...opts }),
    ...jsonData,
  },
  {
    name: 'http_stream protobuf',
    transport: 'http_stream',
    create: (httpUrl, opts) =>
      new CentrifugeProtobuf(endpoints(httpUrl, 'http_stream'), {
        emulationEndpoint: `${httpUrl}/emulation`,
        ...opts,
      }) as unknown as Client,
    ...binaryData,
  },
  {
    name: 'sse json',
    transport: 'sse',
    create: (httpUrl, opts) =>
      new Centrifuge(endpoints(httpUrl, 'sse'), { emulationEndpoint: `${httpUrl}/emulation`, eventsource: EventSource, ...opts }),
    ...jsonData,
  },
];

/** Node config enabling both emulation transports (the WebSocket stays on by default). */
export const emulationTransports = { http_stream: { enabled: true }, sse: { enabled: true } };
