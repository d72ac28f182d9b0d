import { Centrifuge, type PublicationContext } from 'centrifuge';
import { callAdmin } from './admin-api.js';
import { h, replace } from './dom.js';
import { json } from './format.js';

interface LiveToken {
  token?: string;
  websocket?: string;
  unavailable?: string;
}

/** Publications kept on screen. */
const keep = 50;

/**
 * Watches a channel live with the official centrifuge SDK: the node gives the page a short-lived connection token
 * for user `ringcast-admin` whose `channels` claim subscribes it to the channel (so it shows in presence while
 * watching). Off until the button is pressed.
 */
export function liveWatch(channel: string): { element: HTMLElement; stop(): void } {
  const list = h('ul', { class: 'live', id: 'live-publications', 'aria-live': 'polite' });
  const state = h('p', { id: 'live-state', role: 'status' }, 'Not watching.');
  const button = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Watch live');
  let client: Centrifuge | undefined;

  const stop = (): void => {
    client?.disconnect();
    client = undefined;
    button.textContent = 'Watch live';
    button.setAttribute('aria-pressed', 'false');
  };

  button.addEventListener('click', () => {
    if (client) {
      stop();
      state.textContent = 'Not watching.';
      return;
    }
    void (async () => {
      const answer = await callAdmin<LiveToken>('live-token', { channel });
      if (!answer.token || !answer.websocket) {
        state.textContent = answer.unavailable ?? 'Live view unavailable.';
        return;
      }
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      const watcher = new Centrifuge(`${scheme}://${window.location.host}${answer.websocket}`, {
        token: answer.token,
        // A fresh token for every reconnect (they are short-lived).
        getToken: async () => (await callAdmin<LiveToken>('live-token', { channel })).token ?? '',
      });
      client = watcher;
      button.textContent = 'Stop watching';
      button.setAttribute('aria-pressed', 'true');
      watcher.on('connecting', () => (state.textContent = 'Connecting…'));
      watcher.on('connected', () => (state.textContent = `Watching ${channel} live.`));
      watcher.on('disconnected', (ctx) => (state.textContent = `Disconnected (${ctx.code}: ${ctx.reason}).`));
      watcher.on('publication', (ctx: PublicationContext) => {
        if (ctx.channel !== channel) return;
        const item = h('li', {}, h('span', { class: 'meta' }, ctx.offset !== undefined ? `#${ctx.offset}` : 'live'), ' ', json(ctx.data));
        list.insertBefore(item, list.firstChild);
        while (list.children.length > keep) list.lastChild?.remove();
      });
      watcher.connect();
    })();
  });

  const element = h('section', { 'aria-labelledby': 'live-title' }, h('h2', { id: 'live-title' }, 'Live'), button, state, list);
  replace(list);
  return { element, stop };
}
