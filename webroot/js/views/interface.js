// #/device/<id>/if/<ifIndex> — a uPlot chart of in/out bit/s: backfilled from the history
// endpoint, then appended live; 1/5/15-minute windows, pause/resume, values on hover. Gaps
// (null in the history, `gap` samples, or time no sample covers) are drawn as gaps.

import { api, addresses, onTraffic as onSamples, readInterface, states } from '../api.js';
import { h, setText, setValue, setData } from '../dom.js';
import { Series } from '../series.js';
import * as fmt from '../format.js';
import { Disposer, watchDevice, statusWord, utilOf, notFound, deviceHref, interfaceHref } from './common.js';
import { renderAlerts } from '../alerts.js';

const WINDOWS = [
  { label: '1 min', ms: 60_000 },
  { label: '5 min', ms: 300_000 },
  { label: '15 min', ms: 900_000 },
];
const KEEP_MS = 15 * 60 * 1000 + 30_000;
const CHART_HEIGHT = 360;

export function mountInterface(container, ctx, params) {
  const { bus, alerts } = ctx;
  const id = params.device;
  let ifIndex = params.ifIndex;
  const d = new Disposer();
  ctx.setCrumbs([[id, deviceHref(id)], [`if ${ifIndex}`]]);
  ctx.setTitle(`${id} if ${ifIndex}`);

  const series = new Series(KEEP_MS);
  let windowMs = WINDOWS[1].ms;
  let paused = false;
  let ifName = null;
  let chart = null;
  let lastTs = null;
  let backfilled = false;
  let clockOffset = 0; // hub clock - browser clock, from the latest sample (ms)
  const pending = []; // live samples that arrive before the backfill

  // ---------------------------------------------------------------- layout
  const title = h('h1', null, `${id} · if ${ifIndex}`);
  const sub = h('p', { class: 'sub' });
  const stat = (label, cls) => {
    const dd = h('dd', { class: cls });
    return [h('div', { class: `stat stat-${cls}` }, h('dt', null, label), dd), dd];
  };
  const [inBox, inDd] = stat('In', 'in');
  const [outBox, outDd] = stat('Out', 'out');
  const [utilBox, utilDd] = stat('Utilisation', 'util');
  const [ppsBox, ppsDd] = stat('Packets in / out', 'pps');
  const [errBox, errDd] = stat('Errors in / out', 'errors');
  const [discBox, discDd] = stat('Discards in / out', 'discards');
  const [stateBox, stateDd] = stat('State', 'state');
  const [tsBox, tsDd] = stat('Last sample', 'last');

  const winButtons = WINDOWS.map((w) => {
    const b = h('button', { type: 'button', class: 'seg', 'aria-pressed': String(w.ms === windowMs), dataset: { windowMs: w.ms } }, w.label);
    b.addEventListener('click', () => {
      windowMs = w.ms;
      for (const x of winButtons) x.setAttribute('aria-pressed', String(x === b));
      redraw(true);
    });
    return b;
  });
  const pauseBtn = h('button', { type: 'button', id: 'pause', class: 'btn', 'aria-pressed': 'false' }, 'Pause');
  pauseBtn.addEventListener('click', () => {
    paused = !paused;
    pauseBtn.setAttribute('aria-pressed', String(paused));
    setText(pauseBtn, paused ? 'Resume' : 'Pause');
    chartBox.dataset.paused = String(paused);
    setText(pausedNote, paused ? 'Paused: new samples are kept and shown on resume.' : '');
    if (!paused) redraw(true);
  });
  const pausedNote = h('span', { class: 'muted', 'aria-live': 'polite' });
  const chartBox = h('div', { id: 'chart', class: 'chart', dataset: { points: '0', paused: 'false' } });
  const chartMsg = h('p', { class: 'muted loading' }, 'Loading history…');
  const alertList = h('ul', { class: 'alerts compact', tabindex: '0', 'aria-labelledby': 'if-alerts-h' });
  const alertSection = h('section', { class: 'panel', hidden: true, 'aria-labelledby': 'if-alerts-h' },
    h('h2', { id: 'if-alerts-h' }, 'Active alerts'), alertList);

  container.append(
    h('section', { class: 'panel if-head', id: 'if-head' },
      h('div', { class: 'title-row' }, title, h('a', { href: deviceHref(id), class: 'back' }, `All interfaces of ${id}`)),
      sub,
      h('dl', { class: 'stats' }, inBox, outBox, utilBox, ppsBox, errBox, discBox, stateBox, tsBox)),
    alertSection,
    h('section', { class: 'panel', 'aria-labelledby': 'chart-h' },
      h('div', { class: 'toolbar' },
        h('h2', { id: 'chart-h' }, 'Traffic'),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time window' }, winButtons),
        pauseBtn, pausedNote),
      chartMsg, chartBox));

  // ---------------------------------------------------------------- chart
  function colors() {
    const cs = getComputedStyle(document.documentElement);
    const v = (n, f) => cs.getPropertyValue(n).trim() || f;
    return {
      text: v('--muted', '#555'), grid: v('--grid', '#ddd'), in: v('--in', '#2f7ed8'), out: v('--out', '#e8710a'),
      inFill: v('--in-fill', 'rgba(47,126,216,.15)'),
    };
  }

  function makeChart() {
    if (chart) chart.destroy();
    const c = colors();
    const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
    const opts = {
      width: Math.max(300, chartBox.clientWidth),
      height: CHART_HEIGHT,
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      legend: { live: true },
      scales: {
        x: { time: true, range: () => xRange() },
        y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      series: [
        { label: 'Time', value: (u, v, si, idx) => (idx == null ? 'latest' : fmt.time(v * 1000)) },
        { label: 'In', stroke: c.in, fill: c.inFill, width: 1.5, spanGaps: false, points: { show: false }, value: legendValue },
        { label: 'Out', stroke: c.out, width: 1.5, spanGaps: false, points: { show: false }, value: legendValue },
      ],
      axes: [
        { ...axis, space: 80, size: 40, values: (u, splits) => fmt.ticks(splits) },
        { ...axis, size: 80, values: (u, splits) => splits.map((v) => fmt.bpsShort(v)) },
      ],
    };
    chart = new uPlot(opts, plotData().data, chartBox);
  }

  /** Legend value: the point under the cursor; with no cursor, the latest value. */
  function legendValue(u, v, si, idx) {
    if (idx == null) {
      const vals = u.data[si];
      for (let i = vals.length - 1; i >= 0; i--) if (vals[i] != null) return fmt.bps(vals[i]);
      return '–';
    }
    return fmt.bps(v);
  }

  /** The hub's "now": this browser's clock corrected by what the latest sample said. */
  function hubNow() {
    return Math.max(Date.now() + clockOffset, lastTs ?? 0);
  }

  function xRange() {
    const now = hubNow();
    return [(now - windowMs) / 1000, now / 1000];
  }

  function plotData() {
    const now = hubNow();
    const p = series.plot(now - windowMs - 2000);
    return { data: [p.ts.map((t) => t / 1000), p.inB, p.outB], points: p.points };
  }

  function redraw(force) {
    if (paused && !force) return;
    if (!chart) makeChart();
    const { data, points } = plotData();
    chart.setData(data);
    chartBox.dataset.points = String(points);
    chartBox.dataset.window = String(windowMs);
  }

  const ro = new ResizeObserver(() => {
    if (chart && chartBox.clientWidth > 0 && Math.abs(chart.width - chartBox.clientWidth) > 1) {
      chart.setSize({ width: chartBox.clientWidth, height: CHART_HEIGHT });
    }
  });
  ro.observe(chartBox);
  d.add(() => ro.disconnect());
  const onTheme = () => {
    makeChart();
    redraw(true);
  };
  window.addEventListener('ifpulse:theme', onTheme);
  d.add(() => window.removeEventListener('ifpulse:theme', onTheme));
  d.add(() => chart && chart.destroy());

  // ---------------------------------------------------------------- current values
  function showEntry(s, e) {
    const gap = e.state === states.gap;
    setValue(inDd, 'bps', gap ? null : e.inBps, fmt.bps(gap ? null : e.inBps));
    setValue(outDd, 'bps', gap ? null : e.outBps, fmt.bps(gap ? null : e.outBps));
    const u = utilOf(e);
    setValue(utilDd, 'util', u, e.inUtil == null ? fmt.percent(u) : `${fmt.percent(e.inUtil)} / ${fmt.percent(e.outUtil)}`);
    setText(ppsDd, `${fmt.perSecond(e.inPps)} / ${fmt.perSecond(e.outPps)}`);
    setText(errDd, `${fmt.perSecond(e.inErrors)} / ${fmt.perSecond(e.outErrors)}`);
    setText(discDd, `${fmt.perSecond(e.inDiscards)} / ${fmt.perSecond(e.outDiscards)}`);
    setValue(stateDd, 'state', e.state, gap ? `gap (${e.gap || '?'})` : e.state);
    setValue(tsDd, 'ts', s.ts, fmt.time(s.ts));
    if (e.oper || e.speedBps) showMeta({ ...(meta || {}), oper: e.oper ?? meta?.oper, speedBps: e.speedBps ?? meta?.speedBps });
  }

  let meta = null;
  function showMeta(m) {
    meta = m;
    const name = m.name || m.descr || `if ${ifIndex}`;
    ifName = name;
    setText(title, `${id} · ${name}`);
    ctx.setCrumbs([[id, deviceHref(id)], [name]]);
    ctx.setTitle(`${name} on ${id}`);
    const parts = [`ifIndex ${ifIndex}`, m.alias ? `“${m.alias}”` : null, m.descr && m.descr !== name ? m.descr : null,
      `speed ${fmt.speed(m.speedBps)}`, `oper ${m.oper || '–'}`, m.admin ? `admin ${m.admin}` : null];
    setText(sub, parts.filter(Boolean).join(' · '));
    setData(chartBox, 'ifindex', ifIndex);
    setData(chartBox, 'name', name);
  }

  // ---------------------------------------------------------------- data
  /**
   * The agent renumbered its interfaces (a restart): follow the interface by name, as the
   * history does, and keep the address bar's deep link right without a new route.
   */
  function renumbered(newIndex) {
    if (newIndex === ifIndex) return;
    ifIndex = newIndex;
    history.replaceState(null, '', interfaceHref(id, ifIndex));
    if (meta) showMeta(meta);
  }

  function onTraffic(s) {
    clockOffset = s.ts - Date.now();
    const list = s.interfaces || [];
    // By name first: ifIndex may change after an agent restart; the name does not (the history
    // is kept by name too).
    let e = ifName ? list.find((x) => x.name === ifName) : null;
    if (e) renumbered(e.ifIndex);
    else e = list.find((x) => x.ifIndex === ifIndex);
    if (!e) return;
    if (!backfilled) {
      pending.push([s.ts, e]);
      showEntry(s, e);
      return;
    }
    lastTs = Math.max(lastTs ?? 0, s.ts);
    series.addSample(s.ts, e);
    showEntry(s, e);
    redraw(false);
  }

  async function loadHistory(seconds) {
    const r = await api.interfaceHistory(id, ifIndex, seconds);
    series.merge(r.ts, r.inBps, r.outBps);
    if (r.ts && r.ts.length) lastTs = Math.max(lastTs ?? 0, r.ts[r.ts.length - 1]);
    if (!ifName && r.name) ifName = r.name;
  }

  async function open() {
    let failed = false;
    try {
      const dev = await api.device(id);
      if (d.disposed) return;
      const m = (dev.interfaces || []).find((i) => i.ifIndex === ifIndex);
      if (!m) {
        container.replaceChildren();
        notFound(container, `Device "${id}" has no interface with ifIndex ${ifIndex}.`);
        d.dispose();
        return;
      }
      showMeta(m);
      if (m.rate && !lastTs) showEntry({ ts: dev.device.lastTs }, readInterface(m.rate));
      await loadHistory(900);
    } catch (e) {
      if (d.disposed) return;
      if (e.status === 404) {
        container.replaceChildren();
        notFound(container, `There is no device "${id}".`);
        d.dispose();
        return;
      }
      // The chart still shows live samples; a reconnect tries the history again.
      setText(chartMsg, `Cannot load the history: ${e.message}`);
      failed = true;
    }
    if (d.disposed) return;
    backfilled = true;
    for (const [ts, e] of pending.splice(0)) {
      lastTs = Math.max(lastTs ?? 0, ts);
      series.addSample(ts, e);
    }
    if (!failed) chartMsg.remove();
    redraw(true);
  }

  d.add(onSamples(bus, id, onTraffic));
  d.add(bus.register(addresses.status(id), (s) => {
    if (meta && s.interfaces) {
      const m = s.interfaces.find((i) => i.name === ifName) || s.interfaces.find((i) => i.ifIndex === ifIndex);
      if (m) {
        renumbered(m.ifIndex);
        showMeta({ ...meta, ...m });
      }
    }
    setData(container, 'deviceStatus', statusWord(s.reachable));
  }));
  d.add(watchDevice(bus, id));
  // Gap fill after a reconnect: what the history has since the last point we saw.
  d.add(bus.onOpen(async (reconnected) => {
    if (!reconnected || !backfilled) return;
    const from = series.lastTs;
    try {
      if (!meta) {
        const dev = await api.device(id);
        const m = (dev.interfaces || []).find((i) => i.ifIndex === ifIndex);
        if (m) showMeta(m);
      }
      await loadHistory(from == null ? 900 : Math.min(900, (hubNow() - from) / 1000 + 5));
      chartMsg.remove();
      redraw(false);
    } catch (e) {
      console.warn('gap fill', e);
    }
  }));
  // The window slides even when no sample comes (an unreachable device).
  d.interval(() => {
    if (backfilled) redraw(false);
  }, 1000);
  d.add(alerts.subscribe((store) => {
    const list = store.activeList(id).filter((a) => a.ifIndex == null || a.ifIndex === ifIndex);
    alertSection.hidden = list.length === 0;
    renderAlerts(alertList, list, 'No active alerts.');
  }));

  open();
  return { destroy: () => d.dispose() };
}
