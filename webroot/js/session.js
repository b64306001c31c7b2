// Who this page is signed in as: GET, POST and DELETE /api/session. The session itself is an
// HttpOnly cookie the page never sees; these calls are the only way to learn about it.

const JSON_HEADERS = { Accept: 'application/json' };

/**
 * {mode: 'open'|'users', user, kind, role, devices, tags}. Rejects when the hub does not answer
 * (down, restarting) or answers something else than 200.
 */
export async function whoAmI() {
  const r = await fetch('/api/session', { headers: JSON_HEADERS, cache: 'no-store' });
  if (!r.ok) throw httpError(r, await errorText(r));
  return r.json();
}

/** True when the hub asks for a sign-in and this page has none. */
export function needsSignIn(who) {
  return who.mode === 'users' && who.user == null;
}

/**
 * Signs in. Resolves to {ok: true, who} or {ok: false, status, error, retryAfter}; rejects only
 * when the hub cannot be reached.
 */
export async function signIn(user, password) {
  const r = await fetch('/api/session', {
    method: 'POST',
    headers: { ...JSON_HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
    cache: 'no-store',
  });
  if (r.ok) return { ok: true, who: await r.json() };
  const retry = Number(r.headers.get('Retry-After'));
  return { ok: false, status: r.status, error: await errorText(r), retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null };
}

/** Signs out; a hub that cannot be reached keeps the cookie, which then ends with its idle timeout. */
export async function signOut() {
  await fetch('/api/session', { method: 'DELETE', cache: 'no-store' });
}

/** The hub's own words for a refusal ({"error": ...}), else the status line. */
async function errorText(r) {
  try {
    const body = await r.json();
    if (body && typeof body.error === 'string' && body.error) return body.error;
  } catch (e) {
    /* not JSON (a proxy's page): the status says enough */
  }
  return `HTTP ${r.status}${r.statusText ? ' ' + r.statusText : ''}`;
}

function httpError(r, text) {
  const err = new Error(`/api/session: ${text}`);
  err.status = r.status;
  return err;
}
