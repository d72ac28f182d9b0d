import { afterEach, beforeEach, describe, expect, it as vitestIt } from 'vitest';
import type { ClientInfo } from '../../src/protocol/client-protocol.js';
import { bytes, text, uniqueChannel, type PresenceFactory, type PresenceFixture } from './engine-fixture.js';

function info(user: string, client: string): ClientInfo {
  return { user, client };
}

/** An engine without a shared presence store: the reason, and what it does instead (checked per case). */
export interface PresenceNotApplicable {
  notApplicable: string;
  instead: () => Promise<void>;
}

/**
 * The behaviour every PresenceManager implementation must have; run it once per engine. An engine that keeps
 * no presence of its own passes `{ notApplicable, instead }`: every case is still listed, with the reason, and
 * checks `instead`.
 */
export function describePresenceContract(name: string, factory: PresenceFactory | PresenceNotApplicable): void {
  describe(`PresenceManager contract: ${name}`, () => {
    let fixture: PresenceFixture | undefined;
    const it = (title: string, body: () => Promise<void>): void => {
      if (typeof factory === 'function') vitestIt(title, body);
      else vitestIt(`${title} — not applicable: ${factory.notApplicable}`, factory.instead);
    };

    if (typeof factory === 'function') {
      beforeEach(async () => {
        fixture = await factory();
      });

      afterEach(async () => {
        await fixture?.cleanup();
        fixture = undefined;
      });
    }

    const get = (): PresenceFixture & { unit: number } => {
      if (!fixture) throw new Error('presence contract case ran outside its fixture');
      return { ...fixture, unit: fixture.ttlUnitMs ?? 1000 };
    };
    const longTtl = 60_000;

    it('reports nobody in a channel without entries', async () => {
      const { presence } = get();
      const channel = uniqueChannel('nobody');
      expect(await presence.presence(channel)).toEqual({});
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 0, numUsers: 0 });
    });

    it('returns added entries by client id with their info', async () => {
      const { presence } = get();
      const channel = uniqueChannel('add');
      const full: ClientInfo = { user: 'u1', client: 'c1', conn_info: bytes('{"a":1}'), chan_info: bytes('{"b":2}') };
      await presence.addPresence(channel, 'c1', full, longTtl);
      await presence.addPresence(channel, 'c2', info('u2', 'c2'), longTtl);
      const entries = await presence.presence(channel);
      expect(Object.keys(entries).sort()).toEqual(['c1', 'c2']);
      expect([entries.c1?.user, entries.c1?.client]).toEqual(['u1', 'c1']);
      expect(text(entries.c1?.conn_info)).toBe('{"a":1}');
      expect(text(entries.c1?.chan_info)).toBe('{"b":2}');
      expect([entries.c2?.user, entries.c2?.client]).toEqual(['u2', 'c2']);
    });

    it('counts clients and distinct users', async () => {
      const { presence } = get();
      const channel = uniqueChannel('stats');
      await presence.addPresence(channel, 'c1', info('u1', 'c1'), longTtl);
      await presence.addPresence(channel, 'c2', info('u1', 'c2'), longTtl);
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 2, numUsers: 1 });
      await presence.addPresence(channel, 'c3', info('u2', 'c3'), longTtl);
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 3, numUsers: 2 });
    });

    it('replaces the entry when the same client is added again', async () => {
      const { presence } = get();
      const channel = uniqueChannel('upsert');
      await presence.addPresence(channel, 'c1', { user: 'u1', client: 'c1', chan_info: bytes('1') }, longTtl);
      await presence.addPresence(channel, 'c1', { user: 'u1', client: 'c1', chan_info: bytes('2') }, longTtl);
      const entries = await presence.presence(channel);
      expect(Object.keys(entries)).toEqual(['c1']);
      expect(text(entries.c1?.chan_info)).toBe('2');
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 1, numUsers: 1 });
    });

    it('removes one client and leaves the others', async () => {
      const { presence } = get();
      const channel = uniqueChannel('remove');
      await presence.addPresence(channel, 'c1', info('u1', 'c1'), longTtl);
      await presence.addPresence(channel, 'c2', info('u1', 'c2'), longTtl);
      await presence.removePresence(channel, 'c1', 'u1');
      expect(Object.keys(await presence.presence(channel))).toEqual(['c2']);
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 1, numUsers: 1 });
      await presence.removePresence(channel, 'c2', 'u1');
      await presence.removePresence(channel, 'unknown', 'u9');
      expect(await presence.presence(channel)).toEqual({});
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 0, numUsers: 0 });
    });

    it('keeps channels apart', async () => {
      const { presence } = get();
      const a = uniqueChannel('apart-a');
      const b = uniqueChannel('apart-b');
      await presence.addPresence(a, 'c1', info('u1', 'c1'), longTtl);
      expect(await presence.presence(b)).toEqual({});
      await presence.removePresence(b, 'c1', 'u1');
      expect(Object.keys(await presence.presence(a))).toEqual(['c1']);
    });

    it('drops an entry that was not refreshed within its ttl', async () => {
      const { presence, advance, unit } = get();
      const channel = uniqueChannel('expire');
      await presence.addPresence(channel, 'c1', info('u1', 'c1'), unit);
      await presence.addPresence(channel, 'c2', info('u2', 'c2'), 100 * unit);
      await advance(0.6 * unit);
      expect(Object.keys(await presence.presence(channel)).sort()).toEqual(['c1', 'c2']);
      await advance(unit);
      expect(Object.keys(await presence.presence(channel))).toEqual(['c2']);
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 1, numUsers: 1 });
    });

    it('keeps an entry alive while it is refreshed', async () => {
      const { presence, advance, unit } = get();
      const channel = uniqueChannel('refresh');
      await presence.addPresence(channel, 'c1', info('u1', 'c1'), unit);
      await presence.addPresence(channel, 'c2', info('u2', 'c2'), unit);
      await advance(0.6 * unit);
      await presence.addPresence(channel, 'c1', info('u1', 'c1'), unit);
      await advance(0.6 * unit);
      // c1 was refreshed 0.6 units ago; c2 was added 1.2 units ago and never refreshed.
      expect(Object.keys(await presence.presence(channel))).toEqual(['c1']);
      await advance(unit);
      expect(await presence.presence(channel)).toEqual({});
      expect(await presence.presenceStats(channel)).toEqual({ numClients: 0, numUsers: 0 });
    });
  });
}
