// The only EventSource user. Two uses:
//   watchTurn(streamId, { onEvent, onStatus, onGone }) — one turn's events, each delivered once,
//     in seq order, resumed after any drop from the last `<turn>:<seq>` id; closes itself after
//     stream_end | cancel | apperror.
//   openFeed({ url, events, onEvent, onStatus }) — a long-lived feed (session / sidebar events).
// Both reconnect themselves (never the browser's built-in retry, which would resend a stale
// query cursor): backoff with jitter, paused while offline, and immediate when the tab becomes
// visible or the network comes back. Status goes connecting → live → retrying | offline; a
// retry that will do is never reported as "lost".
import { turnStreamUrl, streamStatus } from './client.js';

const TURN_EVENTS = ['token', 'reasoning', 'tool', 'tool_complete', 'usage', 'title',
  'done', 'cancel', 'apperror', 'stream_end', 'recovery'];
const TERMINAL = new Set(['stream_end', 'cancel', 'apperror']);
const BACKOFF_MS = [300, 1000, 2000, 4000, 8000, 15000];

function openReconnecting({ url, events, onEvent, onStatus = () => {}, onFailure = async () => {} }) {
  let source = null;
  let timer = null;
  let failures = 0;
  let closed = false;

  const connect = () => {
    clearTimeout(timer);
    timer = null;
    if (closed) return;
    if (navigator.onLine === false) { onStatus('offline'); return; }
    onStatus(failures ? 'retrying' : 'connecting');
    source = new EventSource(url());
    source.onopen = () => { failures = 0; onStatus('live'); };
    source.onerror = () => fail();
    for (const name of events) {
      source.addEventListener(name, (e) => { if (!closed) onEvent(name, parse(e.data), e.lastEventId); });
    }
  };

  const fail = async () => {
    source?.close();
    source = null;
    if (closed) return;
    failures++;
    onStatus(navigator.onLine === false ? 'offline' : 'retrying');
    if (await onFailure(failures)) return;
    if (closed) return;
    const base = BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)];
    const delay = document.visibilityState === 'hidden' ? Math.max(base, 5000) : base;
    timer = setTimeout(connect, delay + Math.random() * base * 0.3);
  };

  const wake = () => { if (!closed && !source && document.visibilityState !== 'hidden') connect(); };
  const offline = () => { if (!closed && !source) onStatus('offline'); };
  window.addEventListener('online', wake);
  window.addEventListener('offline', offline);
  document.addEventListener('visibilitychange', wake);
  connect();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
      source = null;
      window.removeEventListener('online', wake);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', wake);
      onStatus('closed');
    },
  };
}

function parse(data) {
  try { return JSON.parse(data); } catch { return {}; }
}

/** Sequence number of an SSE id `<turn>:<seq>`, or NaN. */
export function seqOf(eventId) {
  const i = String(eventId ?? '').lastIndexOf(':');
  return i < 0 ? NaN : Number.parseInt(eventId.slice(i + 1), 10);
}

/**
 * Watches one turn. onEvent({ type, seq, data }) sees each seq at most once. afterEventId
 * resumes after a known event; without it the server sends the whole turn so far, then live.
 * onGone() is called if the server no longer knows the stream or it ended without our seeing
 * its terminal event — the caller should reload the session from the server.
 */
export function watchTurn(streamId, { onEvent, onStatus, onGone = () => {}, afterEventId = null }) {
  let lastId = afterEventId;
  let lastSeq = afterEventId ? seqOf(afterEventId) : 0;
  let handle = null;
  const deliver = (type, data, id) => {
    const seq = seqOf(id);
    if (Number.isFinite(seq)) {
      if (seq <= lastSeq) return; // replayed after a reconnect: already applied
      lastSeq = seq;
      lastId = id;
    }
    onEvent({ type, seq: Number.isFinite(seq) ? seq : null, data });
    if (TERMINAL.has(type)) handle.close();
  };
  const probe = async (failures) => {
    if (failures < 2) return false;
    try {
      const status = await streamStatus(streamId);
      if (!status.terminal || (status.last_seq ?? 0) > lastSeq) return false;
    } catch (e) {
      if (e.status !== 404) return false;
    }
    handle.close();
    onGone();
    return true;
  };
  handle = openReconnecting({
    url: () => turnStreamUrl(streamId, lastId ?? undefined),
    events: TURN_EVENTS, onEvent: deliver, onStatus, onFailure: probe,
  });
  return { close: () => handle.close(), lastEventId: () => lastId };
}

/** A long-lived feed; url is a function so each reconnect can use fresh query values. */
export function openFeed({ url, events, onEvent, onStatus }) {
  return openReconnecting({ url, events, onEvent: (type, data) => onEvent(type, data), onStatus });
}
