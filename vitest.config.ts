import { defineConfig } from 'vitest/config';

// One project per test layer so the Kubernetes control plane (e2e) starts only when its tests run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/contracts/**/*.test.ts'],
          // Deadlines, not speed checks: a loaded 2-core CI machine runs every project at once.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/kube-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Real pods (kubelet, containerd, the project's images) on the cluster RINGCAST_E2E_PROVIDER names:
        // `local` (default; namespaced, needs root) or `kind`. `make e2e` / `make e2e-kind`.
        test: {
          name: 'pods',
          include: ['test/e2e-pods/**/*.test.ts'],
          globalSetup: ['test/cluster/pods-global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
