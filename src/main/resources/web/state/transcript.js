// Pure functions over a transcript (an array of messages). No DOM, no I/O: node --test runs them.
// A live assistant message carries `seq`, the last turn event applied to it; an event whose seq is
// not above it changes nothing, so a replay after a reconnect or reload never duplicates text.
// Functions return the same array when nothing changed and new objects only for what changed,
// so the view can skip unchanged messages by identity.
//
//   let m = beginTurn(messages, turnId, Date.now());
//   m = applyTurnEvent(m, turnId, { type: 'token', seq: 1, data: { text: 'Hi' } });

export const STREAMING = 'streaming';

/** Messages as the server sends them (GET /api/session), with the fields the view relies on. */
export function fromServer(messages) {
  return (messages ?? []).map((m) => ({
    ...m,
    content: m.content ?? '',
    reasoning: m.reasoning ?? '',
    tools: m.tools ?? m.tool_calls ?? [],
    attachments: m.attachments ?? [],
    status: m.status ?? null,
    // A failed reply's error with the hint under it, in the shape the live apperror gave it.
    error: m.hint && typeof m.error === 'string' ? { message: m.error, type: null, hint: m.hint } : m.error,
  }));
}

function liveIndex(messages, turnId) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === 'assistant' && m.turn_id === turnId && typeof m.seq === 'number') return i;
  }
  return -1;
}

/**
 * Prepares to receive turn `turnId` from its first event: a stored copy of that turn's reply is
 * dropped (the stream replays the whole turn) and an empty live message is appended. Keeps an
 * existing live message, so resuming with a cursor continues where it was.
 */
export function beginTurn(messages, turnId, now = Date.now()) {
  if (liveIndex(messages, turnId) >= 0) return messages;
  const kept = messages.filter((m) => !(m.role === 'assistant' && m.turn_id === turnId));
  return [...kept, {
    role: 'assistant', turn_id: turnId, content: '', reasoning: '', tools: [], attachments: [],
    usage: null, status: STREAMING, error: null, created_at: now, seq: 0,
  }];
}

/** Applies one turn event { type, seq, data }. Idempotent on seq. */
export function applyTurnEvent(messages, turnId, event) {
  let list = messages;
  let i = liveIndex(list, turnId);
  if (i < 0) {
    list = beginTurn(list, turnId);
    i = list.length - 1;
  }
  const current = list[i];
  const seq = Number.isFinite(event.seq) ? event.seq : null;
  if (seq !== null && seq <= current.seq) return messages;
  const changed = reduce(current, event.type, event.data ?? {});
  const next = { ...changed, seq: seq ?? current.seq };
  const out = list.slice();
  out[i] = next;
  return out;
}

function reduce(m, type, d) {
  switch (type) {
    case 'token': return { ...m, content: m.content + (d.text ?? '') };
    case 'reasoning': return { ...m, reasoning: m.reasoning + (d.text ?? '') };
    case 'tool': return { ...m, tools: [...m.tools, { id: d.id, name: d.name, ...(d.server ? { server: d.server } : {}), args: d.args, state: 'running' }] };
    case 'tool_complete': return { ...m, tools: completeTool(m.tools, d) };
    case 'usage': return { ...m, usage: { ...(m.usage ?? {}), ...d } };
    case 'done': return { ...m, status: null, usage: d.usage ?? m.usage };
    case 'cancel': return { ...m, status: 'stopped' };
    case 'apperror': return {
      ...m,
      status: d.type === 'interrupted' ? 'interrupted' : 'error',
      error: { message: d.message ?? 'The reply failed.', type: d.type ?? null, hint: d.hint ?? null },
    };
    default: return m; // title, stream_end, recovery: no change to the text
  }
}

function completeTool(tools, d) {
  const done = {
    id: d.id, name: d.name, result: d.result, is_error: Boolean(d.is_error),
    duration_ms: d.duration_ms, state: d.is_error ? 'error' : 'done',
  };
  const i = tools.findIndex((t) => t.id === d.id && t.state === 'running');
  if (i < 0) return [...tools, done];
  const out = tools.slice();
  out[i] = { ...out[i], ...done, args: out[i].args };
  return out;
}

/** True while the reply of `turnId` is still receiving events. */
export function isStreaming(messages, turnId) {
  const i = liveIndex(messages, turnId);
  return i >= 0 && messages[i].status === STREAMING;
}

/** Optimistic views of the atomic server calls (the server's answer replaces them). */
export function truncateForRegenerate(messages) {
  let last = messages.length - 1;
  while (last >= 0 && messages[last].role !== 'user') last--;
  return messages.slice(0, last + 1);
}

export function truncateForEdit(messages, index, text) {
  if (index < 0 || index >= messages.length) return messages;
  return [...messages.slice(0, index), { ...messages[index], content: text }];
}

const SAME_FIELDS = ['role', 'content', 'reasoning', 'status', 'turn_id', 'created_at'];

function sameMessage(a, b) {
  const rest = (m) => JSON.stringify([m.tools ?? [], m.usage ?? null, m.attachments ?? [], m.error ?? null]);
  return SAME_FIELDS.every((k) => (a[k] || null) === (b[k] || null)) && rest(a) === rest(b);
}

/**
 * The server's transcript merged with what this tab holds: the reply still streaming stays live
 * at the end (the server writes a reply back only when it ends), details the server did not
 * store (tool cards, usage, reasoning, an error's type) are kept from the streamed copy, sends
 * that failed stay visible for retry, and unchanged messages keep their identity so the view
 * skips them.
 */
export function reconcile(serverMessages, local, liveTurnId = null) {
  const streamed = new Map(local.filter((m) => m.role === 'assistant' && m.turn_id).map((m) => [m.turn_id, m]));
  let merged = fromServer(serverMessages).map((m) => {
    const mine = m.role === 'assistant' && m.turn_id ? streamed.get(m.turn_id) : null;
    if (!mine) return m;
    return {
      ...m,
      tools: m.tools.length ? m.tools : mine.tools ?? [],
      usage: m.usage ?? mine.usage ?? null,
      reasoning: m.reasoning || mine.reasoning || '',
      // The streamed apperror also named the error's type.
      error: mine.error && typeof mine.error === 'object' && m.error ? mine.error : m.error,
    };
  });
  const live = liveTurnId === null ? null : local[liveIndex(local, liveTurnId)];
  if (live) merged = [...merged.filter((m) => !(m.role === 'assistant' && m.turn_id === liveTurnId)), live];
  merged.push(...local.filter((m) => m.failed));
  return merged.map((m, i) => (local[i] && local[i] !== m && sameMessage(local[i], m) ? local[i] : m));
}
