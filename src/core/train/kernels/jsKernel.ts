import * as tf from '@tensorflow/tfjs-core';

/**
 * Registers a fused kernel written as a plain JavaScript loop for the CPU and WASM backends. One call then
 * replaces a dozen elementwise ops, each of which would have cost a kernel dispatch (and, on WASM, copies).
 */
export interface JsKernel {
  readonly inputs: readonly string[];
  /** Output shapes from input shapes. */
  outputs(shapes: readonly number[][]): number[][];
  /** Fills `out` (one array per output) from `inputs`; no allocation on the hot path. */
  compute(inputs: readonly Float32Array[], out: readonly Float32Array[], shapes: readonly number[][]): void;
  /** Backends to register for (default both). */
  readonly backends?: readonly ('cpu' | 'wasm')[];
}

interface CpuLike {
  data: { get(id: unknown): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

export interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId): boolean;
}

/** The backends' classes are not exported in a form this file can import; check the members it uses. */
const hasMethods = (b: unknown, ...names: string[]): boolean =>
  typeof b === 'object' && b !== null && names.every((n) => typeof (b as Record<string, unknown>)[n] === 'function');
const isCpuLike = (b: unknown): b is CpuLike => hasMethods(b, 'makeTensorInfo') && typeof (b as { data?: unknown }).data === 'object';
export const isWasmLike = (b: unknown): b is WasmLike => hasMethods(b, 'makeOutput', 'typedArrayFromHeap', 'disposeData');

export function registerJsKernel(name: string, kernel: JsKernel): void {
  const read = (inputs: tf.NamedTensorInfoMap) => kernel.inputs.map((n) => inputs[n]!);
  const backends = kernel.backends ?? ['cpu', 'wasm'];
  if (backends.includes('cpu') && !tf.getKernel(name, 'cpu')) {
    tf.registerKernel({
      kernelName: name,
      backendName: 'cpu',
      kernelFunc: ({ inputs, backend }) => {
        const cpu = backend;
        if (!isCpuLike(cpu)) throw new Error(`${name} was registered for the cpu backend but runs elsewhere`);
        const infos = read(inputs);
        const shapes = infos.map((i) => i.shape);
        const outShapes = kernel.outputs(shapes);
        const out = outShapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
        kernel.compute(infos.map((i) => cpu.data.get(i.dataId).values as Float32Array), out, shapes);
        return out.map((values, k) => cpu.makeTensorInfo(outShapes[k], 'float32', values));
      },
    });
  }
  if (backends.includes('wasm') && !tf.getKernel(name, 'wasm')) {
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => runJsOnWasm(name, kernel, read(inputs), backend),
    });
  }
}

/** A JavaScript kernel on the WASM backend, on views of its memory. */
export function runJsOnWasm(name: string, kernel: JsKernel, infos: readonly tf.TensorInfo[], backend: unknown): tf.TensorInfo[] {
  if (!isWasmLike(backend)) throw new Error(`${name} was registered for the wasm backend but runs elsewhere`);
  const shapes = infos.map((i) => i.shape);
  // Allocate first: allocation can grow (and move) WASM memory. Then work on views, with no copies.
  const outs = kernel.outputs(shapes).map((s) => backend.makeOutput(s, 'float32'));
  kernel.compute(infos.map((i) => backend.typedArrayFromHeap(i)), outs.map((o) => backend.typedArrayFromHeap(o)), shapes);
  return outs;
}

let fusedOn = true;

/** Turns the fused kernels off (tests compare them with the composite reference this way). */
export function setFusedKernels(enabled: boolean): void {
  fusedOn = enabled;
}

/** Whether fused kernels may run (tests turn them off to compare with the composite ops). */
export function fusedEnabled(): boolean {
  return fusedOn;
}

export function fusedKernel(name: string): boolean {
  return fusedOn && tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Runs a fused kernel when the active backend has one; otherwise the caller's composite of tfjs ops. */
export function runFused<T extends tf.Tensor[]>(name: string, inputs: tf.NamedTensorMap, composite: () => T): T {
  if (fusedKernel(name)) {
    const out = tf.engine().runKernel(name, inputs, {});
    return (Array.isArray(out) ? out : [out]) as T;
  }
  return composite();
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** tanh through one exp of a non-positive number: no overflow, and faster than Math.tanh in V8. */
export function tanh(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const y = (1 - e) / (1 + e);
  return x < 0 ? -y : y;
}

export const ADD_ROW_BIAS = 'RnnLensAddRowBias';

/**
 * x [T, R, B] + bias [R] broadcast over steps and samples. The CPU backend's general broadcasting add costs
 * more than the matmul it follows; a plain loop does not.
 */
export function addRowBias(x: tf.Tensor3D, bias: tf.Tensor1D): tf.Tensor3D {
  const [xb] = runFused(ADD_ROW_BIAS, { x, bias }, () => [tf.add(x, tf.reshape(bias, [1, -1, 1])) as tf.Tensor3D]);
  return xb;
}

// CPU only: the WASM backend's own broadcasting add is native and fast.
registerJsKernel(ADD_ROW_BIAS, {
  inputs: ['x', 'bias'],
  backends: ['cpu'],
  outputs: ([shape]) => [shape],
  compute([x, bias], [out], [[T, R, B]]) {
    for (let t = 0; t < T; t++) {
      for (let r = 0; r < R; r++) {
        const offset = (t * R + r) * B;
        const b = bias[r];
        for (let j = 0; j < B; j++) out[offset + j] = x[offset + j] + b;
      }
    }
  },
});
