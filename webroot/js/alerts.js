// Alerts: the active set and the recent history, kept from GET /api/alerts and the live
// ifpulse.alerts messages, rendered as lists wherever a view wants one.

import { api, addresses } from './api.js';
import { h, clear } from './dom.js';
import * as fmt from './format.js';

const RECENT_MAX = 50;

export class AlertStore {
  constructor(bus) {
    this.bus = bus;
    /** @type {Map<string, object>} */
    this.active = new Map();
    this.recent = [];
    this.loaded = false;
    this.listeners = new Set();
    bus.register(addresses.alerts, (body) => this.onMessage(body));
    // Alerts raised or cleared while the socket was down are not replayed by the bus: reload.
    bus.onOpen(() => this.reload());
  }

  async reload() {
    try {
      const r = await api.alerts();
      this.active = new Map((r.active || []).map((a) => [a.id, a]));
      this.recent = (r.recent || []).slice(0, RECENT_MAX);
      this.loaded = true;
      this.changed();
    } catch (e) {
      console.warn('alerts: cannot load', e);
    }
  }

  onMessage(body) {
    const a = body && body.alert ? body.alert : body;
    if (!a || a.id == null) return;
    if (a.state === 'cleared') this.active.delete(a.id);
    else this.active.set(a.id, a);
    this.recent = [a, ...this.recent.filter((r) => !(r.id === a.id && r.ts === a.ts))].slice(0, RECENT_MAX);
    this.changed();
  }

  activeList(device) {
    const list = [...this.active.values()].filter((a) => device == null || a.device === device);
    const rank = (a) => (a.severity === 'critical' ? 0 : 1);
    return list.sort((x, y) => rank(x) - rank(y) || (y.since ?? y.ts ?? 0) - (x.since ?? x.ts ?? 0));
  }

  recentList(device) {
    return this.recent.filter((a) => device == null || a.device === device);
  }

  subscribe(fn) {
    this.listeners.add(fn);
    fn(this);
    return () => this.listeners.delete(fn);
  }

  /** Listeners hear about a burst of alerts (a flapping link, many ports) once, not per alert. */
  changed() {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      for (const fn of this.listeners) fn(this);
    }, 150);
  }
}

function alertValue(a, v) {
  if (v == null) return '–';
  switch (a.kind) {
    case 'utilisation':
      return fmt.percent(v);
    case 'errors':
    case 'discards':
      return fmt.perSecond(v);
    default:
      return String(v);
  }
}

/**
 * One <li> per alert into ul (replacing its content), at most `limit` of them and then a line
 * saying how many more; `empty` is the text when there is none.
 */
export function renderAlerts(ul, list, empty, limit = 50) {
  clear(ul);
  ul.dataset.count = String(list.length);
  if (list.length === 0) {
    ul.append(h('li', { class: 'empty' }, empty));
    return;
  }
  for (const a of list.slice(0, limit)) {
    // A group's alert (docs/EVENTS.md) has `group` and no device: it links to the group's page.
    const where = a.group != null
      ? h('a', { href: `#/group/${encodeURIComponent(a.group)}` }, `group ${a.group}`)
      : a.ifIndex != null
      ? h('a', { href: `#/device/${encodeURIComponent(a.device)}/if/${a.ifIndex}` }, `${a.device} · ${a.name ?? 'if ' + a.ifIndex}`)
      : h('a', { href: `#/device/${encodeURIComponent(a.device)}` }, a.device);
    const detail = a.kind === 'oper-down'
      ? 'interface is down'
      : `${alertValue(a, a.value)} (threshold ${alertValue(a, a.threshold)})`;
    ul.append(h('li', {
      class: `alert ${a.state === 'cleared' ? 'cleared' : a.severity}`,
      dataset: { alertId: a.id, kind: a.kind, state: a.state, severity: a.severity },
    },
    h('span', { class: `sev sev-${a.state === 'cleared' ? 'cleared' : a.severity}` }, a.state === 'cleared' ? 'cleared' : a.severity),
    h('span', { class: 'what' }, where, ' ', h('span', { class: 'kind' }, a.kind), ' ', h('span', { class: 'detail' }, detail)),
    h('time', { class: 'when', datetime: fmt.iso(a.ts ?? a.since), title: `since ${fmt.time(a.since)}` }, fmt.time(a.ts ?? a.since))));
  }
  if (list.length > limit) ul.append(h('li', { class: 'empty more' }, `and ${list.length - limit} more`));
}
