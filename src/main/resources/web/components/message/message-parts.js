// Markup for the parts of <t-message>: tool cards, attachments, status notices, usage.
// Everything here goes through html`` and is escaped.
import { html } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';
import { formatBytes, formatDuration } from '../../lib/time.js';
import { attachmentHref } from '../../state/uploads.js';

function pretty(value) {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

export function toolsHtml(tools) {
  return html`${tools.map((t) => {
    const state = t.state ?? (t.is_error ? 'error' : 'done');
    const status = state === 'running' ? html`<span class="spinner"></span><span>Running</span>`
      : state === 'error' ? html`<span class="tool-state-error">Failed</span>`
        : html`<span>${formatDuration(t.duration_ms) || 'Done'}</span>`;
    const args = pretty(t.args);
    const result = pretty(t.result);
    return html`
      <details class="tool-card" data-state="${state}">
        <summary>${icon('tool')}<span class="tool-name">${t.server ? `${t.server}/` : ''}${t.name ?? 'tool'}</span><span class="tool-status">${status}</span></summary>
        ${args ? html`<div class="tool-section"><div class="tool-label">Arguments</div><pre>${args}</pre></div>` : ''}
        ${result ? html`<div class="tool-section"><div class="tool-label">Result</div><pre>${result}</pre></div>` : ''}
      </details>`;
  })}`;
}

function normalizeAttachment(a) {
  return typeof a === 'string' ? { attachment_id: a, filename: 'Attachment' } : a ?? {};
}

export function attachmentsHtml(attachments) {
  return html`${attachments.map(normalizeAttachment).filter((a) => a.attachment_id).map((a) => {
    const href = attachmentHref(a.attachment_id);
    const image = a.is_image ?? /^image\//.test(a.mime ?? '');
    if (image) {
      return html`<a class="att-image" href="${href}" target="_blank" rel="noopener" title="${a.filename ?? ''}">
        <img src="${href}" alt="${a.filename ?? 'Image'}" loading="lazy"></a>`;
    }
    return html`<a class="att-file" href="${href}" target="_blank" rel="noopener" download="${a.filename ?? ''}">
      ${icon('clip')}<span class="att-name">${a.filename ?? 'Attachment'}</span>
      ${Number.isFinite(a.size) ? html`<span class="att-size">${formatBytes(a.size)}</span>` : ''}</a>`;
  })}`;
}

/** The notice under a message; Retry only on the last reply, the only one a regenerate can replace. */
export function noticeHtml(m, { canRegenerate = false } = {}) {
  const retry = canRegenerate ? html`<button type="button" class="btn btn-small" data-action="retry">${icon('retry')}Retry</button>` : '';
  if (m.failed) {
    return html`<div class="notice notice-error" role="alert">${icon('alert')}<div class="notice-text">
      <strong>Not sent.</strong> ${m.error ?? ''}</div>
      <button type="button" class="btn btn-small" data-action="retry-send">${icon('retry')}Retry</button>
      <button type="button" class="btn btn-ghost btn-small" data-action="discard">Discard</button></div>`;
  }
  if (m.status === 'stopped') return html`<div class="msg-flag msg-flag-stopped">${icon('stop')}Stopped</div>`;
  if (m.status === 'interrupted') {
    return html`<div class="notice notice-warn" role="alert">${icon('alert')}<div class="notice-text">
      <strong>Interrupted.</strong> The server restarted before this reply finished${m.content ? '; the text above is what was saved' : ''}.</div>
      ${retry}</div>`;
  }
  if (m.status === 'error') {
    const error = m.error ?? {};
    const text = typeof error === 'string' ? error : error.message;
    return html`<div class="notice notice-error" role="alert">${icon('alert')}<div class="notice-text">
      <strong>${text || 'The model could not reply.'}</strong>
      ${error.hint ? html`<div class="notice-hint">${error.hint}</div>` : ''}</div>
      ${retry}</div>`;
  }
  return html``;
}

export function usageText(usage) {
  if (!usage) return null;
  const input = usage.input_tokens ?? usage.prompt_tokens;
  const output = usage.output_tokens ?? usage.completion_tokens;
  if (!Number.isFinite(input) && !Number.isFinite(output)) return null;
  const n = (x) => (Number.isFinite(x) ? x.toLocaleString() : '–');
  return `${n(input)} in · ${n(output)} out`;
}
