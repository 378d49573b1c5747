// The page-wide keyboard shortcuts and the sheet that lists them (opened with "?" or Ctrl+/).
// One table: what each key does and how the sheet names it, so the two cannot disagree.
//
//   const sheet = shortcutSheet();  document.body.append(sheet);
//   document.addEventListener('keydown', (e) => runShortcut(e, shell, sheet));
import { store, toggleSidebar } from '../../state/store.js';
import { newChat } from '../../state/conversation.js';
import { stop } from '../../state/chat.js';
import { html, setHtml } from '../../lib/html.js';

const MAC = /Mac|iPhone|iPad/.test(navigator.platform ?? '');
const MOD = MAC ? '⌘' : 'Ctrl';

/** A field where typed characters are text, so a bare "?" is not a command there. */
function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

const mod = (e) => (MAC ? e.metaKey : e.ctrlKey) && !e.altKey;

function focusComposer(shell) {
  shell.querySelector('t-composer textarea')?.focus();
}

/** [keys as the sheet shows them, what it does, does this event match, run]. Esc is handled last: it also closes things. */
const SHORTCUTS = [
  [[MOD, 'Shift', 'O'], 'New chat', (e) => mod(e) && e.shiftKey && e.code === 'KeyO',
    (shell) => { newChat(); focusComposer(shell); }],
  [[MOD, 'K'], 'Search conversations', (e) => mod(e) && !e.shiftKey && e.code === 'KeyK',
    (shell) => {
      if (matchMedia('(max-width: 900px)').matches) toggleSidebar(true);
      shell.querySelector('.sl-query')?.focus();
    }],
  [['Shift', 'Esc'], 'Focus the message box', (e) => e.shiftKey && e.key === 'Escape', focusComposer],
  [[MOD, 'Shift', 'C'], 'Copy the last reply', (e) => mod(e) && e.shiftKey && e.code === 'KeyC',
    (shell) => [...shell.querySelectorAll('t-message[data-role=assistant] [data-action=copy]')].at(-1)?.click()],
  [['Esc'], 'Stop the reply', (e) => e.key === 'Escape' && !e.shiftKey && Boolean(store.get().live), () => stop()],
  [['?'], 'Show these shortcuts', (e) => (e.key === '?' && !typing(e.target)) || (mod(e) && e.key === '/'),
    (shell, sheet) => { if (!sheet.open) sheet.showModal(); }],
];

/** Runs the shortcut that `e` is, if any; true if it did. */
export function runShortcut(e, shell, sheet) {
  if (e.defaultPrevented || e.isComposing || sheet.open) return false;
  const found = SHORTCUTS.find(([, , matches]) => matches(e));
  if (!found) return false;
  e.preventDefault();
  found[3](shell, sheet);
  return true;
}

/** The <dialog> listing the shortcuts; closed by Esc, its button, or a click outside it. */
export function shortcutSheet() {
  const sheet = document.createElement('dialog');
  sheet.className = 'dialog shortcuts';
  sheet.setAttribute('aria-labelledby', 'shortcuts-title');
  setHtml(sheet, html`<h2 id="shortcuts-title">Keyboard shortcuts</h2>
    <table class="shortcuts-table"><tbody>
      ${SHORTCUTS.map(([keys, what]) => html`<tr><td>${what}</td>
        <td class="shortcuts-keys">${keys.map((k) => html`<kbd>${k}</kbd>`)}</td></tr>`)}
      <tr><td>Send · new line</td><td class="shortcuts-keys"><kbd>Enter</kbd> · <kbd>Shift</kbd><kbd>Enter</kbd></td></tr>
    </tbody></table>
    <div class="dialog-actions"><button type="button" class="btn btn-primary btn-small" data-close>Close</button></div>`);
  sheet.querySelector('[data-close]').addEventListener('click', () => sheet.close());
  sheet.addEventListener('click', (e) => { if (e.target === sheet) sheet.close(); });
  return sheet;
}
