// Copy to clipboard with a fallback for plain-http deployments (no navigator.clipboard there),
// and a short "Copied" confirmation on the button that was pressed.
import { html, setHtml } from '../../lib/html.js';

export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall through to the selection-based copy */ }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  area.remove();
  return ok;
}

/** Shows "Copied" (or the given icon) on a button for a moment. */
export function flash(button, ok, okIcon = null) {
  if (button.dataset.flashing) return;
  const before = [...button.childNodes];
  button.dataset.flashing = '1';
  if (okIcon && ok) setHtml(button, html`${okIcon}`);
  else button.textContent = ok ? 'Copied' : 'Copy failed';
  button.classList.add('is-flashing');
  setTimeout(() => {
    button.replaceChildren(...before);
    delete button.dataset.flashing;
    button.classList.remove('is-flashing');
  }, 1400);
}
