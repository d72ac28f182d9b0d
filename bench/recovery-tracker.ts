/** What recovering clients saw, summed over every resubscribe since the start. */
export interface RecoveryCounts {
  /** Subscribes sent with `recover` (a known position). */
  attempts: number;
  /** Replies that said `recovered: true`. */
  recovered: number;
  /** Replies without `recovered`, or errors: the client would have to reload its state. */
  notRecovered: number;
  /** Publications handed back in recovering replies. */
  publications: number;
  /** Recovering replies whose publications did not continue the saved offset one by one. */
  gaps: number;
}

export function emptyRecoveryCounts(): RecoveryCounts {
  return { attempts: 0, recovered: 0, notRecovered: 0, publications: 0, gaps: 0 };
}

export function addRecoveryCounts(a: RecoveryCounts, b: RecoveryCounts): RecoveryCounts {
  return {
    attempts: a.attempts + b.attempts,
    recovered: a.recovered + b.recovered,
    notRecovered: a.notRecovered + b.notRecovered,
    publications: a.publications + b.publications,
    gaps: a.gaps + b.gaps,
  };
}

interface Position {
  epoch: string;
  offset: number;
}

/** The part of a subscribe result recovery reads (client protocol, JSON). */
export interface SubscribeResultLike {
  recoverable?: boolean;
  epoch?: string;
  offset?: number;
  recovered?: boolean;
  publications?: { offset?: number }[];
}

/**
 * Stream positions of recoverable subscriptions, as an SDK keeps them: the subscribe reply sets the position,
 * every publication pushed afterwards moves it, and the next subscribe asks to recover from it. Keyed by
 * client index and the subscription's place in the client's channel list.
 */
export class RecoveryTracker {
  private readonly positions = new Map<number, (Position | undefined)[]>();
  private counts = emptyRecoveryCounts();

  /** The fields a subscribe command of subscription `k` of client `i` carries after its channel. */
  subscribeFields(i: number, k: number): string {
    const p = this.positions.get(i)?.[k];
    if (!p) return ',"recoverable":true';
    return `,"recoverable":true,"recover":true,"epoch":${JSON.stringify(p.epoch)},"offset":${p.offset}`;
  }

  /** The reply to subscribe `k` of client `i` (an error counts as not recovered when recovery was asked). */
  subscribed(i: number, k: number, result: SubscribeResultLike | undefined): void {
    const saved = this.positions.get(i)?.[k];
    if (saved) {
      this.counts.attempts++;
      if (result?.recovered === true) {
        this.counts.recovered++;
        const pubs = result.publications ?? [];
        this.counts.publications += pubs.length;
        if (!pubs.every((pub, n) => pub.offset === saved.offset + n + 1)) this.counts.gaps++;
      } else {
        this.counts.notRecovered++;
      }
    }
    if (result?.recoverable && typeof result.epoch === 'string') {
      this.set(i, k, { epoch: result.epoch, offset: result.offset ?? 0 });
    }
  }

  /** A publication with `offset` pushed to subscription `k` of client `i`. */
  published(i: number, k: number, offset: number): void {
    const p = this.positions.get(i)?.[k];
    if (p && offset > p.offset) p.offset = offset;
  }

  snapshot(): RecoveryCounts {
    return { ...this.counts };
  }

  private set(i: number, k: number, position: Position): void {
    let list = this.positions.get(i);
    if (!list) this.positions.set(i, (list = []));
    list[k] = position;
  }
}
