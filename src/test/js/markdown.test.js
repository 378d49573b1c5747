// Where a growing reply's finished blocks end (lib/markdown.js renders only the rest again).
// Run: node --test src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishedLength } from '../../main/resources/web/lib/markdown.js';

const done = (text) => text.slice(0, finishedLength(text));

test('blocks end at the last blank line', () => {
  assert.equal(done('one'), '');
  assert.equal(done('one\n\ntwo'), 'one\n\n');
  assert.equal(done('one\n\ntwo\n\nthr'), 'one\n\ntwo\n\n');
  assert.equal(done('one\n\n'), 'one\n\n');
});

test('a blank line inside an open code fence ends nothing', () => {
  assert.equal(done('intro\n\n```js\nlet a;\n\nlet b;'), 'intro\n\n');
  assert.equal(done('```\na\n\nb\n```\n\nafter'), '```\na\n\nb\n```\n\n');
  assert.equal(done('~~~\n\n~~~\n\nx'), '~~~\n\n~~~\n\n');
});

test('whatever is appended, the finished part only grows', () => {
  const text = 'A para.\n\n- item\n- item\n\n```py\nprint(1)\n\nprint(2)\n```\n\nLast words.';
  let previous = '';
  for (let i = 1; i <= text.length; i++) {
    const now = done(text.slice(0, i));
    assert.ok(now.startsWith(previous), `at ${i}: ${JSON.stringify(now)} does not extend ${JSON.stringify(previous)}`);
    previous = now;
  }
  assert.equal(previous, text.slice(0, text.indexOf('Last words.')));
});
