import { NODE_SELECTOR as S, NODE_VARIABLES, percentiles, type DashboardSpec } from './dashboard-spec.js';

const RATE = '[$__rate_interval]';

export const clusterOverview: DashboardSpec = {
  uid: 'ringcast-cluster-overview',
  title: 'Ringcast / Cluster overview',
  file: 'cluster-overview.json',
  description: 'Connections, nodes and autoscaling, message rates, client commands and the HTTP API of Ringcast clusters.',
  variables: NODE_VARIABLES,
  rows: [
    {
      title: 'Connections and nodes',
      panels: [
        {
          title: 'Connections',
          description: 'How many clients are connected to the selected clusters right now (all nodes together).',
          unit: 'short',
          kind: 'stat',
          queries: [{ expr: `sum(ringcast_node_connections{${S}})`, legend: 'connections' }],
        },
        {
          title: 'Nodes serving',
          description: 'How many node pods Prometheus currently scrapes (each reports its connection count).',
          unit: 'short',
          kind: 'stat',
          queries: [{ expr: `count(ringcast_node_connections{${S}})`, legend: 'nodes' }],
        },
        {
          title: 'Users',
          description: 'How many distinct users are connected, summed over nodes (a user on two nodes counts twice).',
          unit: 'short',
          kind: 'stat',
          queries: [{ expr: `sum(ringcast_node_users{${S}})`, legend: 'users' }],
        },
        {
          title: 'Subscriptions',
          description: 'How many channel subscriptions the connected clients hold, all nodes together.',
          unit: 'short',
          kind: 'stat',
          queries: [{ expr: `sum(ringcast_node_subscriptions{${S}})`, legend: 'subscriptions' }],
        },
        {
          title: 'Connections per node',
          description:
            'How clients spread over the node pods; the autoscaler averages this against targetConnectionsPerNode.',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (ringcast_node_connections{${S}})`, legend: '{{pod}}' }],
        },
        {
          title: 'Nodes: running, ready and desired (HPA)',
          description:
            'Node pods scraped, ready (RealtimeCluster status) and desired (spec.nodes.replicas, which the HorizontalPodAutoscaler sets through the scale subresource): a gap shows scaling in progress.',
          unit: 'short',
          kind: 'timeseries',
          queries: [
            { expr: `count by (realtimecluster) (ringcast_node_connections{${S}})`, legend: 'running {{realtimecluster}}' },
            {
              expr: 'max by (realtimecluster) (ringcast_operator_cluster_nodes{cluster_namespace=~"$namespace", realtimecluster=~"$realtimecluster", state="ready"})',
              legend: 'ready {{realtimecluster}}',
            },
            {
              expr: 'max by (realtimecluster) (ringcast_operator_cluster_nodes{cluster_namespace=~"$namespace", realtimecluster=~"$realtimecluster", state="desired"})',
              legend: 'desired {{realtimecluster}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Messages',
      panels: [
        {
          title: 'Messages in and out per second',
          description:
            'Protocol commands received from clients (in) and replies and pushes sent to them (out), by transport.',
          unit: 'suffix:msg/s',
          kind: 'timeseries',
          queries: [
            { expr: `sum by (transport) (rate(ringcast_transport_messages_received_total{${S}}${RATE}))`, legend: 'in {{transport}}' },
            { expr: `sum by (transport) (rate(ringcast_transport_messages_sent_total{${S}}${RATE}))`, legend: 'out {{transport}}' },
          ],
        },
        {
          title: 'Publications fanned out per second',
          description: 'Publications each node delivered to its local subscribers (one per publication per node).',
          unit: 'suffix:pub/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (rate(ringcast_node_publications_total{${S}}${RATE}))`, legend: '{{pod}}' }],
        },
        {
          title: 'Subscriptions per node',
          description: 'Channel subscriptions held by the clients of each node.',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (ringcast_node_subscriptions{${S}})`, legend: '{{pod}}' }],
        },
        {
          title: 'Channels per node',
          description: 'Channels with at least one subscriber on each node (a channel followed on several nodes counts on each).',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (ringcast_node_channels{${S}})`, legend: '{{pod}}' }],
        },
      ],
    },
    {
      title: 'Client commands',
      panels: [
        {
          title: 'Command latency by method (p50, p95, p99)',
          description: 'How long nodes take to answer client commands (connect, subscribe, publish, history, ...).',
          unit: 's',
          kind: 'timeseries',
          queries: percentiles('ringcast_client_command_duration_seconds', S, 'method'),
        },
        {
          title: 'Command errors by method and code',
          description: 'Error replies sent to clients per second, by command and Centrifugo error code (e.g. 102 unknown channel, 103 permission denied).',
          unit: 'suffix:err/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (method, code) (rate(ringcast_client_reply_errors_total{${S}}${RATE}))`, legend: '{{method}} {{code}}' }],
        },
        {
          title: 'Disconnects by code',
          description: 'Connections closed per second, by disconnect code (3000s: reconnect allowed, e.g. 3001 shutdown/drain; 3500s: terminal).',
          unit: 'suffix:/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (code) (rate(ringcast_client_disconnects_total{${S}}${RATE}))`, legend: '{{code}}' }],
        },
      ],
    },
    {
      title: 'HTTP API',
      panels: [
        {
          title: 'HTTP API latency by method (p50, p95, p99)',
          description: 'How long the server API takes to answer backends, by method (publish, broadcast, presence, ...).',
          unit: 's',
          kind: 'timeseries',
          queries: percentiles('ringcast_api_command_duration_seconds', S, 'method'),
        },
        {
          title: 'HTTP API requests per second by method',
          description: 'Server API commands handled per second, by method.',
          unit: 'reqps',
          kind: 'timeseries',
          queries: [{ expr: `sum by (method) (rate(ringcast_api_command_duration_seconds_count{${S}}${RATE}))`, legend: '{{method}}' }],
        },
        {
          title: 'HTTP API errors by method and code',
          description: 'Server API commands that returned an error, per second, by method and error code.',
          unit: 'suffix:err/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (method, code) (rate(ringcast_api_errors_total{${S}}${RATE}))`, legend: '{{method}} {{code}}' }],
        },
      ],
    },
    {
      title: 'Node processes',
      panels: [
        {
          title: 'CPU per node',
          description: 'CPU time each node process uses (1 = one core busy).',
          unit: 'percentunit',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (rate(process_cpu_seconds_total{${S}}${RATE}))`, legend: '{{pod}}' }],
        },
        {
          title: 'Memory per node',
          description: 'Resident memory of each node process.',
          unit: 'bytes',
          kind: 'timeseries',
          queries: [{ expr: `sum by (pod) (process_resident_memory_bytes{${S}})`, legend: '{{pod}}' }],
        },
        {
          title: 'Event loop lag p99 per node',
          description: 'How late the Node.js event loop runs timers on each node: a high value means the node is CPU-bound.',
          unit: 's',
          kind: 'timeseries',
          queries: [{ expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${S}})`, legend: '{{pod}}' }],
        },
      ],
    },
  ],
};
