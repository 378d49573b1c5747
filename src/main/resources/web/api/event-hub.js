// The one live connection of this browser to the server (GET /api/events), shared by every tab:
// it runs in a SharedWorker (api/live-worker.js), or in the page where there is none. It carries
// the sidebar feed, the session channels and the turns that any tab watches. When what is watched
// changes it reconnects with the new set, and each turn resumes after the last event the hub has
// (`<turn>:<seq>`), so a reconnect neither loses nor repeats an event. A tab that starts watching
// a turn late gets the events the hub already has from memory, then the live ones.
//
//   const hub = new EventHub();
//   const stop = hub.watch({ kind: 'turn', id, after: 0 }, (msg) => …);  // msg: { type, data, id }
//   hub.watch({ kind: 'session', id }, fn); hub.watch({ kind: 'sidebar' }, fn); hub.watch({ kind: 'status' }, fn);
// No DOM here: it must run in a worker.

export const TURN_EVENTS = ['token', 'reasoning', 'tool', 'tool_complete', 'usage', 'title',
  'done', 'cancel', 'apperror', 'stream_end', 'recovery'];
const SESSION_EVENTS = ['initial', 'turn_started', 'session_updated', 'title', 'session_deleted', 'session_not_found'];
const TURN_GONE = ['stream_not_found', 'stream_gone'];
export const TERMINAL = new Set(['stream_end', 'cancel', 'apperror']);
const BACKOFF_MS = [300, 1000, 2000, 4000, 8000, 15000];
const RESUBSCRIBE_MS = 15; // gathers the watches of one page load into one reconnect

/** Sequence number of an SSE id `<turn>:<seq>`, or NaN. */
export function seqOf(eventId) {
  const i = String(eventId ?? '').lastIndexOf(':');
  return i < 0 ? NaN : Number.parseInt(eventId.slice(i + 1), 10);
}

const turnOf = (eventId) => String(eventId).slice(0, String(eventId).lastIndexOf(':'));

function parse(data) {
  try { return JSON.parse(data); } catch { return {}; }
}

export class EventHub {
  constructor(scope = globalThis) {
    this.scope = scope;
    this.sidebar = new Set();
    this.statuses = new Set();
    this.sessions = new Map(); // session id → Set of listeners
    this.turns = new Map();    // turn id → { listeners, events (seq → msg), from, cursor, ended }
    this.status = 'connecting';
    this.source = null;
    this.timer = null;
    this.failures = 0;
    this.sidebarVersion = null;
    scope.addEventListener?.('online', () => this.wake());
    scope.addEventListener?.('offline', () => { if (!this.source) this.setStatus('offline'); });
  }

  /** Starts delivering what `spec` names to `listener`; returns the function that stops it. */
  watch(spec, listener) {
    switch (spec.kind) {
      case 'status': return this.add(this.statuses, listener, () => listener(this.status));
      case 'sidebar': return this.add(this.sidebar, listener, () => this.ensureConnected());
      case 'session': return this.watchSession(spec.id, listener);
      case 'turn': return this.watchTurn(spec.id, Number(spec.after) || 0, listener);
      default: return () => {};
    }
  }

  add(set, listener, then) {
    set.add(listener);
    then();
    return () => set.delete(listener);
  }

  watchSession(id, listener) {
    let set = this.sessions.get(id);
    if (!set) {
      set = new Set();
      this.sessions.set(id, set);
      this.resubscribe();
    }
    set.add(listener);
    // A session no one watches any more stays on the connection until the next reconnect:
    // dropping it is not worth one.
    return () => { set.delete(listener); if (!set.size) this.sessions.delete(id); };
  }

  watchTurn(id, after, listener) {
    let turn = this.turns.get(id);
    if (!turn) {
      turn = { listeners: new Set(), events: new Map(), from: after, cursor: after, ended: false };
      this.turns.set(id, turn);
      this.resubscribe();
    } else {
      const held = [...turn.events].filter(([seq]) => seq > after).sort(([a], [b]) => a - b);
      for (const [, msg] of held) listener(msg);
      if (after < turn.from) {
        // This tab needs events from before what the hub holds: read the turn again from there.
        // The listeners already attached see those events a second time and drop them by seq.
        turn.from = after;
        turn.cursor = after;
        turn.ended = false;
        this.resubscribe();
      } else if (turn.gone) {
        listener(turn.gone);
      }
    }
    turn.listeners.add(listener);
    return () => {
      turn.listeners.delete(listener);
      if (!turn.listeners.size && this.turns.get(id) === turn) this.turns.delete(id);
    };
  }

  wake() {
    if (!this.source && this.failures) this.connect();
  }

  ensureConnected() {
    if (!this.source && !this.timer) this.resubscribe();
  }

  resubscribe() {
    if (this.pending) return;
    this.pending = setTimeout(() => { this.pending = null; this.connect(); }, RESUBSCRIBE_MS);
  }

  url() {
    const sessions = [...this.sessions.keys()];
    const turns = [...this.turns].filter(([, t]) => !t.ended).map(([id, t]) => (t.cursor > 0 ? `${id}:${t.cursor}` : id));
    const query = new URLSearchParams();
    if (sessions.length) query.set('sessions', sessions.join(','));
    if (turns.length) query.set('turns', turns.join(','));
    const qs = query.toString();
    return qs ? `/api/events?${qs}` : '/api/events';
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    if (this.scope.navigator?.onLine === false) { this.setStatus('offline'); this.failures ||= 1; return; }
    if (this.failures) this.setStatus('retrying');
    const source = new EventSource(this.url());
    this.source = source;
    source.onopen = () => { this.failures = 0; this.setStatus('live'); };
    source.onerror = () => { if (this.source === source) this.fail(); };
    const on = (name, handle) => source.addEventListener(name, (e) => {
      if (this.source === source) handle(name, parse(e.data), e.lastEventId);
    });
    for (const name of TURN_EVENTS) on(name, (type, data, id) => this.onTurnEvent(type, data, id));
    for (const name of SESSION_EVENTS.filter((n) => n !== 'title')) on(name, (type, data) => this.onSessionEvent(type, data));
    for (const name of TURN_GONE) on(name, (type, data) => this.onTurnGone(type, data));
    on('sessions_changed', (type, data) => this.onSidebar(type, data));
  }

  fail() {
    this.source?.close();
    this.source = null;
    this.failures++;
    this.setStatus(this.scope.navigator?.onLine === false ? 'offline' : 'retrying');
    const base = BACKOFF_MS[Math.min(this.failures - 1, BACKOFF_MS.length - 1)];
    this.timer = setTimeout(() => this.connect(), base + Math.random() * base * 0.3);
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    for (const l of [...this.statuses]) l(status);
  }

  onTurnEvent(type, data, id) {
    // `title` is also a session channel event (no id); a turn's title has one.
    if (!id) { if (type === 'title') this.onSessionEvent(type, data); return; }
    const turn = this.turns.get(turnOf(id));
    const seq = seqOf(id);
    if (!turn || !Number.isFinite(seq) || seq <= turn.cursor) return;
    turn.cursor = seq;
    const msg = { type, data, id };
    turn.events.set(seq, msg); // by seq: a re-read from an earlier cursor fills in, never doubles
    if (TERMINAL.has(type)) turn.ended = true;
    for (const l of [...turn.listeners]) l(msg);
  }

  onTurnGone(type, data) {
    const turn = this.turns.get(data.stream_id);
    if (!turn) return;
    turn.ended = true;
    turn.gone = { type, data, id: null };
    for (const l of [...turn.listeners]) l(turn.gone);
  }

  onSessionEvent(type, data) {
    const set = this.sessions.get(data.session_id);
    if (!set) return;
    const msg = { type, data, id: null };
    for (const l of [...set]) l(msg);
  }

  onSidebar(type, data) {
    // Every connection opens with the list's version: only a different one is news.
    if (data.reason === 'initial' && data.version === this.sidebarVersion) return;
    this.sidebarVersion = data.version;
    const msg = { type, data, id: null };
    for (const l of [...this.sidebar]) l(msg);
  }
}
