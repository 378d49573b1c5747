// <t-app> — the page layout: sidebar (off-canvas below 900px), top bar with the conversation
// title and a calm connection note, transcript, composer, toasts. Also the page-wide keys
// (shortcuts.js: Esc stops a running reply, "?" lists the rest) and drag-and-drop of files onto
// the conversation.
//
//   <t-app></t-app>   (in index.html; app.js defines it last)
import { store, toggleSidebar } from '../../state/store.js';
import { runShortcut, shortcutSheet } from './shortcuts.js';
import { addFiles } from '../../state/uploads.js';
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';

const STATUS_DELAY_MS = 1500; // a retry that succeeds quickly is never shown

export class TetherApp extends HTMLElement {
  connectedCallback() {
    setHtml(this, html`
      <a class="skip-link" href="#composer-input">Skip to the message box</a>
      <p class="visually-hidden shell-announce" role="status" aria-live="polite"></p>
      <div class="shell">
        <aside class="shell-sidebar" id="sidebar" aria-label="Conversations"><t-session-list></t-session-list></aside>
        <div class="shell-backdrop"></div>
        <main class="shell-main">
          <header class="shell-top">
            <button type="button" class="icon-btn shell-toggle" aria-controls="sidebar" aria-label="Show conversations">${icon('menu')}</button>
            <h1 class="shell-title">New chat</h1>
            <span class="shell-status" role="status" hidden></span>
          </header>
          <t-transcript></t-transcript>
          <t-composer></t-composer>
          <div class="shell-drop" hidden>${icon('upload')}<span>Drop files to attach</span></div>
        </main>
        <t-toast></t-toast>
      </div>`);
    this.shell = this.querySelector('.shell');
    this.titleEl = this.querySelector('.shell-title');
    this.statusEl = this.querySelector('.shell-status');
    this.dropEl = this.querySelector('.shell-drop');
    this.announceEl = this.querySelector('.shell-announce');
    this.querySelector('.skip-link').addEventListener('click', (e) => {
      e.preventDefault(); // the hash names the open session; move focus without touching it
      this.querySelector('t-composer textarea')?.focus();
    });
    this.querySelector('.shell-toggle').addEventListener('click', () => toggleSidebar());
    this.querySelector('.shell-backdrop').addEventListener('click', () => toggleSidebar(false));
    this.sheet = shortcutSheet();
    this.append(this.sheet);
    document.addEventListener('keydown', (e) => this.onKey(e));
    this.wireDrop(this.querySelector('.shell-main'));
    this.unsubscribe = store.subscribe((s, changed) => this.update(s, changed));
  }

  disconnectedCallback() { this.unsubscribe?.(); }

  update(s, changed) {
    if (changed.has('sidebarOpen')) this.shell.classList.toggle('is-sidebar-open', s.sidebarOpen);
    if (changed.has('session') || changed.has('currentId')) {
      const title = s.currentId ? (s.session?.title || 'Untitled conversation') : 'New chat';
      this.titleEl.textContent = title;
      document.title = s.currentId ? `${title} · Tether` : 'Tether';
    }
    if (changed.has('live')) {
      this.showStatus(s.live?.status);
      if (this.wasLive && !s.live) this.announceEnd(s.messages.findLast((m) => m.role === 'assistant'));
      this.wasLive = Boolean(s.live);
    }
  }

  /** Screen readers hear that a reply ended (the transcript itself does not announce every token). */
  announceEnd(reply) {
    const text = !reply ? '' : reply.status === 'stopped' ? 'Reply stopped.'
      : reply.status === 'error' || reply.status === 'interrupted' ? 'The reply failed.' : 'Reply finished.';
    this.announceEl.textContent = '';
    requestAnimationFrame(() => { this.announceEl.textContent = text; });
  }

  showStatus(status) {
    clearTimeout(this.statusTimer);
    const text = status === 'offline' ? 'Offline — the reply resumes when you are back online'
      : status === 'retrying' ? 'Reconnecting to the reply…' : '';
    if (!text) { this.statusEl.hidden = true; return; }
    this.statusTimer = setTimeout(() => {
      this.statusEl.textContent = text;
      this.statusEl.dataset.kind = status;
      this.statusEl.hidden = false;
    }, status === 'offline' ? 0 : STATUS_DELAY_MS);
  }

  onKey(e) {
    if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (e.key === 'Escape' && !e.shiftKey && store.get().sidebarOpen) { toggleSidebar(false); return; }
    runShortcut(e, this, this.sheet);
  }

  wireDrop(area) {
    let depth = 0;
    const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    area.addEventListener('dragenter', (e) => { if (hasFiles(e)) { depth++; this.dropEl.hidden = false; } });
    area.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; this.dropEl.hidden = true; } });
    area.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
    area.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      this.dropEl.hidden = true;
      addFiles(e.dataTransfer.files);
    });
  }
}
