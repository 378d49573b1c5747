// The one state object of the tab, and the only place that changes it (set()). No DOM.
// Subscribers are called at most once per animation frame with the set of changed keys, so a
// burst of streamed tokens becomes one DOM update per frame. A timer backs up the frame callback
// because background tabs get no frames and must still keep their state current.
//
//   import { store } from '../../state/store.js';
//   const off = store.subscribe((state, changed) => { if (changed.has('sessions')) render(state); });

const INITIAL = {
  sessions: [],          // sidebar rows, as GET /api/sessions answers
  query: '',
  showArchived: false,
  currentId: null,       // the open session, or null for a new chat not yet created
  session: null,         // the open session's metadata (without messages)
  messages: [],          // its transcript (state/transcript.js shapes)
  queued: [],            // messages waiting server-side for the running turn to end
  loadingSession: false,
  live: null,            // { turnId, status } of the reply being watched
  models: [],
  model: null,
  uploadLimit: null,
  preferences: { theme: 'system', font_size: 'medium', send_on_enter: true }, // state/preferences.js     // bytes, from GET /api/models; a larger file is refused before it is sent
  drafts: [],            // attachments of the message being written
  toasts: [],
  sidebarOpen: false,
};

function createStore(initial) {
  let state = { ...initial };
  const subscribers = new Set();
  let changed = new Set();
  let frame = 0;
  let timer = 0;

  const flush = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = 0;
    const keys = changed;
    changed = new Set();
    for (const fn of subscribers) {
      try { fn(state, keys); } catch (e) { console.error(e); }
    }
  };

  return {
    get: () => state,
    set(patch) {
      const next = typeof patch === 'function' ? patch(state) : patch;
      let any = false;
      for (const [k, v] of Object.entries(next)) {
        if (state[k] !== v) { changed.add(k); any = true; }
      }
      if (!any) return;
      state = { ...state, ...next };
      if (!frame) {
        frame = requestAnimationFrame(flush);
        timer = setTimeout(flush, 100);
      }
    },
    /** Calls fn now with every key marked changed, then on each batched change. */
    subscribe(fn) {
      subscribers.add(fn);
      fn(state, new Set(Object.keys(state)));
      return () => subscribers.delete(fn);
    },
  };
}

export const store = createStore(INITIAL);

let toastSeq = 0;

/** Shows a toast; errors stay longer. hint is a second, quieter line. */
export function toast(message, { kind = 'info', hint = null, ms } = {}) {
  const id = ++toastSeq;
  store.set((s) => ({ toasts: [...s.toasts, { id, message, kind, hint }].slice(-4) }));
  setTimeout(() => dismissToast(id), ms ?? (kind === 'error' ? 8000 : 4000));
  return id;
}

export function dismissToast(id) {
  store.set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

export function toggleSidebar(open) {
  store.set((s) => ({ sidebarOpen: open ?? !s.sidebarOpen }));
}
