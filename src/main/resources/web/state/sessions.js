// The sidebar's session list, loaded from the server. Its own module, below both
// state/conversation.js and state/sidebar.js: a conversation reloads the list when a session is
// created or a reply ends, the sidebar when a row changes, and neither has to import the other.
//
//   loadSessions();   // a newer call wins; an older answer arriving later is dropped
import { store, toast } from './store.js';
import { listSessions } from '../api/client.js';

let listGeneration = 0;

export async function loadSessions() {
  const mine = ++listGeneration;
  const { query, showArchived } = store.get();
  try {
    const { sessions } = await listSessions({ q: query.trim(), includeArchived: showArchived });
    if (mine === listGeneration) store.set({ sessions: sessions ?? [] });
  } catch (e) {
    if (mine === listGeneration && e.status !== 0) toast(`Could not load conversations: ${e.message}`, { kind: 'error' });
  }
}
