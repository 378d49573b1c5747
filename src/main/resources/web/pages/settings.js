// Settings: preferences (theme, text size, Enter to send), personal API tokens, one's password and
// logins for everyone; users (add, disable, reset password) for admins.
import * as api from '../api/client.js';
import { html, setHtml } from '../lib/html.js';
import { store } from '../state/store.js';
import { loadPreferences, savePreferences } from '../state/preferences.js';

const error = document.querySelector('.page-error');
const show = (e) => { error.textContent = e.message; error.hidden = false; };

async function renderTokens() {
  const { tokens } = await api.listTokens();
  setHtml(document.querySelector('.token-list'), html`${tokens.map((t) => html`
    <li><span>${t.name}${t.read_only ? ' (read only)' : ''}</span><span class="page-faint">${tokenState(t)}</span>
      ${t.revoked ? '' : html`<button type="button" class="page-button page-secondary" data-revoke="${t.token_id}">Revoke</button>`}</li>`)}`);
}

function tokenState(t) {
  if (t.revoked) return 'revoked';
  const expires = t.expires_at ? `, expires ${t.expires_at.slice(0, 10)}` : '';
  return `created ${t.created_at.slice(0, 10)}${expires}`;
}

async function renderLogins() {
  const { logins } = await api.listLogins();
  setHtml(document.querySelector('.login-list'), html`${logins.map((l) => html`
    <li><span>${l.current ? 'This browser' : 'Another browser'}</span>
      <span class="page-faint">since ${l.created_at.slice(0, 16).replace('T', ' ')}</span>
      ${l.current ? '' : html`<button type="button" class="page-button page-secondary" data-end="${l.login_id}">End</button>`}</li>`)}`);
}

async function renderUsers(meId) {
  const { users } = await api.listUsers();
  setHtml(document.querySelector('.user-list'), html`${users.map((u) => html`
    <li><span>${u.name}${u.admin ? ' (admin)' : ''}</span><span class="page-faint">${u.disabled ? 'disabled' : 'active'}</span>
      ${u.user_id === meId ? '' : html`<button type="button" class="page-button page-secondary" data-toggle="${u.user_id}"
        data-disabled="${u.disabled ? '0' : '1'}">${u.disabled ? 'Enable' : 'Disable'}</button>`}
      <button type="button" class="page-button page-secondary" data-reset="${u.user_id}">Reset password</button></li>`)}`);
}

/**
 * Handlers go on first, before anything is fetched: the buttons are in the page from the start, and
 * a click (Log out right away, on a slow link) must never fall on a button that does nothing yet.
 */
function listen(me) {
  const preferences = document.querySelector('.preferences-form');
  preferences.addEventListener('change', async (event) => {
    const { name, type, checked, value } = event.target;
    try { await savePreferences({ [name]: type === 'checkbox' ? checked : value }); } catch (e) { show(e); }
    showPreferences();
  });
  document.querySelector('.token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const f = event.target.elements;
      const days = f.days.value ? Number(f.days.value) : undefined;
      const { secret } = await api.issueToken(f.name.value, days, f.readOnly.checked);
      const out = document.querySelector('.token-secret');
      out.textContent = `New token (copy it now, it is not shown again): ${secret}`;
      out.hidden = false;
      await renderTokens();
    } catch (e) { show(e); }
  });
  document.querySelector('.token-list').addEventListener('click', async (event) => {
    const id = event.target.dataset.revoke;
    if (id) { try { await api.revokeToken(id); await renderTokens(); } catch (e) { show(e); } }
  });
  document.querySelector('.password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target.elements;
    try {
      await api.changePassword(f.current.value, f.next.value);
      event.target.reset();
      document.querySelector('.password-done').hidden = false;
      await renderLogins();
    } catch (e) { show(e); }
  });
  document.querySelector('.login-list').addEventListener('click', async (event) => {
    const id = event.target.dataset.end;
    if (id) { try { await api.endLogin(id); await renderLogins(); } catch (e) { show(e); } }
  });
  document.querySelector('.user-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target.elements;
    try {
      await api.createUser(f.name.value.trim(), f.password.value, f.admin.checked);
      event.target.reset();
      await renderUsers(me.userId);
    } catch (e) { show(e); }
  });
  document.querySelector('.user-list').addEventListener('click', async (event) => {
    const { toggle, disabled, reset } = event.target.dataset;
    try {
      if (toggle) { await api.setUserDisabled(toggle, disabled === '1'); await renderUsers(me.userId); }
      if (reset) {
        const password = prompt('New password (10+ characters):');
        if (password) { await api.resetPassword(reset, password); alert('Password changed; their logins were ended.'); }
      }
    } catch (e) { show(e); }
  });
  document.querySelector('.logout-button').addEventListener('click', async () => {
    await api.logout().catch(() => {});
    location.replace('/login.html');
  });
}

function showPreferences() {
  const f = document.querySelector('.preferences-form').elements;
  const p = store.get().preferences;
  f.theme.value = p.theme;
  f.font_size.value = p.font_size;
  f.send_on_enter.checked = p.send_on_enter;
}

async function main() {
  const me = { userId: null };
  listen(me);
  await loadPreferences();
  showPreferences();
  const { user, login_required: loginRequired } = await api.me();
  me.userId = user.user_id;
  document.querySelector('.settings-who').textContent = loginRequired
    ? `Logged in as ${user.name}${user.admin ? ' (admin)' : ''}.`
    : 'This server has no login: it listens on this computer only and keeps one local user.';
  document.querySelector('.logout-button').hidden = !loginRequired;
  if (!loginRequired) {
    // The server refuses tokens without login (409 tokens_need_login); say why instead of offering them.
    document.querySelector('.token-form').hidden = true;
    const why = document.querySelector('.tokens-need-login');
    why.hidden = false;
    return;
  }
  await renderTokens();
  document.querySelector('.settings-account').hidden = false;
  await renderLogins();
  if (loginRequired && user.admin) {
    document.querySelector('.settings-users').hidden = false;
    await renderUsers(user.user_id);
  }
}

main().catch(show);
