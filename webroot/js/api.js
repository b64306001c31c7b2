// The hub's REST API (same origin), and what the dashboard relies on of its event bus
// (docs/EVENTS.md): this module is the only place in webroot that spells an address or a field
// of a traffic sample. DashboardContractTest (Java, unit tier) holds both to io.ifpulse.events.

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
  /** The interface groups the account may see: {groups: [{name, rules, devices}]}. */
  groups: () => get('/api/groups'),
  group: (name) => get(`/api/groups/${enc(name)}`),
  /** The group's last seconds with each member's part: {group, members: [{device, ifIndex, name}], points: [[ts, in, out, [in…], [out…]]]}. */
  groupHistory: (name, seconds) => get(`/api/groups/${enc(name)}/history?seconds=${Math.ceil(seconds)}&members=true`),
  summary: () => get('/api/summary'),
  /** Ids of the devices whose id, host, a tag, or an interface name or alias contains q (1..100 chars). */
  summarySearch: (q) => get(`/api/summary/search?q=${enc(q)}`),
};

/** The longest text the hub searches for (GET /api/summary/search answers 400 beyond it). */
export const SEARCH_MAX = 100;

export const addresses = {
  traffic: (id) => `ifpulse.traffic.${id}`,
  status: (id) => `ifpulse.status.${id}`,
  traps: (id) => `ifpulse.traps.${id}`,
  alerts: 'ifpulse.alerts',
  interest: 'ifpulse.interest',
  summary: 'ifpulse.summary',
  group: (name) => `ifpulse.group.${name}`,
};

/** The one message a browser may send (to addresses.interest): this page shows device `id`. */
export const watchMessage = (id) => ({ type: 'watch', device: id });

/** The same for an interface group: its member devices are polled at their live interval while it shows. */
export const groupWatchMessage = (name) => ({ type: 'watch', group: name });

/** The `state` of a sample's interface. */
export const states = Object.freeze({ ok: 'ok', held: 'held', gap: 'gap' });

// The fields the dashboard reads, by the name it reads them under (left) and the name in the
// message (right): were a field renamed on the bus, only the right-hand side would change here.
const SAMPLE_FIELDS = Object.freeze({
  device: 'device', seq: 'seq', ts: 'ts', intervalMs: 'intervalMs', reachable: 'reachable',
});
const INTERFACE_FIELDS = Object.freeze({
  ifIndex: 'ifIndex', name: 'name', oper: 'oper', speedBps: 'speedBps', state: 'state', gap: 'gap',
  intervalMs: 'intervalMs',
  inBps: 'inBps', outBps: 'outBps', inPps: 'inPps', outPps: 'outPps', inErrors: 'inErrors', outErrors: 'outErrors',
  inDiscards: 'inDiscards', outDiscards: 'outDiscards', inUtil: 'inUtil', outUtil: 'outUtil',
});
const INTERFACES = 'interfaces';

function pick(message, fields) {
  const out = {};
  for (const [own, wire] of Object.entries(fields)) {
    // Absent stays absent: the hub leaves out what it does not know, and so does the page.
    if (message[wire] !== undefined) out[own] = message[wire];
  }
  return out;
}

/** One interface's entry of a traffic sample (or the `rate` of GET /api/devices/{id}), as the views read it. */
export function readInterface(entry) {
  return entry == null ? entry : pick(entry, INTERFACE_FIELDS);
}

/** A message of addresses.traffic(id), as the views read it. */
export function readSample(message) {
  const s = pick(message, SAMPLE_FIELDS);
  s.interfaces = (message[INTERFACES] || []).map(readInterface);
  return s;
}

/** fn(sample) for every traffic sample of device `id`; returns the function that stops it. */
export function onTraffic(bus, id, fn) {
  return bus.register(addresses.traffic(id), (m) => fn(readSample(m)));
}

/** The fields of a notification (docs/EVENTS.md, ifpulse.traps.<id>) the device page shows. */
const NOTIFICATION_FIELDS = Object.freeze({
  ts: 'ts',
  source: 'source',
  version: 'version',
  pdu: 'pdu',
  name: 'name',
  ifIndex: 'ifIndex',
  oper: 'oper',
});

/** fn(notification) for every SNMP notification of device `id`; returns the function that stops it. */
export function onNotifications(bus, id, fn) {
  return bus.register(addresses.traps(id), (m) => fn(pick(m, NOTIFICATION_FIELDS)));
}

/** The status events that carry one interface's new state (link-down, link-up), and its fields. */
export const linkEvents = Object.freeze({ down: 'link-down', up: 'link-up' });
export function readLinkChange(status) {
  return { ifIndex: status.ifIndex, ifName: status.ifName, oper: status.oper };
}

/**
 * Whether a sample's interval is the device's live one (a watcher has it polled faster than its
 * base interval); `device` is the REST API's entry, with liveIntervalMs and baseIntervalMs. The
 * hub's `live` says the same (DeviceConfig.isLive).
 */
export function isLive(intervalMs, device) {
  return intervalMs != null && device.liveIntervalMs != null && intervalMs === device.liveIntervalMs
    && device.liveIntervalMs < (device.baseIntervalMs ?? Infinity);
}

// ------------------------------------------------------------------ interface groups
// Messages of addresses.group(name): docs/EVENTS.md, "ifpulse.group.<name>".

const GROUP_FIELDS = Object.freeze({
  group: 'group', seq: 'seq', ts: 'ts', windowMs: 'windowMs', members: 'members', partial: 'partial',
  missingCount: 'missingCount', missing: 'missing', inBps: 'inBps', outBps: 'outBps', speedBps: 'speedBps',
  inUtil: 'inUtil', outUtil: 'outUtil',
});
const GROUP_MEMBER_FIELDS = Object.freeze({ device: 'device', ifIndex: 'ifIndex', name: 'name', inBps: 'inBps', outBps: 'outBps' });
const GROUP_STACK = 'stack';

/** A group sample as the group page reads it; `stack` holds each counted member's part. */
export function readGroupSample(message) {
  const s = pick(message, GROUP_FIELDS);
  s.stack = (message[GROUP_STACK] || []).map((m) => pick(m, GROUP_MEMBER_FIELDS));
  return s;
}

/** fn(sample) for every sample of group `name`; returns the function that stops it. */
export function onGroup(bus, name, fn) {
  return bus.register(addresses.group(name), (m) => fn(readGroupSample(m)));
}

// ------------------------------------------------------------------ the fleet summary
// GET /api/summary (a snapshot) and the messages of addresses.summary (deltas): see docs/EVENTS.md.

/** A device's `state` in the summary. */
export const deviceStates = Object.freeze({
  up: 'up', unreachable: 'unreachable', noData: 'no-data', disabled: 'disabled', noCredentials: 'no-credentials',
});

const SUMMARY_FIELDS = Object.freeze({
  epoch: 'epoch', seq: 'seq', ts: 'ts', fleet: 'fleet', devices: 'devices', removed: 'removed', top: 'top',
});
const FLEET_FIELDS = Object.freeze({
  devices: 'devices', states: 'states', ifDown: 'ifDown', alerts: 'alerts', inBps: 'inBps', outBps: 'outBps',
});
/** The keys of the fleet's `alerts` counts. */
export const severities = Object.freeze({ critical: 'critical', warning: 'warning' });
const DEVICE_ENTRY_FIELDS = Object.freeze({
  id: 'id', host: 'host', tags: 'tags', state: 'state', inBps: 'inBps', outBps: 'outBps', maxUtil: 'maxUtil',
  maxUtilIf: 'maxUtilIf', ifs: 'ifs', ifDown: 'ifDown', alerts: 'alerts', critical: 'critical', ts: 'ts',
});
const TOP_FIELDS = Object.freeze({ util: 'util', bps: 'bps' });
const TOP_ENTRY_FIELDS = Object.freeze({
  device: 'device', ifIndex: 'ifIndex', name: 'name', util: 'util', inBps: 'inBps', outBps: 'outBps',
});
const SEARCH_IDS = 'ids';

/**
 * A device entry of the summary as the overview reads it. A delta holds only what changed: an
 * absent field stays absent (unchanged), and null (the hub no longer knows it) stays null.
 */
export function readSummaryDevice(entry) {
  return pick(entry, DEVICE_ENTRY_FIELDS);
}

function readTop(top) {
  const out = {};
  for (const [own, wire] of Object.entries(TOP_FIELDS)) {
    if (Array.isArray(top[wire])) out[own] = top[wire].map((e) => pick(e, TOP_ENTRY_FIELDS));
  }
  return out;
}

function readFleet(fleet) {
  const f = pick(fleet, FLEET_FIELDS);
  const states = {};
  for (const [own, wire] of Object.entries(deviceStates)) states[own] = (f.states || {})[wire] ?? 0;
  f.states = states;
  const alerts = {};
  for (const [own, wire] of Object.entries(severities)) alerts[own] = (f.alerts || {})[wire] ?? 0;
  f.alerts = alerts;
  return f;
}

/**
 * The snapshot, or a message of addresses.summary, as the overview reads it: {epoch, seq, ts,
 * fleet?, devices: [entry], removed: [id], top?}; `fleet` and `top` only when the message has them.
 */
export function readSummary(message) {
  const m = pick(message, SUMMARY_FIELDS);
  m.devices = Array.isArray(m.devices) ? m.devices.map(readSummaryDevice).filter((e) => e.id != null) : [];
  m.removed = Array.isArray(m.removed) ? m.removed : [];
  if (m.fleet != null) m.fleet = readFleet(m.fleet);
  if (m.top != null) m.top = readTop(m.top);
  return m;
}

/** The ids of an answer of api.summarySearch. */
export function readSearch(answer) {
  return Array.isArray(answer && answer[SEARCH_IDS]) ? answer[SEARCH_IDS] : [];
}
