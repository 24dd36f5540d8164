import type { Port } from '../../src/shared/scoring';
import { SCORER_NAME, type ToScorer } from '../../src/shared/workerProtocol';

/**
 * Starts the scoring worker from the worker script at `script` (in the preview, the training worker's own blob
 * URL; in the benchmark's page, dist/worker.js), or returns null where no worker can start here.
 */
export function scorerPort(script: string | URL): Port<ToScorer> | null {
  let worker: Worker;
  try {
    worker = new Worker(script, { name: SCORER_NAME });
  } catch {
    return null;
  }
  return {
    post: (m) => worker.postMessage(m),
    listen: (onMessage, onError) => {
      worker.addEventListener('message', (event: MessageEvent<unknown>) => onMessage(event.data));
      worker.addEventListener('messageerror', onError);
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        worker.terminate();
        onError(event);
      });
    },
  };
}
