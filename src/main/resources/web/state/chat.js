// What the user does to the conversation: send (or queue while a reply runs), stop, regenerate,
// edit, retry, and attach files. Each is one server call; the reply itself arrives through
// attachTurn(). A send keeps its client_message_id across retries, so a repeated request after a
// network error can never create a second turn.
//
//   await send('Hello'); stop(); regenerate(); editMessage(2, 'new text'); addFiles(fileList);
import { store, toast } from './store.js';
import { truncateForEdit, truncateForRegenerate } from './transcript.js';
import * as api from '../api/client.js';
import { newId } from '../lib/ids.js';
import { attachTurn, ensureSession, refresh } from './conversation.js';
import { loadSessions } from './sessions.js';

const RETRY_DELAYS_MS = [600, 1500, 3000];

/** chat/start, retried with the same payload while the server is unreachable. */
async function start(payload) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.startChat(payload);
    } catch (e) {
      if (e.status !== 0 || attempt >= RETRY_DELAYS_MS.length) throw e;
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
  }
}

function replaceMessage(match, update) {
  store.set((s) => ({ messages: s.messages.map((m) => (m === match ? update(m) : m)) }));
  return store.get().messages.find((m) => m.client_message_id === match.client_message_id);
}

/** Sends the composer's text and ready attachments. Returns false if nothing was sent. */
export async function send(text) {
  const message = text.trim();
  const drafts = store.get().drafts;
  if (drafts.some((d) => d.state === 'uploading')) {
    toast('Wait for the upload to finish.');
    return false;
  }
  const ready = drafts.filter((d) => d.state === 'ready');
  if (!message && !ready.length) return false;
  let sessionId;
  try { sessionId = await ensureSession(); } catch (e) { toast(e.message, { kind: 'error' }); return false; }
  const payload = { session_id: sessionId, message, model: store.get().model ?? undefined,
    client_message_id: newId(), attachments: ready.length ? ready.map((d) => d.attachment_id) : undefined };
  const local = { role: 'user', content: message, created_at: Date.now(), local: true,
    client_message_id: payload.client_message_id, attachments: ready.map(draftToAttachment) };
  store.set((s) => ({ messages: [...s.messages, local], drafts: [] }));
  // A reply known to be running would answer 409; ask to queue at once (the 409 path remains
  // for a turn this tab has not seen start yet).
  if (store.get().live) await queue(payload, local);
  else await deliver(payload, local);
  return true;
}

function draftToAttachment(d) {
  return { attachment_id: d.attachment_id, filename: d.filename, size: d.size, mime: d.mime, is_image: d.is_image };
}

async function deliver(payload, local) {
  let answer;
  try {
    answer = await start(payload);
  } catch (e) {
    if (e.code === 'turn_active') return queue(payload, local);
    // The message itself says "Not sent" with Retry; a toast as well would say it twice.
    replaceMessage(local, (m) => ({ ...m, failed: true, error: e.message, payload }));
    return;
  }
  replaceMessage(local, (m) => ({ ...m, local: false, failed: false, error: null }));
  if (answer.title) store.set((s) => ({ session: s.session ? { ...s.session, title: answer.title } : s.session }));
  attachTurn(answer.stream_id);
  loadSessions();
}

async function queue(payload, local) {
  try {
    const answer = await start({ ...payload, queue: true });
    store.set((s) => ({ messages: s.messages.filter((m) => m !== local) }));
    if (answer.stream_id && !answer.queued) { attachTurn(answer.stream_id); refresh(); return; }
    store.set((s) => ({ queued: [...s.queued, { message: payload.message, client_message_id: payload.client_message_id,
      position: answer.position, attachments: local.attachments }] }));
  } catch (e) {
    replaceMessage(local, (m) => ({ ...m, failed: true, error: e.message, payload }));
  }
}

/** Sends a failed message again with its original client_message_id. */
export function retrySend(message) {
  const pending = replaceMessage(message, (m) => ({ ...m, failed: false, error: null, local: true }));
  return deliver(message.payload, pending);
}

export function discardFailed(message) {
  store.set((s) => ({ messages: s.messages.filter((m) => m !== message) }));
}

export async function stop() {
  const live = store.get().live;
  if (!live) return;
  try { await api.cancelTurn(live.turnId); } catch (e) { toast(`Could not stop: ${e.message}`, { kind: 'error' }); }
}

function expectedCount() {
  const s = store.get();
  return s.session?.message_count ?? s.messages.filter((m) => !m.local && !m.failed).length;
}

async function rewrite(extra, optimistic) {
  const { currentId, model, live } = store.get();
  if (!currentId) return;
  if (live) { toast('Stop the running reply first.'); return; }
  const payload = { session_id: currentId, model: model ?? undefined, client_message_id: newId(),
    expected_message_count: expectedCount(), ...extra };
  store.set((s) => ({ messages: optimistic(s.messages) }));
  try {
    const answer = await start(payload);
    attachTurn(answer.stream_id);
    loadSessions();
  } catch (e) {
    const stale = e.status === 409 && e.code !== 'turn_active';
    const message = e.code === 'not_last_reply' ? 'That reply is no longer the last one; showing the latest.'
      : stale ? 'This conversation changed in another tab; showing the latest.' : e.message;
    toast(message, { kind: stale ? 'info' : 'error' });
    refresh();
  }
}

/**
 * Replaces reply `index` (also the Retry of a failed or interrupted reply). The server refuses
 * with not_last_reply when that reply is no longer the last one, so a stale Retry cannot replace
 * a newer reply.
 */
export const regenerate = (index) =>
  rewrite({ regenerate: true, reply_index: index }, (m) => (index === m.length - 1 ? truncateForRegenerate(m) : m));

/** Replaces user message `index` (position in the transcript) and everything after it. */
export const editMessage = (index, text) =>
  rewrite({ edit_index: index, message: text.trim() }, (m) => truncateForEdit(m, index, text.trim()));
