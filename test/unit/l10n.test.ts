import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { STRINGS } from '../../src/shared/strings';

const ROOT = path.resolve(__dirname, '..', '..');
const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Every sentence the extension can show through `vscode.l10n.t`: string literals passed to message(),
 * wrapping(), l10n.t(), problemAt(), fileProblem() and the schema's lang(), and the values of the template
 * tables, read with the TypeScript parser (so escapes come out as the runtime sees them).
 */
function templates(): Set<string> {
  const found = new Set<string>();
  const calls = new Set(['message', 't', 'problemAt', 'fileProblem', 'wrapping', 'lang']);
  const tables = new Set(['templates', 'PARSE_MESSAGES', 'SPEC_DOCS']);
  // A sentence, not a JSON example or a code such as 'too-large'.
  const sentence = (s: string) => ((/[A-Za-z]/.test(s) && /\s/.test(s.trim())) || /\{\d\}/.test(s) || s === 'example') && !s.startsWith('{ "');
  const sources = [...files(path.join(ROOT, 'src', 'core')), ...files(path.join(ROOT, 'src', 'host')), path.join(ROOT, 'src', 'cli', 'readSpec.ts')];
  for (const file of sources) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : ts.isIdentifier(node.expression) ? node.expression.text : '';
        if (calls.has(callee)) {
          for (const arg of node.arguments) if (ts.isStringLiteral(arg) && sentence(arg.text)) found.add(arg.text);
        }
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'template' && ts.isStringLiteral(node.initializer)) {
        found.add(node.initializer.text);
      }
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && tables.has(node.name.text)) {
        node.initializer?.forEachChild(function walk(child) {
          if (ts.isPropertyAssignment(child) && ts.isStringLiteral(child.initializer)) found.add(child.initializer.text);
          child.forEachChild(walk);
        });
      }
      node.forEachChild(visit);
    };
    visit(sf);
  }
  return found;
}

const placeholders = (s: string) => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();

describe('Korean translation', () => {
  const all = templates();

  it('finds the templates it checks', () => {
    assert.ok(all.size > 50, `only ${all.size} templates found`);
    assert.ok(all.has('Unknown key "{0}" in {1}. Did you mean "{2}"?'));
  });

  it('translates every message of the extension and the core', () => {
    const missing = [...all].filter((t) => !(t in bundle));
    assert.deepStrictEqual(missing, []);
  });

  it('translates every string of the preview', () => {
    const missing = Object.entries(STRINGS).filter(([, en]) => !(en in bundle)).map(([k]) => k);
    assert.deepStrictEqual(missing, []);
  });

  it('has no stale entries', () => {
    const known = new Set([...all, ...Object.values(STRINGS)]);
    assert.deepStrictEqual(Object.keys(bundle).filter((k) => !known.has(k)), []);
  });

  it('keeps every placeholder and is really Korean', () => {
    for (const [en, ko] of Object.entries(bundle)) {
      assert.deepStrictEqual(placeholders(ko), placeholders(en), `placeholders of ${en}`);
      if (/[a-z]{4,} [a-z]{3,}/.test(en)) assert.match(ko, /[\uac00-\ud7a3]/, `not translated: ${en}`);
    }
  });

  it('localizes the manifest (command title, settings, schema) in Korean too', () => {
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const ko = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.ko.json'), 'utf8')) as Record<string, string>;
    assert.deepStrictEqual(Object.keys(ko).sort(), Object.keys(en).sort());
    assert.strictEqual(ko['rnnLens.schemaUrl'], './dist/schema/rnn.schema.ko.json');
    assert.match(ko['rnnLens.visualize.title'], /Visualize LSTM/, 'the English title stays findable in the palette');
    assert.match(ko['rnnLens.exportPytorch.title'], /Export as PyTorch/, 'so does the export');
  });
});
