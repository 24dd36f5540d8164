import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkSpec } from '../../src/core/modelSpec/check';
import { formatProblem } from '../../src/core/modelSpec/problems';
import { estimateSweep, sweepWallSeconds } from '../../src/core/sweep/estimate';
import { horizonOf, horizons, sweepEvidence, type SweepPointResult } from '../../src/core/sweep/horizons';
import { growsGeometrically, pointSpec, ruleAt, sweepPoints, valueOrder } from '../../src/core/sweep/points';
import { evaluateClaim } from '../../src/core/claim';
import { spec } from '../support/specs';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** The problems of a spec's text, as `rnn-lens check` prints them, with the text each one underlines. */
function problems(text: string): { line: string; at: string }[] {
  return checkSpec(text).problems.map((p) => ({ line: formatProblem('f', p), at: text.slice(p.offset, p.offset + p.length) }));
}

const BASE = '"model": { "cell": "rnn", "hiddenSize": 8 }, "task": { "name": "adding", "length": 10 }';

describe('a sweep in the spec', () => {
  it('resolves to its key, values and rule, and each value to a spec of its own', () => {
    const s = spec(`{ ${BASE}, "compare": [{ "cell": "gru" }], "sweep": { "key": "task.length", "values": [40, 5, 10] } }`);
    assert.deepStrictEqual(s.sweep, { key: 'task.length', values: [40, 5, 10], solved: null });
    assert.deepStrictEqual(valueOrder(s.sweep!), [1, 2, 0]);
    assert.deepStrictEqual(sweepPoints(s).map((p) => [p.variant, p.index]), [[0, 1], [1, 1], [0, 2], [1, 2], [0, 0], [1, 0]]);
    const at5 = pointSpec(s, 5);
    assert.deepStrictEqual([at5.task.minLength, at5.task.maxLength, at5.sweep, at5.claim], [5, 5, null, []]);
    const wide = pointSpec(spec(`{ ${BASE}, "compare": [{ "cell": "gru" }], "sweep": { "key": "model.hiddenSize", "values": [4, 64] } }`), 64);
    assert.deepStrictEqual(wide.variants.map((v) => [v.label, v.model.hiddenSize]), [['rnn', 64], ['gru', 64]]);
  });

  it('judges a run by the task\'s default rule, or by the spec\'s own', () => {
    const adding = spec(`{ ${BASE}, "sweep": { "key": "task.length", "values": [5, 10] } }`);
    assert.deepStrictEqual(ruleAt(adding, 5), { kind: 'below', value: 0.1 / 6 });
    const copy = spec('{ "model": { "cell": "gru" }, "task": { "name": "copy" }, "sweep": { "key": "task.length", "values": [5, 10] } }');
    const rule = ruleAt(copy, 10);
    assert.strictEqual(rule.kind, 'above');
    assert.ok(Math.abs(rule.value - (1 / 8 + 0.9 * (7 / 8))) < 1e-12);
    const own = spec(`{ ${BASE}, "sweep": { "key": "task.length", "values": [5, 10], "solved": { "below": 0.05 } } }`);
    assert.deepStrictEqual(ruleAt(own, 10), { kind: 'below', value: 0.05 });
  });

  it('calls values that grow by a steady factor geometric, and no others', () => {
    assert.ok(growsGeometrically([5, 10, 20, 40, 80, 160]));
    assert.ok(growsGeometrically([10, 30, 100]));
    assert.ok(!growsGeometrically([10, 20, 30, 40]));
    assert.ok(!growsGeometrically([5, 10]));
    assert.ok(!growsGeometrically([0.01, 'sgd', 1]));
  });

  it('puts a positioned error on every bad value, key and entry', () => {
    const cases: [string, RegExp, string][] = [
      ['"sweep": { "key": "model.cell", "values": [1, 2] }', /sweep\.key cannot be the string "model\.cell"\. Allowed: task\.length/, '"model.cell"'],
      ['"sweep": { "key": "task.nmae", "values": [1, 2] }', /Did you mean "task\.name"\?/, '"task.nmae"'],
      ['"sweep": { "key": "task.name", "values": ["copy", "reverse"] }', /task\.name cannot go from "adding" to "reverse": "reverse" needs model\.seq2seq/, '"reverse"'],
      ['"sweep": { "key": "task.length", "values": [5, 2.5] }', /sweep\.values\[1\]: task\.length is a whole number from 1 to 1,000, not 2\.5\./, '2.5'],
      ['"sweep": { "key": "model.hiddenSize", "values": [8, "16"] }', /sweep\.values\[1\]: model\.hiddenSize is a whole number from 1 to 512, not "16"\./, '"16"'],
      ['"sweep": { "key": "training.learningRate", "values": [0.1, 0] }', /is a number above 0, up to 10, not 0\./, '0'],
      ['"sweep": { "key": "training.optimizer", "values": ["adam", "adagrad"] }', /is one of adam, sgd, rmsprop, not "adagrad"\./, '"adagrad"'],
      ['"sweep": { "key": "task.length", "values": [5, 10, 5] }', /sweep\.values\[2\]: 5 is already swept at sweep\.values\[0\]\./, '5'],
      ['"sweep": { "key": "task.length", "values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] }', /sweep\.values holds at most 12 entries\./, '[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]'],
      ['"sweep": { "key": "task.length", "values": [5] }', /needs at least two values/, '[5]'],
      ['"sweep": { "key": "task.length", "values": [1, 10] }', /sweep\.values\[0\] \(task\.length = 1\): The "adding" task needs a length of at least 2/, '1'],
      ['"sweep": { "key": "task.length", "values": [5, 10], "solved": { "above": 0.9 } }', /"adding" is scored by test MSE, which falls as a network learns/, '"above"'],
      ['"compare": [{ "cell": "gru", "sweep": { "key": "task.length", "values": [5, 10] } }]', /A sweep cannot sit inside compare\[0\]: it belongs at the top level/, '"sweep"'],
      ['"compare": [{ "cell": "gru", "hiddenSize": 4 }], "sweep": { "key": "model.hiddenSize", "values": [8, 16] }', /compare\[0\] sets model\.hiddenSize, which the sweep varies/, '"hiddenSize"'],
    ];
    for (const [extra, pattern, at] of cases) {
      const found = problems(`{ ${BASE}, ${extra} }`);
      const hit = found.find((p) => pattern.test(p.line));
      assert.ok(hit, `${extra}: ${JSON.stringify(found)}`);
      assert.strictEqual(hit.at, at, `${extra}: underlines ${hit.at}`);
    }
  });

  it('refuses a value whose step would keep the preview from answering, on that value', () => {
    const found = problems('{ "model": { "cell": "lstm", "hiddenSize": 256 }, "task": { "name": "adding", "length": 10 }, "sweep": { "key": "task.length", "values": [10, 1000] } }');
    assert.strictEqual(found.length, 1, JSON.stringify(found));
    assert.match(found[0].line, /sweep\.values\[1\] \(task\.length = 1000\): One training step would take about/);
    assert.strictEqual(found[0].at, '1000');
  });

  it('lets a claim read each model\'s horizon, only with a sweep, at the sweep\'s steps', () => {
    const sweep = '"training": { "steps": 50 }, "sweep": { "key": "task.length", "values": [5, 10] }';
    assert.deepStrictEqual(problems(`{ ${BASE}, ${sweep}, "claim": [{ "measure": "horizon", "above": 4, "by": 50 }] }`), []);
    const cases: [string, RegExp, string][] = [
      [`${sweep}, "claim": [{ "measure": "horizon", "above": 4, "by": 40 }]`, /judged at step 50, not 40/, '40'],
      [`${sweep}, "claim": [{ "measure": "score", "below": 1, "by": 50 }]`, /with a sweep, a claim reads each model's "horizon"; "score" belongs to a single run/, '"score"'],
      ['"claim": [{ "measure": "horizon", "above": 4, "by": 50 }]', /"horizon" is what a sweep finds; this spec has no "sweep"/, '"horizon"'],
      ['"training": { "steps": 50 }, "sweep": { "key": "training.optimizer", "values": ["adam", "sgd"] }, "claim": [{ "measure": "horizon", "above": 4, "by": 50 }]',
        /the sweep's values must be positive numbers/, '"horizon"'],
    ];
    for (const [extra, pattern, at] of cases) {
      const hit = problems(`{ ${BASE}, ${extra} }`).find((p) => pattern.test(p.line));
      assert.ok(hit, extra);
      assert.strictEqual(hit.at, at);
    }
  });
});

describe('a sweep\'s horizons', () => {
  const s = spec(`{ ${BASE}, "training": { "steps": 100 }, "compare": [{ "cell": "lstm" }], "sweep": { "key": "task.length", "values": [40, 5, 10, 20] } }`);
  const run = (variant: number, index: number, solved: boolean): SweepPointResult =>
    ({ variant, index, steps: 100, metric: { name: 'mse', value: solved ? 0.001 : 0.1 }, solved, solvedAtStep: solved ? 50 : null });

  it('is the largest value solved with every smaller one solved too, decided as soon as the runs that decide it end', () => {
    // rnn: 5 and 20 solved, 10 not: its horizon is 5 whatever 40 does.
    const rnn = [run(0, 1, true), run(0, 3, true)];
    assert.deepStrictEqual(horizonOf(s, rnn, 0), { decided: false, solvedUpTo: 5 });
    assert.deepStrictEqual(horizonOf(s, [...rnn, run(0, 2, false)], 0), { decided: true, solvedUpTo: 5 });
    const lstm = [run(1, 1, true), run(1, 2, true), run(1, 3, true), run(1, 0, true)];
    assert.deepStrictEqual(horizons(s, [...rnn, run(0, 2, false), ...lstm]).map((h) => h.solvedUpTo), [5, 40]);
    assert.deepStrictEqual(horizonOf(s, [run(1, 1, false)], 1), { decided: true, solvedUpTo: null });
  });

  it('gives a claim one reading per model, at the sweep\'s steps, once its horizon is decided', () => {
    const claimed = spec(`{ ${BASE}, "training": { "steps": 100 }, "compare": [{ "cell": "lstm" }], "sweep": { "key": "task.length", "values": [40, 5, 10, 20] },
      "claim": [{ "model": 0, "measure": "horizon", "below": 10, "by": 100 }, { "model": 1, "measure": "horizon", "above": 5, "by": 100 }] }`);
    const partial = [run(0, 1, true), run(0, 2, false)];
    assert.strictEqual(evaluateClaim(claimed.claim, sweepEvidence(claimed, partial)).state, 'pending');
    const all = [...partial, run(1, 1, true), run(1, 2, true), run(1, 3, false)];
    const status = evaluateClaim(claimed.claim, sweepEvidence(claimed, all));
    assert.strictEqual(status.state, 'holds');
    assert.deepStrictEqual(status.parts.map((p) => p.latest), [[5, 5], [10, 10]]);
  });

  it('estimates the time of a sweep run by run, and its wall time on several threads', () => {
    const e = estimateSweep(s);
    assert.strictEqual(e.runs, 8);
    // Longer sequences cost more, and an LSTM more than a vanilla RNN.
    const byPoint = new Map(sweepPoints(s).map((p, i) => [`${p.variant}:${s.sweep!.values[p.index]}`, e.runSeconds[i]]));
    assert.ok(byPoint.get('0:40')! > byPoint.get('0:5')! && byPoint.get('1:40')! > byPoint.get('0:40')!);
    assert.ok(Math.abs(sweepWallSeconds(e, 1) - e.serialSeconds) < 1e-9);
    assert.ok(sweepWallSeconds(e, 4) < e.serialSeconds / 2 && sweepWallSeconds(e, 4) >= Math.max(...e.runSeconds));
  });
});

describe('rnn-lens sweep', function () {
  this.timeout(600_000);
  let file = '';
  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'sweep-worker.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-sweep-')), 'horizon.rnn.json');
    fs.writeFileSync(file, `{ "model": { "cell": "rnn", "hiddenSize": 8 }, "task": { "name": "adding", "length": 10 },
      "training": { "steps": 30, "learningRate": 0.02, "seed": 4 }, "compare": [{ "cell": "gru" }],
      "sweep": { "key": "task.length", "values": [3, 6, 12], "solved": { "below": 0.1 } },
      "claim": [{ "model": 1, "measure": "horizon", "above": 0, "by": 30 }] }`);
  });

  const sweep = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'sweep', file, ...args], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  };

  it('prints a run header, a sweepPoint per run and a sweepSummary, in the shapes of the issue, the same whatever --jobs', () => {
    const [header, ...one] = sweep('--json', '--jobs', '1');
    const [, ...three] = sweep('--json', '--jobs', '3');
    // The log says what it is first (docs/run-log.md): the spec with its sweep, written by rnn-lens sweep.
    assert.deepStrictEqual([header.type, header.format, header.producer, header.backend, header.worldSize, header.source],
      ['run', 1, 'rnn-lens sweep', 'wasm', 1, 'horizon.rnn.json']);
    assert.deepStrictEqual((header.spec as { sweep: unknown }).sweep, { key: 'task.length', values: [3, 6, 12], solved: { kind: 'below', value: 0.1 } });
    assert.ok(!Number.isNaN(Date.parse(header.startedAt as string)));
    const points = one.slice(0, -1);
    assert.strictEqual(points.length, 6);
    for (const p of points) {
      assert.deepStrictEqual(Object.keys(p), ['type', 'variant', 'label', 'values', 'steps', 'metric', 'solved', 'solvedAtStep']);
      assert.strictEqual(p.type, 'sweepPoint');
      assert.strictEqual(p.steps, 30);
      assert.strictEqual(p.solved, p.solvedAtStep !== null);
    }
    const key = (p: Record<string, unknown>) => `${String(p.variant)}:${JSON.stringify(p.values)}`;
    const sorted = (lines: Record<string, unknown>[]) => lines.slice(0, -1).sort((a, b) => key(a).localeCompare(key(b)));
    assert.deepStrictEqual(sorted(three), sorted(one), 'the same runs, to the last bit, with one thread or three');
    assert.deepStrictEqual(three[three.length - 1], one[one.length - 1]);
    const summary = one[one.length - 1] as { type: string; horizons: { variant: number; label: string; solvedUpTo: number | null }[]; claim: { state: string } };
    assert.strictEqual(summary.type, 'sweepSummary');
    assert.deepStrictEqual(summary.horizons.map((h) => Object.keys(h)), [['variant', 'label', 'solvedUpTo'], ['variant', 'label', 'solvedUpTo']]);
    // The summary is what the points say: the largest value solved with every smaller one solved.
    for (const h of summary.horizons) {
      let upTo: number | null = null;
      for (const length of [3, 6, 12]) {
        const p = points.find((x) => x.variant === h.variant && (x.values as Record<string, number>)['task.length'] === length)!;
        if (!p.solved) break;
        upTo = length;
      }
      assert.strictEqual(h.solvedUpTo, upTo, h.label);
    }
    assert.strictEqual(summary.claim.state, summary.horizons[1].solvedUpTo !== null ? 'holds' : 'fails');
  });

  it('says in words what each run did and how far each model reached, and refuses a spec without a sweep', () => {
    const r = spawnSync(process.execPath, [CLI, 'sweep', file, '--jobs', '2'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^rnn, task\.length = 3: test MSE [0-9.]+ after 30 steps, (solved at step \d+|not solved)$/m);
    assert.match(r.stdout, /^gru: (solved none|solved up to task\.length = \d+)$/m);
    assert.match(r.stdout, /^Claim: /m);
    const plain = path.join(path.dirname(file), 'plain.rnn.json');
    fs.writeFileSync(plain, `{ ${BASE} }`);
    const refused = spawnSync(process.execPath, [CLI, 'sweep', plain], { encoding: 'utf8' });
    assert.strictEqual(refused.status, 1);
    assert.match(refused.stderr, /has no "sweep"; train it with "rnn-lens train/);
    // rnn-lens train on a sweep trains the spec's own values, and says so and what runs the sweep.
    const one = spawnSync(process.execPath, [CLI, 'train', file, '--steps', '1', '--json'], { encoding: 'utf8' });
    assert.strictEqual(one.status, 0, one.stderr);
    assert.match(one.stderr, /has a "sweep"; this trains its models at the spec's own values only.*"rnn-lens sweep .*horizon\.rnn\.json" runs every value/);
    assert.ok(one.stdout.trim().split('\n').every((l) => JSON.parse(l) !== null), 'stdout stays JSON lines');
    const help = spawnSync(process.execPath, [CLI, 'sweep', '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /--jobs N +runs at once, each in a thread of its own .*\(1 to 256\)/);
  });
});
