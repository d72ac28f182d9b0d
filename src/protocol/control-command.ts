// Node-to-node control messages in the protobuf layout Centrifugo's nodes exchange over the engine's control
// channel (centrifuge `controlpb.Command`), so Ringcast and Centrifugo nodes understand each other. Fields
// Ringcast does not act on (label filters, metrics) are skipped when reading and never written.

export interface ControlNode {
  uid: string;
  name: string;
  version: string;
  numClients: number;
  numUsers: number;
  numChannels: number;
  /** Seconds since the node started. */
  uptime: number;
  numSubs: number;
  /**
   * Node data the application attaches (centrifuge's node info `data`, which Centrifugo leaves empty). Ringcast
   * nodes put their process figures there as JSON (`node-process-data.ts`).
   */
  data?: Uint8Array;
}

export interface ControlTarget {
  user: string;
  client: string;
  session: string;
}

export interface ControlUnsubscribe extends ControlTarget {
  channel: string;
  code: number;
  reason: string;
}

export interface ControlDisconnect extends ControlTarget {
  whitelist: string[];
  code: number;
  reason: string;
}

export interface ControlSubscribe extends ControlTarget {
  channel: string;
  emitPresence: boolean;
  emitJoinLeave: boolean;
  pushJoinLeave: boolean;
  /** Unix seconds; 0 = no expiry. */
  expireAt: number;
  position: boolean;
  recover: boolean;
  channelInfo: Uint8Array | undefined;
  data: Uint8Array | undefined;
  recoverSince: { offset: number; epoch: string } | undefined;
}

export interface ControlRefresh extends ControlTarget {
  expired: boolean;
  /** Unix seconds; 0 = unchanged/never. */
  expireAt: number;
  info: Uint8Array | undefined;
}

export interface ControlSurvey {
  id: number;
  op: string;
  data: Uint8Array;
}

export interface ControlSurveyResponse {
  id: number;
  code: number;
  data: Uint8Array;
}

/** One control command: the sender's node uid and one of the messages. */
export interface ControlCommand {
  uid: string;
  node?: ControlNode;
  unsubscribe?: ControlUnsubscribe;
  disconnect?: ControlDisconnect;
  shutdown?: true;
  surveyRequest?: ControlSurvey;
  surveyResponse?: ControlSurveyResponse;
  subscribe?: ControlSubscribe;
  notification?: { op: string; data: Uint8Array };
  refresh?: ControlRefresh;
}
