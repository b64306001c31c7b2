// The group page's chart: the group's in bit/s as a line, and its members' in bit/s stacked
// under it, from the history (GET /api/groups/{name}/history?members=true) and then each live
// sample. uPlot has no stacking of its own: each member's band is drawn as the running sum of
// the members before it, biggest sum first, so the smaller ones paint over it. The legend shows
// each member's own value. A group of more than 32 members (the history keeps the parts of the
// first 32) gets one more band, "other members": the total less the parts drawn.

import * as fmt from './format.js';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];
const STACKED = 32;
const KEEP_MS = 15 * 60 * 1000;
const SHOW_MS = 5 * 60 * 1000;
const HEIGHT = 300;

export class GroupChart {
  constructor(box) {
    this.box = box;
    this.points = []; // {ts, total (null: partial), parts: Map key → in bit/s}, oldest first
    this.members = new Map(); // key → {device, ifIndex, name}, in stack order
    this.others = false;
    this.chart = null;
    this.shape = ''; // the members the chart was built for
  }

  /** The history answer: points before any live one. */
  backfill(h) {
    const keys = (h.members || []).map((m) => {
      const key = `${m.device}/${m.ifIndex}`;
      if (!this.members.has(key)) this.members.set(key, m);
      return key;
    });
    for (const p of h.points || []) {
      const parts = new Map();
      (p[3] || []).forEach((v, i) => { if (v != null) parts.set(keys[i], v); });
      this.add(p[0], p[1], parts);
    }
    if (this.members.size >= STACKED) this.others = true;
    this.box.dataset.historyPoints = String(this.points.length);
  }

  /** A live sample (readGroupSample). */
  live(s) {
    const parts = new Map();
    s.stack.slice(0, STACKED).forEach((m) => {
      const key = `${m.device}/${m.ifIndex}`;
      if (!this.members.has(key)) this.members.set(key, { device: m.device, ifIndex: m.ifIndex, name: m.name });
      parts.set(key, m.inBps || 0);
    });
    if (s.stack.length > STACKED) this.others = true;
    if (this.add(s.ts, s.partial ? null : s.inBps, parts)) {
      this.box.dataset.livePoints = String(Number(this.box.dataset.livePoints || 0) + 1);
    }
  }

  add(ts, total, parts) {
    const last = this.points[this.points.length - 1];
    if (last && ts <= last.ts) return false; // the history already holds it
    this.points.push({ ts, total, parts });
    while (this.points.length && this.points[0].ts < ts - KEEP_MS) this.points.shift();
    return true;
  }

  draw() {
    const keys = [...this.members.keys()];
    const shape = keys.join(' ') + (this.others ? ' +' : '');
    const { data } = this.data(keys);
    if (!this.chart || shape !== this.shape) this.make(keys, shape, data);
    else this.chart.setData(data);
    const last = this.points.length - 1;
    const b = this.box.dataset;
    b.points = String(this.points.length);
    if (last >= 0) {
      // The top of the stack and the total as drawn at the latest point, for whoever checks them.
      b.lastTs = String(this.points[last].ts);
      b.lastTotal = data[data.length - 1][last] == null ? '' : String(data[data.length - 1][last]);
      b.lastStack = data.length > 2 ? String(data[1][last] ?? '') : '';
    }
  }

  /** uPlot's columns: time, the running sums from the top band down, the total. */
  data(keys) {
    const ts = this.points.map((p) => p.ts / 1000);
    const own = keys.map((k) => this.points.map((p) => (p.parts.has(k) ? p.parts.get(k) : null)));
    if (this.others) {
      own.push(this.points.map((p) => {
        if (p.total == null) return null;
        let sum = 0;
        for (const v of p.parts.values()) sum += v;
        return Math.max(0, p.total - sum);
      }));
    }
    const sums = [];
    let running = this.points.map(() => 0);
    for (const col of own) {
      running = running.map((r, i) => (col[i] == null ? r : r + col[i]));
      sums.push(running);
    }
    this.own = own.slice().reverse();
    return { data: [ts, ...sums.slice().reverse(), this.points.map((p) => p.total)] };
  }

  make(keys, shape, data) {
    if (this.chart) this.chart.destroy();
    this.shape = shape;
    const cs = getComputedStyle(document.documentElement);
    const v = (n, f) => cs.getPropertyValue(n).trim() || f;
    const text = v('--muted', '#555');
    const grid = v('--grid', '#ddd');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const labels = keys.map((k) => {
      const m = this.members.get(k);
      return `${m.device} ${m.name ?? m.ifIndex}`;
    });
    if (this.others) labels.push('other members');
    const bands = labels.map((label, i) => ({
      label, stroke: PALETTE[i % PALETTE.length], fill: `${PALETTE[i % PALETTE.length]}aa`, width: 1,
      spanGaps: false, points: { show: false }, value: (u, val, si, idx) => this.legend(si, idx),
    })).reverse();
    const now = () => {
      const last = this.points[this.points.length - 1];
      return last ? last.ts : Date.now();
    };
    this.chart = new uPlot({
      width: Math.max(300, this.box.clientWidth),
      height: HEIGHT,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { live: true },
      scales: {
        x: { time: true, range: () => [(now() - SHOW_MS) / 1000, now() / 1000] },
        y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      series: [
        { label: 'Time', value: (u, t, si, idx) => (idx == null ? 'latest' : fmt.time(t * 1000)) },
        ...bands,
        { label: 'Total in', stroke: v('--text', '#222'), width: 2, spanGaps: false, points: { show: false },
          value: (u, val, si, idx) => this.legend(si, idx) },
      ],
      axes: [
        { ...axis, space: 80, size: 40, values: (u, splits) => fmt.ticks(splits) },
        { ...axis, size: 80, values: (u, splits) => splits.map((x) => fmt.bpsShort(x)) },
      ],
    }, data, this.box);
  }

  /** A band's own value (not the running sum) or the total, at the cursor or else the latest. */
  legend(si, idx) {
    const total = si === this.chart.series.length - 1;
    const col = total ? this.points.map((p) => p.total) : this.own[si - 1];
    if (!col) return '–';
    let i = idx;
    if (i == null) for (i = col.length - 1; i >= 0 && col[i] == null; i--);
    return i == null || i < 0 || col[i] == null ? '–' : fmt.bps(col[i]);
  }

  resize() {
    if (this.chart && this.box.clientWidth > 0 && Math.abs(this.chart.width - this.box.clientWidth) > 1) {
      this.chart.setSize({ width: this.box.clientWidth, height: HEIGHT });
    }
  }

  destroy() {
    if (this.chart) this.chart.destroy();
    this.chart = null;
  }
}
