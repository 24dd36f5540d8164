import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { useNodeBackend } from '../src/cli/backends';
import { Scoring, serveScoring, type Port } from '../src/shared/scoring';
import type { FromScorer, ToScorer } from '../src/shared/workerProtocol';

/**
 * The benchmark's scoring thread in Node: the bundle itself, started again as a worker thread, serving scores
 * on WASM as the preview's second worker does.
 */
const ROLE = 'rnn-lens-bench-scorer';

interface End {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (error: unknown) => void): void;
}

function portOf<Out>(end: End): Port<Out> {
  return {
    post: (m) => end.postMessage(m),
    listen: (onMessage, onError) => {
      end.on('message', onMessage);
      end.on('error', onError);
    },
  };
}

/** Whether this thread is the scoring thread (then it serves, and the benchmark must not run in it). */
export function servesScores(): boolean {
  if (isMainThread || workerData !== ROLE || !parentPort) return false;
  const port = parentPort;
  serveScoring(portOf<FromScorer>({ postMessage: (m) => port.postMessage(m), on: (event: string, fn: (x: unknown) => void) => port.on(event, fn) }), () => useNodeBackend('wasm'));
  return true;
}

/** Starts the scoring thread from this bundle; it does not keep the process alive. */
export function startScoringThread(): Scoring {
  const worker = new Worker(__filename, { workerData: ROLE });
  const scoring = new Scoring(portOf<ToScorer>(worker));
  // After the listeners: adding a 'message' listener refs the worker's port again, and the benchmark then
  // never exited once it had printed its tables.
  worker.unref();
  return scoring;
}
