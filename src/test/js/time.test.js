// Sizes and durations as the app shows them (issue 17, 10).
// Run: node --test src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration } from '../../main/resources/web/lib/time.js';

test('sizes use the binary units the server states its limit in', () => {
  assert.equal(formatBytes(20 * 1024 * 1024), '20 MiB');
  assert.equal(formatBytes(Math.round(21.04 * 1024 * 1024)), '21.0 MiB');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(250 * 1024), '250 KiB');
});

test('a tool that ran under 100 ms does not say "0.0 s"', () => {
  assert.equal(formatDuration(0), '<1 ms');
  assert.equal(formatDuration(42.4), '42 ms');
  assert.equal(formatDuration(999), '999 ms');
  assert.equal(formatDuration(2400), '2.4 s');
  assert.equal(formatDuration(12400), '12 s');
  assert.equal(formatDuration(undefined), '');
});
