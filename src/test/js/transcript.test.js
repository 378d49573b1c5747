// Run: node --test src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyTurnEvent, beginTurn, fromServer, isStreaming, reconcile, truncateForEdit, truncateForRegenerate,
} from '../../main/resources/web/state/transcript.js';

const T = 'turn-1';
const user = { role: 'user', content: 'Hello', created_at: 1 };
const tokens = (texts, from = 1) => texts.map((text, i) => ({ type: 'token', seq: from + i, data: { text } }));
const applyAll = (messages, events, turn = T) => events.reduce((m, e) => applyTurnEvent(m, turn, e), messages);
const reply = (messages) => messages.at(-1);

test('tokens append in order to one live assistant message', () => {
  const m = applyAll([user], tokens(['Hel', 'lo ', 'there']));
  assert.equal(m.length, 2);
  assert.equal(reply(m).content, 'Hello there');
  assert.equal(reply(m).seq, 3);
  assert.ok(isStreaming(m, T));
});

test('replaying events already applied changes nothing (reconnect overlap)', () => {
  const events = tokens(['a', 'b', 'c', 'd', 'e']);
  const once = applyAll([user], events.slice(0, 3));
  const replayed = applyAll(once, events); // server replays 1..5 after a reconnect
  assert.equal(reply(replayed).content, 'abcde');
  assert.equal(applyTurnEvent(replayed, T, events[1]), replayed, 'same array when nothing changes');
});

test('reload: a stored copy of the running turn is replaced by the full replay, not appended to', () => {
  const stored = fromServer([user, { role: 'assistant', content: 'par', turn_id: T }]);
  const m = applyAll(beginTurn(stored, T, 5), tokens(['par', 'tial']));
  assert.equal(m.length, 2);
  assert.equal(reply(m).content, 'partial');
});

test('beginTurn keeps a live message so a cursor resume continues it', () => {
  const m = applyAll([user], tokens(['x', 'y']));
  assert.equal(beginTurn(m, T), m);
});

test('reasoning, tools, usage and done', () => {
  const m = applyAll([user], [
    { type: 'reasoning', seq: 1, data: { text: 'think' } },
    { type: 'tool', seq: 2, data: { id: 'c1', name: 'search', args: { q: 'x' } } },
    { type: 'tool_complete', seq: 3, data: { id: 'c1', name: 'search', result: 'ok', is_error: false, duration_ms: 12 } },
    { type: 'token', seq: 4, data: { text: 'Answer' } },
    { type: 'usage', seq: 5, data: { input_tokens: 3, output_tokens: 4 } },
    { type: 'done', seq: 6, data: { usage: { input_tokens: 3, output_tokens: 5 } } },
    { type: 'stream_end', seq: 7, data: {} },
  ]);
  const r = reply(m);
  assert.equal(r.reasoning, 'think');
  assert.deepEqual(r.tools, [{ id: 'c1', name: 'search', args: { q: 'x' }, result: 'ok', is_error: false, duration_ms: 12, state: 'done' }]);
  assert.equal(r.content, 'Answer');
  assert.deepEqual(r.usage, { input_tokens: 3, output_tokens: 5 });
  assert.equal(r.status, null);
  assert.equal(r.seq, 7);
  assert.ok(!isStreaming(m, T));
});

test('cancel keeps the partial text and marks it stopped', () => {
  const m = applyAll([user], [...tokens(['par', 'tial']), { type: 'cancel', seq: 3, data: { message: 'Stopped' } }]);
  assert.equal(reply(m).content, 'partial');
  assert.equal(reply(m).status, 'stopped');
});

test('apperror carries message and hint; interrupted is its own status', () => {
  const failed = applyAll([user], [{ type: 'apperror', seq: 1, data: { message: 'Rate limited', type: 'rate_limit', hint: 'Wait' } }]);
  assert.equal(reply(failed).status, 'error');
  assert.deepEqual(reply(failed).error, { message: 'Rate limited', type: 'rate_limit', hint: 'Wait' });
  const interrupted = applyAll([user], [...tokens(['a']), { type: 'apperror', seq: 2, data: { message: 'Server restarted', type: 'interrupted' } }]);
  assert.equal(reply(interrupted).status, 'interrupted');
  assert.equal(reply(interrupted).content, 'a');
});

test('events of two turns never mix', () => {
  let m = applyAll([user], [...tokens(['one']), { type: 'done', seq: 2, data: {} }], 'turn-1');
  m = applyAll([...m, { role: 'user', content: 'again' }], tokens(['two']), 'turn-2');
  assert.deepEqual(m.filter((x) => x.role === 'assistant').map((x) => x.content), ['one', 'two']);
});

test('optimistic truncation for regenerate and edit', () => {
  const m = [user, { role: 'assistant', content: 'a' }, { role: 'user', content: 'q2' }, { role: 'assistant', content: 'b' }];
  assert.deepEqual(truncateForRegenerate(m).map((x) => x.content), ['Hello', 'a', 'q2']);
  assert.deepEqual(truncateForEdit(m, 2, 'q2 edited').map((x) => x.content), ['Hello', 'a', 'q2 edited']);
});

test('reconcile keeps the live reply, streamed-only details and unchanged identities', () => {
  const local = applyAll([user], [
    { type: 'tool', seq: 1, data: { id: 'c', name: 'calc', args: {} } },
    ...tokens(['4'], 2),
  ]);
  const whileRunning = reconcile([user], local, T);
  assert.equal(whileRunning[0], local[0], 'unchanged message keeps identity');
  assert.equal(whileRunning[1], local[1], 'live reply kept');
  const finished = reconcile([user, { role: 'assistant', content: '4', turn_id: T }], local, null);
  assert.equal(finished[1].content, '4');
  assert.equal(finished[1].tools[0].name, 'calc', 'tool card kept when the server stored none');
});

test('reconcile keeps the hint of a streamed error the server stored as text only', () => {
  const local = applyAll([user], [
    ...tokens(['par'], 1),
    { type: 'apperror', seq: 2, data: { message: 'Rate limited.', type: 'rate_limit', hint: 'Wait a minute.' } },
  ]);
  const stored = { role: 'assistant', content: 'par', turn_id: T, status: 'error', error: 'Rate limited.' };
  const merged = reconcile([user, stored], local, null);
  assert.equal(merged[1].status, 'error');
  assert.deepEqual(merged[1].error, { message: 'Rate limited.', type: 'rate_limit', hint: 'Wait a minute.' });
  const reloaded = reconcile([user, stored], [], null);
  assert.equal(reloaded[1].error, 'Rate limited.', 'a fresh page shows the stored text');
});

test('after a reload a failed reply keeps the hint under its error (issue 17, 9)', () => {
  const [failed] = fromServer([{ role: 'assistant', content: '', status: 'error', error: 'The provider failed.',
    hint: 'Try again later.', turn_id: T }]);
  assert.deepEqual(failed.error, { message: 'The provider failed.', type: null, hint: 'Try again later.' });
  const [plain] = fromServer([{ role: 'assistant', content: '', status: 'error', error: 'Failed.', hint: null }]);
  assert.equal(plain.error, 'Failed.');
});

test('a tool call keeps the server that runs it', () => {
  const r = reply(applyAll([user], [
    { type: 'tool', seq: 1, data: { id: 'c', name: 'clock', server: 'tether', args: '{}' } },
    { type: 'tool_complete', seq: 2, data: { id: 'c', name: 'clock', result: '<b>x</b>', is_error: false, duration_ms: 3 } },
  ]));
  assert.equal(r.tools[0].server, 'tether');
  assert.equal(r.tools[0].result, '<b>x</b>');
});
