import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installKernelBinary, KERNEL_BINARY, prepareSequenceKernels, setRelaxedSimd } from '../src/core/train/kernels/wasmModule';
import { registerLstmWebglKernels } from '../webview/worker/lstmWebgl';
import * as budget from './budget';
import { measure, stepRunner, type BenchConfig, type BenchResult, type ScoringSetup } from './measure';
import { measurePeaks, PEAK_BINARY, type Peaks } from './peak';
import { Scoring } from '../src/shared/scoring';
import { scorerPort } from '../webview/worker/scorerPort';

/**
 * The benchmark's page side: `window.rnnLensBench(backend, config)` runs one measurement; `rnnLensPeaks()`
 * measures the WebAssembly SIMD peak; `rnnLensSteps` trains instrumented steps for a profile taken from outside
 * (and `relaxed` false keeps the kernels to their plain-SIMD build).
 */
declare global {
  interface Window {
    rnnLensBench(backend: string, config: BenchConfig, pack?: boolean, relaxed?: boolean): Promise<BenchResult>;
    rnnLensPeaks(): Promise<Peaks>;
    rnnLensSteps: {
      start(config: Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>): Promise<void>;
      run(n: number): Promise<void>;
      time(n: number): Promise<number[]>;
      stop(): void;
    };
  }
}

/** The backend as the preview's worker sets it up: PROD, no threads, and the whole-sequence kernels (CPU, WASM). */
async function useBackend(backend: string): Promise<void> {
  tf.env().set('PROD', true);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (backend === 'wasm') setWasmPaths(new URL('wasm/', document.baseURI).href);
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} is not available`);
  await installKernelBinary(await (await fetch(new URL(`wasm/${KERNEL_BINARY}`, document.baseURI))).arrayBuffer());
  await prepareSequenceKernels();
}

/** `pack` is tfjs's WEBGL_PACK: the preview's worker turns it off; tf.layers runs by default with it on. */
window.rnnLensBench = async (backend, config, pack = true, relaxed = true) => {
  tf.env().set('WEBGL_PACK', pack);
  tf.env().set('WEBGL_FORCE_F16_TEXTURES', false);
  await useBackend(backend);
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) throw new Error('WebGL without float32 textures');
  if (backend === 'webgl') registerLstmWebglKernels();
  setRelaxedSimd(relaxed);
  try {
    return await measure(config, config.sides.includes('scored') ? scoringWorker() : null);
  } finally {
    setRelaxedSimd(true);
  }
};

window.rnnLensPeaks = async () => measurePeaks(await (await fetch(new URL(PEAK_BINARY, document.baseURI))).arrayBuffer(), () => performance.now());

let steps: ReturnType<typeof stepRunner> | null = null;
window.rnnLensSteps = {
  async start(config) {
    await useBackend('wasm');
    steps?.dispose();
    steps = stepRunner(config);
  },
  run: (n) => steps!.run(n),
  time: (n) => steps!.time(n),
  stop() {
    steps?.dispose();
    steps = null;
  },
};

let scorer: ScoringSetup | null = null;

/** The preview's scoring worker (dist/scorer.js), on WASM, started once per page. */
function scoringWorker(): ScoringSetup {
  if (scorer) return scorer;
  const port = scorerPort(new URL('scorer.js', document.baseURI));
  if (!port) throw new Error('the scoring worker did not start');
  const names = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', KERNEL_BINARY];
  scorer = { scoring: new Scoring(port), wasm: Object.fromEntries(names.map((n) => [n, new URL(`wasm/${n}`, document.baseURI).href])) };
  return scorer;
}

/** The budget's measurements (bench/budget.ts) on this page's main thread; the caller reads its CPU time. */
declare global {
  interface Window {
    rnnLensBudget: typeof budget & { backend(name: string): Promise<void> };
  }
}

/** The budget runs on the backend as the preview runs it: kernels included (they used to be left out here). */
window.rnnLensBudget = { ...budget, backend: useBackend };
