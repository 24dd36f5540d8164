import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { evaluateClaim, type ClaimStatus } from '../core/claim';
import { visible } from '../core/messages';
import type { ResolvedSpec } from '../core/modelSpec/types';
import { horizons, sweepEvidence, type SweepPointResult } from '../core/sweep/horizons';
import { sweepOf, sweepPoints, type SweepPoint } from '../core/sweep/points';
import { claimLines } from './claimLines';
import type { SweepArgs } from './commandSpecs';
import { EXIT, printProblems, type Io } from './io';
import { readAndCheck } from './readSpec';
import { headerLine } from '../shared/runLines';
import { sweepPointLine, sweepSummaryLine } from '../shared/sweepLines';
import type { ToSweepWorker } from './sweepWorker';

/** The default number of threads: the machine's cores less one (for the rest of the machine), at least one. */
export function defaultJobs(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cores - 1);
}

/** The thread's script: beside the bundled CLI (dist/), or in dist/ when the CLI runs from its sources. */
function workerScript(): string {
  const found = [path.join(__dirname, 'sweep-worker.js'), path.join(__dirname, '..', '..', 'dist', 'sweep-worker.js')].find((f) => fs.existsSync(f));
  if (!found) throw new Error('dist/sweep-worker.js is missing: build RNN Lens first (npm run build)');
  return found;
}

type FromSweepWorker = { readonly type: 'done'; readonly result: SweepPointResult } | { readonly type: 'failed'; readonly cause: string };

/**
 * Runs every run of the sweep on `jobs` threads, each taking the next run as it frees, and tells `done` about
 * each as it ends. Each run is computed alone from the spec, so the results do not depend on `jobs`, only the
 * order they end in does.
 */
export async function runSweepPoints(spec: ResolvedSpec, jobs: number, done: (r: SweepPointResult) => void): Promise<SweepPointResult[]> {
  const queue: SweepPoint[] = sweepPoints(spec);
  const results: SweepPointResult[] = [];
  const script = workerScript();
  const workers: Worker[] = [];
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, () => new Promise<void>((resolve, reject) => {
      const worker = new Worker(script);
      workers.push(worker);
      const next = () => {
        const point = queue.shift();
        if (point) worker.postMessage({ spec, point } satisfies ToSweepWorker);
        else resolve();
      };
      worker.on('message', (m: FromSweepWorker) => {
        if (m.type === 'failed') {
          reject(new Error(`a run failed: ${m.cause}`));
          return;
        }
        results.push(m.result);
        done(m.result);
        next();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { if (code !== 0) reject(new Error(`a sweep thread stopped (exit code ${code})`)); });
      next();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One run's end in words: "lstm, task.length = 40: test MSE 0.002034 after 800 steps, solved at step 352". */
function readable(spec: ResolvedSpec, r: SweepPointResult): string {
  const sweep = sweepOf(spec);
  const m = r.metric;
  const score = !m ? 'no test score' : m.name === 'mse' ? `test MSE ${m.value.toPrecision(4)}` : `test ${m.name === 'accuracy' ? 'accuracy' : 'sequence accuracy'} ${percent(m.value)}`;
  const verdict = r.solved ? `solved at step ${r.solvedAtStep}` : 'not solved';
  return `${spec.variants[r.variant].label}, ${sweep.key} = ${JSON.stringify(sweep.values[r.index])}: ${score} after ${r.steps} steps, ${verdict}`;
}

/** `rnn-lens sweep FILE [--json] [--jobs N]`. */
export async function runSweep(args: SweepArgs, io: Io): Promise<number> {
  const file = args.operands[0];
  const json = args.flags.json ?? false;
  const { spec, problems } = readAndCheck(file);
  printProblems(io, file, problems, json, (line) => io.err(line));
  if (!spec) return EXIT.problems;
  if (!spec.sweep) {
    io.err(`rnn-lens sweep: ${visible(file)} has no "sweep"; train it with "rnn-lens train ${visible(file)}", or add one, e.g. "sweep": { "key": "task.length", "values": [10, 20, 40] }.`);
    return EXIT.problems;
  }
  const total = sweepPoints(spec).length;
  const tty = !json && process.stderr.isTTY;
  let ended = 0;
  // The log says what it is first (docs/run-log.md): the spec with its sweep, and where the runs ran.
  if (json) {
    io.out(headerLine(spec, {
      producer: 'rnn-lens sweep', backend: 'wasm', device: 'cpu', startedAt: new Date().toISOString(), source: path.basename(file),
      keepSweep: true,
    }));
  }
  const results = await runSweepPoints(spec, args.flags.jobs ?? defaultJobs(), (r) => {
    ended++;
    io.out(json ? sweepPointLine(spec, r) : readable(spec, r));
    if (tty) process.stderr.write(`\r${ended} of ${total} runs`);
  });
  if (tty) process.stderr.write('\n');
  const claim: ClaimStatus | null = spec.claim.length ? evaluateClaim(spec.claim, sweepEvidence(spec, results)) : null;
  if (json) {
    io.out(sweepSummaryLine(spec, results, claim));
    return EXIT.ok;
  }
  const sweep = sweepOf(spec);
  for (const h of horizons(spec, results)) {
    io.out(h.solvedUpTo === null ? `${h.label}: solved none` : `${h.label}: solved up to ${sweep.key} = ${JSON.stringify(h.solvedUpTo)}`);
  }
  if (claim) claimLines(spec, claim).forEach((line) => io.out(line));
  return EXIT.ok;
}
