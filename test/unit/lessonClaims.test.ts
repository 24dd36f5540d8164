import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { useNodeBackend } from '../../src/cli/backends';
import type { Io } from '../../src/cli/io';
import { parseArgs } from '../../src/cli/args';
import { SWEEP_SPEC, TRAIN_SPEC } from '../../src/cli/commandSpecs';
import { runSweep } from '../../src/cli/sweep';
import { runTrain } from '../../src/cli/train';
import type { ClaimStatus } from '../../src/core/claim';
import { LESSON_LANGUAGES, LESSONS } from '../../src/core/lessons';
import { checkSpec } from '../../src/core/modelSpec/check';

const ROOT = path.resolve(__dirname, '..', '..');
const lessonFile = (language: string, file: string) => path.join(ROOT, 'lessons', language, file);

/** A report every this many steps (and at every step a claim part names, which the CLI adds itself). */
const EVERY = 25;

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/**
 * A lesson is a claim, and a claim is tested: every lesson is trained here by `rnn-lens train --json`, exactly
 * as a learner can run it (`rnn-lens train FILE --json`), for the lesson's own `training.steps`, and the claim the preview shows must hold.
 * If one fails, the lesson is what gets fixed.
 */
describe('every lesson, trained headlessly, proves its claim', function () {
  this.timeout(240_000);
  after(() => useNodeBackend('cpu'));

  it('lists the lessons of the lecture in order, each in every language', () => {
    assert.deepStrictEqual(LESSONS.map((l) => l.id), [
      'unrolled', 'exact', 'vanishing', 'exploding', 'clipping', 'lstm', 'gru', 'limits', 'depth', 'seq2seq', 'depends', 'bottleneck',
    ]);
    for (const language of LESSON_LANGUAGES) {
      for (const lesson of LESSONS) assert.ok(fs.existsSync(lessonFile(language, lesson.file)), `${language}/${lesson.file}`);
    }
  });

  it('has the same experiment in every language: only the comments and the description differ', () => {
    for (const lesson of LESSONS) {
      const [en, ...others] = LESSON_LANGUAGES.map((language) => {
        const { spec, problems } = checkSpec(fs.readFileSync(lessonFile(language, lesson.file), 'utf8'));
        assert.deepStrictEqual(problems, [], `${language}/${lesson.file}`);
        assert.ok(spec!.description && spec!.description.length > 10, `${language}/${lesson.file} has a description`);
        assert.ok(spec!.claim.length > 0, `${language}/${lesson.file} has a claim`);
        return { ...spec!, description: null };
      });
      for (const other of others) assert.deepStrictEqual(other, en, lesson.file);
    }
    const ko = checkSpec(fs.readFileSync(lessonFile('ko', LESSONS[0].file), 'utf8')).spec!;
    assert.match(ko.description ?? '', /[\uac00-\ud7a3]/, 'the Korean lesson is written in Korean');
  });

  const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.rnn.json'))
    .filter((f) => checkSpec(fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')).spec?.claim.length);
  const runs = [
    ...LESSONS.map((l) => ({ name: l.id, file: lessonFile('en', l.file) })),
    ...examples.map((f) => ({ name: `example ${f}`, file: path.join(ROOT, 'examples', f) })),
  ];

  it('also checks the examples that state a claim', () => {
    assert.ok(examples.includes('linear-identity.rnn.json') && examples.includes('sine.rnn.json'), examples.join());
  });

  for (const lesson of runs) {
    it(`${lesson.name}: the claim holds within its own steps`, async function () {
      const file = lesson.file;
      const io = capture();
      if (checkSpec(fs.readFileSync(file, 'utf8')).spec?.sweep) {
        // A sweep's lesson runs as `rnn-lens sweep FILE --json` does; its claim reads each model's horizon.
        this.timeout(1_200_000);
        const args = parseArgs(SWEEP_SPEC, [file, '--json']);
        assert.strictEqual(args.kind, 'run');
        assert.strictEqual(await runSweep(args, io), 0, io.stderr.join('\n'));
        const summary = JSON.parse(io.stdout[io.stdout.length - 1]) as { type: string; claim: ClaimStatus };
        assert.strictEqual(summary.type, 'sweepSummary');
        assert.strictEqual(summary.claim.state, 'holds', `${lesson.name}: ${JSON.stringify(summary.claim.parts)}; ${io.stdout.join('\n')}`);
        for (const part of summary.claim.parts) assert.strictEqual(part.state, 'holds');
        return;
      }
      // The arguments as the CLI parses them, then its train command itself.
      const args = parseArgs(TRAIN_SPEC, [file, '--json', '--every', String(EVERY)]);
      assert.strictEqual(args.kind, 'run');
      assert.strictEqual(await runTrain(args, io), 0, io.stderr.join('\n'));
      const summary = JSON.parse(io.stdout[io.stdout.length - 1]) as { type: string; steps: number; claim: ClaimStatus };
      assert.strictEqual(summary.type, 'summary');
      const steps = checkSpec(fs.readFileSync(file, 'utf8')).spec!.training.steps;
      const { claim } = summary;
      assert.strictEqual(claim.state, 'holds', `${lesson.name}: ${JSON.stringify(claim.parts)}`);
      assert.ok(claim.step !== null && claim.step <= steps);
      for (const part of claim.parts) assert.strictEqual(part.state, 'holds');
    });
  }
});
