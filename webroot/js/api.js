// The hub's REST API (same origin).

let onUnauthorized = null;

/**
 * fn() when a call answers 401: the session ended (expired, signed out elsewhere, user removed),
 * so the page signs in again rather than showing one error per panel.
 */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

async function get(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (r.status === 401 && onUnauthorized) onUnauthorized();
  if (!r.ok) {
    const err = new Error(`${path}: HTTP ${r.status}`);
    err.status = r.status;
    throw err;
  }
  return r.json();
}

const enc = encodeURIComponent;

export const api = {
  devices: () => get('/api/devices'),
  device: (id) => get(`/api/devices/${enc(id)}`),
  deviceHistory: (id, seconds) => get(`/api/devices/${enc(id)}/history?seconds=${Math.ceil(seconds)}`),
  interfaceHistory: (id, ifIndex, seconds) =>
    get(`/api/devices/${enc(id)}/interfaces/${enc(ifIndex)}/history?seconds=${Math.ceil(seconds)}`),
  alerts: () => get('/api/alerts'),
};

export const addresses = {
  traffic: (id) => `ifpulse.traffic.${id}`,
  status: (id) => `ifpulse.status.${id}`,
  alerts: 'ifpulse.alerts',
  interest: 'ifpulse.interest',
};
