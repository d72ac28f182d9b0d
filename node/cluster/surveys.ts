import type { Logger } from 'pino';
import type { ControlCommand, ControlSurveyResponse } from '../../src/protocol/control-command.js';

export interface SurveyReply {
  code: number;
  data: Uint8Array;
}

interface Pending {
  expected: number;
  replies: Map<string, SurveyReply>;
  done(): void;
}

/**
 * Centrifuge's survey: a request with an id to every node (or one), each answering on the asker's node
 * channel; the asker collects answers until it has one per node it knows of, or the timeout passes (then it
 * keeps what it has).
 */
export class Surveys {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly selfUid: string,
    private readonly send: (cmd: ControlCommand, toNode?: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async ask(
    op: string,
    data: Uint8Array,
    target: { toNode?: string; remoteNodes: number },
    local: (() => Promise<SurveyReply>) | undefined,
    timeoutMs: number,
  ): Promise<Map<string, SurveyReply>> {
    const id = ++this.nextId;
    const replies = new Map<string, SurveyReply>();
    const expected = target.remoteNodes + (local ? 1 : 0);
    let timer: NodeJS.Timeout | undefined;
    const finished = new Promise<void>((resolve) => {
      this.pending.set(id, { expected, replies, done: resolve });
      timer = setTimeout(resolve, timeoutMs);
    });
    try {
      if (local) replies.set(this.selfUid, await local());
      if (target.remoteNodes > 0) {
        await this.send({ uid: this.selfUid, surveyRequest: { id, op, data } }, target.toNode);
      }
      if (replies.size < expected) await finished;
      if (replies.size < expected) {
        this.logger.warn({ op, replies: replies.size, expected }, 'survey timed out; using the answers received');
      }
      return replies;
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
  }

  handleResponse(fromUid: string, response: ControlSurveyResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    pending.replies.set(fromUid, { code: response.code, data: response.data });
    if (pending.replies.size >= pending.expected) pending.done();
  }
}
