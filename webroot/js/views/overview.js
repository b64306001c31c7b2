// #/ — the fleet at a glance, for a handful of devices or for thousands: the fleet's counts, every
// device in one table that draws only the rows in view (problems first unless sorted otherwise),
// a search, the fleet's top interfaces and the alerts. All of it from one summary (GET
// /api/summary, then the one bus address of its changes): the page's cost does not grow with the
// number of devices it lists, only with the rows on screen. A fleet tile picks its devices (the
// unreachable ones, those with a critical alert...). The search, the tile and the order live in the
// address (#/?q=core&show=unreachable&sort=inBps&dir=desc), so a link or a reload shows the same view.

import { api, readSearch, SEARCH_MAX, deviceStates } from '../api.js';
import { h, setText, setValue, setData } from '../dom.js';
import { renderAlerts } from '../alerts.js';
import { SummaryStore } from '../summary.js';
import { VirtualRows } from '../vtable.js';
import { PROBLEMS, SHOWS, comparator, firstDir, matchesLocally, readView, viewHash, sortReads, showReads } from '../fleet.js';
import * as fmt from '../format.js';
import { Disposer, deviceHref, interfaceHref, groupHref } from './common.js';

const TOP_N = 10;
const SEARCH_DEBOUNCE_MS = 300;
const ROW_HEIGHT = 33;

const COLUMNS = [
  { key: 'id', label: 'Device', cls: 'col-id' },
  { key: 'host', label: 'Host', cls: 'col-host' },
  { key: 'state', label: 'Status', cls: 'col-state' },
  { key: 'inBps', label: 'In', cls: 'num col-in' },
  { key: 'outBps', label: 'Out', cls: 'num col-out' },
  { key: 'maxUtil', label: 'Busiest interface', cls: 'col-util' },
  { key: 'ifs', label: 'Interfaces', cls: 'num col-ifs' },
  { key: 'ifDown', label: 'Down', cls: 'num col-down' },
  { key: 'alerts', label: 'Alerts', cls: 'num col-alerts' },
  { key: 'ts', label: 'Last sample', cls: 'num col-ts' },
];

const STATE_WORDS = {
  [deviceStates.up]: 'up',
  [deviceStates.unreachable]: 'unreachable',
  [deviceStates.noData]: 'no data',
  [deviceStates.disabled]: 'disabled',
  [deviceStates.noCredentials]: 'no credentials',
};

const TILES = [
  { key: 'devices', label: 'Devices', value: (f) => f.devices },
  { key: 'up', label: 'Up', value: (f) => f.states.up, tone: 'ok' },
  { key: 'unreachable', label: 'Unreachable', value: (f) => f.states.unreachable, tone: 'crit' },
  { key: 'no-credentials', label: 'No credentials', value: (f) => f.states.noCredentials, tone: 'warn' },
  { key: 'no-data', label: 'No data', value: (f) => f.states.noData, tone: 'none' },
  { key: 'disabled', label: 'Disabled', value: (f) => f.states.disabled, tone: 'none' },
  { key: 'if-down', label: 'Interfaces down', value: (f) => f.ifDown, tone: 'warn' },
  { key: 'critical', label: 'Critical alerts', value: (f) => f.alerts.critical, tone: 'crit' },
  { key: 'warning', label: 'Warnings', value: (f) => f.alerts.warning, tone: 'warn' },
  { key: 'in', label: 'Total in', value: (f) => f.inBps, bps: true },
  { key: 'out', label: 'Total out', value: (f) => f.outBps, bps: true },
];

const count = new Intl.NumberFormat();

export function mountOverview(container, ctx) {
  const { bus, alerts } = ctx;
  const d = new Disposer();
  ctx.setCrumbs([]);
  ctx.setTitle('Overview');

  let view = readView(location.hash);
  let needle = view.q.trim().toLowerCase();
  /** Ids the hub's search found for `needle` (interface names and aliases too); null while asking or without a search. */
  let serverIds = null;
  let searchState = 'idle'; // 'idle' | 'asking' | 'done' | 'failed' | 'local-only'
  let shown = []; // ids in the table, in order

  // ---------------------------------------------------------------- fleet counts
  // A tile that counts devices, interfaces or alerts is a button that shows only the devices it
  // counts (press again, or "Devices", for all of them); the traffic totals are figures only.
  const tiles = new Map();
  const tileList = h('ul', { class: 'tiles' });
  for (const t of TILES) {
    const value = h('span', { class: 'value' }, '–');
    const label = h('span', { class: 'label' }, t.label);
    const picks = t.key === 'devices' || Object.hasOwn(SHOWS, t.key);
    const pick = picks ? h('button', { type: 'button', class: 'pick', 'aria-pressed': 'false', 'aria-controls': 'devices' }, value, label) : null;
    const li = h('li', { class: `tile${t.tone ? ' tone-' + t.tone : ''}${picks ? ' pickable' : ''}`, dataset: { stat: t.key } },
      pick ?? [value, label]);
    if (pick) pick.addEventListener('click', () => showOnly(t.key === 'devices' || view.show === t.key ? null : t.key));
    tiles.set(t.key, { t, li, value, pick });
    tileList.append(li);
  }
  const fleetAsOf = h('span', { class: 'muted as-of' });
  const fleetSection = h('section', { class: 'panel fleet-head', id: 'fleet', 'aria-labelledby': 'fleet-h' },
    h('div', { class: 'toolbar' }, h('h2', { id: 'fleet-h' }, 'Fleet'), fleetAsOf), tileList);

  // ---------------------------------------------------------------- devices table
  const search = h('input', {
    type: 'search', id: 'fleet-search', placeholder: 'Id, host, tag or interface', autocomplete: 'off',
    spellcheck: 'false', maxlength: '200', 'aria-describedby': 'fleet-count', 'aria-controls': 'devices',
  });
  search.value = view.q;
  const problemsBtn = h('button', { type: 'button', class: 'btn', id: 'problems-first', 'aria-pressed': 'true' }, 'Problems first');
  const countText = h('span', { id: 'fleet-count', class: 'muted', 'aria-live': 'polite' });
  const message = h('p', { class: 'muted loading', id: 'fleet-message' }, 'Loading the fleet…');

  const headRow = h('tr', { 'aria-rowindex': '1' });
  const headers = new Map();
  for (const col of COLUMNS) {
    const b = h('button', { type: 'button', class: 'sort', dataset: { key: col.key } }, col.label,
      h('span', { class: 'arrow', 'aria-hidden': 'true' }));
    b.addEventListener('click', () => sortBy(col.key));
    const th = h('th', { scope: 'col', class: col.cls }, b);
    headers.set(col.key, th);
    headRow.append(th);
  }
  const tbody = h('tbody');
  const table = h('table', { class: 'grid fleet', id: 'devices', 'aria-rowcount': '1' },
    h('caption', { class: 'sr-only' }, 'Devices, problems first unless sorted by a column'),
    h('colgroup', null, COLUMNS.map((c) => h('col', { class: c.cls.replace('num ', '') }))),
    h('thead', null, headRow), tbody);
  const scroller = h('div', { class: 'vscroll', id: 'devices-scroll', tabindex: '0', role: 'region', 'aria-label': 'Devices table' }, table);

  // ---------------------------------------------------------------- top interfaces
  const topUtil = topTable('top-util', `Top ${TOP_N} interfaces by utilisation`);
  const topBps = topTable('top-bps', `Top ${TOP_N} interfaces by traffic`);

  const alertsActive = h('ul', { class: 'alerts', id: 'alerts-active' });
  const alertsRecent = h('ul', { class: 'alerts', id: 'alerts-recent' });

  // Interface groups (sums of interfaces across devices), each a link to its page; hidden without any.
  const groupsList = h('ul', { class: 'links', id: 'groups-list' });
  const groupsSection = h('section', { class: 'panel', id: 'groups', 'aria-labelledby': 'groups-h', hidden: true },
    h('h2', { id: 'groups-h' }, 'Groups'), groupsList);
  api.groups().then((r) => {
    groupsList.replaceChildren(...r.groups.map((g) => h('li', null, h('a', { href: groupHref(g.name) }, g.name),
      h('span', { class: 'muted' }, ` ${g.devices.length} device${g.devices.length === 1 ? '' : 's'}`))));
    groupsSection.hidden = r.groups.length === 0;
  }).catch(() => {}); // an older hub without groups: nothing to list

  container.append(
    h('h1', { class: 'sr-only' }, 'Overview'),
    fleetSection,
    h('section', { class: 'panel', 'aria-labelledby': 'devices-h' },
      h('div', { class: 'toolbar' },
        h('h2', { id: 'devices-h' }, 'Devices'),
        h('label', { class: 'filter', for: 'fleet-search' }, h('span', { class: 'sr-only' }, 'Search devices by id, host, tag or interface name'), search),
        problemsBtn, countText),
      message, scroller),
    h('div', { class: 'columns even' }, topUtil.section, topBps.section),
    groupsSection,
    h('section', { class: 'panel', 'aria-labelledby': 'alerts-h' },
      h('h2', { id: 'alerts-h' }, 'Alerts'),
      h('div', { class: 'columns even' },
        h('div', null, h('h3', null, 'Active'), alertsActive),
        h('div', null, h('h3', null, 'Recent'), alertsRecent))));

  const store = new SummaryStore(bus);
  d.add(() => store.close());
  // For tests and the console: what the page knows and how it got it.
  window.ifpulse.summary = store;
  d.add(() => {
    if (window.ifpulse.summary === store) delete window.ifpulse.summary;
  });

  const rows = new VirtualRows({
    scroller, table, tbody, columns: COLUMNS.length, rowHeight: ROW_HEIGHT, makeRow,
    fillRow: (row, id) => fillRow(row, store.devices.get(id)),
  });
  d.add(() => rows.destroy());
  window.ifpulse.rows = rows;

  function makeRow() {
    const link = h('a');
    const tags = h('span', { class: 'tags' });
    const badge = h('span', { class: 'badge' });
    const c = {
      id: h('td', { class: 'name' }, link, tags),
      host: h('td', { class: 'host' }),
      state: h('td', { class: 'status' }, badge),
      in: h('td', { class: 'num in' }),
      out: h('td', { class: 'num out' }),
      util: h('td', { class: 'util' }),
      ifs: h('td', { class: 'num ifs' }),
      down: h('td', { class: 'num down' }),
      alerts: h('td', { class: 'num alerts' }),
      ts: h('td', { class: 'num last' }),
    };
    return { tr: h('tr', { class: 'row' }, Object.values(c)), c, link, tags, badge, id: undefined };
  }

  function fillRow(row, e) {
    const { tr, c, link, tags, badge } = row;
    if (!e) return;
    setData(tr, 'device', e.id);
    setData(tr, 'state', e.state);
    const href = deviceHref(e.id);
    if (link.getAttribute('href') !== href) link.setAttribute('href', href);
    setText(link, e.id);
    const tagText = Array.isArray(e.tags) && e.tags.length ? e.tags.join(' · ') : '';
    setText(tags, tagText);
    setText(c.host, e.host ?? '');
    c.host.title = e.host ?? '';
    const word = STATE_WORDS[e.state] ?? e.state ?? 'no data';
    const cls = `badge status-${e.state ?? 'no-data'}`;
    if (badge.className !== cls) badge.className = cls;
    setText(badge, word);
    setValue(c.in, 'bps', e.inBps, fmt.bps(e.inBps));
    setValue(c.out, 'bps', e.outBps, fmt.bps(e.outBps));
    setData(c.util, 'util', e.maxUtil);
    setText(c.util, e.maxUtil == null ? '–' : `${fmt.percent(e.maxUtil)}${e.maxUtilIf ? ' · ' + e.maxUtilIf : ''}`);
    const utilCls = `util${e.maxUtil >= 90 ? ' crit' : e.maxUtil >= 70 ? ' warn' : ''}`;
    if (c.util.className !== utilCls) c.util.className = utilCls;
    setValue(c.ifs, 'count', e.ifs, e.ifs == null ? '–' : String(e.ifs));
    setValue(c.down, 'count', e.ifDown, e.ifDown == null ? '–' : String(e.ifDown));
    c.down.classList.toggle('bad', e.ifDown > 0);
    setData(c.alerts, 'critical', e.critical);
    setValue(c.alerts, 'count', e.alerts,
      e.alerts == null ? '–' : e.critical > 0 ? `${e.alerts} (${e.critical} critical)` : String(e.alerts));
    c.alerts.classList.toggle('crit', e.critical > 0);
    c.alerts.classList.toggle('warn', !(e.critical > 0) && e.alerts > 0);
    setValue(c.ts, 'ts', e.ts, fmt.time(e.ts));
  }

  // ---------------------------------------------------------------- order and search
  function matches(e) {
    if (view.show && !SHOWS[view.show](e)) return false;
    if (!needle) return true;
    return matchesLocally(e, needle) || (serverIds != null && serverIds.has(e.id));
  }

  /** Filters and sorts every entry again: after a search, a sort, or a change that moves rows. */
  function rebuild(changed) {
    const list = [];
    for (const e of store.devices.values()) if (matches(e)) list.push(e);
    list.sort(comparator(view.sort, view.dir));
    shown = list.map((e) => e.id);
    rows.setRows(shown, changed);
    showCount();
  }

  function showCount() {
    if (!store.loaded) return;
    const total = store.devices.size;
    const picked = view.show ? TILES.find((t) => t.key === view.show).label.toLowerCase() : null;
    let text;
    if (!needle && !picked) text = `${count.format(total)} device${total === 1 ? '' : 's'}`;
    else if (!needle) text = `${count.format(shown.length)} of ${count.format(total)} devices: ${picked}`;
    else text = `${count.format(shown.length)} of ${count.format(total)} devices match “${view.q.trim()}”${picked ? ` (${picked})` : ''}`;
    if (needle && searchState === 'asking') text += ' (searching interfaces…)';
    if (needle && searchState === 'failed') text += ' (interface names not searched: the hub did not answer)';
    if (needle && searchState === 'local-only') text += ` (interface names are searched up to ${SEARCH_MAX} characters)`;
    setText(countText, text);
    setData(countText, 'shown', shown.length);
    setData(countText, 'search', searchState);
    setText(message, total === 0 ? 'No devices (or none this account may see).'
      : shown.length === 0 ? (needle ? 'No device matches the search.' : `No device now: ${picked}.`) : '');
    message.hidden = !(total === 0 || shown.length === 0);
  }

  function showSort() {
    for (const [key, th] of headers) {
      if (key === view.sort) th.setAttribute('aria-sort', view.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    problemsBtn.setAttribute('aria-pressed', String(view.sort === PROBLEMS));
  }

  /** The search and the order into the address, without a new history entry or a remount. */
  function saveView() {
    const hash = viewHash(view);
    if (location.hash !== hash && !(hash === '#/' && (location.hash === '' || location.hash === '#'))) {
      history.replaceState(null, '', hash);
    }
  }

  function showPick() {
    for (const { t, pick } of tiles.values()) {
      if (pick) pick.setAttribute('aria-pressed', String(t.key === 'devices' ? !view.show : view.show === t.key));
    }
  }

  /** Only the devices a tile counts (null: every device). */
  function showOnly(key) {
    view = { ...view, show: key };
    showPick();
    saveView();
    rebuild(null);
  }

  function sortBy(key) {
    if (view.sort === key) view = { ...view, dir: view.dir === 'asc' ? 'desc' : 'asc' };
    else view = { ...view, sort: key, dir: firstDir(key) };
    showSort();
    saveView();
    rebuild(null);
  }
  problemsBtn.addEventListener('click', () => {
    view = { ...view, sort: PROBLEMS, dir: 'asc' };
    showSort();
    saveView();
    rebuild(null);
  });

  let searchTimer = null;
  let searchSerial = 0;
  d.add(() => clearTimeout(searchTimer));

  /** Asks the hub, after a pause in typing, which devices have an interface (or anything else) that matches. */
  function askHub() {
    clearTimeout(searchTimer);
    searchSerial++;
    const q = view.q.trim();
    if (!q) {
      searchState = 'idle';
      return;
    }
    if (q.length > SEARCH_MAX) {
      searchState = 'local-only';
      return;
    }
    searchState = 'asking';
    const serial = searchSerial;
    searchTimer = setTimeout(async () => {
      let ids = null;
      try {
        ids = readSearch(await api.summarySearch(q));
      } catch (e) {
        if (serial !== searchSerial || d.disposed) return;
        searchState = 'failed';
        showCount();
        return;
      }
      if (serial !== searchSerial || d.disposed) return; // the search changed meanwhile
      serverIds = new Set(ids);
      searchState = 'done';
      rebuild(null);
    }, SEARCH_DEBOUNCE_MS);
  }

  search.addEventListener('input', () => {
    view = { ...view, q: search.value };
    needle = view.q.trim().toLowerCase();
    serverIds = null;
    saveView();
    askHub();
    rebuild(null);
  });

  // ---------------------------------------------------------------- fleet and top
  function showFleet() {
    const f = store.fleet;
    if (!f) return;
    for (const { t, li, value } of tiles.values()) {
      const v = t.value(f);
      setData(li, 'value', v);
      setText(value, t.bps ? fmt.bps(v) : v == null ? '–' : count.format(v));
      li.classList.toggle('zero', !t.bps && t.key !== 'devices' && !(v > 0));
    }
    setText(fleetAsOf, store.ts ? `as of ${fmt.time(store.ts)}` : '');
  }

  function topTable(id, title) {
    const body = h('tbody');
    const tbl = h('table', { class: 'grid top', id },
      h('caption', { class: 'sr-only' }, title),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'num' }, '#'),
        h('th', { scope: 'col' }, 'Interface'),
        h('th', { scope: 'col' }, 'Utilisation'),
        h('th', { scope: 'col', class: 'num' }, 'In'),
        h('th', { scope: 'col', class: 'num' }, 'Out'))),
      body);
    const empty = h('p', { class: 'muted' }, 'No interface has reported yet.');
    const list = [];
    for (let i = 0; i < TOP_N; i++) {
      const link = h('a', { href: '#/' });
      const bar = h('span', { class: 'bar-fill' });
      const c = {
        rank: h('td', { class: 'num rank' }, String(i + 1)),
        name: h('td', { class: 'name' }, link),
        util: h('td', { class: 'util' }, h('span', { class: 'bar', 'aria-hidden': 'true' }, bar), h('span', { class: 'util-text' })),
        in: h('td', { class: 'num in' }),
        out: h('td', { class: 'num out' }),
      };
      const tr = h('tr', { hidden: true }, Object.values(c));
      list.push({ tr, c, link, bar, text: c.util.querySelector('.util-text') });
      body.append(tr);
    }
    const section = h('section', { class: 'panel', 'aria-labelledby': `${id}-h` },
      h('h2', { id: `${id}-h` }, title), empty, h('div', { class: 'scroll' }, tbl));
    return { section, table: tbl, empty, list };
  }

  function showTop(t, entries) {
    t.empty.hidden = entries.length > 0;
    t.table.hidden = entries.length === 0;
    t.list.forEach((r, k) => {
      const e = entries[k];
      r.tr.hidden = !e;
      if (!e) return;
      const href = interfaceHref(e.device, e.ifIndex);
      if (r.link.getAttribute('href') !== href) r.link.setAttribute('href', href);
      setText(r.link, `${e.device} · ${e.name ?? 'if ' + e.ifIndex}`);
      setData(r.tr, 'device', e.device);
      setData(r.tr, 'ifindex', e.ifIndex);
      setData(r.tr, 'name', e.name);
      setData(r.c.util, 'util', e.util);
      setText(r.text, fmt.percent(e.util));
      const u = e.util ?? 0;
      r.bar.style.width = `${Math.min(100, Math.max(0, u)).toFixed(1)}%`;
      r.bar.className = `bar-fill${u >= 90 ? ' crit' : u >= 70 ? ' warn' : ''}`;
      setValue(r.c.in, 'bps', e.inBps, fmt.bps(e.inBps));
      setValue(r.c.out, 'bps', e.outBps, fmt.bps(e.outBps));
    });
  }

  // ---------------------------------------------------------------- updates
  d.add(store.subscribe((change) => {
    if (change.error) {
      if (!store.loaded) {
        message.hidden = false;
        setText(message, `Cannot load the fleet: ${store.error.message}. Retrying…`);
      }
      return;
    }
    if (change.snapshot || change.added || (needle && (change.fields.has('host') || change.fields.has('tags')))
        || sortReads(view.sort, change.fields) || showReads(view.show, change.fields)) {
      if (change.added && needle && searchState !== 'local-only') askHub(); // new devices: ask again
      rebuild(change.ids);
    } else {
      rows.refresh(change.ids); // the order holds: only the rows in view are drawn again
    }
    if (change.fleet) showFleet();
    else if (store.ts) setText(fleetAsOf, `as of ${fmt.time(store.ts)}`);
    if (change.top) {
      showTop(topUtil, store.top.util || []);
      showTop(topBps, store.top.bps || []);
    }
    setData(fleetSection, 'seq', store.seq);
    if (change.snapshot && !fleetSection.dataset.loaded) {
      setData(fleetSection, 'loaded', 'true');
      // For the benchmark (docs/BENCHMARKS.md): the first frame that shows the fleet.
      requestAnimationFrame(() => performance.mark('ifpulse.overview.painted'));
    }
  }));

  d.add(alerts.subscribe((s) => {
    renderAlerts(alertsActive, s.activeList(), 'No active alerts.');
    renderAlerts(alertsRecent, s.recentList().slice(0, 20), 'Nothing recent.');
  }));

  showSort();
  showPick();

  return { destroy: () => d.dispose() };
}
