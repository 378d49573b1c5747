// The session list's row actions, search and feed, the model list, and import. Every change asks
// the server and then reloads the list (state/sessions.js), so this tab and the others (via
// sessions_changed) agree.
//
//   setQuery('foo'); togglePinned(row); removeSession(id); importExport(file);
import { store, toast } from './store.js';
import * as api from '../api/client.js';
import { followSidebar } from '../api/session-feed.js';
import { newChat, openSession } from './conversation.js';
import { loadSessions } from './sessions.js';

const MODEL_KEY = 'tether.model';
let queryTimer = 0;
let changeTimer = 0;

export function startSidebarFeed() {
  return followSidebar({
    onSessionsChanged: () => {
      clearTimeout(changeTimer);
      changeTimer = setTimeout(loadSessions, 150);
    },
    onStatus: (status) => { if (status === 'live') loadSessions(); },
  });
}

export function setQuery(query) {
  store.set({ query });
  clearTimeout(queryTimer);
  queryTimer = setTimeout(loadSessions, 220);
}

export function toggleArchived() {
  store.set((s) => ({ showArchived: !s.showArchived }));
  loadSessions();
}

async function change(call, failure) {
  try {
    const result = await call();
    await loadSessions();
    return result;
  } catch (e) {
    toast(`${failure}: ${e.message}`, { kind: 'error' });
    return null;
  }
}

export async function renameSession(id, title) {
  const clean = title.trim();
  if (!clean) return;
  // Shown at once; the list reload after the server's answer confirms it (or puts it back).
  store.set((s) => ({ sessions: s.sessions.map((r) => (r.session_id === id ? { ...r, title: clean } : r)) }));
  const r = await change(() => api.renameSession(id, clean), 'Rename failed');
  if (r && store.get().currentId === id) store.set((s) => ({ session: { ...s.session, title: clean } }));
}

export const togglePinned = (row) =>
  change(() => api.updateSession(row.session_id, { pinned: !row.pinned }), 'Could not pin');

export async function toggleArchivedRow(row) {
  const r = await change(() => api.updateSession(row.session_id, { archived: !row.archived }), 'Could not archive');
  if (r && !row.archived) toast('Conversation archived.');
}

export async function removeSession(id) {
  const r = await change(() => api.deleteSession(id), 'Delete failed');
  if (r && store.get().currentId === id) newChat();
}

export const exportHref = (id, format) => api.exportUrl(id, format);

/** Imports a JSON export chosen by the user and opens it. */
export async function importExport(file) {
  let parsed;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    toast(`“${file.name}” cannot be imported: it is not JSON. Import a .json file exported from Tether.`, { kind: 'error' });
    return;
  }
  const r = await change(() => api.importSession(parsed), 'Import failed');
  if (r?.session?.session_id) {
    toast('Conversation imported.');
    openSession(r.session.session_id);
  }
}

export async function loadModels() {
  try {
    const { models, default: fallback, upload_limit_bytes: uploadLimit } = await api.listModels();
    const saved = localStorage.getItem(MODEL_KEY);
    const ids = (models ?? []).map((m) => m.id);
    const model = store.get().model && ids.includes(store.get().model) ? store.get().model
      : ids.includes(saved) ? saved : fallback ?? ids[0] ?? null;
    store.set({ models: models ?? [], model, uploadLimit: uploadLimit ?? null });
  } catch (e) {
    toast(`Could not load models: ${e.message}`, { kind: 'error' });
  }
}

export function setModel(model) {
  store.set({ model });
  try { localStorage.setItem(MODEL_KEY, model); } catch { /* private mode */ }
  const id = store.get().currentId;
  if (id) api.updateSession(id, { model }).catch(() => {});
}
