/** Where RealtimeClusters live in the Kubernetes API (crds/realtimeclusters.ringcast.dev.yaml). */
export const RTC_GROUP = 'ringcast.dev';
export const RTC_VERSION = 'v1alpha1';
export const RTC_API_VERSION = `${RTC_GROUP}/${RTC_VERSION}`;
export const RTC_KIND = 'RealtimeCluster';
export const RTC_PLURAL = 'realtimeclusters';

/** The collection path of RealtimeClusters, in one namespace or (namespace undefined) in all of them. */
export function realtimeClustersPath(namespace?: string): string {
  return namespace === undefined
    ? `/apis/${RTC_GROUP}/${RTC_VERSION}/${RTC_PLURAL}`
    : `/apis/${RTC_GROUP}/${RTC_VERSION}/namespaces/${encodeURIComponent(namespace)}/${RTC_PLURAL}`;
}
