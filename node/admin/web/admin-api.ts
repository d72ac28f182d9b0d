// Calls from the page to this node's admin endpoints. Every call carries the admin header (a cross-site form cannot
// send it) and goes same-origin with the session cookie; a lost session sends the browser to the login page.

export interface ApiError {
  code: number;
  message: string;
}

export type ApiOutcome<T> = { ok: true; result: T } | { ok: false; error: ApiError };

async function post(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Ringcast-Admin': '1' },
    body: JSON.stringify(body),
  });
  if (response.status === 401) {
    window.location.assign('login');
    throw new Error('the admin session ended; log in again');
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** A server API method, run by the node exactly as `POST /api/<method>` runs it. */
export async function callApi<T>(method: string, params: Record<string, unknown>): Promise<ApiOutcome<T>> {
  const answer = (await post(`api/${method}`, params)) as { result?: T; error?: ApiError };
  if (answer.error) return { ok: false, error: answer.error };
  return { ok: true, result: answer.result as T };
}

/** An admin-only read (the ring, channel placement, a live-view token). */
export async function callAdmin<T>(name: string, body: Record<string, unknown> = {}): Promise<T> {
  return (await post(`x/${name}`, body)) as T;
}

export function describeError(error: ApiError): string {
  return `error ${error.code}: ${error.message}`;
}

export async function logout(): Promise<void> {
  await fetch('logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-Ringcast-Admin': '1' } });
  window.location.assign('login');
}
