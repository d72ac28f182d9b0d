import { callAdmin, callApi, describeError } from './admin-api.js';
import { field, h, replace, showOutcome, statusLine, table } from './dom.js';
import { json } from './format.js';
import { liveWatch } from './live-watch.js';
import type { ChannelsResult, ClientInfo, HistoryResult, PresenceResult, Publication } from './types.js';

/** One channel: where it lives, its subscribers, its history stream (paged by offset) and its presence. */
export function channelPage(main: HTMLElement, channel: string): () => void {
  const facts = h('dl', { class: 'facts', id: 'channel-facts' });
  const historyBox = h('div', { id: 'history' });
  const presenceBox = h('div', { id: 'presence' });
  const historyOutcome = statusLine();
  historyOutcome.id = 'history-outcome';

  const limit = h('input', { type: 'number', name: 'limit', min: 1, max: 1000, value: 20 });
  const sinceOffset = h('input', { type: 'number', name: 'since-offset', min: 0, placeholder: 'none' });
  const sinceEpoch = h('input', { type: 'text', name: 'since-epoch', placeholder: 'epoch of that offset' });
  const newestFirst = h('input', { type: 'checkbox', name: 'reverse', checked: true });
  const historyForm = h(
    'form',
    { 'aria-label': 'History' },
    h('div', { class: 'row' }, field('Publications', limit), field('Since offset (exclusive)', sinceOffset), field('Epoch', sinceEpoch)),
    h('div', { class: 'row' }, h('label', { class: 'check' }, newestFirst, ' Newest first'), h('button', { type: 'submit' }, 'Load history')),
  );
  historyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void loadHistory();
  });

  const removeOutcome = statusLine();
  const removeButton = h('button', { type: 'button', class: 'danger' }, 'Remove history');
  removeButton.addEventListener('click', () => {
    if (!window.confirm(`Remove the history of ${channel}?`)) return;
    void callApi('history_remove', { channel }).then((outcome) => {
      showOutcome(removeOutcome, outcome.ok, outcome.ok ? 'History removed.' : describeError(outcome.error));
      if (outcome.ok) void loadHistory();
    });
  });

  const presenceButton = h('button', { type: 'button' }, 'Refresh presence');
  presenceButton.addEventListener('click', () => void loadPresence());

  const stopLive = liveWatch(channel);
  replace(
    main,
    h('p', {}, h('a', { href: '#/channels' }, '← Channels')),
    h('h1', {}, 'Channel ', h('span', { class: 'channel-name', id: 'channel-name' }, channel)),
    facts,
    stopLive.element,
    h('section', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'History'), historyForm, historyOutcome, historyBox, removeButton, removeOutcome),
    h('section', { 'aria-labelledby': 'presence-title' }, h('h2', { id: 'presence-title' }, 'Presence'), presenceButton, presenceBox),
  );

  const loadFacts = async (): Promise<void> => {
    const [channels, placement] = await Promise.all([
      callApi<ChannelsResult>('channels', { pattern: channel }),
      callAdmin<{ shards?: Record<string, string> }>('place', { channels: [channel] }),
    ]);
    const subscribers = channels.ok ? String(channels.result.channels[channel]?.num_clients ?? 0) : describeError(channels.error);
    replace(
      facts,
      h('dt', {}, 'Subscribers (all nodes)'),
      h('dd', { id: 'subscriber-count' }, subscribers),
      h('dt', {}, 'Shard'),
      h('dd', { id: 'channel-shard' }, placement.shards?.[channel] ?? 'none (no Redis ring)'),
    );
  };

  const loadHistory = async (): Promise<void> => {
    const params: Record<string, unknown> = { channel, limit: Number(limit.value) || 20, reverse: newestFirst.checked };
    if (sinceOffset.value !== '') params['since'] = { offset: Number(sinceOffset.value), epoch: sinceEpoch.value };
    const outcome = await callApi<HistoryResult>('history', params);
    if (!outcome.ok) {
      const why = outcome.error.code === 108 ? 'History is not kept for this channel: its namespace has no history_size and history_ttl. ' : '';
      showOutcome(historyOutcome, false, `${why}(${describeError(outcome.error)})`);
      return replace(historyBox);
    }
    const { publications = [], offset = 0, epoch = '' } = outcome.result;
    showOutcome(historyOutcome, true, `Stream position: offset ${offset}, epoch ${epoch || '—'}. ${publications.length} publication(s) shown.`);
    if (sinceEpoch.value === '') sinceEpoch.value = epoch;
    replace(historyBox, historyTable(publications), pager(publications, epoch));
  };

  /** Older/newer pages: the next request starts after the last offset shown. */
  const pager = (publications: Publication[], epoch: string): HTMLElement | null => {
    const last = publications[publications.length - 1]?.offset;
    if (last === undefined) return null;
    const next = h('button', { type: 'button' }, newestFirst.checked ? 'Older' : 'Newer');
    next.addEventListener('click', () => {
      sinceOffset.value = String(last);
      sinceEpoch.value = epoch;
      void loadHistory();
    });
    return h('p', {}, next);
  };

  const loadPresence = async (): Promise<void> => {
    const [presence, stats] = await Promise.all([
      callApi<PresenceResult>('presence', { channel }),
      callApi<{ num_clients: number; num_users: number }>('presence_stats', { channel }),
    ]);
    if (!presence.ok) {
      const why = presence.error.code === 108 ? 'Presence is off for this channel’s namespace. ' : '';
      return replace(presenceBox, h('p', { class: 'failed' }, `${why}(${describeError(presence.error)})`));
    }
    const clients: ClientInfo[] = Object.values(presence.result.presence);
    replace(
      presenceBox,
      stats.ok ? h('p', { id: 'presence-stats' }, `${stats.result.num_clients} client(s), ${stats.result.num_users} user(s)`) : null,
      table(
        'Clients in presence',
        ['Client', 'User', 'Connection info', 'Channel info'],
        clients.map((c) => [h('code', {}, c.client), c.user ?? '', c.conn_info === undefined ? '' : json(c.conn_info), c.chan_info === undefined ? '' : json(c.chan_info)]),
        'Nobody is present in this channel.',
      ),
    );
  };

  void loadFacts();
  void loadHistory();
  void loadPresence();
  return () => stopLive.stop();
}

function historyTable(publications: Publication[]): HTMLElement {
  return table(
    'Publications',
    ['Offset', 'Data', 'Publisher', 'Tags'],
    publications.map((p) => [
      p.offset ?? '',
      h('pre', {}, json(p.data)),
      p.info ? `${p.info.user || '(anonymous)'} · ${p.info.client}` : '',
      p.tags ? json(p.tags) : '',
    ]),
    'No publications in the history (history may be off for this channel, or it expired).',
  );
}
