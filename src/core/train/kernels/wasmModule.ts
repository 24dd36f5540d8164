import * as tf from '@tensorflow/tfjs-core';

/**
 * The whole-sequence kernels (assembly/, compiled to dist/wasm/rnn-lens-kernels.wasm at build time) and how
 * they reach tensor memory. On the WASM backend the module is instantiated in the backend's own memory, so a
 * kernel reads and writes tensors where they lie. The CPU backend does not use them: it keeps its arithmetic,
 * the reference that `rnn-lens train --backend cpu` and the PyTorch agreement tests compare against.
 *
 * The core reads no files: whoever starts a backend hands the binary over (`installKernelBinary`) and then
 * calls `prepareSequenceKernels`; until then, and wherever WebAssembly SIMD is missing, the composite ops run.
 */
export const KERNEL_BINARY = 'rnn-lens-kernels.wasm';

type Kernel = (...args: number[]) => void;

/**
 * The part of the WebAssembly API used here. The core's type environment (ES2022 without the DOM) does not
 * declare it, though every place the core runs (Node, the page, the worker) has it.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  compile(bytes: ArrayBuffer | Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, Record<string, unknown>>): Promise<{ exports: Record<string, unknown> }>;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
export const KERNEL_EXPORTS = ['lstmForward', 'lstmBackward', 'gruForward', 'gruBackward', 'rnnForward', 'rnnBackward'] as const;
export type KernelName = (typeof KERNEL_EXPORTS)[number];
export type KernelExports = Readonly<Record<KernelName, Kernel>>;

interface Instance {
  readonly kernels: KernelExports;
}

let compiled: Promise<object | null> | null = null;
const instances = new WeakMap<object, Instance>();

/** Compiles the binary once (a module without SIMD support is refused, and the composite ops stay). */
export async function installKernelBinary(bytes: ArrayBuffer | Uint8Array): Promise<boolean> {
  const api = wasmApi;
  compiled ??= api ? api.compile(bytes).catch(() => null) : Promise.resolve(null);
  return (await compiled) !== null;
}

interface WasmBackendLike {
  wasm: { asm: { memory: object } };
}

function isWasmBackend(b: unknown): b is WasmBackendLike {
  if (typeof b !== 'object' || b === null || !('wasm' in b)) return false;
  const wasm: unknown = b.wasm;
  if (typeof wasm !== 'object' || wasm === null || !('asm' in wasm)) return false;
  const asm: unknown = wasm.asm;
  return typeof asm === 'object' && asm !== null && 'memory' in asm && wasmApi !== undefined && asm.memory instanceof wasmApi.Memory;
}

function kernelsOf(instance: { exports: Record<string, unknown> }): KernelExports {
  const out: Partial<Record<KernelName, Kernel>> = {};
  for (const name of KERNEL_EXPORTS) {
    const f = instance.exports[name];
    if (typeof f !== 'function') throw new Error(`${KERNEL_BINARY} lacks ${name}`);
    out[name] = (...args: number[]) => { Reflect.apply(f as Kernel, undefined, args); };
  }
  return out as KernelExports;
}

/**
 * Instantiates the kernels in the active WASM backend's memory, once per backend. Resolves to whether they are
 * ready; false without a binary or on any other backend.
 */
export async function prepareSequenceKernels(): Promise<boolean> {
  const module = compiled ? await compiled : null;
  const backend = tf.backend();
  if (!module || !wasmApi || tf.getBackend() !== 'wasm' || !isWasmBackend(backend)) return false;
  if (instances.has(backend)) return true;
  try {
    const instance = await wasmApi.instantiate(module, { env: { memory: backend.wasm.asm.memory } });
    instances.set(backend, { kernels: kernelsOf(instance) });
    return true;
  } catch {
    return false;
  }
}

/** The active backend's kernels, or null when they are not prepared there. */
export function activeKernels(): Instance | null {
  return instances.get(tf.backend()) ?? null;
}
