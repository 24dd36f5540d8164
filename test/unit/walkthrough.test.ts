import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { LESSONS, trainedContextKey } from '../../src/core/lessons';
import { checkSpec } from '../../src/core/modelSpec/check';

const ROOT = path.resolve(__dirname, '..', '..');
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents: string[];
}
interface Manifest {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; description: string; steps: Step[] }[] };
}

const manifest = read<Manifest>('package.json');
const nls = { en: read<Record<string, string>>('package.nls.json'), ko: read<Record<string, string>>('package.nls.ko.json') };
/** A manifest value as VS Code shows it in a language: "%key%" looked up in that language's package.nls. */
const localized = (value: string, lang: 'en' | 'ko') => {
  const key = /^%(.+)%$/.exec(value)?.[1];
  return key === undefined ? value : nls[lang][key];
};

/** The command ids the extension registers (in extension.ts and the host), read with the TypeScript parser. */
function registeredCommands(): Set<string> {
  const found = new Set<string>();
  const host = path.join(ROOT, 'src', 'host');
  const files = [path.join(ROOT, 'src', 'extension.ts'), ...fs.readdirSync(host).filter((f) => f.endsWith('.ts')).map((f) => path.join(host, f))];
  for (const file of files) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'registerCommand') {
        const [id] = node.arguments;
        if (id && ts.isStringLiteral(id)) found.add(id.text);
      }
      node.forEachChild(visit);
    };
    visit(sf);
  }
  return found;
}

describe('the lessons walkthrough', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  const registered = registeredCommands();

  it('has one step per lesson, in the lecture\'s order, each completing when its lesson is trained', () => {
    assert.strictEqual(manifest.contributes.walkthroughs.length, 1);
    assert.deepStrictEqual(walkthrough.steps.map((s) => s.id), LESSONS.map((l) => l.id));
    for (const step of walkthrough.steps) {
      assert.deepStrictEqual(step.completionEvents, [`onContext:${trainedContextKey(step.id as (typeof LESSONS)[number]['id'])}`]);
    }
  });

  it('names only commands that are contributed and registered, and each step opens its own lesson', () => {
    for (const id of ['rnnLens.openLesson', 'rnnLens.newSpec', 'rnnLens.visualize']) {
      assert.ok(contributed.has(id), `${id} is contributed`);
      assert.ok(registered.has(id), `${id} is registered`);
    }
    for (const step of walkthrough.steps) {
      for (const lang of ['en', 'ko'] as const) {
        const description = localized(step.description, lang);
        const links = [...description.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)];
        assert.ok(links.length > 0, `${step.id} (${lang}) has a button`);
        for (const [, command, args] of links) {
          assert.ok(contributed.has(command) && registered.has(command), `${step.id} (${lang}) names ${command}`);
          assert.deepStrictEqual(JSON.parse(decodeURIComponent(args)), [step.id]);
        }
      }
    }
  });

  it('has a media file for every step in both languages, and every lesson spec it opens is valid', () => {
    for (const step of walkthrough.steps) {
      for (const lang of ['en', 'ko'] as const) {
        const media = localized(step.media.markdown ?? '', lang);
        assert.ok(media && fs.existsSync(path.join(ROOT, media)), `${step.id} (${lang}): ${media}`);
        assert.ok(media.includes(`/${lang}/`), `${step.id} (${lang}) shows the ${lang} text`);
      }
    }
    for (const lesson of LESSONS) {
      for (const lang of ['en', 'ko']) {
        const { problems } = checkSpec(fs.readFileSync(path.join(ROOT, 'lessons', lang, lesson.file), 'utf8'));
        assert.deepStrictEqual(problems, [], `${lang}/${lesson.file}`);
      }
    }
  });

  it('has every title and description in Korean, written in Korean', () => {
    const texts = [walkthrough.title, walkthrough.description, ...walkthrough.steps.flatMap((s) => [s.title, s.description])];
    for (const value of texts) {
      assert.match(value, /^%.+%$/, `${value} is localized`);
      assert.ok(localized(value, 'en'), `${value} has English`);
      assert.match(localized(value, 'ko'), /[\uac00-\ud7a3]/, `${value} is Korean in package.nls.ko.json`);
    }
    for (const md of fs.readdirSync(path.join(ROOT, 'media', 'walkthrough', 'ko'))) {
      assert.match(fs.readFileSync(path.join(ROOT, 'media', 'walkthrough', 'ko', md), 'utf8'), /[\uac00-\ud7a3]/, md);
    }
  });

  it('ships one valid, commented template per cell for "New Model Spec", in both languages', () => {
    for (const lang of ['en', 'ko']) {
      for (const cell of ['rnn', 'lstm', 'gru']) {
        const text = fs.readFileSync(path.join(ROOT, 'templates', lang, `${cell}.rnn.json`), 'utf8');
        const { spec, problems } = checkSpec(text);
        assert.deepStrictEqual(problems, [], `${lang}/${cell}`);
        assert.strictEqual(spec!.variants[0].model.cell, cell);
        assert.match(text, /^\/\/ /m, `${lang}/${cell} explains itself in comments`);
        if (lang === 'ko') assert.match(text, /[\uac00-\ud7a3]/);
      }
    }
  });
});
