import type { FromScorer } from '../../src/shared/workerProtocol';
import { serveScoring, type Port } from '../../src/shared/scoring';
import { chooseBackend } from './backend';

/**
 * The scoring worker: scores the training worker's report steps on the held-out set, on WASM, with the same
 * kernels as the training worker (src/shared/scoring.ts). Its own bundle, dist/scorer.js.
 */

declare const self: DedicatedWorkerGlobalScope;

const port: Port<FromScorer> = {
  post: (m) => self.postMessage(m),
  listen: (onMessage) => self.addEventListener('message', (event: MessageEvent<unknown>) => onMessage(event.data)),
};
serveScoring(port, async (binaries) => { await chooseBackend({ wasm: binaries, forced: 'wasm', spec: null }); });
