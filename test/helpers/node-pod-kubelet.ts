// The process kubelet for a RealtimeCluster's node pods on the control-plane layer: once the operator made the
// node ServiceAccount, its pods run as `ringcast serve` processes with that account's credentials, each on the
// next loopback address of a block the test owns (so tests running at once never share an address).
import { mintServiceAccountKubeconfig } from './kube-service-account.js';
import { pollUntil } from './kube-poll.js';
import { WAIT_MS, type OperatorEnv } from './operator-env.js';
import { startProcessKubelet, type ProcessKubelet } from './process-kubelet.js';

/** Runs the node pods of RealtimeCluster `cluster` in `namespace`; pod addresses are `<ipBlock>.1`, `.2`, … */
export async function startNodePodKubelet(env: OperatorEnv, namespace: string, cluster: string, ipBlock: string): Promise<ProcessKubelet> {
  await pollUntil(async () => env.client.get(`/api/v1/namespaces/${namespace}/serviceaccounts/${cluster}-node`), {
    what: 'the node ServiceAccount',
    timeoutMs: WAIT_MS,
  });
  const { yaml } = await mintServiceAccountKubeconfig(env.admin, { namespace, serviceAccount: `${cluster}-node` });
  const ips = new Map<string, string>();
  return startProcessKubelet({
    client: env.client,
    namespace,
    labelSelector: `app.kubernetes.io/instance=${cluster},app.kubernetes.io/component=node`,
    serviceAccountKubeconfig: () => yaml,
    ipFor: (pod) => {
      let ip = ips.get(pod);
      if (!ip) ips.set(pod, (ip = `${ipBlock}.${ips.size + 1}`));
      return ip;
    },
  });
}
