// <t-session-list> — the sidebar: New chat, search, sessions grouped Pinned / Today / Yesterday /
// Earlier, a live dot on sessions with a running reply, a per-row menu (rename, pin, archive,
// export Markdown / JSON, delete with confirmation), the archived toggle and JSON import.
//
//   <t-session-list></t-session-list>
import { store } from '../../state/store.js';
import { newChat, openSession } from '../../state/conversation.js';
import * as sidebar from '../../state/sidebar.js';
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';
import { dayGroup, fullStamp } from '../../lib/time.js';
import { SessionMenu } from './session-menu.js';

const GROUPS = ['Pinned', 'Today', 'Yesterday', 'Earlier'];

export class SessionList extends HTMLElement {
  connectedCallback() {
    setHtml(this, html`
      <div class="sl-head">
        <div class="sl-brand"><img class="sl-logo" src="favicon.svg" alt="" width="22" height="22">Tether</div>
        <button type="button" class="btn sl-new">${icon('plus')}<span>New chat</span></button>
      </div>
      <label class="sl-search">${icon('search')}
        <input type="search" class="sl-query" placeholder="Search conversations" aria-label="Search conversations" autocomplete="off">
      </label>
      <nav class="sl-list" aria-label="Conversation list"></nav>
      <div class="sl-foot">
        <label class="sl-archived"><input type="checkbox" class="sl-archived-box"> Show archived</label>
        <button type="button" class="btn btn-ghost btn-small sl-import">${icon('upload')}<span>Import</span></button>
        <input type="file" class="sl-import-file" accept=".json,application/json" hidden>
        <a class="btn btn-ghost btn-small sl-settings" href="/settings.html">Settings</a>
      </div>`);
    this.list = this.querySelector('.sl-list');
    this.menu = new SessionMenu(this, (action, row) => this.onMenu(action, row));
    this.wire();
    this.unsubscribe = store.subscribe((s, changed) => {
      if (this.list.querySelector('.is-renaming')) return; // re-rendered when the rename ends
      if (['sessions', 'currentId', 'query', 'session'].some((k) => changed.has(k))) this.render(s);
    });
  }

  disconnectedCallback() { this.unsubscribe?.(); }

  wire() {
    this.querySelector('.sl-new').addEventListener('click', () => {
      newChat();
      document.querySelector('t-composer textarea')?.focus();
    });
    this.querySelector('.sl-query').addEventListener('input', (e) => sidebar.setQuery(e.target.value));
    this.querySelector('.sl-archived-box').addEventListener('change', () => sidebar.toggleArchived());
    const file = this.querySelector('.sl-import-file');
    this.querySelector('.sl-import').addEventListener('click', () => file.click());
    file.addEventListener('change', () => {
      if (file.files[0]) sidebar.importExport(file.files[0]);
      file.value = '';
    });
    this.list.addEventListener('click', (e) => this.onListClick(e));
  }

  onListClick(e) {
    const more = e.target.closest('.sl-more');
    const row = e.target.closest('.sl-row');
    if (!row || row.classList.contains('is-renaming')) return;
    const data = store.get().sessions.find((s) => s.session_id === row.dataset.id);
    if (more && data) { e.preventDefault(); this.menu.open(more, data); return; }
    if (e.target.closest('.sl-link')) { e.preventDefault(); openSession(row.dataset.id); }
  }

  render(s) {
    const rows = s.sessions;
    if (!rows.length) {
      const text = s.query.trim() ? html`No conversations match “${s.query.trim()}”.` : html`No conversations yet.`;
      setHtml(this.list, html`<p class="sl-empty">${text}</p>`);
      return;
    }
    const groups = new Map(GROUPS.map((g) => [g, []]));
    for (const row of rows) groups.get(row.pinned ? 'Pinned' : dayGroup(row.updated_at ?? row.last_message_at)).push(row);
    setHtml(this.list, html`${[...groups].filter(([, items]) => items.length).map(([name, items]) => html`
      <section class="sl-group">
        <h2 class="sl-group-title">${name}</h2>
        ${items.map((row) => this.rowHtml(row, s.currentId))}
      </section>`)}`);
  }

  rowHtml(row, currentId) {
    const current = row.session_id === currentId;
    const title = row.title || 'Untitled conversation';
    return html`
      <div class="sl-row${current ? ' is-current' : ''}${row.archived ? ' is-archived' : ''}" data-id="${row.session_id}">
        <a class="sl-link" href="#${encodeURIComponent(row.session_id)}" title="${title}\n${fullStamp(row.updated_at)}"
           ${current ? html`aria-current="page"` : ''}>
          <span class="sl-title">${title}</span>
          ${row.is_streaming ? html`<span class="sl-live" role="img" aria-label="Reply running"></span>` : ''}
          ${row.archived ? html`<span class="sl-badge">Archived</span>` : ''}
        </a>
        <button type="button" class="icon-btn sl-more" aria-label="Actions for ${title}" aria-haspopup="menu">${icon('more')}</button>
      </div>`;
  }

  onMenu(action, row) {
    if (action === 'rename') this.startRename(row);
    else if (action === 'pin') sidebar.togglePinned(row);
    else if (action === 'archive') sidebar.toggleArchivedRow(row);
    else if (action === 'delete') this.confirmDelete(row);
  }

  startRename(row) {
    const el = [...this.list.querySelectorAll('.sl-row')].find((r) => r.dataset.id === row.session_id);
    if (!el) return;
    el.classList.add('is-renaming');
    const input = document.createElement('input');
    input.className = 'field sl-rename';
    input.value = row.title || '';
    input.setAttribute('aria-label', 'New title');
    el.querySelector('.sl-link').replaceWith(input);
    input.focus();
    input.select();
    let done = false;
    // While renaming, list updates are held back (a re-render would drop the input); the finish
    // always draws the list as it is now, so nothing held back stays hidden.
    const finish = (save) => {
      if (done) return;
      done = true;
      el.classList.remove('is-renaming');
      const title = input.value.trim();
      if (save && title && title !== row.title) sidebar.renameSession(row.session_id, title);
      this.render(store.get());
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') { e.preventDefault(); finish(false); }
    });
    input.addEventListener('blur', () => finish(true));
  }

  confirmDelete(row) {
    const dialog = document.createElement('dialog');
    dialog.className = 'dialog';
    setHtml(dialog, html`
      <form method="dialog">
        <h2>Delete conversation?</h2>
        <p>“${row.title || 'Untitled conversation'}” and its attachments will be removed. This cannot be undone.</p>
        <div class="dialog-actions">
          <button class="btn" value="cancel">Cancel</button>
          <button class="btn btn-danger sl-confirm-delete" value="delete">Delete</button>
        </div>
      </form>`);
    document.body.append(dialog);
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'delete') sidebar.removeSession(row.session_id);
      dialog.remove();
    });
    dialog.showModal();
    dialog.querySelector('.btn').focus();
  }
}
