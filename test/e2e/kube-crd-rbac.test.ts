// Against the real kube-apiserver started by kube-global-setup.ts: a CRD with a status subresource is
// applied and established, its custom resources are created, watched, validated and updated through
// @kubernetes/client-node, and a ServiceAccount token client gets exactly what its Role grants.
import {
  ApiextensionsV1Api,
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  Watch,
  setHeaderOptions,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { expectApiFailure } from '../helpers/kube-api-status.js';
import { createTestNamespace, deleteTestNamespace } from '../helpers/kube-namespace.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { mintServiceAccountKubeconfig } from '../helpers/kube-service-account.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';

const GROUP = 'test.ringcast.dev';
const VERSION = 'v1alpha1';
const PLURAL = 'widgets';
const CRD_NAME = `${PLURAL}.${GROUP}`;
const FIELD_MANAGER = 'ringcast-e2e';
const WAIT_MS = 30_000;

const widgetCrd: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: CRD_NAME },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: PLURAL, singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: { size: { type: 'integer', minimum: 1 }, color: { type: 'string' } },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

const widgetSchema = z.object({
  metadata: z.object({ name: z.string(), uid: z.string(), generation: z.number(), resourceVersion: z.string() }),
  spec: z.object({ size: z.number(), color: z.string().optional() }),
  status: z.object({ phase: z.string().optional() }).optional(),
});
type Widget = z.infer<typeof widgetSchema>;

const widgetListSchema = z.object({ metadata: z.object({ resourceVersion: z.string() }), items: z.array(widgetSchema) });

interface WatchEvent {
  readonly type: string;
  readonly widget: Widget;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function widget(name: string, size: number): object {
  return { apiVersion: `${GROUP}/${VERSION}`, kind: 'Widget', metadata: { name }, spec: { size, color: 'teal' } };
}

describe('CRD, custom resources and RBAC on a real kube-apiserver', () => {
  let admin: KubeConfig;
  let namespace: string;
  let customObjects: CustomObjectsApi;

  beforeAll(async () => {
    admin = adminKubeConfig();
    namespace = await createTestNamespace(admin, 'crd-rbac');
    customObjects = admin.makeApiClient(CustomObjectsApi);
    await KubernetesObjectApi.makeApiClient(admin).patch(
      widgetCrd,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    // The API only serves widgets once the CRD is Established.
    const extensions = admin.makeApiClient(ApiextensionsV1Api);
    await pollUntil(
      async () => {
        const crd = await extensions.readCustomResourceDefinition({ name: CRD_NAME });
        const established = crd.status?.conditions?.find((c) => c.type === 'Established');
        return established?.status === 'True' ? true : undefined;
      },
      { what: `CRD ${CRD_NAME} Established`, timeoutMs: WAIT_MS },
    );
    // Established means the API is registered; until its watch cache has initialised the server may
    // still answer 429 "storage is (re)initializing".
    await pollUntil(
      async () => customObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
      { what: `${PLURAL}.${GROUP} served`, timeoutMs: WAIT_MS },
    );
  });

  afterAll(async () => {
    if (namespace) await deleteTestNamespace(admin, namespace);
  });

  it('established the CRD with its names accepted and the status subresource', async () => {
    const crd = await admin.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: CRD_NAME });
    const conditions = Object.fromEntries((crd.status?.conditions ?? []).map((c) => [c.type, c.status]));
    expect(conditions).toMatchObject({ Established: 'True', NamesAccepted: 'True' });
    expect(crd.status?.acceptedNames?.kind).toBe('Widget');
    expect(crd.spec.versions[0]?.subresources?.status).toEqual({});
  });

  it('watch delivers ADDED, MODIFIED (status) and DELETED for a widget', async () => {
    const list = widgetListSchema.parse(
      await customObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
    );
    const events: WatchEvent[] = [];
    let watchError: unknown;
    const watch = await new Watch(admin).watch(
      `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`,
      { resourceVersion: list.metadata.resourceVersion },
      (type: string, object: unknown) => {
        const parsed = widgetSchema.safeParse(object);
        if (parsed.success) events.push({ type, widget: parsed.data });
      },
      (error: unknown) => {
        watchError = error;
      },
    );
    const nextEvent = (type: string, match: (w: Widget) => boolean = () => true): Promise<WatchEvent> =>
      pollUntil(
        async () => {
          if (watchError) throw new Error(`watch ended: ${String(watchError)}`);
          return events.find((e) => e.type === type && e.widget.metadata.name === 'gizmo' && match(e.widget));
        },
        { what: `${type} event for widget gizmo`, timeoutMs: WAIT_MS },
      );

    try {
      const created = widgetSchema.parse(
        await customObjects.createNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: PLURAL,
          body: widget('gizmo', 2),
        }),
      );
      const added = await nextEvent('ADDED');
      expect(added.widget.metadata.uid).toBe(created.metadata.uid);
      expect(added.widget.spec).toEqual({ size: 2, color: 'teal' });
      expect(added.widget.status).toBeUndefined();

      // Status is written through the /status subresource; that does not bump the generation.
      const withStatus = widgetSchema.parse(
        await customObjects.patchNamespacedCustomObjectStatus(
          { group: GROUP, version: VERSION, namespace, plural: PLURAL, name: 'gizmo', body: { status: { phase: 'Ready' } } },
          mergePatch,
        ),
      );
      expect(withStatus.status?.phase).toBe('Ready');
      expect(withStatus.metadata.generation).toBe(created.metadata.generation);
      const modified = await nextEvent('MODIFIED', (w) => w.status?.phase === 'Ready');
      expect(modified.widget.metadata.resourceVersion).toBe(withStatus.metadata.resourceVersion);

      // Through the main resource, spec changes (new generation) and status changes are dropped.
      const respecced = widgetSchema.parse(
        await customObjects.patchNamespacedCustomObject(
          {
            group: GROUP,
            version: VERSION,
            namespace,
            plural: PLURAL,
            name: 'gizmo',
            body: { spec: { size: 3 }, status: { phase: 'Overwritten' } },
          },
          mergePatch,
        ),
      );
      expect(respecced.spec.size).toBe(3);
      expect(respecced.status?.phase).toBe('Ready');
      expect(respecced.metadata.generation).toBe(created.metadata.generation + 1);
      await nextEvent('MODIFIED', (w) => w.spec.size === 3);

      await customObjects.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name: 'gizmo' });
      const deleted = await nextEvent('DELETED');
      expect(deleted.widget.metadata.uid).toBe(created.metadata.uid);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    } finally {
      watch.abort();
    }
  });

  it('rejects a widget that violates the CRD schema with 422', async () => {
    const code = await expectApiFailure(
      customObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, body: widget('tiny', 0) }),
    );
    expect(code).toBe(422);
  });

  it('gives a ServiceAccount token exactly what its Role allows', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'widget-reader' } } });
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'widget-reader' },
        rules: [{ apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'widget-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'widget-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'widget-reader', namespace }],
      },
    });
    await customObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, body: widget('visible', 1) });

    const { kubeConfig: reader } = await mintServiceAccountKubeconfig(admin, { namespace, serviceAccount: 'widget-reader' });
    const review = await reader.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(review.status?.userInfo?.username).toBe(`system:serviceaccount:${namespace}:widget-reader`);

    const readerObjects = reader.makeApiClient(CustomObjectsApi);
    // The authorizer sees new RBAC objects through an informer: allow it a moment to catch up.
    const list = await pollUntil(
      async () =>
        widgetListSchema.parse(
          await readerObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
        ),
      { what: 'widget-reader allowed to list widgets', timeoutMs: WAIT_MS },
    );
    expect(list.items.map((w) => w.metadata.name)).toEqual(['visible']);
    const got = widgetSchema.parse(
      await readerObjects.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name: 'visible' }),
    );
    expect(got.spec.size).toBe(1);

    // Not granted: writes, the status subresource, other namespaces, other resources.
    expect(
      await expectApiFailure(
        readerObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, body: widget('forbidden', 1) }),
      ),
    ).toBe(403);
    expect(
      await expectApiFailure(
        readerObjects.patchNamespacedCustomObjectStatus(
          { group: GROUP, version: VERSION, namespace, plural: PLURAL, name: 'visible', body: { status: { phase: 'Hijacked' } } },
          mergePatch,
        ),
      ),
    ).toBe(403);
    expect(
      await expectApiFailure(
        readerObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: PLURAL }),
      ),
    ).toBe(403);
    expect(await expectApiFailure(reader.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace }))).toBe(403);

    // And nothing was written by the denied calls.
    const after = widgetListSchema.parse(
      await customObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
    );
    expect(after.items.map((w) => [w.metadata.name, w.status?.phase])).toEqual([['visible', undefined]]);
  });
});
