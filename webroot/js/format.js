// Number and time formatting. Rates keep 4 significant digits in the unit that puts them in
// [1, 1000): 100.0 Mbit/s, 60.01 Mbit/s, 8.000 Gbit/s. Times are in the browser's time zone.

const BIT_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
const PLAIN_UNITS = ['', 'k', 'M', 'G', 'T'];

/** `digits` significant digits, scaled by 1000s; returns [text, unitIndex]. */
function scaled(v, digits) {
  if (v === 0) return ['0', 0];
  const sign = v < 0 ? '-' : '';
  let a = Math.abs(v);
  let u = 0;
  while (a >= 1000 && u < 4) {
    a /= 1000;
    u++;
  }
  let r = Number(a.toPrecision(digits)); // rounding first: 999.96 -> 1000, 99.998 -> 100.0
  if ((r >= 1000 || (u === 0 && r >= 999.5)) && u < 4) {
    a /= 1000;
    u++;
    r = Number(a.toPrecision(digits));
  }
  let text;
  if (u === 0 && r >= 100) text = r.toFixed(0); // no "523.0 bit/s"
  else if (r >= 100) text = r.toFixed(Math.max(0, digits - 3));
  else if (r >= 10) text = r.toFixed(Math.max(0, digits - 2));
  else if (r >= 1 || u > 0) text = r.toFixed(Math.max(0, digits - 1));
  else text = String(Number(a.toPrecision(Math.max(1, digits - 1))));
  return [sign + text, u];
}

/** 100021998.9 -> "100.0 Mbit/s"; null/undefined -> "–". */
export function bps(v) {
  if (v == null || Number.isNaN(v)) return '–';
  const [t, u] = scaled(v, 4);
  return `${t} ${BIT_UNITS[u]}`;
}

/** Shorter, for axis labels: 3 significant digits, no trailing zeros ("20 Mbit/s"). */
export function bpsShort(v) {
  if (v == null) return '';
  const [t, u] = scaled(v, 3);
  return `${t.includes('.') ? t.replace(/\.?0+$/, '') : t} ${BIT_UNITS[u]}`;
}

/** Interface speed: 1000000000 -> "1 Gbit/s", 100000000 -> "100 Mbit/s". */
export function speed(v) {
  if (v == null || v <= 0) return '–';
  let a = v;
  let u = 0;
  while (a >= 1000 && u < 4) {
    a /= 1000;
    u++;
  }
  return `${Number.isInteger(a) ? a : a.toPrecision(3)} ${BIT_UNITS[u]}`;
}

/** A per-second rate of events (errors, packets): "0", "12.5/s", "1.234 k/s". */
export function perSecond(v) {
  if (v == null || Number.isNaN(v)) return '–';
  if (v === 0) return '0/s';
  const [t, u] = scaled(v, 4);
  return `${t} ${PLAIN_UNITS[u]}/s`.replace(' /s', '/s');
}

export function percent(v) {
  if (v == null || Number.isNaN(v)) return '–';
  if (v === 0) return '0 %';
  if (v < 0.1) return '<0.1 %';
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} %`;
}

export function ms(v) {
  if (v == null || Number.isNaN(v)) return '–';
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 10) return `${v.toFixed(0)} ms`;
  return `${v.toFixed(1)} ms`;
}

export function interval(v) {
  if (v == null) return '–';
  return v >= 1000 ? `${+(v / 1000).toFixed(1)} s` : `${v} ms`;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** Epoch ms -> local wall-clock time; with the date when it is not today. */
export function time(ts) {
  if (ts == null) return '–';
  const d = new Date(ts);
  const now = new Date();
  return d.toDateString() === now.toDateString() ? timeFmt.format(d) : dateTimeFmt.format(d);
}

const tickFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const tickFmtS = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Axis labels for epoch-second splits, local time: minutes only when every split is on a minute. */
export function ticks(splits) {
  const whole = splits.every((s) => s % 60 === 0);
  return splits.map((s) => (whole ? tickFmt : tickFmtS).format(new Date(s * 1000)));
}

/** Epoch ms -> ISO string for <time datetime>. */
export function iso(ts) {
  return ts == null ? '' : new Date(ts).toISOString();
}

/** "12 s ago", "3 min ago". */
export function ago(ts, now = Date.now()) {
  if (ts == null) return '–';
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}
