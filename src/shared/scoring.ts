import type { ResolvedSpec } from '../core/modelSpec/types';
import { isFromScorer, isToScorer, type FromScorer, type ToScorer } from './workerProtocol';
import { HeldOutScorer } from '../core/train/heldOut';
import type { Evaluation } from '../core/train/report';
import type { WeightSet } from '../core/train/weights';

/**
 * Held-out scoring in a second thread. A report step's score is a forward pass over the whole held-out set,
 * more work than the training step itself; done here, the training thread only hands over a copy of the
 * weights and goes on. The scoring thread runs the same kernels on the same backend, so the numbers are the
 * ones the training thread would have computed.
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

interface Job {
  readonly timer: ReturnType<typeof setTimeout>;
  readonly spec: ResolvedSpec;
  readonly variant: number;
  readonly weights: WeightSet;
  resolve(evaluation: Evaluation): void;
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
    if (this.broken) return this.inline(spec, variant, weights);
    const id = ++this.nextId;
    return new Promise<Evaluation>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(), this.patienceMs);
      this.waiting.set(id, { timer, spec, variant, weights, resolve, reject });
      this.port!.post({ type: 'score', id, spec, variant, weights });
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
    this.inline(job.spec, job.variant, job.weights).then(job.resolve, job.reject);
  }

  private async inline(spec: ResolvedSpec, variant: number, weights: WeightSet): Promise<Evaluation> {
    return this.local.for(spec, variant).score(weights);
  }

  dispose(): void {
    this.local.dispose();
    this.waiting.forEach((job) => clearTimeout(job.timer));
    this.waiting.clear();
  }
}

/**
 * The scoring thread's side: answers every score in order, each against the spec it names. `setUp` makes the
 * backend ready (once); if it fails, every score fails and the training side carries on alone.
 */
export function serveScoring(port: Port<FromScorer>, setUp: (wasm: Readonly<Record<string, string>>) => Promise<void>): void {
  let ready: Promise<void> | null = null;
  const scorers = new ScorerCache();
  let queue = Promise.resolve();
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
    try {
      if (!ready) throw new Error('scored before the backend was set up');
      await ready;
      port.post({ type: 'scored', id: data.id, evaluation: await scorers.for(data.spec, data.variant).score(data.weights) });
    } catch (error) {
      port.post({ type: 'failed', id: data.id, cause: error instanceof Error ? error.message : String(error) });
    }
  };
  port.listen((data) => { queue = queue.then(() => handle(data)); }, () => undefined);
}
