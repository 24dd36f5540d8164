import type { ResolvedSpec } from '../core/modelSpec/types';
import { isFromScorer, isToScorer, type FromScorer, type ToScorer } from './workerProtocol';
import { HeldOutScorer } from '../core/train/heldOut';
import type { SolveJob } from '../core/train/measures/table';
import type { Evaluation } from '../core/train/report';
import { solveJob, solveJobInSlices } from '../core/train/solvers';
import type { WeightSet } from '../core/train/weights';

/**
 * Held-out scoring in a second thread. A report step's score is a forward pass over the whole held-out set,
 * more work than the training step itself; done here, the training thread only hands over a copy of the
 * weights and goes on. The scoring thread runs the same kernels on the same backend, so the numbers are the
 * ones the training thread would have computed. It also solves a report's solved measures (the spectrum):
 * plain JavaScript, solved in slices between which a score is answered.
 */

/** One end of a message channel (a Worker, a worker's own scope, a Node worker thread), seen as plain data. */
export interface Port<Out> {
  post(message: Out): void;
  /** Every message that arrives, unchecked; `onError` when the other end failed or could not start. */
  listen(onMessage: (data: unknown) => void, onError: (error: unknown) => void): void;
}

/**
 * How long a score may take before the scoring thread is taken for stuck and the training thread scores
 * itself: long enough for the scoring thread's first answer, which starts its backend (about a second here).
 */
export const SCORE_PATIENCE_MS = 20_000;
/**
 * A solve is sized to a share of the training time between two of them (core/train/spectrum/cadence.ts), and a
 * large model's takes seconds: it may run this many times a score's patience before the thread is taken for stuck.
 */
const SOLVE_PATIENCE = 6;

/** A request on its way to the scoring thread, and how to answer it in this thread if that one fails. */
interface Job {
  readonly timer: ReturnType<typeof setTimeout>;
  /** The same answer, computed in this thread. */
  inline(): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Held-out scorers for one spec at a time, each made once, on first need, for its variant. */
class ScorerCache {
  private current: { key: string; scorers: HeldOutScorer[] } | null = null;

  for(spec: ResolvedSpec, variant: number): HeldOutScorer {
    const key = JSON.stringify(spec);
    if (this.current?.key !== key) {
      this.dispose();
      this.current = { key, scorers: [] };
    }
    return this.current.scorers[variant] ??= new HeldOutScorer(spec, variant);
  }

  dispose(): void {
    this.current?.scorers.forEach((s) => s.dispose());
    this.current = null;
  }
}

/**
 * The training thread's side. Once the scoring thread fails (it did not start, its backend did not load, it
 * sent something malformed), every score from then on is computed in this thread, with the same numbers.
 */
export class Scoring {
  private nextId = 0;
  private readonly waiting = new Map<number, Job>();
  private readonly local = new ScorerCache();
  private broken: boolean;
  private setUp = false;

  /**
   * `port` null: score in this thread. `onFallback` is told when the scoring thread has failed or has kept a
   * score for longer than `patienceMs`.
   */
  constructor(
    private readonly port: Port<ToScorer> | null, private readonly onFallback: () => void = () => undefined,
    private readonly patienceMs = SCORE_PATIENCE_MS,
  ) {
    this.broken = port === null;
    port?.listen((data) => this.receive(data), () => this.fail());
  }

  private breakDown(): void {
    if (this.broken) return;
    this.broken = true;
    this.onFallback();
  }

  /** Where scores are computed now. */
  get where(): 'worker' | 'inline' {
    return this.broken ? 'inline' : 'worker';
  }

  /** Where the scoring thread finds the WASM binaries to start its backend with (once; later calls change nothing). */
  useBinaries(wasm: Readonly<Record<string, string>>): void {
    if (this.setUp || this.broken) return;
    this.setUp = true;
    this.port!.post({ type: 'setUp', wasm });
  }

  /** The held-out evaluation of these weights of `spec`'s variant `variant`. */
  score(spec: ResolvedSpec, variant: number, weights: WeightSet): Promise<Evaluation> {
    const inline = () => this.local.for(spec, variant).score(weights);
    return this.ask((id) => ({ type: 'score', id, spec, variant, weights }), inline, this.patienceMs) as Promise<Evaluation>;
  }

  /** A solved field's value from the input a report step read back (see core/train/solvers.ts). */
  solve(job: SolveJob): Promise<unknown> {
    return this.ask((id) => ({ type: 'solve', id, job }), async () => solveJob(job), SOLVE_PATIENCE * this.patienceMs);
  }

  private ask(message: (id: number) => ToScorer, inline: () => Promise<unknown>, patienceMs: number): Promise<unknown> {
    if (this.broken) return inline();
    const id = ++this.nextId;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(), patienceMs);
      this.waiting.set(id, { timer, inline, resolve, reject });
      this.port!.post(message(id));
    });
  }

  private receive(data: unknown): void {
    if (!isFromScorer(data)) {
      this.fail();
      return;
    }
    const job = this.waiting.get(data.id);
    if (!job) return;
    this.waiting.delete(data.id);
    clearTimeout(job.timer);
    if (data.type === 'scored') {
      job.resolve(data.evaluation);
    } else if (data.type === 'solved') {
      job.resolve(data.value);
    } else {
      this.breakDown();
      this.redo(job);
    }
  }

  private fail(): void {
    this.breakDown();
    const jobs = [...this.waiting.values()];
    this.waiting.clear();
    jobs.forEach((job) => this.redo(job));
  }

  private redo(job: Job): void {
    clearTimeout(job.timer);
    job.inline().then(job.resolve, job.reject);
  }

  dispose(): void {
    this.local.dispose();
    this.waiting.forEach((job) => clearTimeout(job.timer));
    this.waiting.clear();
  }
}

/**
 * The scoring thread's side: answers every score in order, each against the spec it names, and every solve in
 * order, a slice at a time, so that a score never waits for a whole solve (`pause` hands the thread back between
 * slices). `setUp` makes the backend ready (once); if it fails, every score fails and the training side carries on
 * alone.
 */
export function serveScoring(
  port: Port<FromScorer>, setUp: (wasm: Readonly<Record<string, string>>) => Promise<void>,
  pause: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, 0)),
): void {
  let ready: Promise<void> | null = null;
  const scorers = new ScorerCache();
  let queue = Promise.resolve();
  let solves = Promise.resolve();
  const solve = async (id: number, job: SolveJob): Promise<void> => {
    try {
      port.post({ type: 'solved', id, field: job.field, value: await solveJobInSlices(job, pause) });
    } catch (error) {
      port.post({ type: 'failed', id, cause: error instanceof Error ? error.message : String(error) });
    }
  };
  const handle = async (data: unknown): Promise<void> => {
    if (!isToScorer(data)) {
      const id = (data as { id?: unknown } | null)?.id;
      if (Number.isInteger(id)) port.post({ type: 'failed', id: id as number, cause: 'malformed request' });
      return;
    }
    if (data.type === 'setUp') {
      ready ??= setUp(data.wasm);
      // Awaited by every score, which then fails; unhandled meanwhile, it would end a Node process.
      ready.catch(() => undefined);
      return;
    }
    if (data.type !== 'score') return;
    try {
      if (!ready) throw new Error('scored before the backend was set up');
      await ready;
      port.post({ type: 'scored', id: data.id, evaluation: await scorers.for(data.spec, data.variant).score(data.weights) });
    } catch (error) {
      port.post({ type: 'failed', id: data.id, cause: error instanceof Error ? error.message : String(error) });
    }
  };
  port.listen((data) => {
    if (isToScorer(data) && data.type === 'solve') solves = solves.then(() => solve(data.id, data.job));
    else queue = queue.then(() => handle(data));
  }, () => undefined);
}
