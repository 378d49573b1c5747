// The owner's preferences — theme (system, light, dark), text size, Enter to send — kept on the
// server (GET/POST /api/preferences) so every device of theirs shows the same, and applied to the
// page here. The last ones seen are remembered in localStorage only to draw the first frame right.
//
//   await loadPreferences();   await savePreferences({ theme: 'dark' });   store.get().preferences
import { store } from './store.js';
import * as api from '../api/client.js';

const REMEMBERED = 'tether.preferences';

/** Sets the page's theme, text size and the highlight.js style sheet that matches the theme. */
export function applyPreferences(p) {
  const root = document.documentElement;
  if (p.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = p.theme;
  root.dataset.fontSize = p.font_size;
  root.style.colorScheme = p.theme === 'system' ? '' : p.theme;
  for (const link of document.querySelectorAll('link[data-scheme]')) {
    const scheme = link.dataset.scheme;
    link.media = p.theme === 'system' ? `(prefers-color-scheme: ${scheme})` : scheme === p.theme ? 'all' : 'not all';
  }
}

function use(p) {
  store.set({ preferences: p });
  applyPreferences(p);
  try { localStorage.setItem(REMEMBERED, JSON.stringify(p)); } catch { /* private mode: the server still has them */ }
}

/** Applies the remembered preferences at once, then the server's. */
export async function loadPreferences() {
  try {
    const remembered = JSON.parse(localStorage.getItem(REMEMBERED) ?? 'null');
    if (remembered?.theme) applyPreferences({ ...store.get().preferences, ...remembered });
  } catch { /* nothing usable remembered */ }
  try {
    use(await api.getPreferences());
  } catch {
    applyPreferences(store.get().preferences); // the defaults; the page works without them
  }
}

/** Changes some preferences: shown at once, saved on the server; put back (and thrown) if saving fails. */
export async function savePreferences(patch) {
  const before = store.get().preferences;
  store.set({ preferences: { ...before, ...patch } });
  applyPreferences(store.get().preferences);
  try {
    use(await api.savePreferences(patch));
  } catch (e) {
    use(before);
    throw e;
  }
}
