// <t-composer> — the message box: attachments (button, paste; drag-and-drop is on <t-app>),
// model picker, Send, and Stop while a reply runs. Enter sends, Shift+Enter adds a line;
// sending while a reply runs queues the message server-side.
//
//   <t-composer></t-composer>
import { store } from '../../state/store.js';
import { send, stop } from '../../state/chat.js';
import { addFiles, removeDraft } from '../../state/uploads.js';
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';
import { formatBytes } from '../../lib/time.js';

const MAX_HEIGHT_PX = 220;

export class Composer extends HTMLElement {
  connectedCallback() {
    setHtml(this, html`
      <form class="cmp" novalidate>
        <div class="cmp-box">
          <div class="cmp-drafts" hidden></div>
          <textarea class="cmp-input" id="composer-input" rows="1" placeholder="Message Tether…" aria-label="Message"></textarea>
          <div class="cmp-bar">
            <button type="button" class="icon-btn cmp-attach" aria-label="Attach files" title="Attach files">${icon('clip')}</button>
            <input type="file" class="cmp-file" multiple hidden>
            <t-model-picker></t-model-picker>
            <span class="cmp-spacer"></span>
            <button type="button" class="btn btn-small cmp-stop" hidden title="Stop (Esc)">${icon('stop')}<span>Stop</span></button>
            <button type="submit" class="cmp-send" aria-label="Send" title="Send (Enter)" disabled>${icon('send')}</button>
          </div>
        </div>
        <p class="cmp-hint">Enter to send · Shift+Enter for a new line</p>
      </form>`);
    this.input = this.querySelector('.cmp-input');
    this.sendBtn = this.querySelector('.cmp-send');
    this.stopBtn = this.querySelector('.cmp-stop');
    this.draftsEl = this.querySelector('.cmp-drafts');
    this.hint = this.querySelector('.cmp-hint');
    this.wire();
    this.unsubscribe = store.subscribe((s, changed) => this.update(s, changed));
  }

  disconnectedCallback() { this.unsubscribe?.(); }

  wire() {
    const file = this.querySelector('.cmp-file');
    this.querySelector('.cmp-attach').addEventListener('click', () => file.click());
    file.addEventListener('change', () => { addFiles(file.files); file.value = ''; });
    this.querySelector('form').addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.input.addEventListener('input', () => { this.autosize(); this.updateSend(store.get()); });
    this.input.addEventListener('keydown', (e) => {
      const sends = store.get().preferences.send_on_enter ? !e.shiftKey : e.ctrlKey || e.metaKey;
      if (e.key === 'Enter' && sends && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('paste', (e) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length) { e.preventDefault(); addFiles(files); }
    });
    this.stopBtn.addEventListener('click', () => stop());
    this.draftsEl.addEventListener('click', (e) => {
      const remove = e.target.closest('[data-remove]');
      if (remove) removeDraft(remove.dataset.remove);
    });
  }

  async submit() {
    const text = this.input.value;
    if (!this.canSend(store.get())) return;
    this.input.value = '';
    this.autosize();
    const sent = await send(text);
    if (!sent && !this.input.value) this.input.value = text;
    this.updateSend(store.get());
    this.input.focus();
  }

  canSend(s) {
    const uploading = s.drafts.some((d) => d.state === 'uploading');
    return !uploading && (this.input.value.trim() !== '' || s.drafts.some((d) => d.state === 'ready'));
  }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, MAX_HEIGHT_PX)}px`;
  }

  update(s, changed) {
    if (changed.has('live') || changed.has('preferences')) {
      const key = s.preferences.send_on_enter ? 'Enter' : `${/Mac|iPhone|iPad/.test(navigator.platform ?? '') ? '⌘' : 'Ctrl'}+Enter`;
      this.stopBtn.hidden = !s.live;
      this.sendBtn.title = s.live ? `Queue (${key}) — sends when the current reply ends` : `Send (${key})`;
      this.hint.textContent = s.live ? 'Esc or Stop ends the reply · new messages wait in the queue'
        : s.preferences.send_on_enter ? 'Enter to send · Shift+Enter for a new line' : `${key} to send · Enter for a new line`;
    }
    if (changed.has('drafts')) this.renderDrafts(s.drafts);
    if (changed.has('currentId') && !s.currentId) this.input.focus({ preventScroll: true });
    this.updateSend(s);
  }

  updateSend(s) {
    this.sendBtn.disabled = !this.canSend(s);
  }

  renderDrafts(drafts) {
    this.draftsEl.hidden = !drafts.length;
    setHtml(this.draftsEl, html`${drafts.map((d) => html`
      <div class="cmp-draft${d.state === 'uploading' ? ' is-uploading' : ''}" title="${d.filename}">
        ${d.previewUrl ? html`<img src="${d.previewUrl}" alt="">` : html`<span class="cmp-draft-icon">${icon('clip')}</span>`}
        <span class="cmp-draft-text"><span class="cmp-draft-name">${d.filename}</span>
          <span class="cmp-draft-meta">${d.state === 'uploading' ? 'Uploading…' : formatBytes(d.size)}</span></span>
        ${d.state === 'uploading' ? html`<span class="spinner"></span>`
          : html`<button type="button" class="icon-btn cmp-draft-remove" data-remove="${d.key}" aria-label="Remove ${d.filename}">${icon('close')}</button>`}
      </div>`)}`);
  }
}
