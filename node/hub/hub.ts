import type { HubMember } from './hub-member.js';

/**
 * The node's indexes of live sessions: by client id, by user and by channel. Fan-out reads the channel index;
 * the server API reads the user and client indexes. Everything here is local to this node.
 */
export class Hub<Session extends HubMember> {
  private readonly byClient = new Map<string, Session>();
  private readonly byUser = new Map<string, Set<Session>>();
  private readonly byChannel = new Map<string, Set<Session>>();
  /** Channel compaction ids, assigned on first request and dropped with the channel's last subscriber. */
  private readonly channelIds = new Map<string, number>();
  private lastChannelId = 0;
  private subscriptionCount = 0;

  add(session: Session): void {
    this.byClient.set(session.clientId, session);
    let sessions = this.byUser.get(session.user);
    if (!sessions) this.byUser.set(session.user, (sessions = new Set()));
    sessions.add(session);
  }

  remove(session: Session): void {
    if (this.byClient.get(session.clientId) !== session) return;
    this.byClient.delete(session.clientId);
    const sessions = this.byUser.get(session.user);
    if (sessions) {
      sessions.delete(session);
      if (sessions.size === 0) this.byUser.delete(session.user);
    }
  }

  /** Adds a subscriber; true when it is the channel's first on this node (the broker must subscribe). */
  addSubscriber(channel: string, session: Session): boolean {
    let sessions = this.byChannel.get(channel);
    const first = !sessions;
    if (!sessions) this.byChannel.set(channel, (sessions = new Set()));
    if (!sessions.has(session)) {
      sessions.add(session);
      this.subscriptionCount++;
    }
    return first;
  }

  /** Removes a subscriber; true when it was the channel's last on this node (the broker may unsubscribe). */
  removeSubscriber(channel: string, session: Session): boolean {
    const sessions = this.byChannel.get(channel);
    if (!sessions || !sessions.delete(session)) return false;
    this.subscriptionCount--;
    if (sessions.size > 0) return false;
    this.byChannel.delete(channel);
    this.channelIds.delete(channel);
    return true;
  }

  /** The node's numeric id for a subscribed channel (channel compaction); stable while it has subscribers. */
  channelId(channel: string): number {
    let id = this.channelIds.get(channel);
    if (id === undefined) this.channelIds.set(channel, (id = ++this.lastChannelId));
    return id;
  }

  /** The compaction id of a channel, if one was assigned. */
  existingChannelId(channel: string): number | undefined {
    return this.channelIds.get(channel);
  }

  hasSubscribers(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  subscribers(channel: string): ReadonlySet<Session> | undefined {
    return this.byChannel.get(channel);
  }

  session(clientId: string): Session | undefined {
    return this.byClient.get(clientId);
  }

  userSessions(user: string): ReadonlySet<Session> | undefined {
    return this.byUser.get(user);
  }

  allSessions(): IterableIterator<Session> {
    return this.byClient.values();
  }

  channelNames(): IterableIterator<string> {
    return this.byChannel.keys();
  }

  channelSize(channel: string): number {
    return this.byChannel.get(channel)?.size ?? 0;
  }

  get connections(): number {
    return this.byClient.size;
  }
  get users(): number {
    return this.byUser.size;
  }
  get channels(): number {
    return this.byChannel.size;
  }
  get subscriptions(): number {
    return this.subscriptionCount;
  }
}
