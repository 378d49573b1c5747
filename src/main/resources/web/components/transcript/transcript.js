// <t-transcript> — the conversation: one <t-message> per message (reused and updated in place),
// the messages queued behind the running reply, and an empty state. Follows the bottom while
// the reader is there: any scroll up by the reader stops following (however small), reaching the
// bottom again resumes it, and growth of the page (a streamed token, an image that loads late)
// never stops it. While not following, new text never moves what they are reading and "Jump to
// latest" shows whenever the view is not at the bottom.
//
//   <t-transcript></t-transcript>
import { store } from '../../state/store.js';
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';

const NEAR_BOTTOM_PX = 48;

export class Transcript extends HTMLElement {
  connectedCallback() {
    setHtml(this, html`
      <div class="tr-scroll">
        <div class="tr-inner">
          <div class="tr-empty" hidden></div>
          <div class="tr-loading" hidden aria-label="Loading conversation"><span></span><span></span><span></span></div>
          <div class="tr-messages" role="log" aria-live="off"></div>
          <div class="tr-queued" hidden></div>
        </div>
      </div>
      <button type="button" class="tr-jump" hidden>${icon('down')}<span>Jump to latest</span></button>`);
    this.scroller = this.querySelector('.tr-scroll');
    this.list = this.querySelector('.tr-messages');
    this.queuedEl = this.querySelector('.tr-queued');
    this.emptyEl = this.querySelector('.tr-empty');
    this.jump = this.querySelector('.tr-jump');
    this.stick = true;
    this.lastTop = 0;
    this.lastHeight = 0;
    this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.jump.addEventListener('click', () => this.toBottom(true));
    // Growth that no store change announces (an image loading) keeps a following view at the bottom.
    this.growth = new ResizeObserver(() => { if (this.stick) this.toBottom(); else this.showJump(); });
    this.growth.observe(this.querySelector('.tr-inner'));
    this.unsubscribe = store.subscribe((s, changed) => this.update(s, changed));
  }

  disconnectedCallback() {
    this.unsubscribe?.();
    this.growth?.disconnect();
  }

  atBottom() {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    return scrollHeight - scrollTop - clientHeight < NEAR_BOTTOM_PX;
  }

  onScroll() {
    const { scrollTop, scrollHeight } = this.scroller;
    // Only the reader moves the view up: scrolling to the bottom moves it down, and content that
    // shrinks can also lower scrollTop, but then scrollHeight is smaller too.
    const movedUp = scrollTop < this.lastTop - 1 && scrollHeight >= this.lastHeight;
    if (movedUp) this.stick = false;
    else if (this.atBottom() && scrollTop > this.lastTop) this.stick = true;
    this.lastTop = scrollTop;
    this.lastHeight = scrollHeight;
    this.showJump();
  }

  showJump() {
    this.jump.hidden = this.stick || this.atBottom();
  }

  toBottom(smooth = false) {
    this.stick = true;
    this.jump.hidden = true;
    this.scroller.scrollTo({ top: this.scroller.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
    this.lastTop = this.scroller.scrollTop;
    this.lastHeight = this.scroller.scrollHeight;
  }

  update(s, changed) {
    if (changed.has('currentId')) this.stick = true;
    const relevant = ['messages', 'queued', 'live', 'loadingSession', 'models', 'model', 'currentId'];
    if (!relevant.some((k) => changed.has(k))) return;
    this.renderMessages(s);
    this.renderQueued(s.queued);
    this.renderEmpty(s);
    if (this.stick) this.toBottom();
    else this.showJump();
  }

  /** Updates message elements in place; returns true if any message changed. */
  renderMessages(s) {
    const lastAssistant = s.messages.findLastIndex((m) => m.role === 'assistant');
    const justSent = s.messages.at(-1)?.local && s.messages.at(-1) !== this.lastSeen;
    if (justSent) this.stick = true;
    this.lastSeen = s.messages.at(-1);
    let changed = false;
    const nodes = this.list.children;
    s.messages.forEach((message, index) => {
      let node = nodes[index];
      if (!node) {
        node = document.createElement('t-message');
        this.list.append(node);
      }
      const context = { index, canRegenerate: index === lastAssistant && !s.live, busy: Boolean(s.live) };
      changed = node.show(message, context) || changed;
    });
    while (nodes.length > s.messages.length) nodes[nodes.length - 1].remove();
    return changed;
  }

  renderQueued(queued) {
    this.queuedEl.hidden = !queued.length;
    setHtml(this.queuedEl, html`${queued.map((q, i) => html`
      <div class="tr-queued-item" data-client-message-id="${q.client_message_id ?? ''}">
        <div class="tr-queued-label"><span class="spinner"></span>Queued${queued.length > 1 ? html` · ${i + 1} of ${queued.length}` : ''} — starts when the current reply ends</div>
        <div class="tr-queued-text">${q.message ?? q.content ?? ''}</div>
      </div>`)}`);
  }

  renderEmpty(s) {
    this.querySelector('.tr-loading').hidden = !s.loadingSession;
    const empty = !s.loadingSession && !s.messages.length && !s.queued.length;
    this.emptyEl.hidden = !empty;
    this.classList.toggle('is-empty', empty);
    if (!empty) return;
    const model = s.models.find((m) => m.id === s.model);
    setHtml(this.emptyEl, html`
      <img class="tr-empty-logo" src="favicon.svg" alt="" width="40" height="40">
      <h2>What shall we work on?</h2>
      <p>Replies keep streaming if you close the tab, and pick up exactly where they were when you come back.</p>
      ${model?.demo ? html`<p class="tr-demo-note">${icon('spark')}<span>You are talking to the built-in <strong>demo model</strong>: it answers
        with canned text so you can try Tether offline. Set <code>TETHER_OPENAI_BASE_URL</code> to use a real model.</span></p>` : ''}`);
  }
}
