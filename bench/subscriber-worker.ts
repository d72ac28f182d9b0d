// A worker process holding part of the subscribers (`--workers N`): the coordinator (worker-subscribers.ts)
// sends requests over the IPC channel and merges the answers. Not meant to be run by hand.
import { SubscriberPool } from './subscriber-pool.js';
import type { ClientSpec, PoolOptions } from './subscribers.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

let pool: SubscriberPool | undefined;

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.op) {
    case 'init':
      pool = new SubscriberPool(request.options as PoolOptions);
      return { id: request.id, op: 'init' };
    case 'add':
      await need().add(request.specs as ClientSpec[]);
      return { id: request.id, op: 'add' };
    case 'connect': {
      const r = await need().connect(request.from, request.to, request.timeoutMs);
      return { id: request.id, op: 'connect', result: r };
    }
    case 'sample': {
      const s = await need().sample(request.reset);
      const cpu = process.cpuUsage();
      return { id: request.id, op: 'sample', deliveries: s.deliveries, live: s.live, pings: s.pings, latency: s.latency.snapshot(), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    }
    case 'problems':
      return { id: request.id, op: 'problems', problems: await need().problems() };
    case 'close':
      await need().closeAll();
      return { id: request.id, op: 'close' };
    case 'drop':
      await need().dropAll();
      return { id: request.id, op: 'drop' };
    case 'recovery':
      return { id: request.id, op: 'recovery', counts: await need().recovery() };
  }
}

function need(): SubscriberPool {
  if (!pool) throw new Error('worker not initialised');
  return pool;
}

process.on('message', (message: WorkerRequest) => {
  handle(message).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ id: message.id, op: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
