import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { estimateSweep, SWEEP_SECONDS, sweepWallSeconds } from '../../src/core/sweep/estimate';
import type { SweepPointResult } from '../../src/core/sweep/horizons';
import { sweepPoints, type SweepPoint } from '../../src/core/sweep/points';
import { isFromSweepWorker, type FromSweepWorker, type ToSweepWorker } from '../../src/shared/sweepProtocol';

/**
 * A sweep in the preview: its runs in several workers at once (dist/sweep.js), each taking the next run as
 * it frees, as `rnn-lens sweep --jobs N` does, with the same code and numbers. The page draws each run as it
 * ends, says how many have, and cancels by ending the workers. Before it starts, the sweep's estimated time;
 * one over SWEEP_SECONDS is refused, and the learner gets the command that runs it in a terminal.
 */

export type SweepStatus = 'ready' | 'running' | 'done' | 'cancelled' | 'failed';

export interface SweepState {
  status: SweepStatus;
  /** The spec whose sweep this is (null: the spec has none). */
  spec: ResolvedSpec | null;
  total: number;
  /** Every run that ended, in the order they did. */
  results: SweepPointResult[];
  /** The runs under way, with the steps each has trained. */
  running: { readonly point: SweepPoint; step: number; steps: number }[];
  /** Runs at once. */
  workers: number;
  /** Estimated wall time with `workers` at once, in seconds, and whether that is over the preview's budget. */
  estimate: number;
  refused: boolean;
  /** Why a run failed. */
  error: string | null;
  /** Seconds from start to the end (or to now). */
  startedAt: number | null;
  endedAt: number | null;
}

/** The workers a sweep gets: the cores less one for the page, at least one, at most four (a webview shares the machine). */
export function sweepWorkers(cores: number): number {
  return Math.max(1, Math.min(4, (cores || 2) - 1));
}

export class SweepClient {
  readonly state: SweepState = {
    status: 'ready', spec: null, total: 0, results: [], running: [], workers: 1, estimate: 0, refused: false, error: null,
    startedAt: null, endedAt: null,
  };
  private workers: Worker[] = [];
  private queue: SweepPoint[] = [];
  private nextId = 0;
  private script: Promise<string> | null = null;
  private wasm: Record<string, string> | null = null;

  constructor(private readonly files: Readonly<Record<string, string>>, private readonly onChange: () => void) {}

  /** A new spec (or none): any sweep under way is cancelled, and the new one is estimated, ready to start. */
  setSpec(spec: ResolvedSpec | null): void {
    if (spec !== null && JSON.stringify(spec) === JSON.stringify(this.state.spec)) return;
    this.stopWorkers();
    const s = this.state;
    s.spec = spec?.sweep ? spec : null;
    s.status = 'ready';
    s.results = [];
    s.running = [];
    s.error = null;
    s.startedAt = null;
    s.endedAt = null;
    if (s.spec) {
      s.total = sweepPoints(s.spec).length;
      s.workers = Math.min(s.total, sweepWorkers(navigator.hardwareConcurrency));
      s.estimate = sweepWallSeconds(estimateSweep(s.spec), s.workers);
      s.refused = s.estimate > SWEEP_SECONDS;
    }
    this.onChange();
  }

  async start(): Promise<void> {
    const s = this.state;
    if (!s.spec || s.refused || s.status === 'running') return;
    const spec = s.spec;
    s.status = 'running';
    s.results = [];
    s.running = [];
    s.error = null;
    s.startedAt = performance.now();
    s.endedAt = null;
    this.queue = sweepPoints(spec);
    this.onChange();
    try {
      const script = await this.blobs();
      if (s.spec !== spec || s.status !== 'running') return;
      this.workers = Array.from({ length: s.workers }, () => this.startWorker(script, spec));
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  cancel(): void {
    if (this.state.status !== 'running') return;
    this.stopWorkers();
    this.state.status = 'cancelled';
    this.state.running = [];
    this.state.endedAt = performance.now();
    this.onChange();
  }

  /** The worker's script and the WASM binaries, as blob URLs (a webview cannot start a worker from its files). */
  private blobs(): Promise<string> {
    const blob = async (url: string, type: string) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url.split('/').pop() ?? url}: HTTP ${response.status}`);
      return URL.createObjectURL(new Blob([await response.arrayBuffer()], { type }));
    };
    this.script ??= (async () => {
      const names = Object.keys(this.files).filter((k) => k.endsWith('.wasm'));
      const [script, ...binaries] = await Promise.all([blob(this.files.sweep, 'text/javascript'), ...names.map((n) => blob(this.files[n], 'application/wasm'))]);
      this.wasm = Object.fromEntries(names.map((n, i) => [n, binaries[i]]));
      return script;
    })();
    this.script.catch(() => { this.script = null; });
    return this.script;
  }

  private startWorker(script: string, spec: ResolvedSpec): Worker {
    const worker = new Worker(script);
    const post = (m: ToSweepWorker) => worker.postMessage(m);
    const ids = new Map<number, SweepPoint>();
    const next = () => {
      const point = this.queue.shift();
      if (!point) return;
      const id = ++this.nextId;
      ids.set(id, point);
      this.state.running.push({ point, step: 0, steps: 0 });
      post({ type: 'run', id, spec, point });
    };
    worker.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (!isFromSweepWorker(event.data) || !this.workers.includes(worker)) return;
      this.receive(event.data, ids.get(event.data.id), next);
    });
    worker.addEventListener('error', (event) => this.fail(event.message || 'a sweep worker stopped'));
    post({ type: 'setUp', wasm: this.wasm ?? {} });
    next();
    return worker;
  }

  private receive(m: FromSweepWorker, point: SweepPoint | undefined, next: () => void): void {
    const s = this.state;
    if (!point) return;
    const running = s.running.find((r) => r.point === point);
    switch (m.type) {
      case 'progress':
        if (running) [running.step, running.steps] = [m.step, m.steps];
        break;
      case 'done':
        s.running = s.running.filter((r) => r.point !== point);
        // A result answers the run it was asked for, or it is not taken.
        if (m.result.variant !== point.variant || m.result.index !== point.index) return this.fail('a sweep worker answered another run');
        s.results.push(m.result);
        next();
        if (s.results.length === s.total) {
          s.status = 'done';
          s.endedAt = performance.now();
          this.stopWorkers();
        }
        break;
      case 'failed':
        return this.fail(m.cause);
    }
    this.onChange();
  }

  private fail(cause: string): void {
    this.stopWorkers();
    this.state.status = 'failed';
    this.state.error = cause;
    this.state.running = [];
    this.state.endedAt = performance.now();
    this.onChange();
  }

  private stopWorkers(): void {
    this.workers.forEach((w) => w.terminate());
    this.workers = [];
    this.queue = [];
  }

  dispose(): void {
    this.stopWorkers();
    if (this.script) this.script.then((url) => URL.revokeObjectURL(url)).catch(() => undefined);
    Object.values(this.wasm ?? {}).forEach((url) => URL.revokeObjectURL(url));
  }
}
