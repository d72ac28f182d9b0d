import type { BrokerEventHandler } from '../../src/engine/broker.js';
import type { ClientInfo, Publication, StreamPosition } from '../../src/protocol/client-protocol.js';
import { waitFor } from '../helpers/wait-for.js';

export interface RecordedPublication {
  channel: string;
  pub: Publication;
  position: StreamPosition;
  useDelta: boolean;
  prevPub: Publication | undefined;
}

export interface RecordedPresenceEvent {
  channel: string;
  info: ClientInfo;
}

/** Keeps every broker event; waits poll with a deadline, so engines that deliver asynchronously work too. */
export class RecordingHandler implements BrokerEventHandler {
  readonly publications: RecordedPublication[] = [];
  readonly joins: RecordedPresenceEvent[] = [];
  readonly leaves: RecordedPresenceEvent[] = [];
  readonly interrupted: string[] = [];

  handlePublication(
    channel: string,
    pub: Publication,
    position: StreamPosition,
    useDelta: boolean,
    prevPub: Publication | undefined,
  ): void {
    this.publications.push({ channel, pub, position, useDelta, prevPub });
  }

  handleJoin(channel: string, info: ClientInfo): void {
    this.joins.push({ channel, info });
  }

  handleLeave(channel: string, info: ClientInfo): void {
    this.leaves.push({ channel, info });
  }

  handleInterrupted(channels: readonly string[]): void {
    this.interrupted.push(...channels);
  }

  publicationsIn(channel: string): RecordedPublication[] {
    return this.publications.filter((p) => p.channel === channel);
  }

  /** Waits until `channel` got at least `count` publications; returns all of them. */
  async waitForPublications(channel: string, count: number): Promise<RecordedPublication[]> {
    return waitFor(`${count} publications in ${channel}`, () => {
      const received = this.publicationsIn(channel);
      return received.length >= count ? received : undefined;
    });
  }

  async waitForJoins(channel: string, count: number): Promise<RecordedPresenceEvent[]> {
    return waitFor(`${count} joins in ${channel}`, () => {
      const received = this.joins.filter((e) => e.channel === channel);
      return received.length >= count ? received : undefined;
    });
  }

  async waitForLeaves(channel: string, count: number): Promise<RecordedPresenceEvent[]> {
    return waitFor(`${count} leaves in ${channel}`, () => {
      const received = this.leaves.filter((e) => e.channel === channel);
      return received.length >= count ? received : undefined;
    });
  }
}
