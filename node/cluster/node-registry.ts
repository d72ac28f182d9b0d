import type { ControlNode } from '../../src/protocol/control-command.js';

/** The other nodes of the cluster, as last heard from in their node info heartbeats. */
export class NodeRegistry {
  private readonly nodes = new Map<string, { info: ControlNode; seenAt: number }>();

  update(info: ControlNode, now: number): boolean {
    const known = this.nodes.has(info.uid);
    this.nodes.set(info.uid, { info, seenAt: now });
    return !known;
  }

  remove(uid: string): void {
    this.nodes.delete(uid);
  }

  has(uid: string): boolean {
    return this.nodes.has(uid);
  }

  /** Forgets nodes not heard from within `maxAgeMs`. */
  clean(now: number, maxAgeMs: number): string[] {
    const gone: string[] = [];
    for (const [uid, node] of this.nodes) {
      if (now - node.seenAt > maxAgeMs) {
        this.nodes.delete(uid);
        gone.push(uid);
      }
    }
    return gone;
  }

  list(): ControlNode[] {
    return [...this.nodes.values()].map((n) => n.info);
  }

  get size(): number {
    return this.nodes.size;
  }
}
