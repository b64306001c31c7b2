// Pieces the views share.

import { addresses, watchMessage, groupWatchMessage, states } from '../api.js';
import { h } from '../dom.js';

const WATCH_EVERY_MS = 5000;

/**
 * Tells the hub that this page shows device `id`: a `watch` now (and on every reconnect) and
 * then every 5 s, which keeps the device at its live (1 s) interval. The returned function stops
 * it; after that the page sends nothing and the hub falls back to the base interval by itself.
 */
export function watchDevice(bus, id) {
  return watchWith(bus, watchMessage(id));
}

/** As watchDevice, for an interface group (the hub watches its member devices). */
export function watchGroup(bus, name) {
  return watchWith(bus, groupWatchMessage(name));
}

function watchWith(bus, body) {
  const send = () => bus.send(addresses.interest, body);
  send();
  const timer = setInterval(send, WATCH_EVERY_MS);
  const offOpen = bus.onOpen(send);
  return () => {
    clearInterval(timer);
    offOpen();
  };
}

/** Collects cleanup functions and runs them all once. */
export class Disposer {
  constructor() {
    this.fns = [];
    this.disposed = false;
  }

  add(fn) {
    if (this.disposed) fn();
    else this.fns.push(fn);
    return fn;
  }

  interval(fn, ms) {
    const t = setInterval(fn, ms);
    this.add(() => clearInterval(t));
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    for (const fn of this.fns.splice(0).reverse()) {
      try {
        fn();
      } catch (e) {
        console.error(e);
      }
    }
  }
}

/** The device status word for a reachable flag (null = not polled yet). */
export function statusWord(reachable) {
  if (reachable === true) return 'reachable';
  if (reachable === false) return 'unreachable';
  return 'no data';
}

export function statusBadge(reachable) {
  const word = statusWord(reachable);
  return h('span', { class: `badge status-${word.replace(' ', '-')}` }, word);
}

/** Sum of a field over the interfaces of a sample that have it (gaps have no rates). */
export function sumField(sample, field) {
  let total = 0;
  let any = false;
  for (const i of sample.interfaces || []) {
    const v = i[field];
    if (typeof v === 'number' && i.state !== states.gap) {
      total += v;
      any = true;
    }
  }
  return any ? total : null;
}

/** max(inUtil, outUtil) of an interface entry, or null when it has none. */
export function utilOf(entry) {
  if (!entry || entry.state === states.gap) return null;
  const a = entry.inUtil;
  const b = entry.outUtil;
  if (a == null && b == null) return null;
  return Math.max(a ?? -Infinity, b ?? -Infinity);
}

export function errorsOf(entry) {
  if (!entry || entry.state === states.gap) return null;
  if (entry.inErrors == null && entry.outErrors == null) return null;
  return (entry.inErrors ?? 0) + (entry.outErrors ?? 0);
}

export function notFound(container, text) {
  container.append(h('section', { class: 'panel notice' }, h('h1', null, 'Not found'), h('p', null, text),
    h('p', null, h('a', { href: '#/' }, 'Back to the overview'))));
}

export function deviceHref(id) {
  return `#/device/${encodeURIComponent(id)}`;
}

export function interfaceHref(id, ifIndex) {
  return `#/device/${encodeURIComponent(id)}/if/${ifIndex}`;
}

export function groupHref(name) {
  return `#/group/${encodeURIComponent(name)}`;
}
