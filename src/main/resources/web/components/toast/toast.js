// <t-toast> — transient notices (errors stay longer). Text is escaped; each has a close button.
//
//   <t-toast></t-toast>      and, from state: toast('Saved'), toast('Failed', { kind: 'error', hint })
import { store, dismissToast } from '../../state/store.js';
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';

export class Toasts extends HTMLElement {
  connectedCallback() {
    this.setAttribute('role', 'status');
    this.setAttribute('aria-live', 'polite');
    this.addEventListener('click', (e) => {
      const close = e.target.closest('[data-dismiss]');
      if (close) dismissToast(Number(close.dataset.dismiss));
    });
    this.unsubscribe = store.subscribe((s, changed) => { if (changed.has('toasts')) this.render(s.toasts); });
  }

  disconnectedCallback() { this.unsubscribe?.(); }

  render(toasts) {
    setHtml(this, html`${toasts.map((t) => html`
      <div class="toast toast-${t.kind}">
        ${t.kind === 'error' ? icon('alert') : ''}
        <div class="toast-text"><div>${t.message}</div>${t.hint ? html`<div class="toast-hint">${t.hint}</div>` : ''}</div>
        <button type="button" class="icon-btn toast-close" data-dismiss="${t.id}" aria-label="Dismiss">${icon('close')}</button>
      </div>`)}`);
  }
}
