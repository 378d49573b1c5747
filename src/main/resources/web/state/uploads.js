// Attachments of the message being written ("drafts"). Each file uploads at once; the message
// is sent with the ids of those that are ready. Image drafts get a local preview (object URL).
// Also where a sent attachment is fetched from, so components never reach api/ themselves.
//
//   addFiles(input.files); removeDraft(key); attachmentHref(id);
import { store, toast } from './store.js';
import * as api from '../api/client.js';
import { newId } from '../lib/ids.js';
import { formatBytes } from '../lib/time.js';
import { ensureSession } from './conversation.js';

function patchDraft(key, patch) {
  store.set((s) => ({ drafts: s.drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)) }));
}

export async function addFiles(files) {
  const list = [...(files ?? [])];
  if (!list.length) return;
  let sessionId;
  try { sessionId = await ensureSession(); } catch (e) { toast(e.message, { kind: 'error' }); return; }
  await Promise.all(list.map((file) => uploadOne(sessionId, file)));
}

async function uploadOne(sessionId, file) {
  const limit = store.get().uploadLimit;
  if (limit && file.size > limit) { // refused before a byte is sent; the server checks again
    toast(`“${file.name}” is ${formatBytes(file.size)}; the upload limit is ${formatBytes(limit)}.`, { kind: 'error' });
    return;
  }
  const key = newId();
  const isImage = /^image\//.test(file.type);
  const draft = { key, filename: file.name, size: file.size, mime: file.type, is_image: isImage,
    previewUrl: isImage ? URL.createObjectURL(file) : null, state: 'uploading' };
  store.set((s) => ({ drafts: [...s.drafts, draft] }));
  try {
    const r = await api.upload(sessionId, file);
    patchDraft(key, { state: 'ready', attachment_id: r.attachment_id, filename: r.filename ?? file.name,
      size: r.size ?? file.size, mime: r.mime ?? file.type, is_image: r.is_image ?? isImage });
  } catch (e) {
    removeDraft(key);
    const why = e.status === 413 && Number.isFinite(e.body?.limit_bytes)
      ? `is ${formatBytes(file.size)}; the upload limit is ${formatBytes(e.body.limit_bytes)}.`
      : `could not be uploaded: ${e.message}`;
    toast(`“${file.name}” ${why}`, { kind: 'error' });
  }
}

export function removeDraft(key) {
  const draft = store.get().drafts.find((d) => d.key === key);
  if (draft?.previewUrl) setTimeout(() => URL.revokeObjectURL(draft.previewUrl), 1000);
  store.set((s) => ({ drafts: s.drafts.filter((d) => d.key !== key) }));
}

export const attachmentHref = (attachmentId) => api.attachmentUrl(attachmentId);
