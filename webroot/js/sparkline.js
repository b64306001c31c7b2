// Small in/out sparklines on plain canvases. Updates only mark a canvas dirty; one
// requestAnimationFrame callback then draws the dirty canvases that are on screen, so 200 rows
// updated in the same second cost one frame of drawing, and rows scrolled out of view or filtered
// out cost nothing until they show again (an IntersectionObserver tells which are visible).

export class SparklineBatch {
  constructor() {
    this.dirty = new Set();
    this.visible = new Set();
    this.byCanvas = new Map();
    this.frame = 0;
    this.colors = null;
    this.io = new IntersectionObserver((entries) => {
      let wake = false;
      for (const e of entries) {
        const s = this.byCanvas.get(e.target);
        if (!s) continue;
        if (e.isIntersecting) {
          this.visible.add(s);
          if (this.dirty.has(s)) wake = true;
        } else {
          this.visible.delete(s);
        }
      }
      if (wake) this.schedule();
    }, { rootMargin: '200px 0px' });
  }

  /** Starts tracking a sparkline (an object with `canvas`, `series` and `points`). */
  add(spark) {
    this.byCanvas.set(spark.canvas, spark);
    this.io.observe(spark.canvas);
    this.mark(spark);
  }

  remove(spark) {
    this.io.unobserve(spark.canvas);
    this.byCanvas.delete(spark.canvas);
    this.visible.delete(spark);
    this.dirty.delete(spark);
  }

  /** Draw `spark` on the next frame (or when it next comes into view). */
  mark(spark) {
    this.dirty.add(spark);
    if (this.visible.has(spark)) this.schedule();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Theme changed: colours are read again and everything is redrawn. */
  refreshColors() {
    this.colors = null;
    for (const s of this.byCanvas.values()) this.mark(s);
  }

  flush() {
    this.frame = 0;
    if (!this.colors) {
      const cs = getComputedStyle(document.documentElement);
      this.colors = {
        in: cs.getPropertyValue('--in').trim() || '#2f7ed8',
        out: cs.getPropertyValue('--out').trim() || '#e8710a',
        inFill: cs.getPropertyValue('--in-fill').trim() || 'rgba(47,126,216,0.18)',
      };
    }
    for (const s of this.visible) {
      if (this.dirty.delete(s)) draw(s.canvas, s.series, s.points, this.colors);
    }
  }

  cancel() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.io.disconnect();
    this.dirty.clear();
    this.visible.clear();
    this.byCanvas.clear();
  }
}

// The CSS size of every sparkline (app.css: canvas.spark); fixed, so drawing reads no layout.
const SPARK_W = 120;
const SPARK_H = 24;

function draw(canvas, series, points, colors) {
  const dpr = window.devicePixelRatio || 1;
  const w = SPARK_W;
  const hgt = SPARK_H;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(hgt * dpr);
  }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, hgt);
  const p = series.plot(-Infinity, points);
  const n = p.ts.length;
  canvas.dataset.points = String(p.points);
  if (n < 2) return;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (p.inB[i] > max) max = p.inB[i];
    if (p.outB[i] > max) max = p.outB[i];
  }
  if (max <= 0) max = 1;
  const t0 = p.ts[0];
  const span = p.ts[n - 1] - t0 || 1;
  const x = (t) => 1 + ((t - t0) / span) * (w - 2);
  const y = (v) => hgt - 1.5 - (v / max) * (hgt - 3);

  // In: filled area, out: line. A null ends the current run (a gap).
  const path = (vals, fill) => {
    g.beginPath();
    let run = -1;
    const close = (end) => {
      if (fill && run >= 0) {
        g.lineTo(x(p.ts[end]), hgt);
        g.lineTo(x(p.ts[run]), hgt);
        g.closePath();
      }
    };
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      if (v == null) {
        close(i - 1);
        run = -1;
        continue;
      }
      if (run < 0) {
        run = i;
        g.moveTo(x(p.ts[i]), y(v));
      } else {
        g.lineTo(x(p.ts[i]), y(v));
      }
    }
    close(n - 1);
  };
  path(p.inB, true);
  g.fillStyle = colors.inFill;
  g.fill();
  path(p.inB, false);
  g.strokeStyle = colors.in;
  g.lineWidth = 1.25;
  g.stroke();
  path(p.outB, false);
  g.strokeStyle = colors.out;
  g.lineWidth = 1.25;
  g.stroke();
}
