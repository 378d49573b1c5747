// The browser app's import graph: no cycles, and dependencies go one way
// (lib ← api ← state ← components; the pages and app.js on top). A component gets what it needs
// from state or through arguments, never from api/ directly.
// Run: node --test src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../../main/resources/web');

// Static `import … from '…'`, `import '…'` and `export … from '…'` at the start of a line (so the
// usage examples in header comments do not count; a clause of names may span lines but holds no
// `(` or `=`, so `export function f() { … './x' … }` is not read as one), and import('…') with a
// literal. Only relative specifiers are the app's own modules.
const STATIC = /^[ \t]*(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(source) {
  return [...source.matchAll(STATIC), ...source.matchAll(DYNAMIC)]
    .map((m) => m[1])
    .filter((s) => s.startsWith('./') || s.startsWith('../'));
}

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return jsFiles(path);
    return e.name.endsWith('.js') ? [path] : [];
  });
}

const name = (path) => relative(WEB, path).split(sep).join('/');

/** file → the files it imports, both as paths relative to the web root ('state/chat.js'). */
function importGraph() {
  const graph = new Map();
  for (const file of jsFiles(WEB)) {
    const targets = specifiers(readFileSync(file, 'utf8')).map((s) => resolve(dirname(file), s));
    for (const target of targets) {
      assert.ok(existsSync(target), `${name(file)} imports ${name(target)}, which does not exist`);
    }
    graph.set(name(file), targets.map(name));
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as [a, b, …, a]. */
function cycles(graph) {
  const found = [];
  const done = new Set();
  const path = [];
  const visit = (node) => {
    const at = path.indexOf(node);
    if (at >= 0) { found.push([...path.slice(at), node]); return; }
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    path.pop();
    done.add(node);
  };
  for (const node of graph.keys()) visit(node);
  return found;
}

const layer = (file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file);

// Who may import whom, by top-level folder. app.js and pages/ are entry points and may use
// anything below them.
const MAY_IMPORT = {
  lib: ['lib'],
  api: ['api', 'lib'],
  state: ['state', 'api', 'lib'],
  components: ['components', 'state', 'lib'],
};

test('the parser finds multi-line, re-export, side-effect and dynamic imports, and skips comments', () => {
  const source = [
    '// Usage:',
    "//   import * as api from './api/client.js';",
    "import {",
    "  a, b,",
    "} from './multi.js';",
    "import './side-effect.js';",
    "export { c } from '../re-export.js';",
    "import * as x from \"./double.js\";",
    "import { marked } from 'https://cdn.example/marked.js';",
    "const later = () => import('./dynamic.js');",
    "export function f() {",
    "  return load('./not-an-import.js');",
    "}",
    "export const g = () => './neither.js';",
  ].join('\n');
  assert.deepEqual(specifiers(source),
    ['./multi.js', './side-effect.js', '../re-export.js', './double.js', './dynamic.js']);
});

test('the graph covers the app (the walk is not vacuous)', () => {
  const graph = importGraph();
  assert.ok(graph.size > 20, `only ${graph.size} modules found under ${WEB}`);
  assert.ok(graph.get('app.js').includes('state/conversation.js'), 'app.js → state/conversation.js not found');
});

test('no import cycles in the browser app', () => {
  const found = cycles(importGraph());
  assert.deepEqual(found.map((c) => c.join(' → ')), [], 'import cycles');
});

test('no component imports from api/ (components get it from state or through arguments)', () => {
  const offenders = [...importGraph()]
    .filter(([file]) => layer(file) === 'components')
    .flatMap(([file, targets]) => targets.filter((t) => layer(t) === 'api').map((t) => `${file} → ${t}`));
  assert.deepEqual(offenders, [], 'components importing api/');
});

test('dependencies go one way: lib ← api ← state ← components', () => {
  const offenders = [...importGraph()]
    .filter(([file]) => MAY_IMPORT[layer(file)])
    .flatMap(([file, targets]) => targets
      .filter((t) => !MAY_IMPORT[layer(file)].includes(layer(t)))
      .map((t) => `${file} → ${t}`));
  assert.deepEqual(offenders, [], 'imports against the layering');
});
