// The shared live connection's bookkeeping: which feeds and turns each reconnect asks for, and
// that a reconnect or a late tab neither loses nor repeats a turn event.
// Run: node --test src/test/js/
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub } from '../../main/resources/web/api/event-hub.js';

/** Stands in for the browser's EventSource: records what was opened and lets the test send frames. */
class FakeSource {
  static opened = [];
  constructor(url) {
    this.url = url;
    this.listeners = new Map();
    this.closed = false;
    FakeSource.opened.push(this);
  }
  addEventListener(name, fn) { this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]); }
  close() { this.closed = true; }
  send(name, data, lastEventId = '') {
    for (const fn of this.listeners.get(name) ?? []) fn({ data: JSON.stringify(data), lastEventId });
  }
  open() { this.onopen?.(); }
}

function setup(t) {
  FakeSource.opened = [];
  globalThis.EventSource = FakeSource;
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const hub = new EventHub({});
  const current = () => FakeSource.opened.at(-1);
  const settle = () => mock.timers.tick(50);
  return { hub, current, settle };
}

const token = (source, turn, seq, text) => source.send('token', { text }, `${turn}:${seq}`);

test('one connection carries the sidebar, sessions and turns, and reconnects with each turn\'s cursor', (t) => {
  const { hub, current, settle } = setup(t);
  const got = [];
  hub.watch({ kind: 'sidebar' }, (m) => got.push(`sidebar ${m.data.version}`));
  hub.watch({ kind: 'session', id: 's1' }, (m) => got.push(`s1 ${m.type}`));
  hub.watch({ kind: 'turn', id: 't1', after: 0 }, (m) => got.push(`t1 ${m.id} ${m.data.text}`));
  settle();
  assert.equal(FakeSource.opened.length, 1, 'the watches of one page load share one connect');
  assert.equal(decodeURIComponent(current().url), '/api/events?sessions=s1&turns=t1');
  current().open();
  current().send('sessions_changed', { version: 3, reason: 'initial' });
  current().send('initial', { session_id: 's1' });
  token(current(), 't1', 1, 'a');
  token(current(), 't1', 2, 'b');

  // A second turn is watched: the connection is replaced and t1 resumes after seq 2.
  hub.watch({ kind: 'turn', id: 't2', after: 0 }, (m) => got.push(`t2 ${m.id}`));
  settle();
  const first = FakeSource.opened[0];
  assert.ok(first.closed);
  assert.equal(decodeURIComponent(current().url), '/api/events?sessions=s1&turns=t1:2,t2');
  token(first, 't1', 3, 'late frame of the old connection'); // ignored: that connection is closed
  current().send('sessions_changed', { version: 3, reason: 'initial' }); // same version: not news
  token(current(), 't1', 2, 'b'); // a repeat (the server would not, but a cursor race could)
  token(current(), 't1', 3, 'c');
  current().send('stream_end', {}, 't1:4');
  current().send('sessions_changed', { version: 4, reason: 'created', session_id: 's2' });

  assert.deepEqual(got, ['sidebar 3', 's1 initial', 't1 t1:1 a', 't1 t1:2 b', 't1 t1:3 c', 't1 t1:4 undefined', 'sidebar 4']);

  // An ended turn is not asked for again.
  hub.watch({ kind: 'session', id: 's2' }, () => {});
  settle();
  assert.equal(decodeURIComponent(current().url), '/api/events?sessions=s1,s2&turns=t2');
});

test('a tab that watches a turn late gets what the hub has, then the live events, each once', (t) => {
  const { hub, current, settle } = setup(t);
  const early = [];
  const late = [];
  hub.watch({ kind: 'turn', id: 't1', after: 0 }, (m) => early.push(m.id));
  settle();
  token(current(), 't1', 1, 'a');
  token(current(), 't1', 2, 'b');
  const connections = FakeSource.opened.length;
  hub.watch({ kind: 'turn', id: 't1', after: 0 }, (m) => late.push(m.id));
  settle();
  assert.equal(FakeSource.opened.length, connections, 'the hub had every event: no reconnect');
  token(current(), 't1', 3, 'c');
  assert.deepEqual(early, ['t1:1', 't1:2', 't1:3']);
  assert.deepEqual(late, ['t1:1', 't1:2', 't1:3']);
});

test('a tab resuming from before what the hub holds makes it read the turn again from there', (t) => {
  const { hub, current, settle } = setup(t);
  const first = [];
  hub.watch({ kind: 'turn', id: 't1', after: 5 }, (m) => first.push(m.id));
  settle();
  token(current(), 't1', 6, 'f');
  const second = [];
  hub.watch({ kind: 'turn', id: 't1', after: 2 }, (m) => second.push(m.id));
  settle();
  assert.equal(decodeURIComponent(current().url), '/api/events?turns=t1:2');
  for (let seq = 3; seq <= 7; seq++) token(current(), 't1', seq, String(seq));
  assert.deepEqual(second, ['t1:6', 't1:3', 't1:4', 't1:5', 't1:6', 't1:7']);
  // The hub forwards the re-read; each tab drops what it saw by seq (api/turn-stream.js).
  assert.deepEqual(first, ['t1:6', 't1:3', 't1:4', 't1:5', 't1:6', 't1:7']);
  const third = [];
  hub.watch({ kind: 'turn', id: 't1', after: 2 }, (m) => third.push(m.id));
  assert.deepEqual(third, ['t1:3', 't1:4', 't1:5', 't1:6', 't1:7'], 'the hub holds the re-read in order');
});

test('a failed connection is retried with backoff and the same cursors', (t) => {
  const { hub, current, settle } = setup(t);
  const statuses = [];
  hub.watch({ kind: 'status' }, (s) => statuses.push(s));
  hub.watch({ kind: 'turn', id: 't1', after: 0 }, () => {});
  settle();
  current().open();
  token(current(), 't1', 1, 'a');
  current().onerror();
  assert.equal(FakeSource.opened.length, 1);
  mock.timers.tick(1000);
  assert.equal(FakeSource.opened.length, 2);
  assert.equal(decodeURIComponent(current().url), '/api/events?turns=t1:1');
  current().open();
  assert.deepEqual(statuses, ['connecting', 'live', 'retrying', 'live']);
});
