// The dashboard shell: one event-bus connection for the page, the connection indicator, the theme
// toggle, the alerts panel and the hash router (#/, #/device/<id>, #/device/<id>/if/<ifIndex>).

import { EventBus } from './eventbus.js';
import { AlertStore, renderAlerts } from './alerts.js';
import { h, clear, setText } from './dom.js';
import { mountOverview } from './views/overview.js';
import { mountDevice } from './views/device.js';
import { mountInterface } from './views/interface.js';

const bus = new EventBus('/eventbus');
const alerts = new AlertStore(bus);
window.ifpulse = { bus, alerts }; // for debugging from the console

// ------------------------------------------------------------------ connection indicator

const conn = document.getElementById('conn');
const connLabel = conn.querySelector('.label');
bus.onState((state) => {
  conn.dataset.state = state;
  setText(connLabel, state);
  conn.title = state === 'connected' ? 'Live updates connected' : 'Connection lost: reconnecting automatically';
});

// ------------------------------------------------------------------ theme

const themeBtn = document.getElementById('theme-btn');
function showTheme() {
  const dark = document.documentElement.dataset.theme === 'dark';
  themeBtn.setAttribute('aria-pressed', String(dark));
  themeBtn.setAttribute('aria-label', dark ? 'Switch to light theme' : 'Switch to dark theme');
  themeBtn.title = themeBtn.getAttribute('aria-label');
  setText(themeBtn.querySelector('.label'), dark ? 'Dark' : 'Light');
}
themeBtn.addEventListener('click', () => {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try {
    localStorage.setItem('ifpulse.theme', next);
  } catch (e) {
    /* private mode: the choice lasts for this page only */
  }
  showTheme();
  window.dispatchEvent(new CustomEvent('ifpulse:theme', { detail: next }));
});
showTheme();

// ------------------------------------------------------------------ alerts panel

const alertsBtn = document.getElementById('alerts-btn');
const alertsPanel = document.getElementById('alerts-panel');
const alertsList = alertsPanel.querySelector('ul');
alerts.subscribe((store) => {
  const active = store.activeList();
  const count = alertsBtn.querySelector('.count');
  setText(count, String(active.length));
  alertsBtn.dataset.count = String(active.length);
  alertsBtn.classList.toggle('has-critical', active.some((a) => a.severity === 'critical'));
  if (!alertsPanel.hidden) renderAlerts(alertsList, active, 'No active alerts.');
});
function setPanel(open) {
  alertsPanel.hidden = !open;
  alertsBtn.setAttribute('aria-expanded', String(open));
  if (open) renderAlerts(alertsList, alerts.activeList(), 'No active alerts.');
}
alertsBtn.addEventListener('click', () => setPanel(alertsPanel.hidden));
alertsPanel.querySelector('.close').addEventListener('click', () => {
  setPanel(false);
  alertsBtn.focus();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !alertsPanel.hidden) {
    setPanel(false);
    alertsBtn.focus();
  }
});

// ------------------------------------------------------------------ skip link, time zone

document.getElementById('skip').addEventListener('click', () => document.getElementById('main').focus());
setText(document.getElementById('tz'), Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time');

// ------------------------------------------------------------------ router

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
let current = null;

const ctx = {
  bus,
  alerts,
  /** [[text, href], ..., [text]]: the breadcrumb trail after "Overview". */
  setCrumbs(trail) {
    clear(crumbs);
    const ol = h('ol');
    const all = [['Overview', '#/'], ...trail];
    all.forEach(([text, href], i) => {
      const last = i === all.length - 1;
      ol.append(h('li', null, last ? h('span', { 'aria-current': 'page' }, text) : h('a', { href }, text)));
    });
    crumbs.append(ol);
  },
  setTitle(text) {
    document.title = text ? `${text} · ifpulse` : 'ifpulse';
  },
};

function parse(hash) {
  const path = hash.replace(/^#/, '') || '/';
  let m = path.match(/^\/device\/([^/]+)\/if\/([^/]+)\/?$/);
  if (m) return { view: 'interface', device: decodeURIComponent(m[1]), ifIndex: Number(decodeURIComponent(m[2])) };
  m = path.match(/^\/device\/([^/]+)\/?$/);
  if (m) return { view: 'device', device: decodeURIComponent(m[1]) };
  return { view: 'overview' };
}

function route() {
  const r = parse(location.hash);
  if (current) {
    try {
      current.destroy();
    } catch (e) {
      console.error(e);
    }
  }
  clear(main);
  main.dataset.view = r.view;
  const mount = { overview: mountOverview, device: mountDevice, interface: mountInterface }[r.view];
  current = mount(main, ctx, r);
  window.scrollTo(0, 0);
}

window.addEventListener('hashchange', route);
// Leaving the page releases the watched device at once (the server also does on socket close).
window.addEventListener('pagehide', () => {
  if (current) current.destroy();
  current = null;
  bus.close();
});
// Back from the back/forward cache: the socket was closed on pagehide; start afresh.
window.addEventListener('pageshow', (e) => {
  if (e.persisted) location.reload();
});
route();
