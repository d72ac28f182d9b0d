/** Receives node-to-node control messages (protobuf control Commands) from other nodes. */
export interface ControlHandler {
  handleControl(data: Uint8Array): void;
}

/**
 * Carries control messages between the nodes of a cluster: broadcasts on the control channel and messages
 * to one node on that node's channel. An engine for one process has none.
 */
export interface Controller {
  /** Starts delivering control messages for all nodes and for `nodeId` to `handler`. */
  runControl(nodeId: string, handler: ControlHandler): Promise<void>;
  /** Sends to every node, the sender included (`toNode` undefined), or to one node. */
  publishControl(data: Uint8Array, toNode?: string): Promise<void>;
}
