import type { RealtimeClusterStatus } from '../../src/kube/realtime-cluster-status.js';
import { nextCondition, type ConditionState } from './conditions.js';
import type { RingDecision } from './ring.js';

/** Something wrong that a person should act on; it makes the cluster Degraded. */
export interface Problem {
  reason: string;
  message: string;
}

export interface NodeCounts {
  desired: number;
  current: number;
  ready: number;
  updated: number;
  /** The Deployment controller has seen the latest Deployment spec (its counts describe it). */
  rolloutObserved: boolean;
}

export interface ClusterObservation {
  generation: number;
  previous: RealtimeClusterStatus | undefined;
  ring: RingDecision;
  /** How to find the shard pods or addresses, for messages ("kubectl get pods -l …" or the addresses). */
  shardHint: string;
  nodeSelector: string;
  nodes: NodeCounts;
  connections: number | undefined;
  endpoints: NonNullable<RealtimeClusterStatus['endpoints']>;
  problems: readonly Problem[];
  now: string;
}

const list = (names: readonly string[]): string => names.join(', ');

function readyState(o: ClusterObservation): ConditionState {
  const { ring, nodes } = o;
  if (!ring.ring) {
    return {
      status: 'False',
      reason: 'WaitingForShards',
      message: `the ring is published once every shard is ready; waiting for ${list(ring.waitingFor)} (${o.shardHint})`,
    };
  }
  const downShards = ring.ring.shards.filter((shard) => !shard.ready).map((shard) => shard.name);
  if (downShards.length > 0) {
    return {
      status: 'False',
      reason: 'ShardsNotReady',
      message: `shard ${list(downShards)} of ring v${ring.ring.version} is not ready; its channels fail with error 100 until it is back (${o.shardHint})`,
    };
  }
  if (nodes.desired === 0) {
    return { status: 'False', reason: 'NoNodes', message: 'spec.nodes.replicas is 0: no node serves clients' };
  }
  if (nodes.ready === 0) {
    return {
      status: 'False',
      reason: 'NodesNotReady',
      message: `none of the ${nodes.desired} node pods is ready; see kubectl describe pods -l ${o.nodeSelector}`,
    };
  }
  return {
    status: 'True',
    reason: 'ClusterReady',
    message: `${nodes.ready} of ${nodes.desired} nodes ready; ring v${ring.ring.version} with ${ring.ring.size} shards`,
  };
}

function progressingState(o: ClusterObservation): ConditionState {
  const { nodes, ring } = o;
  const parts: Problem[] = [];
  if (!nodes.rolloutObserved || nodes.updated < Math.min(nodes.current, nodes.desired)) {
    parts.push({ reason: 'RollingOut', message: `${nodes.updated} of ${nodes.desired} node pods run the current template` });
  } else if (nodes.current !== nodes.desired || nodes.ready < nodes.desired) {
    parts.push({ reason: 'ScalingNodes', message: `${nodes.current} node pods exist, ${nodes.ready} ready, ${nodes.desired} wanted` });
  }
  if (ring.ring && ring.waitingFor.length > 0) {
    parts.push({ reason: 'AddingShards', message: `${list(ring.waitingFor)} join the ring once ready (${o.shardHint})` });
  }
  if (parts.length === 0) return { status: 'False', reason: 'Stable', message: 'nodes and ring match the spec' };
  return { status: 'True', reason: parts[0]!.reason, message: parts.map((p) => p.message).join('; ') };
}

function degradedState(o: ClusterObservation): ConditionState {
  const problems = [...o.problems];
  const downShards = o.ring.ring?.shards.filter((shard) => !shard.ready).map((shard) => shard.name) ?? [];
  if (downShards.length > 0) {
    problems.push({
      reason: 'ShardUnavailable',
      message: `shard ${list(downShards)} is in the ring but not ready (${o.shardHint})`,
    });
  }
  if (problems.length === 0) return { status: 'False', reason: 'AsExpected', message: 'no problems found' };
  return { status: 'True', reason: problems[0]!.reason, message: problems.map((p) => p.message).join('; ') };
}

/** The status the operator wants on the resource, from what it observed. Pure: the same inputs give the same status. */
export function buildStatus(o: ClusterObservation): RealtimeClusterStatus {
  const previous = o.previous?.conditions;
  const conditions = [
    nextCondition(previous, 'Ready', readyState(o), o.generation, o.now),
    nextCondition(previous, 'Progressing', progressingState(o), o.generation, o.now),
    nextCondition(previous, 'Degraded', degradedState(o), o.generation, o.now),
  ];
  return {
    observedGeneration: o.generation,
    conditions,
    ...(o.ring.ring ? { ring: o.ring.ring } : {}),
    nodes: { desired: o.nodes.desired, current: o.nodes.current, ready: o.nodes.ready, updated: o.nodes.updated },
    ...(o.connections !== undefined ? { connections: o.connections } : {}),
    selector: o.nodeSelector,
    endpoints: o.endpoints,
  };
}
