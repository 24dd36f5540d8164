import * as os from 'os';
import { checkSpec } from '../src/core/modelSpec/check';
import type { CellKind, ResolvedSpec } from '../src/core/modelSpec/types';
import { spectrumEvery } from '../src/core/train/spectrum/cadence';
import { SpecRun } from '../src/core/train/specRun';
import { solveJob } from '../src/core/train/solvers';
import { Trainer, type StepOutcome } from '../src/core/train/trainer';
import type { Scoring } from '../src/shared/scoring';

/**
 * `npm run bench -- --only-spectrum`: what measuring the spectrum costs training, at hidden size 128 and T = 200
 * (the goal: at most 10 % slower). Both sides train the same spec with the preview's loop on WASM: a
 * report about every 120 ms (its speed "normal"), the held-out score of each report in a second thread, at
 * most one report on its way. The second side also solves the spectrum at its cadence (spectrumEvery steps),
 * in the same second thread ("elsewhere", as on WASM) or inside the step ("inside", as on WebGL, which has no
 * second thread). Windows of the two sides alternate, so that drift in the machine's speed hits both alike.
 */

const HIDDEN = 128;
const LENGTH = 200;
/** The preview's report cadence at the speed "normal". */
const REPORT_MS = 120;

type Side = 'none' | 'elsewhere' | 'inside';

function specText(cell: CellKind, steps: number): string {
  return `{ "model": { "cell": "${cell}", "hiddenSize": ${HIDDEN} }, "task": { "name": "adding", "length": ${LENGTH} },
    "training": { "batchSize": 32, "steps": ${steps} } }`;
}

/**
 * One model trained as the preview's worker trains it; its steps are timed a window at a time, so that the two
 * sides can alternate window by window on runs that stay alive (a run that started afresh would solve at its
 * first and its last step, far more often than its cadence).
 */
class Driver {
  private readonly run: SpecRun;
  private readonly spec: ResolvedSpec;
  private inFlight: Promise<unknown> = Promise.resolve();
  private lastReport = -Infinity;
  solved = 0;

  constructor(cell: CellKind, steps: number, private readonly side: Side, private readonly scoring: Scoring) {
    const { spec } = checkSpec(specText(cell, steps));
    if (!spec) throw new Error(`bad spectrum bench spec for ${cell}`);
    this.spec = spec;
    this.run = new SpecRun(spec, { unclipped: false, solve: side !== 'none' });
  }

  private readonly listener = {
    step: (_variant: number, outcome: StepOutcome) => {
      const jobs = outcome.unsolved ?? [];
      if (outcome.report?.spectrum) this.solved++;
      if (!outcome.weights && !jobs.length) return;
      const solves = jobs.map((job) => this.scoring.solve(job).then(() => { this.solved++; }));
      this.inFlight = Promise.all([outcome.weights ? this.scoring.score(this.spec, 0, outcome.weights) : null, ...solves]);
    },
  };

  /** Trains `steps` steps, the report in flight at the end included; ms per step. */
  async train(steps: number): Promise<number> {
    const t0 = performance.now();
    for (let i = 0; i < steps && !this.run.finished; i++) {
      const now = performance.now();
      const report = now - this.lastReport >= REPORT_MS || this.run.mustReport;
      // At most one report on its way to the second thread: a slower second thread slows training.
      if (report) {
        await this.inFlight;
        this.lastReport = now;
      }
      await this.run.advance(report, 'elsewhere', this.listener, () => true, this.side === 'inside' ? true : 'elsewhere');
    }
    await this.inFlight;
    return (performance.now() - t0) / steps;
  }

  dispose(): void {
    this.run.dispose();
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** Milliseconds one spectrum of `cell` takes to solve on this thread, alone: the median of three solves. */
async function solveAlone(cell: CellKind): Promise<number> {
  const { spec } = checkSpec(specText(cell, 1));
  if (!spec) throw new Error(`bad spectrum bench spec for ${cell}`);
  const trainer = new Trainer(spec);
  const { unsolved } = await trainer.train(true, false, 'elsewhere');
  trainer.dispose();
  const job = unsolved?.[0];
  if (!job) throw new Error(`no spectrum job for ${cell}`);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    solveJob(job);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Prints the table: for each cell and place of solving, ms per step without and with the spectrum. */
export async function spectrumBench(scoring: Scoring, options: { quick: boolean }, print: (line: string) => void): Promise<void> {
  const windows = options.quick ? 1 : 2;
  print(`Spectrum cost on ${os.cpus()[0]?.model ?? 'an unknown CPU'} (${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}), ${new Date().toISOString().slice(0, 10)}:`);
  print(`hidden ${HIDDEN}, adding problem T = ${LENGTH}, batch 32, Node on WASM; a report every ${REPORT_MS} ms scored in a second thread;`);
  print('Both sides run alive side by side, timed in alternating windows of one cadence period each (the side with the');
  print('spectrum solves once per window), after an untimed first step; medians of the windows. --quick: shorter windows.');
  print('| cell | one spectrum alone | spectrum every | solved | windows × steps | ms/step without | ms/step with | slower by | spectra solved |');
  print('| ---- | ------------------ | -------------- | ------ | --------------- | --------------- | ------------ | --------- | -------------- |');
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    const { spec } = checkSpec(specText(cell, 1));
    const every = spectrumEvery(spec!.model, spec!.task, spec!.training.batchSize);
    const alone = await solveAlone(cell);
    // A window is one cadence period: the side with the spectrum solves exactly once in each.
    const window = options.quick ? Math.min(every, 20) : every;
    for (const side of ['elsewhere', 'inside'] as const) {
      const without = new Driver(cell, 2 + windows * window, 'none', scoring);
      const withSpectrum = new Driver(cell, 2 + windows * window, side, scoring);
      // The first step of each, untimed: it compiles, allocates, and (with the spectrum) solves the first one.
      await without.train(1);
      await withSpectrum.train(1);
      withSpectrum.solved = 0;
      const a: number[] = [];
      const b: number[] = [];
      for (let r = 0; r < windows; r++) {
        a.push(await without.train(window));
        b.push(await withSpectrum.train(window));
      }
      without.dispose();
      withSpectrum.dispose();
      const where = side === 'elsewhere' ? 'second thread' : 'inside the step';
      const [ma, mb] = [median(a), median(b)];
      print(`| ${cell.toUpperCase()} | ${alone.toFixed(0)} ms | ${every} steps | ${where} | ${windows} × ${window} | ${ma.toFixed(1)} | ${mb.toFixed(1)} | ${(100 * (mb / ma - 1)).toFixed(1)} % | ${withSpectrum.solved} |`);
    }
  }
}
