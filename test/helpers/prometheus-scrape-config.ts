// The Prometheus scrape configuration the Prometheus Operator generates from a PodMonitor, for the subset of
// fields the chart uses (selector.matchLabels, namespaceSelector, one endpoint with port, path, interval, timeout
// and relabelings): the tests scrape the node pods through the chart's own PodMonitor without the operator.
import type { Manifest } from './helm.js';

interface PodMonitorSpec {
  selector: { matchLabels: Record<string, string> };
  namespaceSelector?: { any?: boolean; matchNames?: string[] };
  podMetricsEndpoints: {
    port: string;
    path?: string;
    interval?: string;
    scrapeTimeout?: string;
    relabelings?: { sourceLabels?: string[]; targetLabel?: string; regex?: string; replacement?: string; action?: string }[];
  }[];
}

/** Prometheus' label name sanitising for Kubernetes labels (app.kubernetes.io/name → app_kubernetes_io_name). */
const sanitize = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

export interface ScrapeOverrides {
  /**
   * The pod discovery for the monitor's namespaces: Prometheus' own `kubernetes_sd_configs` entry (role pod), or,
   * for a Prometheus built without it (Debian's), a `file_sd_configs` entry listing the pods with the same labels.
   */
  readonly discovery: (namespaces: readonly string[] | undefined) => { kind: 'kubernetes_sd_configs' | 'file_sd_configs'; config: Record<string, unknown> };
  /** Replaces the monitor's interval (tests scrape every second). */
  readonly interval?: string;
  /** Restricts discovery to these namespaces when the monitor selects any. */
  readonly namespaces?: readonly string[];
}

export function podMonitorScrapeConfigs(monitor: Manifest, overrides: ScrapeOverrides): Record<string, unknown>[] {
  const spec = monitor['spec'] as PodMonitorSpec;
  const namespace = monitor.metadata.namespace ?? 'default';
  const names = spec.namespaceSelector?.any ? overrides.namespaces : (spec.namespaceSelector?.matchNames ?? [namespace]);
  return spec.podMetricsEndpoints.map((endpoint, index) => {
    const interval = overrides.interval ?? endpoint.interval ?? '30s';
    const discovery = overrides.discovery(names);
    return {
      job_name: `podMonitor/${namespace}/${monitor.metadata.name}/${index}`,
      honor_labels: false,
      [discovery.kind]: [discovery.config],
      scrape_interval: interval,
      scrape_timeout: overrides.interval ?? endpoint.scrapeTimeout ?? interval,
      metrics_path: endpoint.path ?? '/metrics',
      relabel_configs: [
        { action: 'drop', source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)' },
        ...Object.entries(spec.selector.matchLabels).map(([label, value]) => ({
          action: 'keep',
          source_labels: [`__meta_kubernetes_pod_label_${sanitize(label)}`, `__meta_kubernetes_pod_labelpresent_${sanitize(label)}`],
          regex: `(${value});true`,
        })),
        { action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: endpoint.port },
        { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
        { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
        { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
        { target_label: 'job', replacement: `${namespace}/${monitor.metadata.name}` },
        { target_label: 'endpoint', replacement: endpoint.port },
        ...(endpoint.relabelings ?? []).map((r) => ({
          ...(r.action ? { action: r.action.toLowerCase() } : {}),
          ...(r.sourceLabels ? { source_labels: r.sourceLabels } : {}),
          ...(r.targetLabel ? { target_label: r.targetLabel } : {}),
          ...(r.regex ? { regex: r.regex } : {}),
          ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
        })),
      ],
    };
  });
}

interface ServiceMonitorSpec {
  endpoints: { port: string; path?: string; interval?: string; scrapeTimeout?: string }[];
}

interface ServiceSpec {
  selector: Record<string, string>;
  ports: { name: string; targetPort: string | number }[];
}

/**
 * A ServiceMonitor's scrape configuration from pod discovery: the pods behind `service` (by its selector) on the
 * container port its endpoint port targets, labelled as the Prometheus Operator labels endpoint targets
 * (namespace, service, pod, container, job = the Service's name, endpoint).
 */
export function serviceMonitorScrapeConfigs(monitor: Manifest, service: Manifest, overrides: ScrapeOverrides): Record<string, unknown>[] {
  const spec = monitor['spec'] as ServiceMonitorSpec;
  const svc = service['spec'] as ServiceSpec;
  const namespace = monitor.metadata.namespace ?? 'default';
  return spec.endpoints.map((endpoint, index) => {
    const interval = overrides.interval ?? endpoint.interval ?? '30s';
    const targetPort = svc.ports.find((p) => p.name === endpoint.port)?.targetPort ?? endpoint.port;
    const discovery = overrides.discovery([service.metadata.namespace ?? namespace]);
    return {
      job_name: `serviceMonitor/${namespace}/${monitor.metadata.name}/${index}`,
      honor_labels: false,
      [discovery.kind]: [discovery.config],
      scrape_interval: interval,
      scrape_timeout: overrides.interval ?? endpoint.scrapeTimeout ?? interval,
      metrics_path: endpoint.path ?? '/metrics',
      relabel_configs: [
        { action: 'keep', source_labels: ['__meta_kubernetes_pod_ready'], regex: 'true' },
        ...Object.entries(svc.selector).map(([label, value]) => ({
          action: 'keep',
          source_labels: [`__meta_kubernetes_pod_label_${sanitize(label)}`],
          regex: value,
        })),
        {
          action: 'keep',
          source_labels: [typeof targetPort === 'number' ? '__meta_kubernetes_pod_container_port_number' : '__meta_kubernetes_pod_container_port_name'],
          regex: String(targetPort),
        },
        { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
        { target_label: 'service', replacement: service.metadata.name },
        { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
        { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
        { target_label: 'job', replacement: service.metadata.name },
        { target_label: 'endpoint', replacement: endpoint.port },
      ],
    };
  });
}
