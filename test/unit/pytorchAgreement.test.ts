import * as assert from 'assert';
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { portOutsideEphemeralRange } from '../support/ports';
import { findTorchPython, pythonEnv } from '../support/python';

/**
 * The exported PyTorch script against `rnn-lens train --backend cpu`, on the same spec: step 1's loss within
 * 1e-5 relative (same weights, data and forward pass), its gradient norm, every ||dL/dh_t||, every ||dL/dx_t||
 * and the share of the input gradient on the steps that matter within 1e-4 (same backward pass), the losses of 50 steps within 1 % (same optimizer); and two ranks of
 * DistributedDataParallel over gloo against one process, within the same tolerances.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const STEPS = 50;

type Line = Record<string, unknown> & { type: string };
type Step = Line & {
  variant: number; step: number; loss: number; gradNorm: number; hiddenGradNorms: number[]; layerGradNorms: number[][];
  inputGradNorms: number[]; relevantInputShare: number | null;
};

interface Run { status: number | null; stdout: string; stderr: string; killed?: string }

/** Every process a test started and that has not ended: killed after the suite, so none outlives mocha. */
const live = new Set<ChildProcess>();

interface Limits {
  /** Kill it after this long (a hung rank would otherwise keep mocha, and the whole test run, waiting). */
  deadlineMs?: number;
  /** Kill it if it has printed nothing on stdout after this long. */
  silentMs?: number;
  /** Kill it when this fires. */
  abort?: AbortSignal;
}

const SILENT = 'printed nothing';

/** Runs a process to its end, or kills it at one of its limits; either way it resolves with what it printed. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, limits: Limits = {}): Promise<Run> {
  const { deadlineMs = 300_000, silentMs, abort } = limits;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: pythonEnv(env) });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let killed: string | undefined;
    const kill = (why: string) => { if (child.exitCode === null && child.signalCode === null) { killed = why; child.kill('SIGKILL'); } };
    const timers = [setTimeout(() => kill(`still running after ${deadlineMs / 1000} s`), deadlineMs)];
    if (silentMs !== undefined) timers.push(setTimeout(() => { if (!stdout) kill(`${SILENT} in ${silentMs / 1000} s`); }, silentMs));
    abort?.addEventListener('abort', () => kill(String(abort.reason)));
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.on('error', reject);
    child.on('close', (status) => {
      timers.forEach(clearTimeout);
      live.delete(child);
      resolve({ status, stdout, stderr, killed });
    });
  });
}

function lines(r: Run, what: string): Line[] {
  assert.strictEqual(r.status, 0, `${what} failed${r.killed ? ` (killed: ${r.killed})` : ''}:\n${r.stderr.slice(-3000)}`);
  return r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
}

/** The largest relative difference seen per check, printed at the end (docs/pytorch-export.md quotes them). */
const worst: Record<string, number> = {};

function rel(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

function within(check: string, actual: number, expected: number, tolerance: number, where: string): void {
  const r = rel(actual, expected);
  worst[check] = Math.max(worst[check] ?? 0, r);
  assert.ok(r <= tolerance, `${where}: ${check} ${actual} vs ${expected}, relative difference ${r.toExponential(2)} > ${tolerance}`);
}

function steps(all: Line[], variant: number): Step[] {
  return all.filter((l): l is Step => l.type === 'step' && l.variant === variant);
}

/** `py` against `ts` (or ranks against one process), every model of the spec. */
function compare(py: Line[], ts: Line[], label: string, prefix = ''): void {
  const variants = new Set(ts.filter((l) => l.type === 'step').map((l) => l.variant as number));
  assert.ok(variants.size >= 1);
  for (const v of variants) {
    const a = steps(py, v);
    const b = steps(ts, v);
    const where = `${label}, model ${v} (${String(b[0]?.label)})`;
    assert.strictEqual(a.length, b.length, `${where}: ${a.length} reports vs ${b.length}`);
    assert.deepStrictEqual(Object.keys(a[0]), Object.keys(b[0]), `${where}: the same JSON keys in the same order`);
    assert.strictEqual(a[0].label, b[0].label);
    const [p, t] = [a[0], b[0]];
    assert.strictEqual(p.step, 1);
    within(`${prefix}step-1 loss`, p.loss, t.loss, 1e-5, where);
    within(`${prefix}step-1 gradient norm`, p.gradNorm, t.gradNorm, 1e-4, where);
    assert.deepStrictEqual(p.segments, t.segments, `${where}: segments`);
    assert.strictEqual(p.layerGradNorms.length, t.layerGradNorms.length);
    p.layerGradNorms.forEach((layer, l) => {
      assert.strictEqual(layer.length, t.layerGradNorms[l].length, `${where}: one norm per time step`);
      layer.forEach((n, k) => within(`${prefix}step-1 ||dL/dh_t||`, n, t.layerGradNorms[l][k], 1e-4, `${where}, layer ${l}, t = ${k}`));
    });
    assert.deepStrictEqual(p.hiddenGradNorms, p.layerGradNorms[p.layerGradNorms.length - 1]);
    // What the answer depends on: ||dL/dx_t|| per input step (the encoder's), and its share on the steps that matter.
    assert.strictEqual(p.inputGradNorms.length, t.inputGradNorms.length, `${where}: one norm per input step`);
    p.inputGradNorms.forEach((n, k) => within(`${prefix}step-1 ||dL/dx_t||`, n, t.inputGradNorms[k], 1e-4, `${where}, t = ${k}`));
    if (t.relevantInputShare === null) assert.strictEqual(p.relevantInputShare, null, `${where}: no steps that matter`);
    else within(`${prefix}step-1 relevant input share`, p.relevantInputShare!, t.relevantInputShare, 1e-4, where);
    // The rest of the report, before any update: gates, the forget-gate product, the vanilla RNN's factors.
    const tg = t.gates as Record<string, Record<string, number[]>>;
    const pg = p.gates as Record<string, Record<string, number[]>>;
    assert.deepStrictEqual(Object.keys(pg), Object.keys(tg));
    for (const gate of Object.keys(tg)) tg[gate].mean.forEach((m, k) => within(`${prefix}step-1 gate means`, pg[gate].mean[k], m, 1e-4, `${where}, ${gate} t = ${k}`));
    if (t.forgetProduct) (t.forgetProduct as number[]).forEach((f, k) => within(`${prefix}step-1 forget product`, (p.forgetProduct as number[])[k], f, 1e-4, where));
    if (t.vanishing) {
      const [pv, tv] = [p.vanishing, t.vanishing] as { meanDerivative: number[]; sigmaMax: number[] }[];
      tv.meanDerivative.forEach((d, k) => within(`${prefix}step-1 mean tanh'`, pv.meanDerivative[k], d, 1e-4, where));
      tv.sigmaMax.forEach((s, k) => within(`${prefix}step-1 sigma_max`, pv.sigmaMax[k], s, 1e-4, where));
    }
    const metric = (x: Step) => (x.metric as { value: number }).value;
    within(`${prefix}step-1 held-out score`, metric(p), metric(t), 1e-3, where);
    if (t.seq2seq) {
      // Token and sequence accuracy, teacher forced and free running, on the fixed held-out set.
      const pair = (x: Step, kind: string, feed: string) => (x.seq2seq as Record<string, Record<string, number>>)[kind][feed];
      for (const kind of ['tokenAccuracy', 'sequenceAccuracy']) {
        for (const feed of ['teacherForced', 'free']) within(`${prefix}step-1 held-out score`, pair(p, kind, feed), pair(t, kind, feed), 1e-3, `${where}, ${kind} ${feed}`);
      }
      // The same, per source length.
      type ByLength = { length: number; count: number; tokenAccuracy: Record<string, number>; sequenceAccuracy: Record<string, number> }[];
      const [pl, tl] = [p, t].map((x) => (x.seq2seq as { byLength: ByLength }).byLength);
      assert.deepStrictEqual(pl.map((e) => [e.length, e.count]), tl.map((e) => [e.length, e.count]), `${where}: the lengths scored`);
      tl.forEach((e, i) => {
        for (const kind of ['tokenAccuracy', 'sequenceAccuracy'] as const) {
          for (const feed of ['teacherForced', 'free']) within(`${prefix}step-1 held-out score by length`, pl[i][kind][feed], e[kind][feed], 1e-3, `${where}, length ${e.length}`);
        }
      });
    } else assert.strictEqual(p.seq2seq, null);
    assert.deepStrictEqual(p.teacherForcing, t.teacherForcing, `${where}: how the decoder was fed`);
    type Weights = { source: number[]; target: number[]; weights: number[][] } | null;
    const [pa, ta] = [p.attention, t.attention] as Weights[];
    if (ta) {
      assert.deepStrictEqual([pa?.source, pa?.target], [ta.source, ta.target], `${where}: the sample's tokens`);
      ta.weights.forEach((row, i) => row.forEach((a, j) => within(`${prefix}step-1 attention weights`, pa!.weights[i][j], a, 1e-4, `${where}, step ${i}, source ${j}`)));
    } else assert.strictEqual(pa, null, `${where}: no attention`);
    assert.deepStrictEqual((p.sample as { gates: Record<string, (number | null)[][]> } | null)?.gates.candidate?.map((row) => row[0] === null),
      (t.sample as { gates: Record<string, (number | null)[][]> } | null)?.gates.candidate?.map((row) => row[0] === null), `${where}: the sample's padded steps`);
    for (let k = 0; k < a.length; k++) {
      assert.strictEqual(a[k].step, b[k].step);
      within(`${prefix}loss over ${STEPS} steps`, a[k].loss, b[k].loss, 0.01, `${where}, step ${b[k].step}`);
      assert.strictEqual(a[k].clipped, b[k].clipped, `${where}, step ${b[k].step}: clipped`);
    }
  }
  const [ps, ts2] = [py[py.length - 1], ts[ts.length - 1]];
  assert.strictEqual(ps.type, 'summary');
  for (const key of Object.keys(ts2)) assert.ok(key in ps, `the summary has "${key}"`);
  assert.strictEqual(ps.steps, ts2.steps);
  assert.deepStrictEqual(ps.diverged, ts2.diverged);
}

const SPECS: Record<string, string> = {
  // The three cells on the adding problem, with clipping that bites. (An odd batch: two ranks get 3 and 4.)
  adding: '{ "model": { "cell": "lstm", "hiddenSize": 12 }, "task": { "name": "adding", "length": 12 }, "training": { "batchSize": 7, "clipNorm": 0.5, "seed": 3 }, "compare": [{ "cell": "rnn" }, { "cell": "gru" }] }',
  // Lengths of their own: padded batches, masked loss and accuracy.
  copy: '{ "model": { "cell": "gru", "hiddenSize": 10 }, "task": { "name": "copy", "length": [3, 6] }, "training": { "optimizer": "rmsprop", "learningRate": 0.005, "batchSize": 8, "seed": 5 }, "compare": [{ "cell": "lstm" }, { "cell": "rnn" }] }',
  // Seq2seq with teacher-forcing coins (the decoder feeds itself half of the time), answers of 3 to 6 digits
  // and the end token, scored free running on the held-out set.
  reverse: '{ "model": { "cell": "lstm", "hiddenSize": 12, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [3, 6] }, "training": { "batchSize": 7, "seed": 2 }, "compare": [{ "cell": "gru" }, { "cell": "rnn" }] }',
  // Two layers, a length drawn per sequence, SGD, relu and glorot.
  'temporal-order': '{ "model": { "cell": "rnn", "hiddenSize": 10, "layers": 2, "activation": "relu", "init": { "recurrent": "glorot", "recurrentScale": 0.8 } }, "task": { "name": "temporal-order", "length": [10, 14] }, "training": { "optimizer": "sgd", "learningRate": 0.1, "batchSize": 8 }, "compare": [{ "cell": "lstm", "init": { "forgetBias": 2 } }] }',
  // The recurrent matrix held fixed (freezeRecurrent) beside a model that trains its own.
  sine: '{ "model": { "cell": "rnn", "hiddenSize": 8, "activation": "linear", "init": { "recurrent": "identity", "recurrentScale": 0.9 }, "freezeRecurrent": true }, "task": { "name": "sine", "length": 10 }, "training": { "optimizer": "sgd", "learningRate": 0.05, "clipNorm": 1, "batchSize": 8 }, "compare": [{ "cell": "gru", "layers": 2, "freezeRecurrent": false }] }',
  arithmetic: '{ "model": { "cell": "gru", "hiddenSize": 10, "seq2seq": {} }, "task": { "name": "arithmetic", "length": [1, 3] }, "training": { "batchSize": 8, "seed": 4 } }',
  // Attention, dot and additive, over sources of different lengths (padding gets weight 0), the decoder feeding
  // itself half of the time through h̃; beside the same model without attention.
  attention: '{ "model": { "cell": "lstm", "hiddenSize": 12, "seq2seq": { "teacherForcing": 0.5, "attention": "dot" } }, "task": { "name": "reverse", "length": [3, 7] }, "training": { "batchSize": 7, "seed": 2 }, "compare": [{ "cell": "gru", "seq2seq": { "attention": "additive" } }, { "seq2seq": { "attention": "none" } }] }',
};

describe('the PyTorch export trains as rnn-lens train does', function () {
  this.timeout(600_000);
  let python = '';
  let dir = '';

  before(() => {
    python = findTorchPython();
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-pytorch-'));
  });

  after(() => {
    for (const child of live) child.kill('SIGKILL');
    console.log(`      agreement, max relative difference: ${Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(2)}`).join('; ')}`);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function exported(name: string, text: string): { spec: string; script: string } {
    const spec = path.join(dir, `${name}.rnn.json`);
    const script = path.join(dir, `${name}.py`); // copy.py: the script must not shadow the library it imports
    fs.writeFileSync(spec, text);
    const r = spawnSync(process.execPath, [CLI, 'export', spec, '--pytorch', '-o', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    return { spec, script };
  }

  const args = ['--json', '--every', '1', '--steps', String(STEPS)];
  /** The script's lines per spec, in one process, kept for the two-rank runs to compare with. */
  const single = new Map<string, Line[]>();

  for (const [name, text] of Object.entries(SPECS)) {
    it(`${name}: the same losses, gradient norms and ||dL/dh_t||`, async () => {
      const { spec, script } = exported(name, text);
      const [ts, py] = await Promise.all([
        run(process.execPath, [CLI, 'train', spec, '--backend', 'cpu', ...args]),
        run(python, [script, '--device', 'cpu', ...args]),
      ]);
      single.set(name, lines(py, 'the PyTorch script'));
      compare(single.get(name)!, lines(ts, 'rnn-lens train'), name);
    });
  }

  it('stops a diverging run at the same step, for the same reason', async () => {
    const { spec, script } = exported('boom', '{ "model": { "cell": "rnn", "hiddenSize": 16, "activation": "relu", "init": { "recurrent": "identity", "recurrentScale": 1.5 } }, "task": { "name": "adding", "length": 40 }, "training": { "optimizer": "sgd", "learningRate": 0.5, "batchSize": 8, "steps": 50 } }');
    const [ts, py] = await Promise.all([run(process.execPath, [CLI, 'train', spec, '--backend', 'cpu', '--json']), run(python, [script, '--json', '--device', 'cpu'])]);
    const [t, p] = [lines(ts, 'rnn-lens train'), lines(py, 'the PyTorch script')];
    const [ts1, py1] = [t[t.length - 1], p[p.length - 1]];
    assert.ok(ts1.diverged, 'the spec diverges in RNN Lens');
    assert.deepStrictEqual(py1.diverged, ts1.diverged);
    assert.strictEqual(py1.steps, ts1.steps);
  });

  for (const name of ['adding', 'reverse', 'attention']) {
    it(`${name}: two ranks (DistributedDataParallel, gloo on 127.0.0.1) train as one process`, async () => {
      const { script } = exported(name, SPECS[name]);
      // A port below the kernel's ephemeral range: a rank's own outgoing connection can neither take it
      // before rank 0 listens nor, connecting early, meet itself on it. If one rank fails, the other is
      // stopped rather than left waiting for it (gloo's rendezvous waits 30 minutes).
      const twoRanks = async () => {
        const port = String(await portOutsideEphemeralRange());
        const failed = new AbortController();
        const rank = async (r: number) => {
          const result = await run(python, [script, '--device', 'cpu', ...args], {
            RANK: String(r), LOCAL_RANK: String(r), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, GLOO_SOCKET_IFNAME: 'lo',
          }, { deadlineMs: 180_000, silentMs: r === 0 ? 60_000 : undefined, abort: failed.signal });
          if (result.status !== 0) failed.abort(`rank ${r} ended with ${result.status ?? result.killed}`);
          return result;
        };
        return Promise.all([rank(0), rank(1)]);
      };
      let [r0, r1] = await twoRanks();
      // Rank 0 prints its first step a few seconds after it starts, once the two ranks have met. Once in CI a
      // two-rank run hung (where, unknown; never seen here): if the ranks never met, meet once more on another
      // port, and say so. A run that hangs or fails after meeting fails the test.
      if (r0.killed?.startsWith(SILENT)) {
        console.log(`      the two ranks did not meet (rank 0 ${r0.killed}; rank 1 said: ${r1.stderr.slice(-500) || 'nothing'}); once more`);
        [r0, r1] = await twoRanks();
      }
      const ended = (r: Run) => r.status ?? r.killed;
      assert.ok(r0.status === 0 && r1.status === 0, `two ranks failed (rank 0: ${ended(r0)}; rank 1: ${ended(r1)})\n` +
        `rank 0 said:\n${r0.stderr.slice(-2000)}\nrank 1 said:\n${r1.stderr.slice(-2000)}`);
      const ranked = lines(r0, 'rank 0');
      assert.strictEqual(r1.stdout, '', 'only rank 0 prints');
      assert.strictEqual(ranked[ranked.length - 1].worldSize, 2);
      const one = single.get(name) ?? lines(await run(python, [script, '--device', 'cpu', ...args]), 'one process');
      compare(ranked, one, `${name} on two ranks`, 'ranks: ');
    });
  }
});
