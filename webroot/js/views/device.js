// #/device/<id> — the device's interfaces in a sortable, filterable table updated in place at
// the live interval: each sample changes only the text of cells whose formatted value changed,
// and sparklines are drawn in one animation frame per batch.

import {
  api, addresses, onTraffic as onSamples, readInterface, isLive, states, onNotifications, linkEvents, readLinkChange,
} from '../api.js';
import { h, setText, setValue, setData } from '../dom.js';
import { Series } from '../series.js';
import { SparklineBatch } from '../sparkline.js';
import * as fmt from '../format.js';
import {
  Disposer, watchDevice, statusWord, sumField, utilOf, errorsOf, notFound, deviceHref, interfaceHref,
} from './common.js';
import { renderAlerts } from '../alerts.js';

const SPARK_POINTS = 60;
const KEEP_MS = 5 * 60 * 1000;
const INFO_REFRESH_MS = 5000;
const NOTIFICATIONS_SHOWN = 20;

const COLUMNS = [
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'alias', label: 'Alias', type: 'text' },
  { key: 'speed', label: 'Speed', type: 'num', cls: 'num' },
  { key: 'oper', label: 'Oper', type: 'text' },
  { key: 'in', label: 'In', type: 'num', cls: 'num' },
  { key: 'out', label: 'Out', type: 'num', cls: 'num' },
  { key: 'util', label: 'Util', type: 'num', cls: 'num' },
  { key: 'errors', label: 'Errors/s', type: 'num', cls: 'num' },
  { key: 'trend', label: 'Last 60 samples', sortable: false },
];
const LIVE_KEYS = new Set(['in', 'out', 'util', 'errors', 'oper', 'speed']);
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function mountDevice(container, ctx, params) {
  const { bus, alerts } = ctx;
  const id = params.device;
  const d = new Disposer();
  const sparks = new SparklineBatch();
  d.add(() => sparks.cancel());
  ctx.setCrumbs([[id]]);
  ctx.setTitle(id);

  /** ifIndex -> row */
  const rows = new Map();
  let order = [];
  let sort = { key: 'name', dir: 1 };
  let filter = '';
  let lastTs = null;
  let clockOffset = 0; // hub clock - browser clock (ms), from the latest sample
  let info = null;

  // ---------------------------------------------------------------- layout
  const title = h('h1', null, id);
  const meta = {
    addr: h('span', { class: 'addr' }),
    status: h('span', { class: 'badge' }),
    interval: h('dd', { class: 'interval' }),
    rtt: h('dd', { class: 'rtt' }),
    timeouts: h('dd', { class: 'timeouts' }),
    error: h('dd', { class: 'error' }),
    in: h('dd', { class: 'in' }),
    out: h('dd', { class: 'out' }),
    last: h('dd', { class: 'last' }),
  };
  const head = h('section', { class: 'panel device-head', id: 'device-head' },
    h('div', { class: 'title-row' }, title, meta.status, meta.addr),
    h('dl', { class: 'facts' },
      h('div', null, h('dt', null, 'Interval'), meta.interval),
      h('div', null, h('dt', null, 'In'), meta.in),
      h('div', null, h('dt', null, 'Out'), meta.out),
      h('div', null, h('dt', null, 'Avg RTT'), meta.rtt),
      h('div', null, h('dt', null, 'Timeouts'), meta.timeouts),
      h('div', null, h('dt', null, 'Last error'), meta.error),
      h('div', null, h('dt', null, 'Last sample'), meta.last)));

  const filterInput = h('input', {
    type: 'search', id: 'if-filter', placeholder: 'Filter by name or alias', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'if-count',
  });
  const countText = h('span', { id: 'if-count', class: 'muted', 'aria-live': 'polite' });
  const thead = h('tr');
  const headerButtons = new Map();
  for (const col of COLUMNS) {
    const th = h('th', { scope: 'col', class: `${col.cls || ''} col-${col.key}` });
    if (col.sortable === false) {
      th.append(col.label);
    } else {
      const b = h('button', { type: 'button', class: 'sort', dataset: { key: col.key } }, col.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }));
      b.addEventListener('click', () => setSort(col.key));
      th.append(b);
      headerButtons.set(col.key, th);
    }
    thead.append(th);
  }
  const tbody = h('tbody');
  const table = h('table', { class: 'grid interfaces', id: 'interfaces' },
    h('caption', { class: 'sr-only' }, `Interfaces of ${id}`), h('thead', null, thead), tbody);
  const loading = h('p', { class: 'muted loading' }, 'Loading interfaces…');
  const alertList = h('ul', { class: 'alerts compact', id: 'device-alerts', tabindex: '0', 'aria-labelledby': 'dev-alerts-h' });
  const alertSection = h('section', { class: 'panel', 'aria-labelledby': 'dev-alerts-h', hidden: true },
    h('h2', { id: 'dev-alerts-h' }, 'Active alerts ', h('span', { class: 'count' })), alertList);

  // Recent SNMP notifications of the device, newest first (the hub keeps none: those since the page opened).
  const trapList = h('ol', { class: 'notifications', id: 'device-notifications', 'aria-labelledby': 'dev-traps-h' });
  const trapSection = h('section', { class: 'panel', 'aria-labelledby': 'dev-traps-h', hidden: true },
    h('h2', { id: 'dev-traps-h' }, 'Recent notifications'), trapList);

  container.append(head, alertSection, trapSection,
    h('section', { class: 'panel', 'aria-labelledby': 'ifs-h' },
      h('div', { class: 'toolbar' },
        h('h2', { id: 'ifs-h' }, 'Interfaces'),
        h('label', { class: 'filter' }, h('span', { class: 'sr-only' }, 'Filter interfaces'), filterInput),
        countText),
      loading,
      h('div', { class: 'scroll' }, table)));

  filterInput.addEventListener('input', () => {
    filter = filterInput.value.trim().toLowerCase();
    applyFilter();
  });

  // ---------------------------------------------------------------- header facts
  function showInfo() {
    if (!info) return;
    const stats = info.stats || {};
    setText(meta.addr, `${info.host}:${info.port} · ${info.version}`);
    const word = statusWord(info.reachable);
    meta.status.className = `badge status-${word.replace(' ', '-')}`;
    setText(meta.status, word);
    setData(head, 'status', word);
    setValue(meta.interval, 'ms', info.intervalMs,
      `${fmt.interval(info.intervalMs)}${info.live ? ' (live)' : ''}`);
    setValue(meta.rtt, 'ms', stats.avgRttMs, fmt.ms(stats.avgRttMs));
    setValue(meta.timeouts, 'count', stats.timeouts, stats.timeouts == null ? '–' : String(stats.timeouts));
    meta.error.classList.toggle('none', !stats.lastError);
    setText(meta.error, stats.lastError ? `${stats.lastError}${stats.lastErrorAt ? ' at ' + fmt.time(stats.lastErrorAt) : ''}` : 'none');
  }

  // ---------------------------------------------------------------- rows
  function makeRow(ifc) {
    const link = h('a', { href: interfaceHref(id, ifc.ifIndex) });
    const canvas = h('canvas', { class: 'spark', width: 120, height: 24, role: 'img' });
    const c = {
      name: h('td', { class: 'col-name' }, link),
      alias: h('td', { class: 'col-alias' }),
      speed: h('td', { class: 'num col-speed' }),
      oper: h('td', { class: 'col-oper' }),
      in: h('td', { class: 'num col-in in' }),
      out: h('td', { class: 'num col-out out' }),
      util: h('td', { class: 'num col-util util' }),
      errors: h('td', { class: 'num col-errors errors' }),
      trend: h('td', { class: 'col-trend' }, canvas),
    };
    const tr = h('tr', { dataset: { ifindex: ifc.ifIndex } }, Object.values(c));
    const r = {
      ifIndex: ifc.ifIndex, tr, c, link, meta: ifc, entry: null,
      values: { name: '', alias: '', speed: null, oper: '', in: null, out: null, util: null, errors: null },
      spark: { canvas, series: new Series(KEEP_MS), points: SPARK_POINTS },
    };
    applyMeta(r, ifc);
    return r;
  }

  function applyMeta(r, ifc) {
    r.meta = ifc;
    const name = ifc.name || ifc.descr || `if ${ifc.ifIndex}`;
    r.values.name = name;
    r.values.alias = ifc.alias || '';
    r.search = `${name} ${ifc.alias || ''} ${ifc.descr || ''}`.toLowerCase();
    setData(r.tr, 'name', name);
    setText(r.link, name);
    r.link.title = ifc.descr && ifc.descr !== name ? ifc.descr : '';
    setText(r.c.alias, ifc.alias || '');
    r.spark.canvas.setAttribute('aria-label', `in and out traffic of ${name}, last ${SPARK_POINTS} samples`);
    applySpeed(r, ifc.speedBps);
    applyOper(r, ifc.oper);
  }

  function applySpeed(r, v) {
    r.values.speed = v ?? null;
    setValue(r.c.speed, 'bps', v, fmt.speed(v));
  }

  function applyOper(r, oper) {
    r.values.oper = oper || '';
    setData(r.tr, 'oper', oper);
    setValue(r.c.oper, 'oper', oper, oper || '–');
    r.c.oper.className = `col-oper oper-${oper || 'unknown'}`;
  }

  /** One interface entry of a traffic sample (or the `rate` of the REST answer). */
  function applyEntry(r, e) {
    r.entry = e;
    if (e.oper && e.oper !== r.values.oper) applyOper(r, e.oper);
    if (e.speedBps != null && e.speedBps !== r.values.speed) applySpeed(r, e.speedBps);
    const gap = e.state === states.gap;
    setData(r.tr, 'state', e.state);
    r.tr.title = gap ? `no rate: ${e.gap || 'gap'}` : e.state === states.held ? 'held: the agent has not refreshed its counters' : '';
    const inB = gap ? null : e.inBps ?? null;
    const outB = gap ? null : e.outBps ?? null;
    const util = utilOf(e);
    const errs = errorsOf(e);
    r.values.in = inB;
    r.values.out = outB;
    r.values.util = util;
    r.values.errors = errs;
    setValue(r.c.in, 'bps', inB, fmt.bps(inB));
    setValue(r.c.out, 'bps', outB, fmt.bps(outB));
    setValue(r.c.util, 'util', util, fmt.percent(util));
    r.c.util.classList.toggle('warn', util != null && util >= 70 && util < 90);
    r.c.util.classList.toggle('crit', util != null && util >= 90);
    setValue(r.c.errors, 'rate', errs, fmt.perSecond(errs));
    r.c.errors.classList.toggle('warn', errs != null && errs > 0);
  }

  /** Builds or reconciles rows from the REST interface list (adds, removes, renames). */
  function applyInterfaces(list) {
    loading.remove();
    const seen = new Set();
    const nameOf = (i) => i.name || i.descr || `if ${i.ifIndex}`;
    const newNames = new Map(list.map((i) => [i.ifIndex, nameOf(i)]));
    // Rows that go or change interface, by name: a renumbered interface (agent restart) keeps
    // its sparkline under its new ifIndex.
    const leaving = new Map();
    for (const r of rows.values()) if (newNames.get(r.ifIndex) !== r.values.name) leaving.set(r.values.name, r);
    for (const ifc of list) {
      seen.add(ifc.ifIndex);
      let r = rows.get(ifc.ifIndex);
      if (r && r.values.name !== nameOf(ifc)) {
        sparks.remove(r.spark);
        r.tr.remove();
        rows.delete(ifc.ifIndex);
        r = null;
      }
      if (!r) {
        r = makeRow(ifc);
        const before = leaving.get(r.values.name);
        if (before) r.spark.series = before.spark.series;
        rows.set(ifc.ifIndex, r);
        sparks.add(r.spark);
      } else {
        applyMeta(r, ifc);
      }
      if (ifc.rate && (!r.entry || (lastTs == null))) applyEntry(r, readInterface(ifc.rate));
    }
    for (const [ifIndex, r] of rows) {
      if (!seen.has(ifIndex)) {
        sparks.remove(r.spark);
        r.tr.remove();
        rows.delete(ifIndex);
      }
    }
    order = [];
    resort(true);
    applyFilter();
  }

  // ---------------------------------------------------------------- sort and filter
  function setSort(key) {
    sort = sort.key === key ? { key, dir: -sort.dir } : { key, dir: COLUMNS.find((c) => c.key === key).type === 'num' ? -1 : 1 };
    resort(true);
  }

  function compare(a, b) {
    const col = COLUMNS.find((c) => c.key === sort.key);
    const va = a.values[sort.key];
    const vb = b.values[sort.key];
    const na = va == null || va === '';
    const nb = vb == null || vb === '';
    if (na || nb) return na && nb ? a.ifIndex - b.ifIndex : na ? 1 : -1; // empty last, both ways
    const c = col.type === 'num' ? va - vb : collator.compare(va, vb);
    return c !== 0 ? c * sort.dir : a.ifIndex - b.ifIndex;
  }

  function resort(force) {
    for (const [key, th] of headerButtons) {
      th.setAttribute('aria-sort', key === sort.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
    const next = [...rows.values()].sort(compare);
    if (!force && next.length === order.length && next.every((r, i) => r === order[i])) return;
    // Move only rows that are out of place; untouched rows keep focus and layout.
    let cursor = tbody.firstChild;
    for (const r of next) {
      if (r.tr === cursor) cursor = cursor.nextSibling;
      else tbody.insertBefore(r.tr, cursor);
    }
    order = next;
  }

  function applyFilter() {
    let shown = 0;
    for (const r of rows.values()) {
      const hide = filter !== '' && !r.search.includes(filter);
      if (r.tr.hidden !== hide) r.tr.hidden = hide;
      if (!hide) shown++;
    }
    setText(countText, filter ? `${shown} of ${rows.size} interfaces` : `${rows.size} interfaces`);
  }

  // ---------------------------------------------------------------- live
  let refetchTimer = null;
  function refetchSoon() {
    if (refetchTimer == null) {
      refetchTimer = setTimeout(() => {
        refetchTimer = null;
        loadDevice();
      }, 500);
    }
  }
  d.add(() => clearTimeout(refetchTimer));

  function onTraffic(s) {
    lastTs = Math.max(lastTs ?? 0, s.ts);
    clockOffset = s.ts - Date.now();
    let unknown = false;
    for (const e of s.interfaces || []) {
      const r = rows.get(e.ifIndex);
      if (!r || (e.name && r.values.name !== e.name)) { // new, or renumbered by an agent restart
        unknown = true;
        continue;
      }
      applyEntry(r, e);
      r.spark.series.addSample(s.ts, e);
      sparks.mark(r.spark);
    }
    if (unknown && rows.size > 0) refetchSoon();
    if (info) {
      info.reachable = s.reachable;
      if (s.intervalMs != null) {
        info.intervalMs = s.intervalMs;
        info.live = isLive(s.intervalMs, info);
      }
      showInfo();
    }
    const inB = sumField(s, 'inBps');
    const outB = sumField(s, 'outBps');
    setValue(meta.in, 'bps', inB, fmt.bps(inB));
    setValue(meta.out, 'bps', outB, fmt.bps(outB));
    setValue(meta.last, 'ts', s.ts, fmt.time(s.ts));
    setData(head, 'seq', s.seq);
    if (LIVE_KEYS.has(sort.key)) resort(false);
  }

  function onStatus(s) {
    if (s.event === linkEvents.down || s.event === linkEvents.up) {
      // A notification said so: the row changes now, before the poll it triggered answers.
      const link = readLinkChange(s);
      const r = rows.get(link.ifIndex);
      if (r && link.oper) applyOper(r, link.oper);
      return;
    }
    if (info) {
      info = { ...info, reachable: s.reachable, stats: s.stats || info.stats };
      showInfo();
    }
    if (['discovered', 'interfaces-changed', 'restarted'].includes(s.event)) {
      if (s.interfaces) applyInterfaces(s.interfaces);
      refetchSoon();
    }
  }

  async function loadDevice() {
    try {
      const r = await api.device(id);
      if (d.disposed) return;
      info = r.device;
      showInfo();
      if (info.lastTs != null && lastTs == null) setValue(meta.last, 'ts', info.lastTs, fmt.time(info.lastTs));
      if (lastTs == null) {
        setValue(meta.in, 'bps', info.inBps, fmt.bps(info.inBps));
        setValue(meta.out, 'bps', info.outBps, fmt.bps(info.outBps));
      }
      const list = r.interfaces || [];
      const same = list.length === rows.size && list.every((i) => rows.has(i.ifIndex));
      if (!same || list.some((i) => rows.get(i.ifIndex)?.values.name !== (i.name || i.descr || `if ${i.ifIndex}`))) {
        applyInterfaces(list);
      }
      return true;
    } catch (e) {
      if (d.disposed) return false;
      if (e.status === 404) {
        container.replaceChildren();
        notFound(container, `There is no device "${id}".`);
        d.dispose();
      } else {
        setText(loading, `Cannot load the device: ${e.message}`);
      }
      return false;
    }
  }

  /** Sparkline backfill: the last `seconds` of every interface from the history endpoint. */
  async function loadHistory(seconds) {
    try {
      const r = await api.deviceHistory(id, seconds);
      if (d.disposed) return;
      for (const [ifIndex, hist] of Object.entries(r.interfaces || {})) {
        const row = rows.get(Number(ifIndex));
        if (!row || !hist) continue;
        row.spark.series.merge(hist.ts, hist.inBps, hist.outBps);
        sparks.mark(row.spark);
      }
    } catch (e) {
      console.warn('history', e);
    }
  }

  d.add(onSamples(bus, id, onTraffic));
  d.add(bus.register(addresses.status(id), onStatus));
  d.add(onNotifications(bus, id, (n) => {
    const what = n.ifIndex != null ? `${n.name} ${rows.get(n.ifIndex)?.values.name || `if ${n.ifIndex}`}` : n.name;
    const item = h('li', { dataset: { name: n.name, ifIndex: n.ifIndex ?? '' } },
      h('time', { datetime: fmt.iso(n.ts) }, fmt.time(n.ts)), ' ', h('strong', null, what),
      h('span', { class: 'muted' }, ` ${n.version} ${n.pdu} from ${n.source}`));
    trapList.prepend(item);
    while (trapList.children.length > NOTIFICATIONS_SHOWN) trapList.lastElementChild.remove();
    trapSection.hidden = false;
  }));
  d.add(watchDevice(bus, id));
  d.add(bus.onOpen(async (reconnected) => {
    if (!reconnected) return;
    const gapFrom = lastTs;
    if (await loadDevice()) loadHistory(gapFrom == null ? 120 : Math.min(300, (Date.now() + clockOffset - gapFrom) / 1000 + 5));
  }));
  d.interval(() => {
    if (bus.connected) loadDevice();
  }, INFO_REFRESH_MS);
  d.add(alerts.subscribe((store) => {
    const list = store.activeList(id);
    alertSection.hidden = list.length === 0;
    setText(alertSection.querySelector('.count'), String(list.length));
    renderAlerts(alertList, list, 'No active alerts.');
  }));
  const onTheme = () => sparks.refreshColors();
  window.addEventListener('ifpulse:theme', onTheme);
  d.add(() => window.removeEventListener('ifpulse:theme', onTheme));

  loadDevice().then((ok) => ok && loadHistory(120));

  return { destroy: () => d.dispose() };
}
