// Watching one turn over the shared live connection (api/live.js):
//   watchTurn(streamId, { onEvent, onStatus, onGone, afterEventId })
// onEvent({ type, seq, data }) sees each seq at most once, in order; the watch ends itself after
// stream_end | cancel | apperror. afterEventId resumes after a known event; without it the whole
// turn so far comes first, then live. onGone() is called when the server no longer knows the
// stream, or it ended without this tab seeing its terminal event — the caller should reload the
// session. Status goes connecting → live → retrying | offline; a retry that will do is never
// reported as "lost".
import { watch } from './live.js';
import { seqOf, TERMINAL } from './event-hub.js';

export { seqOf };

export function watchTurn(streamId, { onEvent, onStatus = () => {}, onGone = () => {}, afterEventId = null }) {
  let lastId = afterEventId;
  let lastSeq = afterEventId ? seqOf(afterEventId) || 0 : 0;
  let closed = false;
  const stops = [];
  const close = () => {
    if (closed) return;
    closed = true;
    stops.forEach((stop) => stop());
    onStatus('closed');
  };
  stops.push(watch({ kind: 'turn', id: streamId, after: lastSeq }, ({ type, data, id }) => {
    if (closed) return;
    if (type === 'stream_not_found' || type === 'stream_gone') { close(); onGone(); return; }
    const seq = seqOf(id);
    if (Number.isFinite(seq)) {
      if (seq <= lastSeq) return; // seen before (a replay for another tab, or after a reconnect)
      lastSeq = seq;
      lastId = id;
    }
    onEvent({ type, seq: Number.isFinite(seq) ? seq : null, data });
    if (TERMINAL.has(type)) close();
  }));
  stops.push(watch({ kind: 'status' }, (status) => { if (!closed) onStatus(status); }));
  return { close, lastEventId: () => lastId };
}
