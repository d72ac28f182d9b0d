import { callApi, describeError } from './admin-api.js';
import { field, h, replace, showOutcome, statusLine } from './dom.js';

/** One action form: labelled fields, a button, and a status line for what the node answered. */
function actionForm(
  id: string,
  title: string,
  fields: HTMLElement[],
  button: string,
  run: () => Promise<{ ok: boolean; text: string }>,
  danger = false,
): HTMLElement {
  const outcome = statusLine();
  outcome.id = `${id}-outcome`;
  const form = h('form', { id: `${id}-form`, 'aria-labelledby': `${id}-title` }, ...fields, h('button', { type: 'submit', class: danger ? 'danger' : undefined }, button), outcome);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showOutcome(outcome, true, 'Working…');
    run().then(
      (result) => showOutcome(outcome, result.ok, result.text),
      (err: unknown) => showOutcome(outcome, false, String(err)),
    );
  });
  return h('section', { class: 'card' }, h('h2', { id: `${id}-title` }, title), form);
}

const input = (name: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement =>
  h('input', { type: 'text', name, ...attrs });

/** Publish, disconnect a user, unsubscribe a user, remove history: each through the server API. */
export function actionsPage(main: HTMLElement, prefill: { channel?: string; user?: string }): () => void {
  const pubChannel = input('channel', { required: true, value: prefill.channel ?? '' });
  const pubData = h('textarea', { name: 'data', rows: 4, required: true }, '{"text": "hello"}');
  const publish = actionForm('publish', 'Publish', [field('Channel', pubChannel), field('Data (JSON)', pubData)], 'Publish', async () => {
    let data: unknown;
    try {
      data = JSON.parse(pubData.value);
    } catch {
      return { ok: false, text: 'Data must be JSON, e.g. {"text": "hello"}.' };
    }
    const outcome = await callApi<{ offset?: number; epoch?: string }>('publish', { channel: pubChannel.value, data });
    if (!outcome.ok) return { ok: false, text: describeError(outcome.error) };
    const position = outcome.result.offset ? ` at offset ${outcome.result.offset}, epoch ${outcome.result.epoch}` : '';
    return { ok: true, text: `Published to ${pubChannel.value}${position}.` };
  });

  const discUser = input('user', { required: true, value: prefill.user ?? '' });
  const discClient = input('client', { placeholder: 'all of the user’s connections' });
  const discCode = input('code', { type: 'number', min: 3000, max: 4999, placeholder: '3501 (force, no reconnect)' });
  const discReason = input('reason', { placeholder: 'force disconnect' });
  const disconnectForm = actionForm(
    'disconnect',
    'Disconnect a user',
    [field('User ID', discUser), field('Client ID (optional)', discClient), field('Disconnect code (optional)', discCode), field('Reason (optional)', discReason)],
    'Disconnect',
    async () => {
      const params: Record<string, unknown> = { user: discUser.value };
      if (discClient.value) params['client'] = discClient.value;
      if (discCode.value || discReason.value) {
        params['disconnect'] = { ...(discCode.value ? { code: Number(discCode.value) } : {}), ...(discReason.value ? { reason: discReason.value } : {}) };
      }
      const outcome = await callApi('disconnect', params);
      return outcome.ok ? { ok: true, text: `Disconnected ${discUser.value}.` } : { ok: false, text: describeError(outcome.error) };
    },
    true,
  );

  const unsubUser = input('user', { required: true, value: prefill.user ?? '' });
  const unsubChannel = input('channel', { required: true, value: prefill.channel ?? '' });
  const unsubscribeForm = actionForm(
    'unsubscribe',
    'Unsubscribe a user',
    [field('User ID', unsubUser), field('Channel', unsubChannel)],
    'Unsubscribe',
    async () => {
      const outcome = await callApi('unsubscribe', { user: unsubUser.value, channel: unsubChannel.value });
      return outcome.ok ? { ok: true, text: `Unsubscribed ${unsubUser.value} from ${unsubChannel.value}.` } : { ok: false, text: describeError(outcome.error) };
    },
  );

  const histChannel = input('channel', { required: true, value: prefill.channel ?? '' });
  const historyForm = actionForm('history-remove', 'Remove history', [field('Channel', histChannel)], 'Remove history', async () => {
    const outcome = await callApi('history_remove', { channel: histChannel.value });
    return outcome.ok ? { ok: true, text: `History of ${histChannel.value} removed.` } : { ok: false, text: describeError(outcome.error) };
  }, true);

  replace(main, h('h1', {}, 'Actions'), h('div', { class: 'cards' }, publish, disconnectForm, unsubscribeForm, historyForm));
  return () => {};
}
