// The CRD YAML is the single source of the RealtimeCluster's shape: the TypeScript (zod) schemas the operator and
// the nodes parse with must describe exactly the same fields, types, bounds and defaults, and the channel options
// the CRD documents must be exactly those the node's config loader knows.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { channelNamespaceSchema, channelOptionsSchema, configSchema } from '../../../../src/config/config-schema.js';
import { realtimeClusterSpecSchema } from '../../../../src/kube/realtime-cluster-spec.js';
import { realtimeClusterStatusSchema } from '../../../../src/kube/realtime-cluster-status.js';
import { crdSchema, loadCrd, type JsonSchemaNode } from '../../../helpers/crd-file.js';

/** A schema reduced to what both sides can express, so the two can be compared with toEqual. */
interface Shape {
  kind: string;
  props?: Record<string, Shape>;
  required?: string[];
  items?: Shape;
  values?: Shape;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
}

const SAFE = Number.MAX_SAFE_INTEGER;

function bounds(node: JsonSchemaNode, shape: Shape): Shape {
  for (const key of ['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength'] as const) {
    const value = node[key];
    if (typeof value === 'number' && Math.abs(value) !== SAFE) shape[key] = value;
  }
  // A JavaScript RegExp's source escapes "/"; the CRD's pattern does not need to.
  if (typeof node['pattern'] === 'string') shape.pattern = node['pattern'].replaceAll('\\/', '/');
  if (Array.isArray(node['enum'])) shape.enum = node['enum'];
  if ('default' in node) shape.default = node['default'];
  return shape;
}

function child(node: JsonSchemaNode, key: string): JsonSchemaNode | undefined {
  const value = node[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchemaNode) : undefined;
}

/** The CRD's structural schema as a Shape. */
function crdShape(node: JsonSchemaNode): Shape {
  if (node['x-kubernetes-int-or-string'] === true) {
    const shape = bounds(node, { kind: 'int-or-string' });
    return shape;
  }
  const type = node['type'];
  if (type === 'object') {
    const properties = child(node, 'properties');
    const additional = child(node, 'additionalProperties');
    if (!properties && !additional) return bounds(node, { kind: 'open-object' });
    const shape: Shape = { kind: 'object' };
    if (properties) {
      shape.props = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, crdShape(v as JsonSchemaNode)]));
      shape.required = [...((node['required'] as string[] | undefined) ?? [])].sort();
    }
    if (additional) shape.values = crdShape(additional);
    return bounds(node, shape);
  }
  if (type === 'array') return bounds(node, { kind: 'array', items: crdShape(child(node, 'items') ?? {}) });
  return bounds(node, { kind: String(type) });
}

/** zod's JSON Schema (input side: defaults make a field optional) as a Shape. */
function zodShape(node: JsonSchemaNode): Shape {
  const anyOf = node['anyOf'];
  if (Array.isArray(anyOf)) {
    const types = anyOf.map((branch) => (branch as JsonSchemaNode)['type']).sort();
    if (types.join() === 'integer,string') {
      const stringBranch = anyOf.find((b) => (b as JsonSchemaNode)['type'] === 'string') as JsonSchemaNode;
      const shape = bounds(node, { kind: 'int-or-string' });
      if (typeof stringBranch['pattern'] === 'string') shape.pattern = stringBranch['pattern'].replaceAll('\\/', '/');
      return shape;
    }
    throw new Error(`unexpected anyOf ${JSON.stringify(anyOf)}`);
  }
  const type = node['type'];
  if (type === 'object') {
    const properties = child(node, 'properties');
    const additional = child(node, 'additionalProperties');
    if (!properties && (!additional || Object.keys(additional).length === 0)) return bounds(node, { kind: 'open-object' });
    const shape: Shape = { kind: 'object' };
    if (properties) {
      shape.props = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, zodShape(v as JsonSchemaNode)]));
      shape.required = [...((node['required'] as string[] | undefined) ?? [])].sort();
    }
    if (additional) shape.values = zodShape(additional);
    return bounds(node, shape);
  }
  if (type === 'array') return bounds(node, { kind: 'array', items: zodShape(child(node, 'items') ?? {}) });
  return bounds(node, { kind: String(type) });
}

function fromZod(schema: z.ZodType): Shape {
  return zodShape(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode);
}

const root = crdSchema();
const specNode = child(child(root, 'properties')!, 'spec')!;
const statusNode = child(child(root, 'properties')!, 'status')!;

describe('the RealtimeCluster CRD and the TypeScript schemas', () => {
  it('spec: same fields, types, bounds and defaults (spec.config compared with the node config below)', () => {
    const crd = crdShape(specNode);
    const ts = fromZod(realtimeClusterSpecSchema);
    // spec.config is open in TypeScript (the node's loader validates it); the CRD types parts of it.
    expect(crd.props?.['config']?.kind).toBe('object');
    expect(specNode['properties'] && child(child(specNode, 'properties')!, 'config')?.['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(ts.props?.['config']?.kind).toBe('open-object');
    delete crd.props!['config'];
    delete ts.props!['config'];
    expect(ts).toEqual(crd);
  });

  it('status: same fields, types and bounds', () => {
    expect(fromZod(realtimeClusterStatusSchema)).toEqual(crdShape(statusNode));
  });

  it('spec.config.channel documents exactly the channel options the node understands', () => {
    const channel = child(child(child(child(specNode, 'properties')!, 'config')!, 'properties')!, 'channel')!;
    const channelProps = child(channel, 'properties')!;
    const withoutNamespace = Object.keys(child(child(channelProps, 'without_namespace')!, 'properties')!).sort();
    const namespaceItem = child(child(channelProps, 'namespaces')!, 'items')!;
    expect(withoutNamespace).toEqual(Object.keys(channelOptionsSchema.shape).sort());
    expect(Object.keys(child(namespaceItem, 'properties')!).sort()).toEqual(Object.keys(channelNamespaceSchema.shape).sort());
    const nodeChannelKeys = Object.keys(configSchema.shape.channel.unwrap().shape).sort();
    expect(Object.keys(channelProps).sort()).toEqual(nodeChannelKeys);
  });

  it('every field under spec and status has a description (kubectl explain teaches the resource)', () => {
    const missing: string[] = [];
    const walk = (node: JsonSchemaNode, path: string): void => {
      if (typeof node['description'] !== 'string' || node['description'] === '') missing.push(path);
      const properties = child(node, 'properties');
      for (const [key, value] of Object.entries(properties ?? {})) walk(value as JsonSchemaNode, `${path}.${key}`);
      const items = child(node, 'items');
      if (items && child(items, 'properties')) {
        for (const [key, value] of Object.entries(child(items, 'properties')!)) walk(value as JsonSchemaNode, `${path}[].${key}`);
      }
    };
    walk(specNode, 'spec');
    walk(statusNode, 'status');
    expect(missing).toEqual([]);
  });

  it('has the names, subresources and printer columns the tools rely on', () => {
    const crd = loadCrd() as {
      spec: {
        group: string;
        names: { kind: string; shortNames: string[] };
        versions: { name: string; subresources: unknown; additionalPrinterColumns: { name: string }[] }[];
      };
    };
    expect(crd.spec.group).toBe('ringcast.dev');
    expect(crd.spec.names.kind).toBe('RealtimeCluster');
    expect(crd.spec.names.shortNames).toEqual(['rtc']);
    const version = crd.spec.versions[0]!;
    expect(version.name).toBe('v1alpha1');
    expect(version.subresources).toEqual({
      status: {},
      scale: {
        specReplicasPath: '.spec.nodes.replicas',
        statusReplicasPath: '.status.nodes.current',
        labelSelectorPath: '.status.selector',
      },
    });
    expect(version.additionalPrinterColumns.map((c) => c.name)).toEqual([
      'Nodes',
      'Desired',
      'Shards',
      'Connections',
      'Ring',
      'Ready',
      'Reason',
      'Age',
    ]);
  });
});
