import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { chartDir, findManifest, helm, renderChart, type Manifest } from '../../helpers/helm.js';
import { operatorClusterRules, operatorLeaseRules } from '../../helpers/operator-rbac.js';

// The chart through the real helm (v3.20, from the kube-tools cache): lint, template with the default and the
// full-featured values, and the schema refusing bad values with a message that names the key.
const fullValues = join(chartDir, 'values-full.yaml');

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const spec = <T>(m: Manifest): T => m['spec'] as T;

describe('helm lint', () => {
  it.each([
    ['the default values', []],
    ['the full-featured values', ['-f', fullValues]],
  ])('passes --strict with %s', async (_name, args) => {
    const result = await helm(['lint', chartDir, '--strict', ...args]);
    expect(result.stdout + result.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  });
});

describe('helm template with the default values', () => {
  it('renders the operator with exactly the permissions its tests grant, a Lease, and a RealtimeCluster', async () => {
    const manifests = await renderChart('rc', 'realtime');
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ClusterRole/realtime-rc-ringcast-operator',
      'ClusterRoleBinding/realtime-rc-ringcast-operator',
      'Deployment/rc-ringcast-operator',
      'Lease/rc-ringcast-operator',
      'Pod/rc-ringcast-test-roundtrip',
      'RealtimeCluster/rc',
      'Role/rc-ringcast-operator-lease',
      'RoleBinding/rc-ringcast-operator-lease',
      'ServiceAccount/rc-ringcast-operator',
    ]);
    // The CRD is not a template: helm installs crds/ before the templates (helm template --include-crds shows it).
    const clusterRole = findManifest(manifests, 'ClusterRole');
    expect(clusterRole['rules'] as Rule[]).toEqual(operatorClusterRules);
    expect(findManifest(manifests, 'Role')['rules'] as Rule[]).toEqual(operatorLeaseRules);
    const binding = findManifest(manifests, 'ClusterRoleBinding');
    expect(binding['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'rc-ringcast-operator', namespace: 'realtime' }]);

    const deployment = findManifest(manifests, 'Deployment');
    const pod = spec<{ template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } }>(deployment).template.spec;
    expect(pod['serviceAccountName']).toBe('rc-ringcast-operator');
    const container = pod.containers[0] as { image: string; args: string[]; securityContext: unknown };
    expect(container.image).toBe('ghcr.io/ringcast/ringcast:0.1.0');
    expect(container.args).toEqual(expect.arrayContaining(['operator', '--node-image=ghcr.io/ringcast/ringcast:0.1.0', '--lease-name=rc-ringcast-operator', '--identity=$(POD_NAME)']));
    expect(container.args.some((a) => a.startsWith('--namespace'))).toBe(false);
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });

    expect(spec(findManifest(manifests, 'RealtimeCluster'))).toEqual({ nodes: { replicas: 2 }, redis: { managed: { shards: 1 } } });
  });

  it('renders the helm test pod with the cluster Service and the generated credentials', async () => {
    const manifests = await renderChart('rc', 'realtime', ['--show-only', 'templates/tests/roundtrip-pod.yaml']);
    const pod = findManifest(manifests, 'Pod', 'rc-ringcast-test-roundtrip');
    expect(pod.metadata.annotations?.['helm.sh/hook']).toBe('test');
    const container = spec<{ containers: { image: string; args: string[]; env: unknown[] }[] }>(pod).containers[0];
    expect(container?.image).toBe('ghcr.io/ringcast/ringcast:0.1.0');
    expect(container?.args).toEqual(['roundtrip', '--url=http://rc.realtime.svc:8000', '--channel=ringcast-helm-test', '--timeout=60s']);
    expect(container?.env).toEqual([
      { name: 'RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'rc-credentials', key: 'token-hmac-secret-key' } } },
      { name: 'RINGCAST_HTTP_API_KEY', valueFrom: { secretKeyRef: { name: 'rc-credentials', key: 'api-key' } } },
    ]);
  });
});

describe('helm template with the full-featured values', () => {
  it('renders monitors, dashboards, the adapter rule and a test pod that follows spec.secrets and the service port', async () => {
    const manifests = await renderChart('rc', 'realtime', ['-f', fullValues]);
    const kinds = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'PodMonitor/rc-ringcast-nodes',
        'ServiceMonitor/rc-ringcast-operator',
        'Service/rc-ringcast-operator-metrics',
        'ConfigMap/rc-ringcast-prometheus-adapter',
        'ConfigMap/rc-ringcast-dashboard-cluster-overview',
        'ConfigMap/rc-ringcast-dashboard-redis-ring',
        'ConfigMap/rc-ringcast-dashboard-operator',
        'RealtimeCluster/chat',
      ]),
    );
    for (const name of ['cluster-overview', 'redis-ring', 'operator']) {
      const configMap = findManifest(manifests, 'ConfigMap', `rc-ringcast-dashboard-${name}`);
      expect(configMap.metadata.namespace).toBe('monitoring');
      expect(configMap.metadata.labels?.['grafana_dashboard']).toBe('1');
      expect(configMap.metadata.annotations).toEqual({ grafana_folder: 'Ringcast' });
      const data = (configMap['data'] as Record<string, string>)[`${name}.json`] ?? '';
      expect(JSON.parse(data)).toEqual(JSON.parse(readFileSync(join(chartDir, 'dashboards', `${name}.json`), 'utf8')));
    }
    const adapter = parse((findManifest(manifests, 'ConfigMap', 'rc-ringcast-prometheus-adapter')['data'] as Record<string, string>)['config.yaml'] ?? '');
    expect(adapter).toEqual({
      rules: [
        {
          seriesQuery: 'ringcast_node_connections{namespace!="",pod!=""}',
          resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
          name: { matches: '^ringcast_node_connections$', as: 'ringcast_node_connections' },
          metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
        },
      ],
    });
    const podMonitor = spec<{ namespaceSelector: unknown; selector: unknown; podMetricsEndpoints: { port: string; interval: string }[] }>(findManifest(manifests, 'PodMonitor'));
    expect(podMonitor.namespaceSelector).toEqual({ any: true });
    expect(podMonitor.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'ringcast', 'app.kubernetes.io/component': 'node', 'app.kubernetes.io/managed-by': 'ringcast-operator' } });
    expect(podMonitor.podMetricsEndpoints[0]).toMatchObject({ port: 'http', interval: '15s' });
    expect(findManifest(manifests, 'PodMonitor').metadata.labels?.['release']).toBe('prometheus');

    const deployment = findManifest(manifests, 'Deployment');
    const pod = spec<{ replicas: number; template: { spec: { containers: { image: string; args: string[] }[]; imagePullSecrets: unknown } } }>(deployment);
    expect(pod.replicas).toBe(2);
    expect(pod.template.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
    expect(pod.template.spec.containers[0]?.args).toEqual(expect.arrayContaining(['--lease-duration=20s', '--watch-timeout', '2m', '--log-level=debug']));

    const test = await renderChart('rc', 'realtime', ['-f', fullValues, '--set', 'cluster.spec.secrets.apiKey.name=app-keys', '--set', 'cluster.spec.secrets.apiKey.key=api', '--show-only', 'templates/tests/roundtrip-pod.yaml']);
    const container = spec<{ containers: { args: string[]; env: unknown[] }[] }>(findManifest(test, 'Pod')).containers[0];
    expect(container?.args).toContain('--url=http://chat.realtime.svc:8080');
    expect(container?.env).toContainEqual({ name: 'RINGCAST_HTTP_API_KEY', valueFrom: { secretKeyRef: { name: 'app-keys', key: 'api' } } });
    expect(container?.env).toContainEqual({ name: 'RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'chat-credentials', key: 'token-hmac-secret-key' } } });
  });

  it('scopes the operator to one namespace with a Role instead of a ClusterRole', async () => {
    const manifests = await renderChart('rc', 'ops', ['--set', 'operator.watchNamespace=apps', '-f', fullValues]);
    expect(manifests.some((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toBe(false);
    const role = findManifest(manifests, 'Role', 'rc-ringcast-operator');
    expect(role.metadata.namespace).toBe('apps');
    expect(role['rules']).toEqual(operatorClusterRules);
    expect(findManifest(manifests, 'RoleBinding', 'rc-ringcast-operator')['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'rc-ringcast-operator', namespace: 'ops' }]);
    const args = spec<{ template: { spec: { containers: { args: string[] }[] } } }>(findManifest(manifests, 'Deployment')).template.spec.containers[0]?.args;
    expect(args).toContain('--namespace=apps');
    expect(spec<{ namespaceSelector: unknown }>(findManifest(manifests, 'PodMonitor')).namespaceSelector).toEqual({ matchNames: ['apps'] });
  });
});

describe('values.schema.json', () => {
  it.each([
    [['--set', 'operator.replicas=two'], "at '/operator/replicas': got string, want integer"],
    [['--set', 'cluster.enabled=yes'], "at '/cluster/enabled': got string, want boolean"],
    [['--set', 'operator.replica=2'], "additional properties 'replica' not allowed"],
    [['--set', 'operator.logLevel=verbose'], "at '/operator/logLevel'"],
    [['--set', 'operator.resync=5 minutes'], "at '/operator/resync'"],
    [['--set', 'image.pullPolicy=Sometimes'], "at '/image/pullPolicy'"],
    [['--set-json', 'cluster.spec=[1]'], "at '/cluster/spec': got array, want object"],
  ])('refuses %j with a message naming the key', async (args, message) => {
    for (const command of [['template', 'rc', chartDir], ['lint', chartDir]]) {
      const result = await helm([...command, ...args]);
      expect(result.code, `${command[0]} ${args.join(' ')}`).not.toBe(0);
      expect(result.stdout + result.stderr).toContain(message);
    }
  });

  it('refuses a RealtimeCluster name the CRD would refuse, before anything is installed', async () => {
    const result = await helm(['template', 'Release_1', chartDir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/RealtimeCluster name|invalid release name/);
    const long = await helm(['template', 'rc', chartDir, '--set', 'cluster.name=a-realtime-cluster-with-a-rather-long-descriptive-name']);
    expect(long.stderr).toContain("at '/cluster/name'");
  });
});
