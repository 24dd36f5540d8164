import * as tf from '@tensorflow/tfjs-core';
import { runJsOnWasm, type JsKernel } from './jsKernel';
import { activeKernels, executeInWasm } from './wasmModule';

/** Where the gates of a cell lie in its activations (see src/core/train/gateStats.ts). */
export interface GateLayout {
  readonly gates: number;
  readonly blocks: number;
  readonly signed: number;
  readonly forget: number;
}

/**
 * The gate statistics on the WASM backend: the SIMD kernel of assembly/stats.ts where the WASM kernels are
 * prepared (one pass over the activations, four lanes at a time, instead of a JavaScript loop per entry), the
 * JavaScript kernel `reference` elsewhere. Inputs acts [T, blocks·H, B], sample [], mask [T, B].
 */
export function registerGateStatsWasm(name: string, layout: GateLayout, reference: JsKernel): void {
  if (tf.getKernel(name, 'wasm')) return;
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { acts, sample, mask } = inputs;
      if (!acts || !sample || !mask) throw new Error(`${name} needs acts, sample and mask`);
      if (!activeKernels()) return runJsOnWasm(name, reference, [acts, sample, mask], backend);
      const [T, rows, B] = acts.shape;
      const H = rows / layout.blocks;
      const { gates: G, blocks, signed, forget } = layout;
      return executeInWasm(backend, {
        inputs: [acts, mask, sample],
        outputs: [[(3 * G + 1) * T + G * T * H]],
        run: (k, [a, m, s], [out]) => k.gateStats(T, H, B, blocks, G, signed, forget, a, m, s, out),
      });
    },
  });
}
