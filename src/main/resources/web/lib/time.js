// Time helpers. The server may send ISO strings, epoch seconds or epoch milliseconds.

export function toDate(value) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value);
  const asNumber = Number(value);
  if (!Number.isNaN(asNumber)) return toDate(asNumber);
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function startOfDay(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** 'Today' | 'Yesterday' | 'Earlier' for the sidebar groups. */
export function dayGroup(value, now = new Date()) {
  const d = toDate(value);
  if (!d) return 'Earlier';
  const days = Math.round((startOfDay(now) - startOfDay(d)) / 86400000);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return 'Earlier';
}

/** Short stamp for a message: "14:05" today, "Mar 3, 14:05" otherwise. */
export function shortStamp(value, now = new Date()) {
  const d = toDate(value);
  if (!d) return '';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (startOfDay(d) === startOfDay(now)) return time;
  const sameYear = d.getFullYear() === now.getFullYear();
  const day = d.toLocaleDateString([], sameYear ? { month: 'short', day: 'numeric' }
    : { year: 'numeric', month: 'short', day: 'numeric' });
  return `${day}, ${time}`;
}

export function fullStamp(value) {
  const d = toDate(value);
  return d ? d.toLocaleString() : '';
}

/** A size in binary units (KiB, MiB), as the server states its upload limit: "20 MiB", "21.3 MiB". */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  const [value, unit] = n < 1024 * 1024 ? [n / 1024, 'KiB'] : [n / 1024 / 1024, 'MiB'];
  const digits = Number.isInteger(value) || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

/** How long a tool ran: "45 ms" under a second (never "0.0 s"), "2.4 s", "12 s". */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
}
