import type { Session } from '../session/session.js';

/** This node's emulated (HTTP-streaming/SSE) sessions by session id, for commands from `POST /emulation`. */
export class EmulationSessions {
  private readonly byId = new Map<string, Session>();

  add(sessionId: string, session: Session): void {
    this.byId.set(sessionId, session);
  }

  remove(sessionId: string, session: Session): void {
    if (this.byId.get(sessionId) === session) this.byId.delete(sessionId);
  }

  get(sessionId: string): Session | undefined {
    return this.byId.get(sessionId);
  }

  get size(): number {
    return this.byId.size;
  }
}
