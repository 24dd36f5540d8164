import { parentPort } from 'worker_threads';
import type { ResolvedSpec } from '../core/modelSpec/types';
import { runSweepPoint } from '../core/sweep/runPoint';
import type { SweepPoint } from '../core/sweep/points';
import { useNodeBackend } from './backends';

/**
 * A thread of `rnn-lens sweep` (bundled as dist/sweep-worker.js): it starts the WASM backend once, then runs
 * the runs it is handed one at a time and answers each with its result, or with why it failed.
 */

export type ToSweepWorker = { readonly spec: ResolvedSpec; readonly point: SweepPoint };

const port = parentPort;
if (port) {
  const ready = useNodeBackend('wasm');
  port.on('message', (m: ToSweepWorker) => {
    ready.then(() => runSweepPoint(m.spec, m.point)).then(
      (result) => port.postMessage({ type: 'done', result }),
      (error: unknown) => port.postMessage({ type: 'failed', cause: error instanceof Error ? error.message : String(error) }),
    );
  });
}
