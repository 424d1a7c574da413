/**
 * Layers the linter enforces, in the style of VS Code's code-layering check: every file sits in a layer by its
 * folder, and an import may only go down (docs/ARCHITECTURE.md section 2). Type-only imports are judged the same.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');

/** src-main folders (and src-shared) by layer: a file may import its own folder and any lower layer. */
export const layerOf = {
  'src-shared': 0,
  'src-main/store': 1,
  'src-main/core': 2,
  'src-main/auth': 2,
  'src-main/sync': 3,
  'src-main/export': 3,
  'src-main/scanner': 3,
  'src-main/central': 3,
  'src-main/scale': 3,
  'src-main/printer': 3,
  'src-main/app': 4,
  'src-main/api': 5,
  'src-main/electron': 6,
  'src-main/cli': 6,
  'src-main/bench': 6,
  // Helpers that build a whole station for tests: above everything, and only tests import them.
  'src-main/testing': 7,
};

/**
 * The only imports allowed between two folders of the same layer, each for a real need; siblings are otherwise
 * kept apart so that each can be read alone.
 */
export const allowedSiblings = {
  // Auth's services (sessions, users) run on the core's context and use its role check; core imports no auth.
  'src-main/auth': ['src-main/core'],
  // The station's sync reads the enrolment the centre issued (central/enrol.ts); central imports no sync.
  'src-main/sync': ['src-main/central'],
  // The scale and the label printer are serial devices too: they reuse the scanner's port, line decoder and
  // reconnect plumbing rather than keeping a copy.
  'src-main/scale': ['src-main/scanner'],
  'src-main/printer': ['src-main/scanner'],
  // `baglink bench` and `baglink seed-demo` are commands that run the bench's code.
  'src-main/cli': ['src-main/bench'],
};

/**
 * Where a file sits: its group (the folder shown in messages), its layer (main process and shared only), and
 * whether it is test code (a *.test file or anything under a testing/ folder). Null for files outside the map
 * (root configs, bin/, resources).
 */
export function placeOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const parts = rel.split('/');
  const testing = parts.indexOf('testing');
  const test = /\.test\.[cm]?[jt]sx?$/.test(rel) || (testing >= 0 && testing < parts.length - 1);
  const where = testing >= 0 && testing < parts.length - 1 ? parts.slice(0, testing + 1).join('/') : rel;
  const top = parts[0];
  if (top === 'e2e')
    return { group: parts.length > 2 ? `e2e/${parts[1]}` : 'e2e', kind: 'e2e', test: true, where };
  if (top === 'scripts') return { group: 'scripts', kind: 'scripts', test, where };
  if (top === 'src-renderer') return { group: 'src-renderer', kind: 'renderer', test, where };
  if (top === 'src-shared') return { group: 'src-shared', kind: 'main', layer: 0, test, where };
  // A file directly in src-main/ would sit in no layer, free to re-export a higher one downwards: refused.
  if (top === 'src-main' && parts.length === 2) return { group: rel, kind: 'loose', test, where };
  if (top === 'src-main' && parts.length > 2) {
    const group = `src-main/${parts[1]}`;
    if (group in layerOf) return { group, kind: 'main', layer: layerOf[group], test, where };
    return { group, kind: 'unmapped', test, where };
  }
  return null;
}

const named = (p) => (p.kind === 'main' ? `${p.group} (layer ${p.layer})` : p.group);

/** Why `from` may not import `to`, or null when it may. */
export function refusal(from, to) {
  if (to.group === from.group && (from.test || !to.test)) return null;
  if (to.kind === 'e2e')
    return from.kind === 'e2e' ? null : `${named(from)} may not import ${to.group}: only e2e/ imports it`;
  if (to.test && !from.test)
    return `${named(from)} may not import the test code ${to.where}: product code never imports test code`;
  if (from.kind === 'e2e') return null;
  if (from.kind === 'loose' || to.kind === 'loose')
    return `${from.kind === 'loose' ? from.group : to.group} sits directly in src-main/, in no layer: move it into a layer's folder`;
  if (from.kind === 'unmapped' || to.kind === 'unmapped')
    return `${from.kind === 'unmapped' ? from.group : to.group} has no layer: add it to eslint-rules/layers.js`;
  if (to.kind === 'scripts')
    return from.test || from.kind === 'scripts'
      ? null
      : `${named(from)} may not import scripts/: only tests do`;
  if (from.kind === 'scripts') return null;
  if (from.kind === 'renderer' || to.kind === 'renderer')
    return from.kind === 'renderer' && to.group === 'src-shared'
      ? null
      : `${named(from)} may not import ${named(to)}: the renderer and the main process meet only in src-shared`;
  if (to.test) return null;
  if (to.layer < from.layer) return null;
  if (to.layer > from.layer) return `${named(from)} may not import ${named(to)}`;
  if (from.test || (allowedSiblings[from.group] ?? []).includes(to.group)) return null;
  return `${named(from)} may not import its sibling ${named(to)} (allowed siblings are listed in eslint-rules/layers.js)`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Refuses an import from a higher layer (docs/ARCHITECTURE.md section 2).' },
    schema: [],
    messages: { violation: 'Layer violation: {{why}}.' },
  },
  create(context) {
    const from = placeOf(context.filename);
    if (!from) return {};
    const report = (node, why) => context.report({ node, messageId: 'violation', data: { why } });
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('file:')) source = fileURLToPath(source);
      else if (!source.startsWith('.') && !path.isAbsolute(source)) return; // a package
      const to = placeOf(path.resolve(path.dirname(context.filename), source));
      const why = to && refusal(from, to);
      if (why) report(node, why);
    };
    /** An import path as written: a string, or a template literal; a computed one that names a file is refused. */
    const checkPath = (node, arg) => {
      if (!arg) return;
      if (arg.type === 'Literal') return check(node, arg.value);
      if (arg.type !== 'TemplateLiteral') return;
      const head = arg.quasis[0]?.value.cooked ?? '';
      if (arg.expressions.length === 0) return check(node, head);
      if (head.startsWith('.') || head.startsWith('/') || head.startsWith('file:'))
        report(node, `${named(from)} may not import a computed path (${head}...): write the path whole`);
    };
    const fromSource = (node) => check(node, node.source?.value);
    // Names bound to createRequire(...): calling one is a require.
    const requires = new Set(['require']);
    const isCreateRequire = (n) =>
      n?.type === 'CallExpression' &&
      ((n.callee.type === 'Identifier' && n.callee.name === 'createRequire') ||
        (n.callee.type === 'MemberExpression' && n.callee.property.name === 'createRequire'));
    const isRequire = (callee) =>
      (callee.type === 'Identifier' && requires.has(callee.name)) ||
      isCreateRequire(callee) ||
      (callee.type === 'MemberExpression' &&
        callee.property.name === 'resolve' &&
        callee.object.type === 'Identifier' &&
        requires.has(callee.object.name));
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => checkPath(node, node.source),
      TSImportType: (node) =>
        check(node, node.source?.value ?? node.argument?.literal?.value ?? node.argument?.value),
      TSImportEqualsDeclaration: (node) => checkPath(node, node.moduleReference?.expression),
      VariableDeclarator: (node) => {
        if (node.id.type === 'Identifier' && isCreateRequire(node.init)) requires.add(node.id.name);
      },
      CallExpression: (node) => {
        if (isRequire(node.callee)) checkPath(node, node.arguments[0]);
      },
    };
  },
};

export default { rules: { layers: layersRule } };
