import { ChannelNotSupportedError } from '../channel-not-supported-error.js';

/**
 * Subjects of Centrifugo's NATS broker: `<prefix>.client.<channel>` carries a channel's publications and
 * join/leave events, `<prefix>.control` the control messages for every node and `<prefix>.node.<id>` those for
 * one node. A channel's dots become subject token separators there, as in Centrifugo.
 */
export class NatsSubjects {
  readonly control: string;
  private readonly clientPrefix: string;

  constructor(readonly prefix: string) {
    this.control = `${prefix}.control`;
    this.clientPrefix = `${prefix}.client.`;
  }

  /** The subject of a channel; throws ChannelNotSupportedError when the name cannot be a NATS subject. */
  client(channel: string): string {
    const problem = subjectProblem(channel);
    if (problem) throw new ChannelNotSupportedError(channel, problem);
    return this.clientPrefix + channel;
  }

  node(nodeId: string): string {
    return `${this.prefix}.node.${nodeId}`;
  }
}

/**
 * Why a channel name cannot follow `<prefix>.client.` in a subject, or undefined when it can: NATS subjects are
 * whitespace-free (a space would split the protocol line and turn the rest into a reply subject), `*` and `>`
 * are wildcards (Centrifugo refuses them too), and tokens between dots must not be empty.
 */
export function subjectProblem(channel: string): string | undefined {
  if (channel === '') return 'empty';
  for (let i = 0; i < channel.length; i++) {
    const c = channel.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return 'whitespace or control characters';
    if (c === 0x2a || c === 0x3e) return 'NATS wildcards (* or >)';
  }
  if (channel.startsWith('.') || channel.endsWith('.') || channel.includes('..')) return 'an empty subject token';
  return undefined;
}
