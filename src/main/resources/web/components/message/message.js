// <t-message> — one message. Assistant text is Markdown (lib/markdown.js); user text is shown as
// typed. Parts (reasoning, tool cards, body, notices, footer) are updated only when their data
// changed, so a streamed token re-renders the body alone and an open reasoning panel stays open.
//
//   const el = document.createElement('t-message');
//   el.show(message, { index, canRegenerate, busy });   // returns true if anything changed
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';
import { renderMarkdown, renderStreaming } from '../../lib/markdown.js';
import { fullStamp, shortStamp } from '../../lib/time.js';
import { STREAMING } from '../../state/transcript.js';
import { discardFailed, editMessage, regenerate, retrySend } from '../../state/chat.js';
import { attachmentsHtml, noticeHtml, toolsHtml, usageText } from './message-parts.js';
import { copyText, flash } from './clipboard.js';

export class Message extends HTMLElement {
  show(message, context) {
    const previous = this.message;
    const sameContext = JSON.stringify(context) === JSON.stringify(this.context);
    if (previous === message && sameContext) return false;
    if (!previous || previous.role !== message.role) this.build(message.role);
    this.message = message;
    this.context = context;
    if (!this.editing) this.renderParts(previous?.role === message.role ? previous : null, message);
    return true;
  }

  build(role) {
    this.editing = false;
    this.className = `msg msg-${role}`;
    this.dataset.role = role;
    const avatar = role === 'assistant' ? html`<div class="msg-avatar" aria-hidden="true">${icon('spark')}</div>` : '';
    setHtml(this, html`${avatar}
      <div class="msg-main">
        <details class="msg-reasoning" hidden><summary><span class="msg-reasoning-label">Reasoning</span></summary><div class="msg-reasoning-body"></div></details>
        <div class="msg-tools"></div>
        <div class="msg-attachments"></div>
        <div class="msg-body${role === 'assistant' ? ' markdown' : ' msg-bubble'}"></div>
        <div class="msg-typing" hidden aria-label="Waiting for the reply"><span></span><span></span><span></span></div>
        <div class="msg-notice"></div>
        <div class="msg-foot"></div>
      </div>`);
    if (!this.wired) this.addEventListener('click', (e) => this.onClick(e));
    this.wired = true;
  }

  renderParts(prev, m) {
    const streaming = m.status === STREAMING;
    this.dataset.status = m.status ?? (m.failed ? 'failed' : 'done');
    const part = (name) => this.querySelector(`.msg-${name}`);
    if (!prev || prev.content !== m.content || (prev.status === STREAMING) !== streaming) {
      if (m.role === 'assistant' && streaming) renderStreaming(part('body'), m.content);
      else if (m.role === 'assistant') renderMarkdown(part('body'), m.content);
      else part('body').textContent = m.content;
      part('body').hidden = !m.content && m.role === 'assistant';
    }
    part('typing').hidden = !(streaming && !m.content && !m.reasoning && !m.tools?.length);
    // "Thinking…" lasts until the answer's text starts, which may come in a later frame than the reasoning.
    const thinking = (x) => x.status === STREAMING && !x.content;
    if (!prev || prev.reasoning !== m.reasoning || prev.status !== m.status || thinking(prev) !== thinking(m)) {
      this.renderReasoning(m, streaming);
    }
    if (!prev || prev.tools !== m.tools) setHtml(part('tools'), toolsHtml(m.tools ?? []));
    if (!prev || prev.attachments !== m.attachments) setHtml(part('attachments'), attachmentsHtml(m.attachments ?? []));
    setHtml(part('notice'), noticeHtml(m, this.context));
    setHtml(part('foot'), this.footHtml(m, streaming));
  }

  renderReasoning(m, streaming) {
    const details = this.querySelector('.msg-reasoning');
    details.hidden = !m.reasoning;
    this.querySelector('.msg-reasoning-body').textContent = m.reasoning ?? '';
    const thinking = streaming && !m.content;
    this.querySelector('.msg-reasoning-label').textContent = thinking ? 'Thinking…' : 'Reasoning';
    details.classList.toggle('is-thinking', thinking);
  }

  footHtml(m, streaming) {
    if (streaming) return html``;
    if (m.local && !m.failed) return html`<span class="msg-sending" role="status">Sending…</span>`;
    const { canRegenerate, busy } = this.context;
    const usage = m.role === 'assistant' ? usageText(m.usage) : null;
    return html`
      <time datetime="${m.created_at ?? ''}" title="${fullStamp(m.created_at)}">${shortStamp(m.created_at)}</time>
      ${usage ? html`<span class="msg-usage" title="Tokens used by this reply">${usage}</span>` : ''}
      <span class="msg-actions">
        ${m.content ? html`<button type="button" class="icon-btn" data-action="copy" aria-label="Copy message" title="Copy">${icon('copy')}</button>` : ''}
        ${m.role === 'user' && !m.local && !m.failed && !busy ? html`<button type="button" class="icon-btn" data-action="edit" aria-label="Edit message" title="Edit">${icon('edit')}</button>` : ''}
        ${canRegenerate && (!m.status || m.status === 'stopped') ? html`<button type="button" class="icon-btn" data-action="regenerate" aria-label="Regenerate reply" title="Regenerate">${icon('retry')}</button>` : ''}
      </span>`;
  }

  onClick(e) {
    const target = e.target.closest('button');
    if (!target) return;
    if (target.classList.contains('copy-code')) {
      const code = target.closest('.code-block')?.querySelector('code');
      copyText(code?.textContent ?? '').then((ok) => flash(target, ok));
      return;
    }
    const action = target.dataset.action;
    if (action === 'copy') copyText(this.message.content).then((ok) => flash(target, ok, icon('check')));
    else if (action === 'regenerate' || action === 'retry') regenerate(this.context.index);
    else if (action === 'retry-send') retrySend(this.message);
    else if (action === 'discard') discardFailed(this.message);
    else if (action === 'edit') this.startEdit();
  }

  startEdit() {
    this.editing = true;
    const body = this.querySelector('.msg-body');
    body.hidden = true;
    this.querySelector('.msg-foot').hidden = true;
    const form = document.createElement('form');
    form.className = 'msg-edit';
    setHtml(form, html`<textarea class="field" aria-label="Edit message" rows="3"></textarea>
      <div class="msg-edit-actions"><span>Replaces this message and everything after it.</span>
        <button type="button" class="btn btn-small" data-edit="cancel">Cancel</button>
        <button type="submit" class="btn btn-primary btn-small">Send</button></div>`);
    const area = form.querySelector('textarea');
    area.value = this.message.content;
    body.after(form);
    const end = (send) => {
      form.remove();
      this.editing = false;
      body.hidden = false;
      this.querySelector('.msg-foot').hidden = false;
      if (send && area.value.trim()) editMessage(this.context.index, area.value);
    };
    form.addEventListener('submit', (e) => { e.preventDefault(); end(true); });
    form.querySelector('[data-edit="cancel"]').addEventListener('click', () => end(false));
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); end(false); }
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); end(true); }
    });
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }
}
