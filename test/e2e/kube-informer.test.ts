// The informer the operator and the nodes watch with, against the real API server and real faults: a resource
// version too old to watch from (410) leads to a relist, a watch that goes silent (a frozen connection) is dropped
// by the watchdog, and a cut connection is re-established; the cache ends up right every time.
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Informer, type RestartReason } from '../../src/kube/informer.js';
import { KubeClient } from '../../src/kube/kube-client.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { createTestNamespace, deleteTestNamespace } from '../helpers/kube-namespace.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { adminKubeConfig, etcdUrl } from '../helpers/kube-test-context.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const logger = pino({ level: process.env['RINGCAST_TEST_LOG'] ?? 'silent' });

describe('Informer against the real API server', () => {
  let admin: KubeConfig;
  let client: KubeClient;
  let namespace: string;
  let proxy: TcpProxy;
  let proxied: KubeClient;
  const informers: Informer<KubeObject>[] = [];

  beforeAll(async () => {
    admin = adminKubeConfig();
    client = new KubeClient(admin);
    namespace = await createTestNamespace(admin, 'informer');
    const server = new URL(client.server);
    proxy = await startTcpProxy(server.hostname, Number(server.port));
    const viaProxy = new KubeConfig();
    viaProxy.loadFromString(admin.exportConfig());
    const cluster = viaProxy.getCurrentCluster()!;
    viaProxy.clusters = viaProxy.clusters.map((c) => (c.name === cluster.name ? { ...c, server: `https://127.0.0.1:${proxy.port}` } : c));
    proxied = new KubeClient(viaProxy);
  });

  afterAll(async () => {
    await Promise.all(informers.map((informer) => informer.stop()));
    await proxy?.close();
    if (namespace) await deleteTestNamespace(admin, namespace);
  });

  const createConfigMap = (name: string) =>
    client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { informer: 'test' } }, data: { name } },
    });

  const track = (via: KubeClient, extra: Partial<ConstructorParameters<typeof Informer>[0]> = {}) => {
    const restarts: RestartReason[] = [];
    const added: string[] = [];
    const informer = new Informer<KubeObject>({
      client: via,
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      labelSelector: 'informer=test',
      logger,
      backoff: { initialMs: 100, maxMs: 1_000 },
      onRestart: (reason) => restarts.push(reason),
      ...extra,
    });
    informer.addHandlers({ onAdd: (obj) => added.push(obj.metadata.name) });
    informers.push(informer);
    informer.start();
    return { informer, restarts, added };
  };

  it('relists when the resource version it resumes from is too old (410)', async () => {
    // Events are watched straight from etcd (the API server keeps no watch cache for them), so once etcd has
    // compacted its history an old resource version is refused with 410 Expired.
    const eventsPath = `/apis/events.k8s.io/v1/namespaces/${namespace}/events`;
    const makeEvent = (name: string) =>
      client.request<KubeObject>('POST', eventsPath, {
        body: {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name },
          eventTime: new Date().toISOString().replace('Z', '000Z'),
          reportingController: 'ringcast.dev/e2e',
          reportingInstance: 'e2e',
          action: 'Test',
          reason: 'Test',
          type: 'Normal',
          regarding: { apiVersion: 'v1', kind: 'ConfigMap', name: 'anything', namespace },
        },
      });
    const old = await makeEvent('first');
    await makeEvent('second');
    // Compaction keeps the newest revision: one more write puts 'second' (the first after `old`) out of reach.
    await makeEvent('third');
    const range = (await (await fetch(`${etcdUrl()}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: 'AA==' }) })).json()) as {
      header: { revision: string };
    };
    const compacted = await fetch(`${etcdUrl()}/v3/kv/compaction`, {
      method: 'POST',
      body: JSON.stringify({ revision: range.header.revision, physical: true }),
    });
    expect(compacted.status).toBe(200);

    const { informer, restarts, added } = track(client, {
      path: eventsPath,
      labelSelector: undefined,
      initialResourceVersion: old.metadata.resourceVersion!,
    });
    await pollUntil(async () => (added.includes('second') ? true : undefined), { what: 'the relisted events', timeoutMs: 30_000 });
    expect(restarts).toContain('expired');
    expect(informer.get(namespace, 'first')).toBeDefined();
    await informer.stop();
  });

  it('drops a watch that went silent and relists, catching what changed meanwhile', async () => {
    const { informer, restarts, added } = track(proxied, { watchTimeoutSeconds: { min: 2, max: 2 }, watchdogGraceMs: 1_000 });
    await informer.waitForSync();
    await createConfigMap('seen-live');
    await pollUntil(async () => (added.includes('seen-live') ? true : undefined), { what: 'a live event', timeoutMs: 30_000 });
    proxy.freezeOpen();
    await createConfigMap('made-while-silent');
    await pollUntil(async () => (added.includes('made-while-silent') ? true : undefined), {
      what: 'the object made while the watch was silent',
      timeoutMs: 30_000,
    });
    expect(restarts).toContain('watchdog');
    await informer.stop();
  });

  it('re-establishes a cut watch connection', async () => {
    const { informer, restarts, added } = track(proxied);
    await informer.waitForSync();
    // An event seen live proves the watch's connection is open (counting accepted connections does not: a
    // kept-alive connection from an earlier request may carry the list), so the cut surely hits it.
    await createConfigMap('before-cut');
    await pollUntil(async () => (added.includes('before-cut') ? true : undefined), { what: 'the watch connected', timeoutMs: 30_000 });
    const restartsBeforeCut = restarts.length;
    proxy.cutOpen();
    await createConfigMap('after-cut');
    await pollUntil(async () => (added.includes('after-cut') ? true : undefined), { what: 'an event after the cut', timeoutMs: 30_000 });
    expect(restarts.slice(restartsBeforeCut).some((r) => r === 'watch-error' || r === 'closed')).toBe(true);
    await informer.stop();
  });
});
