// Escaping tagged template. Everything interpolated into html`...` is escaped unless it is
// already a SafeHtml (another html`` result or an explicit trustedHtml()). Arrays are joined.
// The only ways to put markup into the DOM from components are setHtml() here and
// renderMarkdown() in markdown.js (sanitized).
//
//   setHtml(el, html`<b>${userTitle}</b>${trustedHtml(ICON)}`);

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

class SafeHtml {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

/** Marks a string of markup written by this app (icons, constants) as trusted. Never for model or user text. */
export function trustedHtml(markup) {
  return new SafeHtml(String(markup));
}

function fragment(value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += fragment(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

export function setHtml(element, safe) {
  if (!(safe instanceof SafeHtml)) throw new TypeError('setHtml needs html`` output');
  element.innerHTML = safe.text;
}
