// Tiny DOM helpers: build elements, and update text in place only when it changed.

/**
 * h('td', {class: 'in', dataset: {bps: 1}}, 'text', child...) -> element. Attributes starting
 * with "on" become listeners; `dataset` and `style` take objects.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, v);
    }
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Sets textContent only when it differs (no layout work for unchanged cells). */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets a data-* attribute only when it differs; null/undefined removes it. */
export function setData(el, key, value) {
  if (value == null || (typeof value === 'number' && Number.isNaN(value))) {
    if (key in el.dataset) delete el.dataset[key];
    return;
  }
  const s = String(value);
  if (el.dataset[key] !== s) el.dataset[key] = s;
}

/** Formatted text plus the raw number in a data attribute, e.g. data-bps="100021998.9". */
export function setValue(el, key, value, text) {
  setData(el, key, value);
  setText(el, text);
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
}
