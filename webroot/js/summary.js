// The fleet summary as this page knows it: the snapshot of GET /api/summary kept current by the
// messages of one bus address (addresses.summary; docs/EVENTS.md), whatever the fleet's size.
//
// A message applies only on top of the one before it: same epoch (the web node's run) and a seq
// one higher. Anything else (a message lost, the node restarted, the socket reconnected, the
// page's own snapshot older than the first message) means the page no longer knows what
// changed, so it fetches the snapshot again and applies only the messages that come after it.

import { api, addresses, readSummary } from './api.js';

/** Messages kept while a snapshot is on its way (one a second: 30 s of them at most). */
const BUFFER_MAX = 30;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30000;

export class SummaryStore {
  /** @param bus the page's EventBus */
  constructor(bus) {
    this.bus = bus;
    /** id -> entry (every field of the contract; null where the hub does not know it) */
    this.devices = new Map();
    this.fleet = null;
    this.top = { util: [], bps: [] };
    this.epoch = null;
    this.seq = null;
    this.ts = null;
    this.loaded = false;
    this.error = null;
    /** Counters for the page and its tests: snapshots fetched, messages applied, resyncs by cause. */
    this.stats = { snapshots: 0, messages: 0, gaps: 0, epochs: 0, reconnects: 0, lastMessageAt: null };
    this.listeners = new Set();
    this.fetching = null;
    this.buffer = [];
    this.retryTimer = null;
    this.retryMs = RETRY_MIN_MS;
    this.snapshotAt = -Infinity;
    this.closed = false;
    this.offs = [
      bus.register(addresses.summary, (body) => this.onMessage(body)),
      // Messages sent while the socket was down are not replayed: start again from a snapshot.
      bus.onOpen((reconnected) => {
        if (reconnected) {
          this.stats.reconnects++;
          this.resync();
        }
      }),
    ];
    // The snapshot is asked for at once, while the socket may still be opening: first paint does
    // not wait for it. A tick made between the snapshot and the registration shows as a gap at the
    // first message; that one is fetched again at once (not after the usual second).
    this.resync();
  }

  /**
   * fn(change) after a snapshot or message was applied; change = {snapshot: bool, ids: Set of the
   * devices whose entries changed, fields: Set of the fields that changed (messages only), added:
   * bool (ids came or went), fleet: bool, top: bool}; {error: true} when a snapshot failed.
   */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const off of this.offs) off();
    this.listeners.clear();
  }

  /** Fetches the snapshot (once at a time); messages that arrive meanwhile wait in the buffer. */
  resync() {
    if (this.closed || this.fetching) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    // At most one snapshot a second, whatever goes wrong (e.g. messages of another node's run).
    const wait = this.snapshotAt + RETRY_MIN_MS - Date.now();
    if (wait > 0) {
      this.retryTimer = setTimeout(() => this.resync(), wait);
      return;
    }
    this.snapshotAt = Date.now();
    this.fetching = api.summary().then(
      (body) => {
        this.fetching = null;
        if (this.closed) return;
        this.retryMs = RETRY_MIN_MS;
        this.error = null;
        this.applySnapshot(readSummary(body));
      },
      (e) => {
        this.fetching = null;
        if (this.closed) return;
        this.error = e;
        this.emit({ snapshot: false, ids: new Set(), added: false, fleet: false, top: false, error: true });
        // The hub is away or restarting: try again, less and less often.
        this.retryTimer = setTimeout(() => this.resync(), this.retryMs);
        this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      });
  }

  applySnapshot(s) {
    this.stats.snapshots++;
    const ids = new Set();
    const fresh = new Map();
    for (const e of s.devices) {
      fresh.set(e.id, e);
      ids.add(e.id);
    }
    const added = !this.loaded || fresh.size !== this.devices.size || [...fresh.keys()].some((id) => !this.devices.has(id));
    this.devices = fresh;
    this.fleet = s.fleet ?? null;
    this.top = { util: [], bps: [], ...(s.top || {}) };
    this.epoch = s.epoch;
    this.seq = s.seq;
    this.ts = s.ts;
    this.loaded = true;
    const waiting = this.buffer.splice(0);
    this.emit({ snapshot: true, ids, added, fleet: true, top: true });
    // What came while the snapshot was on its way and is newer than it; another run's messages
    // are older news than the snapshot (a live one of that run will say if it is not).
    for (const m of waiting) this.onMessage(m, true);
  }

  onMessage(body, replayed = false) {
    if (this.closed || body == null || typeof body !== 'object') return;
    this.stats.lastMessageAt = Date.now();
    if (this.fetching || !this.loaded) {
      if (!replayed && this.buffer.length < BUFFER_MAX) this.buffer.push(body);
      return;
    }
    const m = readSummary(body);
    if (m.epoch !== this.epoch) {
      if (replayed) return;
      this.stats.epochs++;
      this.resyncWith(body);
      return;
    }
    if (typeof m.seq !== 'number' || m.seq <= this.seq) return; // already in the snapshot
    if (m.seq !== this.seq + 1) {
      this.stats.gaps++;
      if (this.stats.messages === 0 && this.stats.snapshots === 1) this.snapshotAt = -Infinity;
      this.resyncWith(body);
      return;
    }
    this.apply(m);
  }

  /** A snapshot again, keeping `body` in case it is newer than the snapshot. */
  resyncWith(body) {
    if (this.buffer.length < BUFFER_MAX) this.buffer.push(body);
    this.resync();
  }

  apply(m) {
    this.stats.messages++;
    this.seq = m.seq;
    this.ts = m.ts;
    const ids = new Set();
    const fields = new Set();
    let added = false;
    for (const delta of m.devices) {
      for (const k of Object.keys(delta)) fields.add(k);
      const e = this.devices.get(delta.id);
      if (e) Object.assign(e, delta);
      else {
        this.devices.set(delta.id, delta);
        added = true;
      }
      ids.add(delta.id);
    }
    for (const id of m.removed) {
      if (this.devices.delete(id)) {
        ids.add(id);
        added = true;
      }
    }
    if (m.fleet) this.fleet = m.fleet;
    if (m.top) this.top = { util: [], bps: [], ...m.top };
    this.emit({ snapshot: false, ids, fields, added, fleet: !!m.fleet, top: !!m.top });
  }

  emit(change) {
    for (const fn of [...this.listeners]) {
      try {
        fn(change, this);
      } catch (e) {
        console.error(e);
      }
    }
  }
}
