import { callAdmin, callApi, describeError } from './admin-api.js';
import { field, h, replace, table } from './dom.js';
import type { ChannelsResult } from './types.js';

/** How many channels the page lists at most (the search narrows it down). */
const shownAtMost = 500;

export function channelLink(channel: string): HTMLAnchorElement {
  return h('a', { href: `#/channels/${encodeURIComponent(channel)}` }, channel);
}

/** Channels with subscribers anywhere in the cluster (the `channels` survey), their subscriber counts and shards. */
export function channelsPage(main: HTMLElement, initialPattern: string): () => void {
  const pattern = h('input', { type: 'search', name: 'pattern', placeholder: 'e.g. chat:* (empty: all)', value: initialPattern });
  const results = h('div', { id: 'channel-results' });
  const form = h(
    'form',
    { role: 'search', 'aria-label': 'Search channels' },
    field('Channel pattern', pattern),
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = `#/channels?pattern=${encodeURIComponent(pattern.value)}`;
    void search();
  });
  replace(
    main,
    h('h1', {}, 'Channels'),
    h('p', { class: 'hint' }, 'Channels with at least one subscriber on any node. Patterns: * matches any run of characters, ? one character.'),
    form,
    results,
  );

  const search = async (): Promise<void> => {
    replace(results, 'Searching…');
    const outcome = await callApi<ChannelsResult>('channels', { pattern: pattern.value });
    if (!outcome.ok) return replace(results, h('p', { class: 'failed' }, describeError(outcome.error)));
    const names = Object.keys(outcome.result.channels).sort();
    const shown = names.slice(0, shownAtMost);
    const placement = await callAdmin<{ shards?: Record<string, string> }>('place', { channels: shown });
    replace(
      results,
      table(
        names.length > shown.length ? `${shown.length} of ${names.length} channels` : `${names.length} channel${names.length === 1 ? '' : 's'}`,
        ['Channel', 'Subscribers', 'Shard'],
        shown.map((name) => [channelLink(name), outcome.result.channels[name]?.num_clients ?? 0, placement.shards?.[name] ?? '—']),
        'No channel with subscribers matches.',
      ),
    );
  };
  void search();
  return () => {};
}
