import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildSchema, bundleTranslator } from '../../src/core/modelSpec/schema';

const ROOT = path.resolve(__dirname, '../..');

/** The schema as the build writes it for a language: English from the source, Korean from the l10n bundle. */
function schemaIn(lang: 'en' | 'ko'): Node {
  if (lang === 'en') return buildSchema();
  return buildSchema(bundleTranslator(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>));
}

type Node = { [k: string]: unknown };

/** The parts of package.json these tests read. */
interface Manifest {
  activationEvents: string[];
  contributes: {
    jsonValidation: unknown;
    jsonLanguageParticipants: unknown;
    languages: { id: string; filenamePatterns: string[]; configuration: string; icon: { light: string; dark: string } }[];
    grammars: { language: string; scopeName: string; path: string }[];
  };
}

function manifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
}

function properties(schema: Node, prefix = ''): [string, Node][] {
  const out: [string, Node][] = [];
  const props = schema.properties as Record<string, Node> | undefined;
  for (const [key, value] of Object.entries(props ?? {})) {
    out.push([`${prefix}${key}`, value]);
    out.push(...properties(value, `${prefix}${key}.`));
    if (value.items) out.push(...properties(value.items as Node, `${prefix}${key}[].`));
  }
  return out;
}

describe('JSON schema', () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`documents every property in ${lang}`, () => {
      const list = properties(schemaIn(lang));
      assert.ok(list.length > 20);
      for (const [name, node] of list) {
        assert.ok(typeof node.markdownDescription === 'string' && node.markdownDescription.length > 20, `${name} lacks docs`);
      }
    });
  }

  it('really has Korean hover docs, for every property', () => {
    const ko = schemaIn('ko') as { properties: { model: { properties: { cell: Node } } } };
    assert.match(String(ko.properties.model.properties.cell.markdownDescription), /[\uac00-\ud7a3]/);
    for (const [name, node] of properties(ko as Node)) assert.match(String(node.markdownDescription), /[\uac00-\ud7a3]/, name);
  });

  it('is contributed for *.rnn.json in both languages and written by the build', () => {
    const pkg = manifest();
    assert.deepStrictEqual(pkg.contributes.jsonValidation, [{ fileMatch: '*.rnn.json', url: '%rnnLens.schemaUrl%' }]);
    for (const nls of ['package.nls.json', 'package.nls.ko.json']) {
      const url = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../..', nls), 'utf8')) as Record<string, string>)['rnnLens.schemaUrl'];
      const file = path.resolve(__dirname, '../..', url);
      assert.ok(fs.existsSync(file), `${file} is missing: run \`npm run build\` first (npm test does)`);
      assert.strictEqual((JSON.parse(fs.readFileSync(file, 'utf8')) as Node).title, 'RNN Lens spec');
    }
  });

  it('treats *.rnn.json as JSON with comments, in a language of its own with its own icon', () => {
    const pkg = manifest();
    const [language] = pkg.contributes.languages;
    assert.strictEqual(pkg.contributes.languages.length, 1);
    assert.strictEqual(language.id, 'rnn-spec');
    assert.deepStrictEqual(language.filenamePatterns, ['*.rnn.json']);
    // VS Code's JSON support serves the language (schema, completion, hover), comments allowed.
    assert.deepStrictEqual(pkg.contributes.jsonLanguageParticipants, [{ languageId: 'rnn-spec', allowComments: true }]);
    assert.deepStrictEqual(pkg.contributes.grammars, [{ language: 'rnn-spec', scopeName: 'source.rnn-spec', path: './syntaxes/rnn-spec.tmLanguage.json' }]);
    const grammar = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../..', pkg.contributes.grammars[0].path), 'utf8')) as { patterns: unknown };
    assert.deepStrictEqual(grammar.patterns, [{ include: 'source.json.comments' }]);
    for (const file of [language.configuration, language.icon.light, language.icon.dark]) {
      assert.ok(fs.existsSync(path.resolve(__dirname, '../..', file)), file);
    }
    assert.ok(pkg.activationEvents.includes('onLanguage:rnn-spec'));
    const schema = buildSchema();
    assert.strictEqual(schema.allowTrailingCommas, true);
  });
});
