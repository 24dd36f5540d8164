import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { installKernelBinary, KERNEL_BINARY, prepareSequenceKernels } from '../core/train/kernels/wasmModule';

export type NodeBackend = 'cpu' | 'wasm';

/** Where the WASM binaries are: beside the bundled CLI (dist/wasm), or in node_modules when run from source. */
function wasmDirectory(): string {
  const candidates = [
    path.join(__dirname, 'wasm'),
    path.join(__dirname, '..', '..', 'dist', 'wasm'),
    path.join(__dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'tfjs-backend-wasm.wasm')));
  if (!found) throw new Error(`the WASM backend's binaries are missing (looked in ${candidates.join(', ')})`);
  return found + path.sep;
}

/** The whole-sequence kernels built from assembly/ (beside the bundle, or in dist/ when run from source). */
function kernelBinary(): Buffer | null {
  const found = [path.join(__dirname, 'wasm'), path.join(__dirname, '..', '..', 'dist', 'wasm')]
    .map((dir) => path.join(dir, KERNEL_BINARY))
    .find((file) => fs.existsSync(file));
  return found ? fs.readFileSync(found) : null;
}

/**
 * Node 20's V8 compiles relaxed SIMD (the kernels' fused multiply-add) only behind a flag, which a process may
 * set for itself before it compiles a module; newer Node has it on already. Without it the kernels' plain SIMD
 * build runs.
 */
function allowRelaxedSimd(): void {
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/**
 * Selects a tfjs backend in Node. tfjs-node cannot be installed here (it downloads libtensorflow), so Node
 * trains on the pure-JS CPU backend or on WASM (single-threaded: Node's worker-based pthreads are not used),
 * both with the whole-sequence kernels when their binary is there.
 */
export async function useNodeBackend(name: NodeBackend): Promise<void> {
  allowRelaxedSimd();
  tf.env().set('PROD', true);
  if (name === 'wasm') {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(wasmDirectory());
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend could not start`);
  await tf.ready();
  const binary = kernelBinary();
  if (binary) await installKernelBinary(binary);
  await prepareSequenceKernels();
}
