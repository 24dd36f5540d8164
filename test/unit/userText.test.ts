import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { STRINGS } from '../../src/shared/strings';

/**
 * Every word a user reads goes through the one translation mechanism: a string key of src/shared/strings.ts
 * (or a template of the core) turned into the display language by `t`, `vscode.l10n.t` or a coded message.
 * This test reads the sources and fails, listing them, on English string literals that reach the user any
 * other way: written into the page (textContent, title, aria-label, a d3 `.text`), or handed on as a label,
 * a note or a reason to be shown elsewhere.
 */
const ROOT = path.resolve(__dirname, '..', '..');
/** Properties and attributes whose text a user reads. */
const SINK_PROPERTIES = new Set(['textContent', 'innerText', 'innerHTML', 'title', 'placeholder', 'ariaLabel']);
const SINK_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'data-tip-value']);
/** Object keys whose value is shown later, by another module or process. */
const SHOWN_KEYS = new Set(['note', 'notes', 'reason', 'message', 'error', 'label', 'title', 'placeHolder', 'description', 'detail', 'tooltip']);
/** The tables of English source texts that the bundles translate. */
const TABLES = new Set(['STRINGS', 'SPEC_DOCS', 'templates', 'PARSE_MESSAGES']);
/** Calls whose string arguments are keys or templates of the translation mechanism. */
const TRANSLATORS = new Set(['t', 'message', 'coded', 'problemAt', 'fileProblem', 'wrapping', 'lang']);
/** Words, not symbols or formulas ("t = 3", "✕", "σ" are fine), and not a string key. */
const isEnglish = (text: string): boolean => /[A-Za-z]{3,}/.test(text) && !Object.prototype.hasOwnProperty.call(STRINGS, text);
const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);
/**
 * Reviewed exceptions, each with its reason: the words are a name or a term that stays English in every
 * language.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The schema's title is the product's name (the schema test pins it in both languages); "teacher forcing"
  // is the term itself, kept in English in the Korean docs too.
  'src/core/modelSpec/schema.ts': ['RNN Lens spec', 'teacher forcing'],
};
/**
 * Files whose texts document a file format for the programs that read or write it, like docs/: the run log's
 * JSON Schema is built into dist/schema/run-log.schema.json, and neither the editor nor the preview shows it.
 */
const FORMAT_DOCUMENTS = new Set(['src/core/runLog/schema.ts']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const calleeName = (call: ts.CallExpression): string => {
  const e = call.expression;
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : '';
};

/**
 * English literals that `expr` evaluates to: not those given to a translator (keys and templates), compared
 * with (`part === 'decoder'`) or tested in a condition, nor those inside a nested object (its own keys are
 * checked on their own).
 */
function englishIn(expr: ts.Node): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && TRANSLATORS.has(calleeName(node))) return;
    if (ts.isObjectLiteralExpression(node)) return;
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) return;
    if (ts.isConditionalExpression(node)) {
      visit(node.whenTrue);
      visit(node.whenFalse);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (isEnglish(node.text)) found.push(node.text);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
      if (parts.some(isEnglish)) found.push(node.getText());
      node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    node.forEachChild(visit);
  };
  visit(expr);
  return found;
}

/** `file:line: text` for every English literal that reaches a user without being translated. */
export function untranslated(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const allowed = ALLOWED[path.relative(ROOT, fileName)] ?? [];
  const out: string[] = [];
  if (FORMAT_DOCUMENTS.has(path.relative(ROOT, fileName))) return out;
  const report = (node: ts.Node, expr: ts.Node) => {
    for (const literal of englishIn(expr)) {
      if (allowed.includes(literal)) continue;
      out.push(`${path.relative(ROOT, fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${literal}`);
    }
  };
  const visit = (node: ts.Node): void => {
    // A DOM property (`el.title = ...`) or a value kept to be shown later (`state.error = ...`); a class's
    // own fields (`this.title = ...`) are its business.
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken
      && ts.isPropertyAccessExpression(node.left) && node.left.expression.kind !== ts.SyntaxKind.ThisKeyword
      && (SINK_PROPERTIES.has(node.left.name.text) || SHOWN_KEYS.has(node.left.name.text))) {
      report(node, node.right);
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      const [first, second] = node.arguments;
      if ((name === 'setAttribute' || name === 'attr') && first && second && ts.isStringLiteral(first) && SINK_ATTRIBUTES.has(first.text)) report(node, second);
      if (name === 'text' && first && ts.isPropertyAccessExpression(node.expression)) report(node, first);
      const receiver = ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : null;
      const receiverName = receiver && ts.isIdentifier(receiver) ? receiver.text : receiver && ts.isPropertyAccessExpression(receiver) ? receiver.name.text : '';
      if (name === 'push' && SHOWN_KEYS.has(receiverName)) node.arguments.forEach((a) => report(node, a));
    }
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && SHOWN_KEYS.has(node.name.text)) {
      report(node, node.initializer);
    }
    // The translation tables themselves are the mechanism.
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && TABLES.has(node.name.text)) return;
    node.forEachChild(visit);
  };
  visit(sf);
  return out;
}

describe('no English reaches the user outside the translation mechanism', () => {
  it('finds English written into the page, posted as a note or handed on as a label', () => {
    const sample = [
      "el.textContent = 'the training worker failed';",
      'el.title = `step ${n} of the run`;',
      "button.setAttribute('aria-label', 'Train');",
      "d3.select(svg).select('text').text('bound');",
      "post({ type: 'backend', note: `${name} is not available` });",
      "series.push({ id: 'b', label: 'bound' });",
      "notes.push(`${name} is not available`);",
      "this.state.error = event.message || 'the training worker failed';",
      // Fine: translated, or no words.
      "el.textContent = texts.t('controls.play');",
      "el.textContent = `${texts.t('controls.status', 1, 2)} · ${label}`;",
      "post({ type: 'error', notes: [coded('error.malformed')] });",
      "marks.push({ label: `t = ${focus}` });",
      "nodes.push({ label: part === 'decoder' ? 'y' : 'x', tip: 'arch.input' });",
      "this.title = element('h1', 'title', root);",
    ].join('\n');
    const found = untranslated(path.join(ROOT, 'sample.ts'), sample).map((f) => f.replace(/^sample\.ts:\d+: /, ''));
    assert.deepStrictEqual(found, [
      'the training worker failed', '`step ${n} of the run`', 'Train', 'bound', '`${name} is not available`', 'bound',
      '`${name} is not available`', 'the training worker failed',
    ]);
  });

  it('finds none in the preview, the worker, the host and the shared code', () => {
    const files = [
      ...sources(path.join(ROOT, 'webview')), ...sources(path.join(ROOT, 'src', 'host')),
      ...sources(path.join(ROOT, 'src', 'shared')), ...sources(path.join(ROOT, 'src', 'core')), path.join(ROOT, 'src', 'extension.ts'),
    ];
    assert.ok(files.length > 60, `only ${files.length} files`);
    const found = files.flatMap((f) => untranslated(f, fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(found, []);
  });
});
