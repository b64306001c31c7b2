// A table body that holds only the rows in view (and a few around them): rows of one fixed
// height, and two spacer rows that stand for the rest, so 5,000 rows cost the page what 50 do.
// The rows are kept in a pool and bound to whichever item is in their place; an item that
// changes off screen costs nothing until it scrolls into view.

import { h } from './dom.js';

const OVERSCAN = 8;

export class VirtualRows {
  /**
   * @param {object} o
   * @param {HTMLElement} o.scroller the element that scrolls (holds the table, its header sticky)
   * @param {HTMLTableElement} o.table
   * @param {HTMLTableSectionElement} o.tbody
   * @param {number} o.columns how many cells a row has (for the spacers' colspan)
   * @param {number} o.rowHeight the rows' height in px, as the style sheet makes them (measured again once drawn)
   * @param {() => {tr: HTMLTableRowElement}} o.makeRow a new, empty row
   * @param {(row: object, id: string) => void} o.fillRow shows item `id` in `row`
   */
  constructor(o) {
    Object.assign(this, o);
    this.ids = [];
    this.pool = [];
    this.start = 0;
    this.measured = false;
    this.frame = null;
    this.top = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: String(o.columns) }));
    this.bottom = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: String(o.columns) }));
    this.tbody.append(this.top, this.bottom);
    this.onScroll = () => this.schedule();
    this.scroller.addEventListener('scroll', this.onScroll, { passive: true });
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.scroller);
  }

  /** The items to list, in order; `changed` (a Set of ids) names those whose values changed. */
  setRows(ids, changed) {
    this.ids = ids;
    this.table.setAttribute('aria-rowcount', String(ids.length + 1));
    this.render(changed);
  }

  /** The items in `changed` have new values: only those in view are drawn again. */
  refresh(changed) {
    for (const row of this.pool) {
      if (row.tr.isConnected && changed.has(row.id)) this.fillRow(row, row.id);
    }
  }

  /** The rows on the page now (for tests and measurements): how many items have a row in the DOM. */
  get rendered() {
    return this.pool.filter((r) => r.tr.isConnected).length;
  }

  schedule() {
    if (this.frame == null) this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.render(null);
    });
  }

  /** Index range [from, to) of the items in view, with some above and below. */
  window() {
    const head = this.table.tHead ? this.table.tHead.offsetHeight : 0;
    const top = Math.max(0, this.scroller.scrollTop - head);
    // The scroller grows with its rows up to its maximum: until it is full, its own height says
    // nothing of how many rows fit, so the window's height stands in.
    const height = Math.max(this.scroller.clientHeight, Math.min(window.innerHeight || 0, 3000), 300);
    const first = Math.floor(top / this.rowHeight);
    const count = Math.ceil(height / this.rowHeight) + 1;
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(this.ids.length, first + count + OVERSCAN);
    return [from, Math.max(from, to)];
  }

  render(changed) {
    const [from, to] = this.window();
    const n = to - from;
    while (this.pool.length < n) this.pool.push(this.makeRow());
    let before = this.bottom;
    // Rows past the window leave the DOM (kept for later); the others are bound in order.
    for (let k = this.pool.length - 1; k >= n; k--) {
      const row = this.pool[k];
      if (row.tr.isConnected) row.tr.remove();
      row.id = undefined;
    }
    for (let k = n - 1; k >= 0; k--) {
      const row = this.pool[k];
      const id = this.ids[from + k];
      if (row.id !== id || (changed && changed.has(id))) this.fillRow(row, id);
      row.id = id;
      const index = String(from + k + 2); // 1 is the header row
      if (row.tr.getAttribute('aria-rowindex') !== index) row.tr.setAttribute('aria-rowindex', index);
      if (row.tr.nextSibling !== before || !row.tr.isConnected) this.tbody.insertBefore(row.tr, before);
      before = row.tr;
    }
    this.start = from;
    setHeight(this.top.firstChild, from * this.rowHeight);
    setHeight(this.bottom.firstChild, (this.ids.length - to) * this.rowHeight);
    if (!this.measured && n > 0) this.measure();
  }

  /** The style sheet decides the rows' height: read it once from a drawn row. */
  measure() {
    const first = this.pool[0].tr;
    const real = first.getBoundingClientRect().height;
    if (real <= 0) return; // not laid out yet (hidden): measure on the next render
    this.measured = true;
    if (Math.abs(real - this.rowHeight) > 0.5) {
      this.rowHeight = real;
      this.render(null);
    }
  }

  destroy() {
    if (this.frame != null) cancelAnimationFrame(this.frame);
    this.scroller.removeEventListener('scroll', this.onScroll);
    this.resize.disconnect();
  }
}

function setHeight(td, px) {
  const v = `${Math.max(0, px)}px`;
  if (td.style.height !== v) td.style.height = v;
  // A spacer of height 0 still draws its borders: hide it instead.
  const hide = px <= 0;
  if (td.parentNode.hidden !== hide) td.parentNode.hidden = hide;
}
