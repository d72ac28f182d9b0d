import { NODE_SELECTOR as S, NODE_VARIABLES, percentiles, type DashboardSpec } from './dashboard-spec.js';

const RATE = '[$__rate_interval]';

export const redisRing: DashboardSpec = {
  uid: 'ringcast-redis-ring',
  title: 'Ringcast / Redis ring',
  file: 'redis-ring.json',
  description: 'The Redis shards as the Ringcast nodes see them: readiness, commands, errors, reconnects and PUB/SUB lag per shard.',
  variables: NODE_VARIABLES,
  rows: [
    {
      title: 'Shards',
      panels: [
        {
          title: 'Nodes connected per shard',
          description: 'How many nodes hold both a command and a PUB/SUB connection to each shard (should equal the node count).',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `sum by (shard) (ringcast_redis_shard_ready{${S}})`, legend: '{{shard}}' }],
        },
        {
          title: 'Commands per second by shard',
          description: 'Commands the nodes send to each shard: an uneven spread points at hot channels.',
          unit: 'ops',
          kind: 'timeseries',
          queries: [{ expr: `sum by (shard) (rate(ringcast_redis_commands_total{${S}}${RATE}))`, legend: '{{shard}}' }],
        },
        {
          title: 'Errors per second by shard',
          description: 'Failed Redis commands and connection errors, by shard.',
          unit: 'suffix:err/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (shard) (rate(ringcast_redis_errors_total{${S}}${RATE}))`, legend: '{{shard}}' }],
        },
        {
          title: 'Reconnects by shard',
          description: 'How often nodes had to reconnect to each shard after losing it (per rate interval).',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `sum by (shard) (increase(ringcast_redis_reconnects_total{${S}}${RATE}))`, legend: '{{shard}}' }],
        },
        {
          title: 'Pipeline depth by shard',
          description: 'Commands queued or awaiting replies on the busiest node’s connection to each shard: growth means the shard cannot keep up.',
          unit: 'short',
          kind: 'timeseries',
          queries: [{ expr: `max by (shard) (ringcast_redis_pipeline_depth{${S}})`, legend: '{{shard}}' }],
        },
      ],
    },
    {
      title: 'PUB/SUB',
      panels: [
        {
          title: 'PUB/SUB lag by shard (p50, p95, p99)',
          description: 'Time from a publication being stamped by the publishing node to its arrival over PUB/SUB, by shard.',
          unit: 's',
          kind: 'timeseries',
          queries: percentiles('ringcast_redis_pubsub_lag_seconds', S, 'shard'),
        },
        {
          title: 'PUB/SUB messages per second by shard',
          description: 'Messages the nodes receive over PUB/SUB from each shard (publications, joins/leaves, control).',
          unit: 'suffix:msg/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (shard) (rate(ringcast_redis_pubsub_messages_total{${S}}${RATE}))`, legend: '{{shard}}' }],
        },
        {
          title: 'Malformed PUB/SUB messages by shard',
          description: 'PUB/SUB messages skipped because they did not parse (another program writing to Ringcast’s channels).',
          unit: 'suffix:msg/s',
          kind: 'timeseries',
          queries: [{ expr: `sum by (shard) (rate(ringcast_redis_pubsub_malformed_total{${S}}${RATE}))`, legend: '{{shard}}' }],
        },
      ],
    },
  ],
};
