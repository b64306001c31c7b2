// The overview's rules, without the DOM: which devices a search or a fleet tile keeps, in what
// order they are listed, and how all three are written in the page's address
// (#/?q=..&show=..&sort=..).

import { deviceStates } from './api.js';

/** The overview's default order; docs/EVENTS.md ("Problems first") spells it for every client. */
export const PROBLEMS = 'problems';

// unreachable, no-credentials, critical alerts, other alerts, ifDown > 0, no-data, disabled, up.
const RANK_UNREACHABLE = 0;
const RANK_NO_CREDENTIALS = 1;
const RANK_CRITICAL = 2;
const RANK_ALERTS = 3;
const RANK_IF_DOWN = 4;
const RANK_NO_DATA = 5;
const RANK_DISABLED = 6;
const RANK_UP = 7;

/** Where a device stands in "problems first": lower is worse. */
export function problemRank(e) {
  if (e.state === deviceStates.unreachable) return RANK_UNREACHABLE;
  if (e.state === deviceStates.noCredentials) return RANK_NO_CREDENTIALS;
  if (e.critical > 0) return RANK_CRITICAL;
  if (e.alerts > 0) return RANK_ALERTS;
  if (e.ifDown > 0) return RANK_IF_DOWN;
  if (e.state === deviceStates.disabled) return RANK_DISABLED;
  if (e.state === deviceStates.up) return RANK_UP;
  return RANK_NO_DATA; // no-data, and any state this page does not know yet
}

const STATE_ORDER = new Map([
  [deviceStates.unreachable, 0], [deviceStates.noCredentials, 1], [deviceStates.noData, 2],
  [deviceStates.disabled, 3], [deviceStates.up, 4],
]);

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byId = (a, b) => collator.compare(a.id, b.id);

/**
 * The sortable columns: key (also the name in the address), the value sorted by, and the
 * direction of a first click (numbers: largest first; words: A to Z).
 */
export const SORTS = Object.freeze({
  id: { type: 'text', value: (e) => e.id },
  host: { type: 'text', value: (e) => e.host },
  state: { type: 'num', first: 'asc', value: (e) => STATE_ORDER.get(e.state) ?? 2 },
  inBps: { type: 'num', value: (e) => e.inBps },
  outBps: { type: 'num', value: (e) => e.outBps },
  maxUtil: { type: 'num', value: (e) => e.maxUtil },
  ifs: { type: 'num', value: (e) => e.ifs },
  ifDown: { type: 'num', value: (e) => e.ifDown },
  alerts: { type: 'num', value: (e) => (e.critical ?? 0) * 1e6 + (e.alerts ?? 0) },
  ts: { type: 'num', value: (e) => e.ts },
});

/** The direction of a first click on a column. */
export function firstDir(key) {
  const s = SORTS[key];
  if (!s) return 'asc';
  return s.first || (s.type === 'num' ? 'desc' : 'asc');
}

/** A comparator of entries for {sort, dir}: unknown values (null) last in either direction, ties by id. */
export function comparator(sort, dir) {
  if (sort === PROBLEMS || !SORTS[sort]) return (a, b) => problemRank(a) - problemRank(b) || byId(a, b);
  const { type, value } = SORTS[sort];
  const sign = dir === 'desc' ? -1 : 1;
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    const xn = x == null || (type === 'num' && Number.isNaN(x));
    const yn = y == null || (type === 'num' && Number.isNaN(y));
    if (xn || yn) return xn === yn ? byId(a, b) : xn ? 1 : -1;
    const c = type === 'num' ? x - y : collator.compare(String(x), String(y));
    return c !== 0 ? sign * c : byId(a, b);
  };
}

/** Whether the sort puts the fields of this change in another place (so the order must be made again). */
export function sortReads(sort, fields) {
  if (sort === PROBLEMS || !SORTS[sort]) {
    return fields.has('state') || fields.has('critical') || fields.has('alerts') || fields.has('ifDown');
  }
  if (sort === 'alerts') return fields.has('alerts') || fields.has('critical');
  return fields.has(sort);
}

/**
 * The fleet tiles that pick devices (#/?show=unreachable): the tile's key and which devices it
 * keeps. A count of interfaces or of alerts picks the devices that have at least one.
 */
export const SHOWS = Object.freeze({
  up: (e) => e.state === deviceStates.up,
  unreachable: (e) => e.state === deviceStates.unreachable,
  'no-credentials': (e) => e.state === deviceStates.noCredentials,
  'no-data': (e) => e.state === deviceStates.noData,
  disabled: (e) => e.state === deviceStates.disabled,
  'if-down': (e) => e.ifDown > 0,
  critical: (e) => e.critical > 0,
  warning: (e) => (e.alerts ?? 0) - (e.critical ?? 0) > 0,
});

/** Whether a change of these fields can move a device in or out of what the tile `show` keeps. */
export function showReads(show, fields) {
  if (!show) return false;
  return fields.has('state') || fields.has('ifDown') || fields.has('alerts') || fields.has('critical');
}

/** Whether an entry's id, host or one of its tags contains `needle` (lower case already). */
export function matchesLocally(e, needle) {
  if (!needle) return true;
  if (String(e.id).toLowerCase().includes(needle)) return true;
  if (e.host != null && String(e.host).toLowerCase().includes(needle)) return true;
  return Array.isArray(e.tags) && e.tags.some((t) => String(t).toLowerCase().includes(needle));
}

/** {q, show, sort, dir} of the overview's address "#/?q=core&show=unreachable&sort=inBps&dir=desc"; defaults when absent or unknown. */
export function readView(hash) {
  const i = hash.indexOf('?');
  const p = new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
  const q = (p.get('q') || '').slice(0, 200);
  const picked = p.get('show');
  const show = picked && Object.hasOwn(SHOWS, picked) ? picked : null;
  let sort = p.get('sort') || PROBLEMS;
  if (sort !== PROBLEMS && !SORTS[sort]) sort = PROBLEMS;
  let dir = p.get('dir');
  if (dir !== 'asc' && dir !== 'desc') dir = sort === PROBLEMS ? 'asc' : firstDir(sort);
  return { q, show, sort, dir };
}

/** The address of the overview showing view; the defaults are left out ("#/" for no search, every device, problems first). */
export function viewHash(view) {
  const p = new URLSearchParams();
  if (view.q) p.set('q', view.q);
  if (view.show) p.set('show', view.show);
  if (view.sort !== PROBLEMS) {
    p.set('sort', view.sort);
    p.set('dir', view.dir);
  }
  const s = p.toString();
  return s ? `#/?${s}` : '#/';
}
