// The open conversation: which session is shown, the reply being watched, and the session feed
// (both carried by the browser's one shared live connection, api/live.js). While a reply is
// watched the session feed is closed; when the reply ends, the transcript is reconciled with the
// server and the session feed reopens (it reports a queued turn that started meanwhile).
// Switching sessions stops watching only; it never cancels a reply.
//
//   openSession(id); newChat(); attachTurn(streamId); refresh();
import { store, toast } from './store.js';
import { beginTurn, applyTurnEvent, reconcile } from './transcript.js';
import { getSession, newSession } from '../api/client.js';
import { watchTurn } from '../api/turn-stream.js';
import { followSession } from '../api/session-feed.js';
import { loadSessions } from './sessions.js';

let watch = null;      // watchTurn handle of store.live.turnId
let feed = null;       // followSession handle of the open session
let generation = 0;    // drops answers that arrive after a newer refresh or a session switch
let creating = null;   // the session being created for a new chat, shared by concurrent callers

function showInUrl(id) {
  history.replaceState(null, '', id ? `#${encodeURIComponent(id)}` : location.pathname);
}

export function sessionFromUrl() {
  const id = decodeURIComponent(location.hash.slice(1));
  return id || null;
}

function closeConnections() {
  watch?.close();
  watch = null;
  feed?.close();
  feed = null;
}

export function newChat() {
  closeConnections();
  generation++;
  showInUrl(null);
  store.set({ currentId: null, session: null, messages: [], queued: [], live: null,
    loadingSession: false, sidebarOpen: false });
}

export async function openSession(id) {
  if (!id) return newChat();
  if (id === store.get().currentId) return store.set({ sidebarOpen: false });
  closeConnections();
  showInUrl(id);
  store.set({ currentId: id, session: null, messages: [], queued: [], live: null,
    loadingSession: true, sidebarOpen: false });
  await refresh();
}

/** The open session's id; a new chat becomes a session on its first send or upload. */
export function ensureSession() {
  const { currentId, model } = store.get();
  if (currentId) return Promise.resolve(currentId);
  creating ??= newSession({ model: model ?? undefined }).then(({ session }) => {
    adoptSession(session);
    loadSessions();
    return session.session_id;
  }).finally(() => { creating = null; });
  return creating;
}

function adoptSession(session) {
  showInUrl(session.session_id);
  store.set({ currentId: session.session_id, session: withoutMessages(session), loadingSession: false });
}

function withoutMessages(session) {
  const { messages, ...meta } = session;
  return meta;
}

/** Reloads the open session from the server and reconciles; attaches to its running turn. */
export async function refresh() {
  const id = store.get().currentId;
  if (!id) return;
  const mine = ++generation;
  let session;
  try {
    ({ session } = await getSession(id));
  } catch (e) {
    if (mine !== generation) return;
    store.set({ loadingSession: false });
    if (e.status === 404) { toast('That conversation no longer exists.'); newChat(); } else toast(e.message, { kind: 'error' });
    return;
  }
  if (mine !== generation || id !== store.get().currentId) return;
  const { live, messages } = store.get();
  let next = reconcile(session.messages ?? [], messages, live?.turnId ?? null);
  next = withPendingUser(next, session);
  store.set({ session: withoutMessages(session), messages: next, queued: session.queued ?? [],
    loadingSession: false, ...(session.model ? { model: session.model } : {}) });
  const active = session.active_stream_id;
  if (active && active !== live?.turnId) attachTurn(active);
  else if (!active && !live) followOpenSession();
}

/** While a turn runs, the server may hold its user message aside; show it so nothing vanishes. */
function withPendingUser(messages, session) {
  const text = session.pending_user_message;
  if (!session.active_stream_id || !text) return messages;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  if (lastUser?.content === text) return messages;
  const user = { role: 'user', content: text, created_at: session.pending_started_at, attachments: [] };
  const at = messages.findIndex((m) => m.role === 'assistant' && m.turn_id === session.active_stream_id);
  return at < 0 ? [...messages, user] : [...messages.slice(0, at), user, ...messages.slice(at)];
}

/** Watches a turn of the open session: the whole turn so far, then live. */
export function attachTurn(streamId) {
  const sessionId = store.get().currentId;
  if (store.get().live?.turnId === streamId) return;
  closeConnections();
  store.set((s) => ({ live: { turnId: streamId, status: 'connecting' }, messages: beginTurn(s.messages, streamId) }));
  watch = watchTurn(streamId, {
    onEvent: (event) => {
      if (store.get().currentId !== sessionId) return;
      store.set((s) => ({ messages: applyTurnEvent(s.messages, streamId, event) }));
      if (event.type === 'title' && event.data?.title) setTitle(event.data.title);
      if (event.type === 'stream_end' || event.type === 'cancel' || event.type === 'apperror') finishTurn(streamId);
    },
    onStatus: (status) => {
      if (status === 'closed') return;
      store.set((s) => (s.live?.turnId === streamId ? { live: { turnId: streamId, status } } : {}));
    },
    onGone: () => finishTurn(streamId),
  });
}

function finishTurn(streamId) {
  if (store.get().live?.turnId !== streamId) return;
  watch = null;
  store.set({ live: null });
  refresh();
  loadSessions();
}

function setTitle(title) {
  store.set((s) => ({ session: s.session ? { ...s.session, title } : s.session }));
}

function followOpenSession() {
  feed?.close();
  const sessionId = store.get().currentId;
  feed = followSession(sessionId, {
    onTurnStarted: () => {
      if (store.get().live) return;
      // Load first, then attach (refresh does when the session has an active turn): the other
      // tab's user message appears before its reply, never after it.
      refresh();
    },
    onSessionUpdated: (data) => {
      if (!store.get().live && data.message_count !== store.get().session?.message_count) refresh();
    },
    onTitle: setTitle,
  });
}
