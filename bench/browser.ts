import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installKernelBinary, KERNEL_BINARY, prepareSequenceKernels } from '../src/core/train/kernels/wasmModule';
import { registerLstmWebglKernels } from '../webview/worker/lstmWebgl';
import * as budget from './budget';
import { measure, type BenchConfig, type BenchResult } from './measure';

/** The benchmark's page side: `window.rnnLensBench(backend, config)` runs one measurement. */
declare global {
  interface Window {
    rnnLensBench(backend: string, config: BenchConfig, pack?: boolean): Promise<BenchResult>;
  }
}

/** `pack` is tfjs's WEBGL_PACK: the preview's worker turns it off; tf.layers runs by default with it on. */
window.rnnLensBench = async (backend, config, pack = true) => {
  tf.env().set('PROD', true);
  tf.env().set('WEBGL_PACK', pack);
  tf.env().set('WEBGL_FORCE_F16_TEXTURES', false);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (backend === 'wasm') setWasmPaths(new URL('wasm/', document.baseURI).href);
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} is not available`);
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) throw new Error('WebGL without float32 textures');
  if (backend === 'webgl') registerLstmWebglKernels();
  // The whole-sequence kernels, as the preview's worker loads them (CPU and WASM only).
  await installKernelBinary(await (await fetch(new URL(`wasm/${KERNEL_BINARY}`, document.baseURI))).arrayBuffer());
  await prepareSequenceKernels();
  return measure(config);
};

/** The budget's measurements (bench/budget.ts) on this page's main thread; the caller reads its CPU time. */
declare global {
  interface Window {
    rnnLensBudget: typeof budget & { backend(name: string): Promise<void> };
  }
}

window.rnnLensBudget = {
  ...budget,
  async backend(name: string) {
    tf.env().set('PROD', true);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (name === 'wasm') setWasmPaths(new URL('wasm/', document.baseURI).href);
    if (!(await tf.setBackend(name))) throw new Error(`${name} is not available`);
  },
};
