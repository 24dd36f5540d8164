import type { Port } from '../../src/core/train/scoring';
import { SCORER_NAME, type FromScorer, type ToScorer } from '../../src/shared/workerProtocol';

/**
 * Starts the scoring worker from this worker's own script (a blob URL the page made), or returns null where a
 * worker cannot start one.
 */
export function scorerPort(): Port<ToScorer> | null {
  let worker: Worker;
  try {
    worker = new Worker(self.location.href, { name: SCORER_NAME });
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

/** The scoring worker's own end: what arrives from the training worker, and its answers. */
export function workerScopePort(scope: DedicatedWorkerGlobalScope): Port<FromScorer> {
  return {
    post: (m) => scope.postMessage(m),
    listen: (onMessage) => scope.addEventListener('message', (event: MessageEvent<unknown>) => onMessage(event.data)),
  };
}
