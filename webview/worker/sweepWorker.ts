import { runSweepPoint } from '../../src/core/sweep/runPoint';
import { isToSweepWorker, type FromSweepWorker } from '../../src/shared/sweepProtocol';
import { chooseBackend } from './backend';

/**
 * A sweep worker of the preview (its own bundle, dist/sweep.js): on WASM, as `rnn-lens sweep` trains, it runs
 * the runs it is handed one at a time and tells the page of each check and each end. The page starts several
 * and cancels a sweep by ending them.
 */

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromSweepWorker) => self.postMessage(m);
let ready: Promise<unknown> | null = null;
/** Runs one after another, in the order they arrive. */
let queue: Promise<void> = Promise.resolve();

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (!isToSweepWorker(m)) return;
  if (m.type === 'setUp') {
    ready ??= chooseBackend({ wasm: m.wasm, forced: 'wasm', spec: null });
    return;
  }
  queue = queue.then(async () => {
    try {
      await ready;
      const result = await runSweepPoint(m.spec, m.point, (step, steps) => post({ type: 'progress', id: m.id, step, steps }));
      post({ type: 'done', id: m.id, result });
    } catch (error) {
      post({ type: 'failed', id: m.id, cause: error instanceof Error ? error.message : String(error) });
    }
  });
});
