import type { Port } from '../../src/shared/scoring';
import type { ToScorer } from '../../src/shared/workerProtocol';

/**
 * Starts the scoring worker from its script at `script` (in the preview, a blob URL the page made of
 * dist/scorer.js; in the benchmark's page, dist/scorer.js itself), or returns null where no worker can start here.
 */
export function scorerPort(script: string | URL): Port<ToScorer> | null {
  let worker: Worker;
  try {
    worker = new Worker(script);
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
