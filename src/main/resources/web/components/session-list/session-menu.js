// The per-row popup menu of <t-session-list>: one element reused for every row, placed next to
// the row's button, closed by Esc, outside clicks and scrolling. Exports are plain download links.
//
//   const menu = new SessionMenu(hostElement, (action, row) => ...); menu.open(button, row);
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';
import { exportHref } from '../../state/sidebar.js';

export class SessionMenu {
  constructor(host, onAction) {
    this.onAction = onAction;
    this.el = document.createElement('div');
    this.el.className = 'sl-menu';
    this.el.setAttribute('role', 'menu');
    this.el.hidden = true;
    document.body.append(this.el);
    this.el.addEventListener('click', (e) => {
      const item = e.target.closest('[data-action]');
      if (!item) return;
      const row = this.row;
      this.close();
      if (item.dataset.action !== 'export') { e.preventDefault(); this.onAction(item.dataset.action, row); }
    });
    document.addEventListener('pointerdown', (e) => {
      if (!this.el.hidden && !this.el.contains(e.target) && !e.target.closest('.sl-more')) this.close();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.el.hidden) { e.preventDefault(); this.close(); this.anchor?.focus(); }
    });
    // A menu moves its focus with the arrow keys, Home and End (WAI-ARIA menu pattern).
    this.el.addEventListener('keydown', (e) => {
      const items = [...this.el.querySelectorAll('[role=menuitem]')];
      const at = items.indexOf(document.activeElement);
      const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
      if (to === undefined || !items.length) return;
      e.preventDefault();
      items[(to + items.length) % items.length].focus();
    });
    host.addEventListener('scroll', () => this.close(), true);
  }

  open(anchor, row) {
    if (!this.el.hidden && this.row?.session_id === row.session_id) { this.close(); return; }
    this.row = row;
    this.anchor = anchor;
    setHtml(this.el, html`
      <button type="button" role="menuitem" data-action="rename">${icon('rename')}Rename</button>
      <button type="button" role="menuitem" data-action="pin">${icon('pin')}${row.pinned ? 'Unpin' : 'Pin'}</button>
      <button type="button" role="menuitem" data-action="archive">${icon('archive')}${row.archived ? 'Unarchive' : 'Archive'}</button>
      <div class="sl-menu-sep" role="separator"></div>
      <a role="menuitem" data-action="export" href="${exportHref(row.session_id, 'md')}" download>${icon('download')}Export Markdown</a>
      <a role="menuitem" data-action="export" href="${exportHref(row.session_id, 'json')}" download>${icon('download')}Export JSON</a>
      <div class="sl-menu-sep" role="separator"></div>
      <button type="button" role="menuitem" data-action="delete" class="is-danger">${icon('trash')}Delete</button>`);
    this.el.hidden = false;
    const r = anchor.getBoundingClientRect();
    const menu = this.el.getBoundingClientRect();
    const top = r.bottom + 4 + menu.height > innerHeight ? r.top - menu.height - 4 : r.bottom + 4;
    this.el.style.top = `${Math.max(8, top)}px`;
    this.el.style.left = `${Math.max(8, Math.min(r.right - menu.width, innerWidth - menu.width - 8))}px`;
    this.el.querySelector('button').focus();
  }

  close() {
    this.el.hidden = true;
  }
}
