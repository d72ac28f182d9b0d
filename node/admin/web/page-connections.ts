import { callApi, describeError } from './admin-api.js';
import { field, h, replace, table } from './dom.js';
import { time } from './format.js';
import { channelLink } from './page-channels.js';
import type { ConnectionReport } from './types.js';

const sourceNames: Record<number, string> = { 0: 'client', 1: 'connection token', 10: 'server-side' };

/** A user's connections on every node (the `connections` method, asked of all nodes through a survey). */
export function connectionsPage(main: HTMLElement, initialUser: string): () => void {
  const user = h('input', { type: 'search', name: 'user', value: initialUser, placeholder: 'user ID' });
  const results = h('div', { id: 'connection-results' });
  const form = h('form', { role: 'search', 'aria-label': 'Find connections' }, field('User ID', user), h('button', { type: 'submit' }, 'Find connections'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = `#/connections?user=${encodeURIComponent(user.value)}`;
  });
  replace(
    main,
    h('h1', {}, 'Connections'),
    h('p', { class: 'hint' }, 'Every connection of one user, on every node of the cluster. An empty user ID lists anonymous connections.'),
    form,
    results,
  );

  const load = async (): Promise<void> => {
    replace(results, 'Asking every node…');
    const outcome = await callApi<{ connections: Record<string, ConnectionReport> }>('connections', { user: user.value });
    if (!outcome.ok) return replace(results, h('p', { class: 'failed' }, describeError(outcome.error)));
    const entries = Object.entries(outcome.result.connections).sort(([, a], [, b]) => a.connected_at_ms - b.connected_at_ms);
    replace(
      results,
      table(
        `${entries.length} connection${entries.length === 1 ? '' : 's'} of ${user.value === '' ? 'anonymous users' : user.value}`,
        ['Client', 'Transport', 'App', 'Connected', 'Channels', ''],
        entries.map(([client, c]) => [
          h('code', {}, client),
          `${c.transport} (${c.protocol})`,
          [c.app_name, c.app_version].filter(Boolean).join(' ') || '—',
          time(c.connected_at_ms),
          h(
            'ul',
            { class: 'plain' },
            ...Object.entries(c.state.channels).map(([name, ctx]) => h('li', {}, channelLink(name), ` (${sourceNames[ctx.source] ?? ctx.source})`)),
          ),
          disconnectButton(c.user, client, load),
        ]),
        'No connections.',
      ),
    );
  };
  if (initialUser !== '' || window.location.hash.includes('user=')) void load();
  return () => {};
}

function disconnectButton(user: string, client: string, reload: () => Promise<void>): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'danger', 'aria-label': `Disconnect client ${client}` }, 'Disconnect');
  button.addEventListener('click', () => {
    void callApi('disconnect', { user, client }).then((outcome) => {
      if (!outcome.ok) button.textContent = describeError(outcome.error);
      else window.setTimeout(() => void reload(), 300);
    });
  });
  return button;
}
