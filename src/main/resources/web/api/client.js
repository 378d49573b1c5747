// The only fetch() caller. JSON in, JSON out; every non-2xx answer becomes an ApiError with the
// server's {error, code}. A network failure (no answer at all) is an ApiError with status 0 and
// code "network", so callers can retry sends safely with the same client_message_id.
//
//   import * as api from './api/client.js';
//   const { sessions } = await api.listSessions({ q: 'foo' });

export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '' && v !== false) params.set(k, v === true ? '1' : String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request(method, path, { query, json, form } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (form) {
    init.body = form;
  }
  let response;
  try {
    response = await fetch(url(path, query), init);
  } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection.');
  }
  const body = await readBody(response);
  if (response.status === 401 && body?.code === 'unauthenticated' && !path.startsWith('/api/auth/')) {
    location.assign('/login.html'); // the login ended (logout elsewhere, disabled, expired)
  }
  if (!response.ok) {
    const message = body?.error || defaultMessage(response.status);
    throw new ApiError(response.status, body?.code || `http_${response.status}`, message, body);
  }
  return body ?? {};
}

async function readBody(response) {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try { return JSON.parse(text); } catch { return { error: text.slice(0, 200) }; }
}

function defaultMessage(status) {
  if (status === 413) return 'That is too large for the server.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return 'The server had a problem. Please try again.';
  return `Request failed (${status}).`;
}

// Sessions
export const listSessions = ({ q, includeArchived } = {}) =>
  request('GET', '/api/sessions', { query: { q, include_archived: includeArchived ? 1 : undefined } });
export const getSession = (sessionId) =>
  request('GET', '/api/session', { query: { session_id: sessionId, messages: 1 } });
export const newSession = ({ title, model } = {}) => request('POST', '/api/session/new', { json: { title, model } });
export const updateSession = (sessionId, patch) =>
  request('POST', '/api/session/update', { json: { session_id: sessionId, ...patch } });
export const renameSession = (sessionId, title) =>
  request('POST', '/api/session/rename', { json: { session_id: sessionId, title } });
export const deleteSession = (sessionId) => request('POST', '/api/session/delete', { json: { session_id: sessionId } });
export const importSession = (exported) => request('POST', '/api/session/import', { json: exported });
export const exportUrl = (sessionId, format) => url('/api/session/export', { session_id: sessionId, format });

// Turns
export const startChat = (payload) => request('POST', '/api/chat/start', { json: payload });
export const cancelTurn = (streamId) => request('POST', '/api/chat/cancel', { json: { stream_id: streamId } });
export const streamStatus = (streamId) => request('GET', '/api/chat/stream/status', { query: { stream_id: streamId } });

// Files and models
export function upload(sessionId, file) {
  const form = new FormData();
  form.append('session_id', sessionId);
  form.append('file', file, file.name);
  return request('POST', '/api/upload', { form });
}
export const attachmentUrl = (attachmentId) => url('/api/attachment', { attachment_id: attachmentId });
export const listModels = () => request('GET', '/api/models');

// Accounts (login pages and settings)
export const login = (name, password) => request('POST', '/api/auth/login', { json: { name, password } });
export const logout = () => request('POST', '/api/auth/logout', { json: {} });
export const me = () => request('GET', '/api/auth/me');
export const listUsers = () => request('GET', '/api/admin/users');
export const createUser = (name, password, admin) => request('POST', '/api/admin/users', { json: { name, password, admin } });
export const setUserDisabled = (userId, disabled) =>
  request('POST', '/api/admin/users/disable', { json: { user_id: userId, disabled } });
export const resetPassword = (userId, password) =>
  request('POST', '/api/admin/users/password', { json: { user_id: userId, password } });
export const listTokens = () => request('GET', '/api/tokens');
export const getPreferences = () => request('GET', '/api/preferences');
export const savePreferences = (patch) => request('POST', '/api/preferences', { json: patch });
export const issueToken = (name, expiresInDays, readOnly) => request('POST', '/api/tokens',
  { json: { name, expires_in_days: expiresInDays, read_only: readOnly } });
export const changePassword = (current, next) => request('POST', '/api/auth/password',
  { json: { current_password: current, new_password: next } });
export const listLogins = () => request('GET', '/api/auth/logins');
export const endLogin = (loginId) => request('POST', '/api/auth/logins/end', { json: { login_id: loginId } });
export const revokeToken = (tokenId) => request('POST', '/api/tokens/revoke', { json: { token_id: tokenId } });
