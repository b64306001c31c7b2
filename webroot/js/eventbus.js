// A small client for the Vert.x SockJS event-bus bridge (the wire protocol only; no library
// besides the hub's own copy of sockjs-client, loaded as the global SockJS).
//
// Frames are JSON text:
//   client -> server  {"type":"register","address":A,"headers":{}}
//                     {"type":"unregister","address":A,"headers":{}}
//                     {"type":"send","address":A,"body":B,"headers":{}}
//                     {"type":"ping"}             every 5 s, else the bridge closes the socket
//   server -> client  {"type":"rec","address":A,"body":B}
//                     {"type":"err","body":"access_denied"|...}
//
// The bus keeps the set of addresses that have at least one handler. It registers each of them
// whenever a socket opens, so a reconnect re-registers everything without the views doing
// anything; views learn about reconnects through onOpen(fn) (argument: true after a reconnect)
// to fill the gap from the REST history. A lost socket is retried with exponential backoff,
// 0.5 s doubling up to 5 s, until close(); onLost(fn) hears of each loss, so the page can find
// out whether the hub is away or no longer lets it in (a session that ended: retrying is futile).

const PING_MS = 5000;
const CONNECT_TIMEOUT_MS = 8000;
const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

export class EventBus {
  /** @param {string} url the SockJS endpoint, e.g. "/eventbus" */
  constructor(url) {
    this.url = url;
    /** @type {Map<string, Set<Function>>} */
    this.handlers = new Map();
    this.state = 'connecting'; // 'connecting' (first attempt), 'connected', 'reconnecting', 'closed'
    this.sock = null;
    this.attempt = 0;
    this.everOpened = false;
    this.closedByUser = false;
    this.pingTimer = null;
    this.retryTimer = null;
    this.connectTimer = null;
    this.stateListeners = new Set();
    this.openListeners = new Set();
    this.errorListeners = new Set();
    this.lostListeners = new Set();
    this.connect();
  }

  // ------------------------------------------------------------------ public API

  /** Adds a handler for messages sent to address; returns a function that removes it. */
  register(address, handler) {
    let set = this.handlers.get(address);
    if (!set) {
      set = new Set();
      this.handlers.set(address, set);
      this.frame({ type: 'register', address, headers: {} });
    }
    set.add(handler);
    return () => this.unregister(address, handler);
  }

  unregister(address, handler) {
    const set = this.handlers.get(address);
    if (!set || !set.delete(handler) || set.size > 0) return;
    this.handlers.delete(address);
    this.frame({ type: 'unregister', address, headers: {} });
  }

  /** Sends body to address (point to point). Returns false when not connected (nothing queued). */
  send(address, body) {
    return this.frame({ type: 'send', address, body, headers: {} });
  }

  get connected() {
    return this.state === 'connected';
  }

  /** fn(state) on every change of state; called once at once with the current state. */
  onState(fn) {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => this.stateListeners.delete(fn);
  }

  /** fn(reconnected) each time a socket opens, after every address has been registered again. */
  onOpen(fn) {
    this.openListeners.add(fn);
    return () => this.openListeners.delete(fn);
  }

  /** fn(frame) for every err frame from the bridge. */
  onError(fn) {
    this.errorListeners.add(fn);
    return () => this.errorListeners.delete(fn);
  }

  /** fn() each time a socket closes or fails to open while the bus still wants one (before the retry). */
  onLost(fn) {
    this.lostListeners.add(fn);
    return () => this.lostListeners.delete(fn);
  }

  /** Closes the socket for good: no retry after this. */
  close() {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    this.stopTimers();
    if (this.sock) this.sock.close();
    this.setState('closed');
  }

  // ------------------------------------------------------------------ socket life

  connect() {
    clearTimeout(this.retryTimer);
    let sock;
    try {
      sock = new SockJS(this.url);
    } catch (e) {
      console.warn('eventbus: cannot create socket', e);
      this.scheduleRetry();
      return;
    }
    this.sock = sock;
    // A connection attempt that hangs (a half-dead server) is abandoned and retried.
    this.connectTimer = setTimeout(() => {
      if (this.sock === sock && sock.readyState !== 1) sock.close();
    }, CONNECT_TIMEOUT_MS);
    sock.onopen = () => {
      if (this.sock !== sock) return;
      clearTimeout(this.connectTimer);
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      for (const address of this.handlers.keys()) this.frame({ type: 'register', address, headers: {} });
      this.pingTimer = setInterval(() => this.frame({ type: 'ping' }), PING_MS);
      this.setState('connected');
      for (const fn of this.openListeners) safely(fn, reconnected);
    };
    sock.onmessage = (e) => {
      if (this.sock !== sock) return;
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch (err) {
        console.warn('eventbus: not JSON', e.data);
        return;
      }
      if (msg.type === 'rec') {
        const set = this.handlers.get(msg.address);
        if (set) for (const fn of [...set]) safely(fn, msg.body, msg);
      } else if (msg.type === 'err') {
        console.warn('eventbus: error from the bridge', msg);
        for (const fn of this.errorListeners) safely(fn, msg);
      }
      // 'pong' and anything else: nothing to do.
    };
    sock.onclose = () => {
      if (this.sock !== sock) return;
      this.sock = null;
      this.stopTimers();
      if (this.closedByUser) return;
      this.setState('reconnecting');
      this.scheduleRetry();
      for (const fn of this.lostListeners) safely(fn);
    };
  }

  scheduleRetry() {
    if (this.closedByUser) return;
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt);
    this.attempt++;
    // A little jitter so that many browsers do not all come back in the same millisecond.
    this.retryTimer = setTimeout(() => this.connect(), delay * (0.8 + 0.4 * Math.random()));
  }

  stopTimers() {
    clearInterval(this.pingTimer);
    clearTimeout(this.connectTimer);
    this.pingTimer = null;
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    for (const fn of this.stateListeners) safely(fn, state);
  }

  frame(obj) {
    if (!this.sock || this.sock.readyState !== 1) return false;
    this.sock.send(JSON.stringify(obj));
    return true;
  }
}

function safely(fn, ...args) {
  try {
    fn(...args);
  } catch (e) {
    console.error(e);
  }
}
