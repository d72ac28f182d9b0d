import { percentiles, type DashboardSpec } from './dashboard-spec.js';

const RATE = '[$__rate_interval]';
const OP = 'namespace=~"$namespace"';

export const operatorDashboard: DashboardSpec = {
  uid: 'ringcast-operator',
  title: 'Ringcast / Operator',
  file: 'operator.json',
  description: 'The Ringcast operator: leadership, reconciles, errors, work queue, writes, watches and the clusters it runs.',
  variables: [{ name: 'namespace', label: 'Operator namespace', query: 'label_values(ringcast_operator_is_leader, namespace)' }],
  rows: [
    {
      title: 'Operator',
      panels: [
        {
          title: 'Leader',
          description: 'Which operator replica holds the leader Lease (1) and acts; the others wait (0).',
          unit: 'bool',
          kind: 'timeseries',
          queries: [{ expr: `max by (pod) (ringcast_operator_is_leader{${OP}})`, legend: '{{pod}}' }],
        },
        {
          title: 'Reconciles per second by result',
          description: 'RealtimeCluster reconciles finished per second, successful or failed.',
          unit: 'ops',
          kind: 'timeseries',
          queries: [{ expr: `sum by (result) (rate(ringcast_operator_reconciles_total{${OP}}${RATE}))`, legend: '{{result}}' }],
        },
        {
          title: 'Reconcile errors per second',
          description: 'Reconciles that failed and are retried with backoff (the cluster’s Degraded condition says why).',
          unit: 'suffix:err/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (rate(ringcast_operator_reconcile_errors_total{${OP}}${RATE}))`, legend: '{{pod}}' }],
        },
        {
          title: 'Reconcile duration (p50, p95, p99)',
          description: 'How long one reconcile of a RealtimeCluster takes.',
          unit: 's',
          kind: 'timeseries',
          queries: percentiles('ringcast_operator_reconcile_duration_seconds', OP, 'pod'),
        },
        {
          title: 'Work queue depth',
          description: 'RealtimeClusters waiting to be reconciled: a queue that does not drain means the operator is behind.',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `max by (pod) (ringcast_operator_queue_depth{${OP}})`, legend: '{{pod}}' }],
        },
        {
          title: 'Child applies per second by kind',
          description: 'Server-side applies of children (Deployments, StatefulSets, ...); a steady state applies nothing.',
          unit: 'ops',
          kind: 'timeseries',
          queries: [{ expr: `sum by (kind) (rate(ringcast_operator_applies_total{${OP}}${RATE}))`, legend: '{{kind}}' }],
        },
        {
          title: 'Status writes per second',
          description: 'Writes of RealtimeCluster status (only changed statuses are written).',
          unit: 'ops',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (rate(ringcast_operator_status_writes_total{${OP}}${RATE}))`, legend: '{{pod}}' }],
        },
        {
          title: 'Watch restarts by kind and reason',
          description: 'List/watch restarts: "closed" is the routine renewal; "expired", "watchdog" and errors point at API server trouble.',
          unit: 'short',
          kind: 'timeseries',
          queries: [
            { expr: `sum by (kind, reason) (increase(ringcast_operator_informer_restarts_total{${OP}}${RATE}))`, legend: '{{kind}} {{reason}}' },
          ],
        },
        {
          title: 'Operator memory',
          description: 'Resident memory of each operator process.',
          unit: 'bytes',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (ringcast_operator_process_resident_memory_bytes{${OP}})`, legend: '{{pod}}' }],
        },
      ],
    },
    {
      title: 'RealtimeClusters',
      panels: [
        {
          title: 'RealtimeClusters watched',
          description: 'How many RealtimeCluster resources the operator runs.',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `max by (pod) (ringcast_operator_clusters{${OP}})`, legend: '{{pod}}' }],
        },
        {
          title: 'Nodes desired and ready per cluster',
          description: 'spec.nodes.replicas (set by the autoscaler) against ready node pods, per RealtimeCluster.',
          unit: 'short',
          kind: 'timeseries',
          queries: [
            {
              expr: `max by (cluster_namespace, realtimecluster, state) (ringcast_operator_cluster_nodes{${OP}})`,
              legend: '{{cluster_namespace}}/{{realtimecluster}} {{state}}',
            },
          ],
        },
        {
          title: 'Connections per cluster',
          description: 'Client connections per RealtimeCluster as its status reports them (the operator reads each node).',
          unit: 'short',
          kind: 'timeseries',
          queries: [
            {
              expr: `max by (cluster_namespace, realtimecluster) (ringcast_operator_cluster_connections{${OP}})`,
              legend: '{{cluster_namespace}}/{{realtimecluster}}',
            },
          ],
        },
      ],
    },
  ],
};
