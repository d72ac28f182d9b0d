import { logout } from './admin-api.js';
import { h, replace } from './dom.js';
import { actionsPage } from './page-actions.js';
import { channelPage } from './page-channel.js';
import { channelsPage } from './page-channels.js';
import { clusterPage } from './page-cluster.js';
import { connectionsPage } from './page-connections.js';

// The admin UI: one page, routed by the URL hash (#/cluster, #/channels, #/channels/<name>, #/actions,
// #/connections). Each page returns a function that stops its timers and connections when leaving it.

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
let leave: () => void = () => {};

function route(): void {
  leave();
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const [first, ...rest] = path.split('/');
  const section = first || 'cluster';
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset['section'] === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (section === 'channels' && rest.length > 0) {
    const channel = decodeURIComponent(rest.join('/'));
    document.title = `${channel} · Ringcast admin`;
    leave = channelPage(main, channel);
  } else if (section === 'channels') {
    document.title = 'Channels · Ringcast admin';
    leave = channelsPage(main, params.get('pattern') ?? '');
  } else if (section === 'actions') {
    document.title = 'Actions · Ringcast admin';
    leave = actionsPage(main, { channel: params.get('channel') ?? undefined, user: params.get('user') ?? undefined });
  } else if (section === 'connections') {
    document.title = 'Connections · Ringcast admin';
    leave = connectionsPage(main, params.get('user') ?? '');
  } else {
    document.title = 'Cluster · Ringcast admin';
    leave = clusterPage(main);
  }
  main.focus({ preventScroll: true });
}

const logoutButton = document.getElementById('logout');
logoutButton?.addEventListener('click', () => void logout());
if (document.body.dataset['insecure'] === 'true') logoutButton?.remove();
window.addEventListener('hashchange', route);
replace(main, h('p', {}, 'Loading…'));
route();
