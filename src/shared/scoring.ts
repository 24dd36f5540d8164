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
  readonly key: number;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly variant: number;
  readonly weights: WeightSet;
  resolve(evaluation: Evaluation): void;
  reject(error: unknown): void;
}

/** The spec changed while a score was on its way: its answer belongs to a run that is gone. */
export class StaleScoreError extends Error {
  constructor() {
    super('the spec changed while this score was on its way');
  }
}

/**
 * The training thread's side. Once the scoring thread fails (it did not start, its backend did not load, it
 * sent something malformed), every score from then on is computed in this thread, with the same numbers.
 */
export class Scoring {
  private key = 0;
  private spec: ResolvedSpec | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Job>();
  private local: HeldOutScorer[] = [];
  private broken: boolean;

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

  /** The spec whose variants the next weights belong to; `wasm` is where the scoring thread finds its binaries. */
  useSpec(spec: ResolvedSpec, wasm: Readonly<Record<string, string>>): void {
    this.spec = spec;
    this.key++;
    this.disposeLocal();
    if (!this.broken) this.port!.post({ type: 'spec', key: this.key, spec, wasm });
  }

  /** The held-out evaluation of these weights of `variant`. Rejects with StaleScoreError once the spec changed. */
  score(variant: number, weights: WeightSet): Promise<Evaluation> {
    if (this.broken) return this.inline(variant, weights);
    const id = ++this.nextId;
    return new Promise<Evaluation>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(), this.patienceMs);
      this.waiting.set(id, { key: this.key, timer, variant, weights, resolve, reject });
      this.port!.post({ type: 'score', id, key: this.key, variant, weights });
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
    if (job.key !== this.key) {
      job.reject(new StaleScoreError());
    } else if (data.type === 'scored') {
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
    if (job.key !== this.key) job.reject(new StaleScoreError());
    else this.inline(job.variant, job.weights).then(job.resolve, job.reject);
  }

  private async inline(variant: number, weights: WeightSet): Promise<Evaluation> {
    if (!this.spec) throw new Error('no spec to score against');
    this.local[variant] ??= new HeldOutScorer(this.spec, variant);
    return this.local[variant].score(weights);
  }

  private disposeLocal(): void {
    this.local.forEach((s) => s.dispose());
    this.local = [];
  }

  dispose(): void {
    this.disposeLocal();
    this.waiting.forEach((job) => clearTimeout(job.timer));
    this.waiting.clear();
  }
}

/**
 * The scoring thread's side: answers every score in order. `setUp` makes the backend ready (once, on the
 * first spec); if it fails, every score fails and the training side carries on alone.
 */
export function serveScoring(port: Port<FromScorer>, setUp: (wasm: Readonly<Record<string, string>>) => Promise<void>): void {
  let ready: Promise<void> | null = null;
  let current: { key: number; spec: ResolvedSpec; scorers: HeldOutScorer[] } | null = null;
  let queue = Promise.resolve();
  const handle = async (data: unknown): Promise<void> => {
    if (!isToScorer(data)) {
      const id = (data as { id?: unknown } | null)?.id;
      if (Number.isInteger(id)) port.post({ type: 'failed', id: id as number, cause: 'malformed request' });
      return;
    }
    if (data.type === 'spec') {
      if (!ready) {
        ready = setUp(data.wasm);
        // Awaited by every score, which then fails; unhandled meanwhile, it would end a Node process.
        ready.catch(() => undefined);
      }
      current?.scorers.forEach((s) => s.dispose());
      current = { key: data.key, spec: data.spec, scorers: [] };
      return;
    }
    try {
      await ready;
      if (!current || data.key !== current.key || data.variant >= current.spec.variants.length) throw new StaleScoreError();
      const scorer = current.scorers[data.variant] ??= new HeldOutScorer(current.spec, data.variant);
      port.post({ type: 'scored', id: data.id, evaluation: await scorer.score(data.weights) });
    } catch (error) {
      port.post({ type: 'failed', id: data.id, cause: error instanceof Error ? error.message : String(error) });
    }
  };
  port.listen((data) => { queue = queue.then(() => handle(data)); }, () => undefined);
}
