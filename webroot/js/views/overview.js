// #/ — every device (status, poll health, total in/out), the live top 10 interfaces by
// utilisation, and the alerts.

import { api, addresses, onTraffic as onSamples, isLive } from '../api.js';
import { h, setText, setValue, setData } from '../dom.js';
import { renderAlerts } from '../alerts.js';
import * as fmt from '../format.js';
import { Disposer, statusWord, sumField, utilOf, deviceHref, interfaceHref } from './common.js';

const TOP_N = 10;
const STATS_REFRESH_MS = 5000;

export function mountOverview(container, ctx) {
  const { bus, alerts } = ctx;
  const d = new Disposer();
  ctx.setCrumbs([]);
  ctx.setTitle('Overview');

  /** id -> {info, sample, row, cells} */
  const devices = new Map();

  // ---------------------------------------------------------------- layout
  const tbody = h('tbody');
  const devTable = h('table', { class: 'grid devices', id: 'devices' },
    h('caption', { class: 'sr-only' }, 'Devices'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Device'),
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col', class: 'num' }, 'Interval'),
      h('th', { scope: 'col', class: 'num' }, 'Interfaces'),
      h('th', { scope: 'col', class: 'num' }, 'In'),
      h('th', { scope: 'col', class: 'num' }, 'Out'),
      h('th', { scope: 'col', class: 'num' }, 'Avg RTT'),
      h('th', { scope: 'col', class: 'num' }, 'Timeouts'),
      h('th', { scope: 'col' }, 'Last error'),
      h('th', { scope: 'col', class: 'num' }, 'Last sample'))),
    tbody);
  const devMsg = h('p', { class: 'muted loading' }, 'Loading devices…');

  const topBody = h('tbody');
  const topTable = h('table', { class: 'grid top', id: 'top' },
    h('caption', { class: 'sr-only' }, 'Top 10 interfaces by utilisation'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'num' }, '#'),
      h('th', { scope: 'col' }, 'Interface'),
      h('th', { scope: 'col' }, 'Utilisation'),
      h('th', { scope: 'col', class: 'num' }, 'In'),
      h('th', { scope: 'col', class: 'num' }, 'Out'))),
    topBody);
  const topEmpty = h('p', { class: 'muted' }, 'No interface with a known speed has reported yet.');

  const alertsActive = h('ul', { class: 'alerts', id: 'alerts-active' });
  const alertsRecent = h('ul', { class: 'alerts', id: 'alerts-recent' });

  container.append(
    h('h1', { class: 'sr-only' }, 'Overview'),
    h('section', { class: 'panel', 'aria-labelledby': 'devices-h' },
      h('h2', { id: 'devices-h' }, 'Devices'), devMsg, h('div', { class: 'scroll' }, devTable)),
    h('div', { class: 'columns' },
      h('section', { class: 'panel', 'aria-labelledby': 'top-h' },
        h('h2', { id: 'top-h' }, 'Top 10 interfaces by utilisation'), topEmpty, h('div', { class: 'scroll' }, topTable)),
      h('section', { class: 'panel', 'aria-labelledby': 'alerts-h' },
        h('h2', { id: 'alerts-h' }, 'Alerts'),
        h('h3', null, 'Active'), alertsActive,
        h('h3', null, 'Recent'), alertsRecent)));

  // ---------------------------------------------------------------- devices table
  function row(info) {
    const c = {
      name: h('td', { class: 'name' }),
      status: h('td', { class: 'status' }),
      interval: h('td', { class: 'num interval' }),
      ifs: h('td', { class: 'num ifs' }),
      in: h('td', { class: 'num in' }),
      out: h('td', { class: 'num out' }),
      rtt: h('td', { class: 'num rtt' }),
      timeouts: h('td', { class: 'num timeouts' }),
      error: h('td', { class: 'error' }),
      last: h('td', { class: 'num last' }),
    };
    c.name.append(h('a', { href: deviceHref(info.id) }, info.id), h('span', { class: 'sub' }, `${info.host}:${info.port} · ${info.version}`));
    c.statusBadge = h('span', { class: 'badge' });
    c.status.append(c.statusBadge);
    const tr = h('tr', { dataset: { device: info.id } }, Object.values(c).filter((e) => e.tagName === 'TD'));
    return { tr, cells: c };
  }

  function showStatus(dev) {
    const word = statusWord(dev.reachable);
    setData(dev.tr, 'status', word);
    dev.cells.statusBadge.className = `badge status-${word.replace(' ', '-')}`;
    setText(dev.cells.statusBadge, word);
  }

  function showInterval(dev, ms) {
    const { info, cells } = dev;
    const live = isLive(ms, info);
    setValue(cells.interval, 'ms', ms, fmt.interval(ms));
    cells.interval.classList.toggle('live', live);
    cells.interval.title = live ? 'live interval: a browser is watching this device' : 'base interval';
  }

  function showInfo(dev) {
    const { info, cells } = dev;
    const stats = info.stats || {};
    if (info.reachable !== undefined && dev.reachable === undefined) dev.reachable = info.reachable;
    showStatus(dev);
    showInterval(dev, info.intervalMs);
    setValue(cells.ifs, 'count', info.interfaces, info.interfaces == null ? '–' : String(info.interfaces));
    setValue(cells.rtt, 'ms', stats.avgRttMs, fmt.ms(stats.avgRttMs));
    setValue(cells.timeouts, 'count', stats.timeouts, stats.timeouts == null ? '–' : String(stats.timeouts));
    setText(cells.error, stats.lastError ? stats.lastError : '');
    cells.error.title = stats.lastErrorAt ? `at ${fmt.time(stats.lastErrorAt)}` : '';
    if (!dev.sample) {
      setValue(cells.in, 'bps', info.inBps, fmt.bps(info.inBps));
      setValue(cells.out, 'bps', info.outBps, fmt.bps(info.outBps));
      setValue(cells.last, 'ts', info.lastTs, fmt.time(info.lastTs));
    }
  }

  function applyDevices(list) {
    devMsg.remove();
    for (const info of list) {
      let dev = devices.get(info.id);
      if (!dev) {
        dev = { info, sample: null, reachable: undefined, ...row(info) };
        devices.set(info.id, dev);
        tbody.append(dev.tr);
        d.add(onSamples(bus, info.id, (s) => onTraffic(dev, s)));
        d.add(bus.register(addresses.status(info.id), (s) => onStatus(dev, s)));
      }
      dev.info = info;
      if (info.reachable !== undefined) dev.reachable = info.reachable;
      showInfo(dev);
    }
  }

  function onTraffic(dev, s) {
    dev.sample = s;
    dev.reachable = s.reachable;
    showStatus(dev);
    const inB = sumField(s, 'inBps');
    const outB = sumField(s, 'outBps');
    setValue(dev.cells.in, 'bps', inB, fmt.bps(inB));
    setValue(dev.cells.out, 'bps', outB, fmt.bps(outB));
    setValue(dev.cells.last, 'ts', s.ts, fmt.time(s.ts));
    setData(dev.tr, 'seq', s.seq);
    if (s.intervalMs != null) showInterval(dev, s.intervalMs);
    scheduleTop();
  }

  function onStatus(dev, s) {
    dev.reachable = s.reachable;
    if (s.stats) dev.info = { ...dev.info, stats: s.stats };
    if (s.interfaces) dev.info = { ...dev.info, interfaces: s.interfaces.length };
    showInfo(dev);
  }

  async function loadDevices() {
    try {
      const r = await api.devices();
      if (!d.disposed) applyDevices(r.devices || []);
    } catch (e) {
      setText(devMsg, `Cannot load devices: ${e.message}`);
    }
  }

  // ---------------------------------------------------------------- top 10
  const topRows = [];
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
    topRows.push({ tr, c, link, bar, text: c.util.querySelector('.util-text') });
    topBody.append(tr);
  }

  let topTimer = null;
  function scheduleTop() {
    if (topTimer == null) topTimer = setTimeout(updateTop, 250);
  }
  d.add(() => clearTimeout(topTimer));

  function updateTop() {
    topTimer = null;
    const all = [];
    for (const dev of devices.values()) {
      const s = dev.sample;
      if (!s) continue;
      for (const i of s.interfaces || []) {
        const u = utilOf(i);
        if (u != null) all.push({ device: dev.info.id, i, u });
      }
    }
    all.sort((a, b) => b.u - a.u);
    const top = all.slice(0, TOP_N);
    topEmpty.hidden = top.length > 0;
    topTable.hidden = top.length === 0;
    topRows.forEach((r, k) => {
      const e = top[k];
      r.tr.hidden = !e;
      if (!e) return;
      const href = interfaceHref(e.device, e.i.ifIndex);
      if (r.link.getAttribute('href') !== href) r.link.setAttribute('href', href);
      setText(r.link, `${e.device} · ${e.i.name}`);
      setData(r.tr, 'device', e.device);
      setData(r.tr, 'ifindex', e.i.ifIndex);
      setData(r.tr, 'name', e.i.name);
      setData(r.c.util, 'util', e.u);
      setText(r.text, fmt.percent(e.u));
      r.bar.style.width = `${Math.min(100, Math.max(0, e.u)).toFixed(1)}%`;
      r.bar.className = `bar-fill${e.u >= 90 ? ' crit' : e.u >= 70 ? ' warn' : ''}`;
      setValue(r.c.in, 'bps', e.i.inBps, fmt.bps(e.i.inBps));
      setValue(r.c.out, 'bps', e.i.outBps, fmt.bps(e.i.outBps));
    });
  }
  updateTop();

  // ---------------------------------------------------------------- alerts
  d.add(alerts.subscribe((store) => {
    renderAlerts(alertsActive, store.activeList(), 'No active alerts.');
    renderAlerts(alertsRecent, store.recentList().slice(0, 20), 'Nothing recent.');
  }));

  // ---------------------------------------------------------------- life
  loadDevices();
  // Poll statistics (RTT, timeouts) change on every poll but travel only with status changes:
  // refresh them (and pick up any device added since) from the REST API.
  d.interval(() => {
    if (bus.connected) loadDevices();
  }, STATS_REFRESH_MS);
  // After a reconnect: what changed while we were away.
  d.add(bus.onOpen((reconnected) => {
    if (reconnected) loadDevices();
  }));

  return { destroy: () => d.dispose() };
}
