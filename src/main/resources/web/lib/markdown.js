// Model text → HTML: marked (raw HTML in the source is shown as text) → DOMPurify → highlight.js.
// The only place where untrusted markup reaches innerHTML. Code blocks get a header with the
// language and a copy button (button.copy-code; the message component handles the click).
//
//   await loadMarkdown();                        // once, at boot
//   renderMarkdown(element, text, { streaming }); // replaces element's content
import { escapeHtml } from './html.js';

const WEBJARS = '/webjars';
const MARKED = `${WEBJARS}/marked/16.4.1/lib/marked.esm.js`;
const PURIFY = `${WEBJARS}/dompurify/3.3.0/dist/purify.es.mjs`;
const HLJS = `${WEBJARS}/highlightjs/11.11.1/highlight.min.js`;
const AUTO_HIGHLIGHT_LIMIT = 6000;

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
    purify = purifyModule.default;
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

function plainParagraphs(text) {
  return String(text ?? '').split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');
}

function sanitize(markup) {
  return purify.sanitize(markup, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'],
    FORBID_ATTR: ['style'] });
}

export function renderMarkdown(element, text, { streaming = false } = {}) {
  if (!marked || !purify) {
    element.innerHTML = plainParagraphs(text);
    return;
  }
  element.innerHTML = sanitize(marked.parse(String(text ?? '')));
  for (const code of element.querySelectorAll('pre > code')) decorateCodeBlock(code, streaming);
}

function languageOf(code) {
  const m = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className);
  return m ? m[1].toLowerCase() : '';
}

function decorateCodeBlock(code, streaming) {
  const pre = code.parentElement;
  const lang = languageOf(code);
  highlight(code, lang, streaming);
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

function highlight(code, lang, streaming) {
  const hljs = globalThis.hljs;
  if (!hljs) return;
  const source = code.textContent;
  let result = null;
  if (lang && hljs.getLanguage(lang)) {
    result = hljs.highlight(source, { language: lang, ignoreIllegals: true });
  } else if (!lang && !streaming && source.length <= AUTO_HIGHLIGHT_LIMIT) {
    result = hljs.highlightAuto(source);
  }
  if (!result) return;
  code.innerHTML = result.value; // highlight.js escapes the source it tokenizes
  code.classList.add('hljs');
}
