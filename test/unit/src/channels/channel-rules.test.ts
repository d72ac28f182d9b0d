import { describe, expect, it } from 'vitest';
import { channelNameValid, channelTooLong } from '../../../../src/channels/channel-name.js';
import { isPrivateChannel } from '../../../../src/channels/private-channel.js';
import { resolveNamespace } from '../../../../src/channels/resolve-namespace.js';
import { allowedUsers, isUserLimitedChannel, userAllowedInChannel } from '../../../../src/channels/user-limited-channel.js';
import { loadConfig } from '../../../../src/config/load-config.js';

const config = loadConfig({
  env: {},
  overrides: {
    'channel.without_namespace': { presence: true },
    'channel.history_meta_ttl': '48h',
    'channel.publication_data_format': 'json',
    'channel.namespaces': [
      { name: 'chat', allow_subscribe_for_client: true, history_size: 10, history_ttl: '60s', history_meta_ttl: '2h' },
      { name: 'ids', channel_regex: '^[0-9]+$', publication_data_format: 'binary' },
    ],
  },
}).config;

describe('resolveNamespace', () => {
  it('maps channels without a boundary to without_namespace', () => {
    const resolved = resolveNamespace(config, 'news');
    expect(resolved?.namespace).toBe('');
    expect(resolved?.rest).toBe('news');
    expect(resolved?.options.presence).toBe(true);
  });
  it('splits at the first boundary and returns effective options', () => {
    const resolved = resolveNamespace(config, 'chat:room:1');
    expect(resolved?.namespace).toBe('chat');
    expect(resolved?.rest).toBe('room:1');
    expect(resolved?.options.allow_subscribe_for_client).toBe(true);
    expect(resolved?.options.history_meta_ttl).toBe(2 * 3_600_000);
    expect(resolved?.options.publication_data_format).toBe('json');
    expect(resolveNamespace(config, 'ids:1')?.options.history_meta_ttl).toBe(48 * 3_600_000);
    expect(resolveNamespace(config, 'ids:1')?.options.publication_data_format).toBe('binary');
    expect(resolveNamespace(config, 'news')?.options.history_meta_ttl).toBe(48 * 3_600_000);
  });
  it('strips the private prefix before finding the namespace', () => {
    expect(resolveNamespace(config, '$chat:secret')?.namespace).toBe('chat');
    expect(resolveNamespace(config, '$chat:secret')?.rest).toBe('secret');
    expect(resolveNamespace(config, '$news')?.namespace).toBe('');
  });
  it('returns null for an unknown namespace (error 102)', () => {
    expect(resolveNamespace(config, 'nope:x')).toBeNull();
  });
  it('treats an empty namespace part as no namespace, as Centrifugo does', () => {
    expect(resolveNamespace(config, ':x')).toMatchObject({ namespace: '', rest: 'x' });
  });
  it('honours a custom boundary and an empty one', () => {
    const custom = loadConfig({ env: {}, overrides: { 'channel.namespace_boundary': '/', 'channel.namespaces': [{ name: 'chat' }] } }).config;
    expect(resolveNamespace(custom, 'chat/x')?.namespace).toBe('chat');
    expect(resolveNamespace(custom, 'chat:x')?.namespace).toBe('');
    const none = loadConfig({ env: {}, overrides: { 'channel.namespace_boundary': '' } }).config;
    expect(resolveNamespace(none, 'chat:x')?.namespace).toBe('');
  });
});

describe('private channels', () => {
  it('are the ones starting with the private prefix', () => {
    expect(isPrivateChannel(config, '$secret')).toBe(true);
    expect(isPrivateChannel(config, '$chat:room')).toBe(true);
    expect(isPrivateChannel(config, 'chat:$room')).toBe(false); // Centrifugo checks the start only
    expect(isPrivateChannel(config, 'public')).toBe(false);
    const off = loadConfig({ env: {}, overrides: { 'channel.private_prefix': '' } }).config;
    expect(isPrivateChannel(off, '$secret')).toBe(false);
  });
});

describe('user-limited channels', () => {
  it('list users after the last boundary, split by the separator', () => {
    expect(isUserLimitedChannel(config, 'dialog#42,43')).toBe(true);
    expect(isUserLimitedChannel(config, 'dialog')).toBe(false);
    expect(allowedUsers(config, 'chat:dialog#42,43')).toEqual(['42', '43']);
    expect(allowedUsers(config, 'a#b#42')).toEqual(['42']);
    expect(userAllowedInChannel(config, 'dialog#42,43', '43')).toBe(true);
    expect(userAllowedInChannel(config, 'dialog#42,43', '4')).toBe(false);
    expect(userAllowedInChannel(config, 'dialog#42,43', '')).toBe(false);
    expect(userAllowedInChannel(config, 'personal#', '')).toBe(true);
    expect(userAllowedInChannel(config, 'open', 'anyone')).toBe(true);
  });
  it('without a separator the whole tail is the one user', () => {
    const one = loadConfig({ env: {}, overrides: { 'channel.user_separator': '' } }).config;
    expect(userAllowedInChannel(one, 'dialog#42,43', '42,43')).toBe(true);
    expect(userAllowedInChannel(one, 'dialog#42,43', '42')).toBe(false);
  });
});

describe('channel names', () => {
  it('are limited to channel.max_length bytes', () => {
    expect(channelTooLong(config, 'a'.repeat(255))).toBe(false);
    expect(channelTooLong(config, 'a'.repeat(256))).toBe(true);
    expect(channelTooLong(config, 'é'.repeat(128))).toBe(true);
    const unlimited = loadConfig({ env: {}, overrides: { 'channel.max_length': 0 } }).config;
    expect(channelTooLong(unlimited, 'a'.repeat(10_000))).toBe(false);
  });
  it('must match channel_regex after the namespace, or be ASCII', () => {
    const ids = resolveNamespace(config, 'ids:123');
    expect(ids && channelNameValid('ids:123', ids)).toBe(true);
    const bad = resolveNamespace(config, 'ids:12a');
    expect(bad && channelNameValid('ids:12a', bad)).toBe(false);
    const plain = resolveNamespace(config, 'café');
    expect(plain && channelNameValid('café', plain)).toBe(false);
    expect(channelNameValid('cafe', resolveNamespace(config, 'cafe')!)).toBe(true);
  });
});
