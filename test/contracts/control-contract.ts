import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlHandler, Controller } from '../../src/engine/controller.js';
import { waitFor } from '../helpers/wait-for.js';

/** Two nodes' controllers on one backend, not yet running: the suite calls `runControl` on each. */
export interface ControlFixture {
  controllers: [Controller, Controller];
  cleanup(): Promise<void>;
}

export type ControlFactory = () => Promise<ControlFixture>;

class RecordingControl implements ControlHandler {
  readonly messages: Uint8Array[] = [];
  handleControl(data: Uint8Array): void {
    // Copy: an engine may hand over a view into a buffer it reuses.
    this.messages.push(Uint8Array.from(data));
  }
  texts(): string[] {
    return this.messages.map((m) => Buffer.from(m).toString('latin1'));
  }
}

let runs = 0;

const titles = [
  'broadcasts reach every node, the sender too',
  'a message to one node reaches only that node',
  'delivers every message once with its bytes intact',
] as const;

/**
 * The node-to-node control channel (node info, user operations, surveys): every engine that makes a cluster
 * must carry it. An engine for one process passes `{ notApplicable: reason }`; the suite then lists the cases
 * with the reason and checks nothing else.
 */
export function describeControlContract(
  name: string,
  factory: ControlFactory | { notApplicable: string; instead: () => Promise<void> },
): void {
  describe(`Controller contract: ${name}`, () => {
    if (typeof factory !== 'function') {
      for (const title of titles) it(`${title} — not applicable: ${factory.notApplicable}`, factory.instead);
      return;
    }
    let fixture: ControlFixture | undefined;
    let handlers: [RecordingControl, RecordingControl];
    let ids: [string, string];

    beforeEach(async () => {
      fixture = await factory();
      handlers = [new RecordingControl(), new RecordingControl()];
      runs++;
      ids = [`contract-a-${process.pid}-${runs}`, `contract-b-${process.pid}-${runs}`];
      await fixture.controllers[0].runControl(ids[0], handlers[0]);
      await fixture.controllers[1].runControl(ids[1], handlers[1]);
    });

    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    const bytes = (text: string) => Buffer.from(text, 'latin1');

    it(titles[0], async () => {
      const [a] = fixture!.controllers;
      await a.publishControl(bytes('hello'));
      for (const handler of handlers) await waitFor('the broadcast on both nodes', () => handler.texts().includes('hello'));
    });

    it(titles[1], async () => {
      const [a, b] = fixture!.controllers;
      await a.publishControl(bytes('for-b'), ids[1]);
      await b.publishControl(bytes('for-a'), ids[0]);
      await waitFor('the targeted messages', () => handlers[1].texts().includes('for-b') && handlers[0].texts().includes('for-a'));
      // A broadcast sent afterwards by each sender fences what could still be on its way.
      await a.publishControl(bytes('fence-a'));
      await b.publishControl(bytes('fence-b'));
      for (const handler of handlers) {
        await waitFor('the fences', () => handler.texts().includes('fence-a') && handler.texts().includes('fence-b'));
      }
      expect(handlers[0].texts().filter((t) => t.startsWith('for-'))).toEqual(['for-a']);
      expect(handlers[1].texts().filter((t) => t.startsWith('for-'))).toEqual(['for-b']);
    });

    // Order is not promised: the Redis engine spreads control messages over its shards, as Centrifugo does.
    it(titles[2], async () => {
      const [a] = fixture!.controllers;
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const sent = Array.from({ length: 300 }, (_, i) => Buffer.concat([bytes(`m${i}:`), all]));
      await Promise.all(sent.map((message) => a.publishControl(message)));
      const received = await waitFor('300 messages on the other node', () => (handlers[1].messages.length >= 300 ? handlers[1].messages : undefined), 20_000);
      const hex = (list: Uint8Array[]) => list.map((m) => Buffer.from(m).toString('hex')).sort();
      expect(hex(received)).toEqual(hex(sent));
    });
  });
}
