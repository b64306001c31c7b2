// A time series of in/out bit rates for one interface: live samples appended, REST history merged
// in (backfill on open, gap fill after a reconnect), old points trimmed.
//
// Each point has ts (epoch ms), inBps, outBps (null = gap) and `cover`: how many ms the rate
// covers (the sample's intervalMs; unknown for history points). When two neighbouring points are
// further apart than the later one covers, something is missing between them (a lost message, a
// disconnected socket, a hub restart) and plot() puts a null there so the chart shows a gap
// instead of a line across it.

import { states } from './api.js';

export class Series {
  /** @param {number} keepMs how much history to keep, behind the newest point */
  constructor(keepMs) {
    this.keepMs = keepMs;
    this.ts = [];
    this.inB = [];
    this.outB = [];
    this.cover = [];
  }

  get length() {
    return this.ts.length;
  }

  get lastTs() {
    return this.ts.length ? this.ts[this.ts.length - 1] : null;
  }

  /** One live point (an interface entry of a traffic sample). */
  addSample(ts, entry) {
    const gap = !entry || entry.state === states.gap;
    const inB = gap || entry.inBps == null ? null : entry.inBps;
    const outB = gap || entry.outBps == null ? null : entry.outBps;
    const cover = !gap && entry.intervalMs != null ? entry.intervalMs : null;
    this.add(ts, inB, outB, cover);
  }

  add(ts, inB, outB, cover) {
    const n = this.ts.length;
    if (n === 0 || ts > this.ts[n - 1]) {
      this.ts.push(ts);
      this.inB.push(inB);
      this.outB.push(outB);
      this.cover.push(cover);
    } else {
      this.merge([ts], [inB], [outB], [cover]);
    }
    this.trim();
  }

  /** Merges points (e.g. a history response); a point already present (same ts) is kept. */
  merge(ts, inB, outB, cover) {
    if (!ts || ts.length === 0) return;
    const byTs = new Map();
    for (let i = 0; i < ts.length; i++) {
      byTs.set(ts[i], [ts[i], inB[i] ?? null, outB[i] ?? null, cover ? cover[i] ?? null : null]);
    }
    for (let i = 0; i < this.ts.length; i++) {
      byTs.set(this.ts[i], [this.ts[i], this.inB[i], this.outB[i], this.cover[i]]);
    }
    const all = [...byTs.values()].sort((a, b) => a[0] - b[0]);
    this.ts = all.map((p) => p[0]);
    this.inB = all.map((p) => p[1]);
    this.outB = all.map((p) => p[2]);
    this.cover = all.map((p) => p[3]);
    this.trim();
  }

  trim() {
    const n = this.ts.length;
    if (n === 0) return;
    // Relative to the newest point, not to this browser's clock (which may be off the hub's).
    const cutoff = this.ts[n - 1] - this.keepMs;
    let k = 0;
    while (k < n && this.ts[k] < cutoff) k++;
    if (k > 0) {
      this.ts.splice(0, k);
      this.inB.splice(0, k);
      this.outB.splice(0, k);
      this.cover.splice(0, k);
    }
  }

  /**
   * The points with ts >= fromMs as arrays for plotting, with a null inserted wherever data is
   * missing. Returns {ts, inB, outB, points} where points counts the real (non-null) points.
   */
  plot(fromMs = -Infinity, lastN = Infinity) {
    const ts = [];
    const inB = [];
    const outB = [];
    let points = 0;
    let start = 0;
    while (start < this.ts.length && this.ts[start] < fromMs) start++;
    start = Math.max(start, this.ts.length - lastN);
    for (let i = start; i < this.ts.length; i++) {
      const t = this.ts[i];
      if (i > start) {
        const prev = this.ts[i - 1];
        const c = this.cover[i];
        if (c != null && t - prev > c * 1.5 + 1000) {
          ts.push((prev + t) / 2);
          inB.push(null);
          outB.push(null);
        }
      }
      ts.push(t);
      inB.push(this.inB[i]);
      outB.push(this.outB[i]);
      if (this.inB[i] != null || this.outB[i] != null) points++;
    }
    return { ts, inB, outB, points };
  }
}
