// Model text → HTML: marked (raw HTML in the source is shown as text) → DOMPurify → highlight.js.
// The only place where untrusted markup reaches innerHTML. Code blocks get a header with the
// language and a copy button (button.copy-code; the message component handles the click).
//
//   await loadMarkdown();                        // once, at boot
//   renderMarkdown(element, text);                // replaces element's content
//   renderStreaming(element, text);               // the same while text grows: only the last block changes
import { escapeHtml } from './html.js';

const WEBJARS = '/webjars';
const MARKED = `${WEBJARS}/marked/16.4.1/lib/marked.esm.js`;
const PURIFY = `${WEBJARS}/dompurify/3.3.0/dist/purify.es.mjs`;
const HLJS = `${WEBJARS}/highlightjs/11.11.1/highlight.min.js`;

let marked = null;  // a configured Marked instance once loaded
let purify = null;

function loadClassicScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** Loads the three libraries. If they are missing, text is still shown, escaped, as paragraphs. */
export async function loadMarkdown() {
  try {
    const [markedModule, purifyModule] = await Promise.all([import(MARKED), import(PURIFY)]);
    marked = new markedModule.Marked({ gfm: true, breaks: false });
    marked.use({ renderer: { html: (token) => escapeHtml(token.text ?? token.raw ?? '') } });
    marked.use({ extensions: MATH });
    purify = purifyModule.default;
    purify.addHook('afterSanitizeAttributes', keepTaskCheckboxes);
    purify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
  } catch (e) {
    console.warn('Markdown libraries unavailable; showing plain text.', e);
  }
  try { await loadClassicScript(HLJS); } catch (e) { console.warn(e.message); }
}

/**
 * TeX is kept exactly as written, delimiters included: `$$…$$` as a block or inline, and `$…$`
 * whose first and last characters are not spaces and that is not followed by a digit (so "$5 and
 * $10" stays text). Markdown would otherwise take `\,` `\{` `\\` as escapes and drop the backslash.
 */
const MATH = [
  {
    name: 'mathBlock',
    level: 'block',
    tokenizer(src) {
      const m = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/.exec(src);
      return m ? { type: 'mathBlock', raw: m[0], text: `$$${m[1]}$$` } : undefined;
    },
    renderer: (token) => `<div class="math math-display">${escapeHtml(token.text)}</div>\n`,
  },
  {
    name: 'mathInline',
    level: 'inline',
    start: (src) => src.indexOf('$'),
    tokenizer(src) {
      const m = /^\$\$[\s\S]+?\$\$/.exec(src) ?? /^\$(?![\s$])(?:\\.|[^\\$\n])+?(?<!\s)\$(?!\d)/.exec(src);
      return m ? { type: 'mathInline', raw: m[0], text: m[0] } : undefined;
    },
    renderer: (token) => `<span class="math math-inline">${escapeHtml(token.text)}</span>`,
  },
];

function plainParagraphs(text) {
  return String(text ?? '').split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');
}

function sanitize(markup) {
  return purify.sanitize(markup, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'button'],
    FORBID_ATTR: ['style'] });
}

/** The only input a reply may hold is a task list's checkbox, and it cannot be changed. */
function keepTaskCheckboxes(node) {
  if (node.tagName !== 'INPUT') return;
  if (node.getAttribute('type') !== 'checkbox') { node.remove(); return; }
  for (const name of [...node.getAttributeNames()]) {
    if (!['type', 'checked', 'disabled'].includes(name)) node.removeAttribute(name);
  }
  node.setAttribute('disabled', '');
  // A checkbox needs a name for screen readers; the item's text follows it, so say only its state.
  node.setAttribute('aria-label', node.hasAttribute('checked') ? 'Done' : 'Not done');
}

export function renderMarkdown(element, text) {
  element.streamed = null;
  if (!marked || !purify) {
    element.innerHTML = plainParagraphs(text);
    return;
  }
  element.innerHTML = sanitize(marked.parse(String(text ?? '')));
  for (const code of element.querySelectorAll('pre > code')) decorateCodeBlock(code);
}

/**
 * Where the finished blocks of a growing text end: after its last blank line that is outside a
 * code fence. What comes before cannot change as text is appended (up to list and reference
 * subtleties that the final full render settles).
 */
export function finishedLength(text) {
  let end = 0;
  let fenced = false;
  let at = 0;
  for (const line of text.split('\n')) {
    const next = at + line.length + 1;
    if (/^ {0,3}(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && line.trim() === '' && at > 0 && next <= text.length) end = next;
    at = next;
  }
  return end;
}

/**
 * Renders a text that is still growing: finished blocks are rendered once and appended, and only
 * the tail is rendered again, so a selection in the finished part survives the next token and a
 * token costs the size of the last block, not of the reply.
 */
export function renderStreaming(element, text) {
  let state = element.streamed;
  if (!state || !text.startsWith(state.done) || !element.contains(state.doneEl)) {
    element.replaceChildren();
    state = { done: '', doneEl: document.createElement('div'), tailEl: document.createElement('div') };
    state.doneEl.className = 'md-done';
    state.tailEl.className = 'md-tail';
    element.append(state.doneEl, state.tailEl);
    element.streamed = state;
  }
  const end = finishedLength(text);
  if (end > state.done.length) {
    const part = document.createElement('div');
    renderMarkdown(part, text.slice(state.done.length, end));
    state.doneEl.append(...part.childNodes);
    state.done = text.slice(0, end);
  }
  renderMarkdown(state.tailEl, text.slice(state.done.length));
}

function languageOf(code) {
  const m = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className);
  return m ? m[1].toLowerCase() : '';
}

function decorateCodeBlock(code) {
  const pre = code.parentElement;
  const lang = languageOf(code);
  // marked ends a block's code with a newline; a streaming caret after it would sit on a line of its own.
  if (code.textContent.endsWith('\n')) code.textContent = code.textContent.slice(0, -1);
  highlight(code, lang);
  const block = document.createElement('div');
  block.className = 'code-block';
  const head = document.createElement('div');
  head.className = 'code-head';
  const label = document.createElement('span');
  label.className = 'code-lang';
  label.textContent = lang || 'text';
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'copy-code';
  copy.textContent = 'Copy';
  copy.setAttribute('aria-label', 'Copy code');
  head.append(label, copy);
  pre.replaceWith(block);
  block.append(head, pre);
}

function highlight(code, lang) {
  const hljs = globalThis.hljs;
  if (!hljs) return;
  const source = code.textContent;
  let result = null;
  if (lang && hljs.getLanguage(lang)) {
    result = hljs.highlight(source, { language: lang, ignoreIllegals: true });
  }
  // A fence without a language is shown as plain text, as its label says (no guessing).
  if (!result) return;
  code.innerHTML = result.value; // highlight.js escapes the source it tokenizes
  code.classList.add('hljs');
}
