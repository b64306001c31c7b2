// The dashboard shell. It first asks the hub who this page is (GET /api/session): a hub with users
// and nobody signed in gets the sign-in form (#/signin) and no event bus, so a signed-out page
// neither opens nor retries a socket. Otherwise: one event-bus connection for the page, the
// connection indicator, the signed-in user with "Sign out", the theme toggle, the alerts panel and
// the hash router (#/ with its search and order, #/?q=core&sort=inBps&dir=desc; #/device/<id>;
// #/device/<id>/if/<ifIndex>; #/group/<name>). A session that ends later (a 401 from the REST API, or a bus that
// the hub no longer lets in) brings the form back.

import { EventBus } from './eventbus.js';
import { AlertStore, renderAlerts } from './alerts.js';
import { whenUnauthorized } from './api.js';
import { whoAmI, needsSignIn, signOut } from './session.js';
import { h, clear, setText } from './dom.js';
import { mountOverview } from './views/overview.js';
import { mountDevice } from './views/device.js';
import { mountInterface } from './views/interface.js';
import { mountGroup } from './views/group.js';
import { mountSignIn } from './views/signin.js';

/** @type {EventBus|null} */
let bus = null;
/** @type {AlertStore|null} */
let alerts = null;
let current = null;
/** Whether the dashboard runs (bus open, router on); false while the sign-in form shows. */
let started = false;
window.ifpulse = {}; // for debugging from the console: {bus, alerts, who} once started

// ------------------------------------------------------------------ connection indicator

const conn = document.getElementById('conn');
const connLabel = conn.querySelector('.label');
function showConnection(state) {
  conn.dataset.state = state;
  setText(connLabel, state);
  conn.title = state === 'connected' ? 'Live updates connected'
    : state === 'closed' ? 'Live updates stopped' : 'Connection lost: reconnecting automatically';
}

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
function showAlertCount(store) {
  const active = store.activeList();
  const count = alertsBtn.querySelector('.count');
  setText(count, String(active.length));
  alertsBtn.dataset.count = String(active.length);
  alertsBtn.classList.toggle('has-critical', active.some((a) => a.severity === 'critical'));
  if (!alertsPanel.hidden) renderAlerts(alertsList, active, 'No active alerts.');
}
function setPanel(open) {
  alertsPanel.hidden = !open;
  alertsBtn.setAttribute('aria-expanded', String(open));
  if (open && alerts) renderAlerts(alertsList, alerts.activeList(), 'No active alerts.');
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

// ------------------------------------------------------------------ signed-in user

const whoBox = document.getElementById('who');
const signOutBtn = document.getElementById('signout-btn');
function showUser(who) {
  const signedIn = who != null && who.mode === 'users' && who.user != null;
  whoBox.hidden = !signedIn;
  signOutBtn.hidden = !signedIn;
  if (!signedIn) return;
  setText(whoBox.querySelector('.name'), who.user);
  const role = whoBox.querySelector('.role');
  setText(role, who.role || '');
  role.dataset.role = who.role || '';
  const scope = [...(who.devices || []), ...(who.tags || []).map((t) => `tag ${t}`)];
  whoBox.title = `Signed in as ${who.user} (${who.role}); ${scope.length ? 'devices: ' + scope.join(', ') : 'all devices'}`;
}
signOutBtn.addEventListener('click', async () => {
  signOutBtn.disabled = true;
  try {
    await signOut();
  } catch (e) {
    /* the hub is away: the page forgets the session anyway, and the cookie ends with its idle timeout */
  }
  signOutBtn.disabled = false;
  toSignIn(currentPath(), 'You are signed out.');
});

// ------------------------------------------------------------------ skip link, time zone

document.getElementById('skip').addEventListener('click', () => document.getElementById('main').focus());
setText(document.getElementById('tz'), Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time');

// ------------------------------------------------------------------ router

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');

const ctx = {
  bus: null,
  alerts: null,
  /** [[text, href], ..., [text]]: the breadcrumb trail after "Overview"; null for none at all. */
  setCrumbs(trail) {
    clear(crumbs);
    if (trail == null) return;
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
  let m = path.match(/^\/signin\/?(?:\?(.*))?$/);
  if (m) return { view: 'signin', next: safeNext(new URLSearchParams(m[1] || '').get('next')) };
  m = path.match(/^\/device\/([^/]+)\/if\/([^/]+)\/?$/);
  if (m) return { view: 'interface', device: decodeURIComponent(m[1]), ifIndex: Number(decodeURIComponent(m[2])) };
  m = path.match(/^\/group\/([^/]+)\/?$/);
  if (m) return { view: 'group', group: decodeURIComponent(m[1]) };
  m = path.match(/^\/device\/([^/]+)\/?$/);
  if (m) return { view: 'device', device: decodeURIComponent(m[1]) };
  return { view: 'overview' };
}

/** A route of this page to return to after signing in: a path of ours, never the form itself. */
function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || /^\/signin(\/|\?|$)/.test(next)) return '/';
  return next;
}

/** The route shown now ("/device/x"), or the one the sign-in form will return to. */
function currentPath() {
  const r = parse(location.hash);
  return r.view === 'signin' ? r.next : safeNext(location.hash.replace(/^#/, '') || '/');
}

function unmount() {
  if (current) {
    try {
      current.destroy();
    } catch (e) {
      console.error(e);
    }
  }
  current = null;
  clear(main);
}

function route() {
  let r = parse(location.hash);
  if (r.view === 'signin') {
    // Signed in already: straight on to where the form would have led.
    history.replaceState(null, '', `#${r.next}`);
    r = parse(location.hash);
  }
  unmount();
  main.dataset.view = r.view;
  const mount = { overview: mountOverview, device: mountDevice, interface: mountInterface, group: mountGroup }[r.view];
  current = mount(main, ctx, r);
  window.scrollTo(0, 0);
}

window.addEventListener('hashchange', () => {
  if (started) {
    route();
    return;
  }
  // Signed out, a link or the back button asked for a page: the form stays and returns there.
  const r = parse(location.hash);
  if (r.view !== 'signin') history.replaceState(null, '', signInHash(currentPath()));
});

// ------------------------------------------------------------------ start and stop

/** The dashboard proper: the bus, the alerts and the router. */
function start(who) {
  started = true;
  showUser(who);
  alertsBtn.hidden = false;
  conn.hidden = false;
  bus = new EventBus('/eventbus');
  alerts = new AlertStore(bus);
  ctx.bus = bus;
  ctx.alerts = alerts;
  window.ifpulse = { bus, alerts, who };
  bus.onState(showConnection);
  alerts.subscribe(showAlertCount);
  // A socket that keeps failing may mean the session ended (expired, signed out in another tab,
  // user removed): ask, and show the form instead of retrying for ever.
  bus.onLost(checkSession);
  // Started without an answer (the hub was away): learn who we are once it is back.
  if (who == null) bus.onOpen(checkSession);
  route();
}

function signInHash(next) {
  return `#/signin?next=${encodeURIComponent(next)}`;
}

/** Stops the dashboard (view, bus, alerts) and shows the sign-in form, which returns to `next`. */
function toSignIn(next, notice) {
  started = false;
  unmount();
  setPanel(false);
  if (bus) bus.close();
  bus = null;
  alerts = null;
  ctx.bus = null;
  ctx.alerts = null;
  window.ifpulse = {};
  showUser(null);
  alertsBtn.hidden = true;
  showConnection('closed');
  conn.hidden = true;
  history.replaceState(null, '', signInHash(next));
  main.dataset.view = 'signin';
  current = mountSignIn(main, ctx, {
    notice,
    signedIn() {
      // A fresh page with the new cookie: nothing of the signed-out page carries over.
      history.replaceState(null, '', `#${currentPath()}`);
      location.reload();
    },
  });
  window.scrollTo(0, 0);
}

let checking = false;
async function checkSession() {
  if (checking || !started) return;
  checking = true;
  try {
    const who = await whoAmI();
    if (!started) return;
    if (needsSignIn(who)) toSignIn(currentPath(), 'Your session has ended. Sign in again to continue.');
    else showUser(who);
  } catch (e) {
    /* the hub is away: the bus keeps retrying */
  } finally {
    checking = false;
  }
}

whenUnauthorized(() => {
  if (started) toSignIn(currentPath(), 'Your session has ended. Sign in again to continue.');
});

// Leaving the page releases the watched device at once (the server also does on socket close).
window.addEventListener('pagehide', () => {
  if (current) current.destroy();
  current = null;
  if (bus) bus.close();
});
// Back from the back/forward cache: the socket was closed on pagehide; start afresh.
window.addEventListener('pageshow', (e) => {
  if (e.persisted) location.reload();
});

async function boot() {
  let who;
  try {
    who = await whoAmI();
  } catch (e) {
    // The hub is away (or older than sign-in): start as an open dashboard; the bus retries, and a
    // 401 later brings the form.
    who = null;
  }
  if (who && needsSignIn(who)) toSignIn(currentPath());
  else start(who);
}
boot();
