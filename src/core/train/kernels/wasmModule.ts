import * as tf from '@tensorflow/tfjs-core';
import { isWasmLike } from './jsKernel';

/**
 * The whole-sequence kernels (assembly/, compiled to dist/wasm/rnn-lens-kernels.wasm at build time) and how
 * they reach tensor memory. On the WASM backend the module is instantiated in the backend's own memory, so a
 * kernel reads and writes tensors where they lie. The CPU backend does not use them: it keeps its arithmetic,
 * the reference that `rnn-lens train --backend cpu` and the PyTorch agreement tests compare against.
 *
 * The core reads no files: whoever starts a backend hands the binary over (`installKernelBinary`) and then
 * calls `prepareSequenceKernels`; until then, and wherever WebAssembly SIMD is missing, the composite ops run.
 *
 * The binary is the kernels built with plain SIMD, carrying the same kernels built with relaxed SIMD (a fused
 * multiply-add) in a custom section (esbuild.js). Where the engine compiles the relaxed build, it runs; elsewhere
 * the plain one. Node 20 compiles it only with V8's `--experimental-wasm-relaxed-simd`, which the CLI sets for
 * itself (src/cli/backends.ts); Chromium has it without a flag.
 */
export const KERNEL_BINARY = 'rnn-lens-kernels.wasm';
export const RELAXED_SECTION = 'rnn-lens-relaxed-simd';

/** Which build of the kernels runs: with relaxed SIMD (fused multiply-add) or with plain SIMD. */
export type KernelSimd = 'relaxed' | 'plain';

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
  Module: { customSections(module: object, name: string): ArrayBuffer[] };
}
const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
export const KERNEL_EXPORTS = ['lstmForward', 'lstmBackward', 'gruForward', 'gruBackward', 'rnnForward', 'rnnBackward', 'gateStats'] as const;
export type KernelName = (typeof KERNEL_EXPORTS)[number];
export type KernelExports = Readonly<Record<KernelName, Kernel>>;

interface Instance {
  readonly kernels: KernelExports;
  readonly simd: KernelSimd;
}

type Compiled = Partial<Record<KernelSimd, object>>;

let compiled: Promise<Compiled | null> | null = null;
/** Per backend, its instances: the relaxed build first where there is one. */
const instances = new WeakMap<object, Instance[]>();
let relaxedAllowed = true;

/** Compiles both builds in the binary once; a module the engine refuses (no SIMD) leaves the composite ops. */
async function compileBuilds(api: WasmApi, bytes: ArrayBuffer | Uint8Array): Promise<Compiled | null> {
  const plain = await api.compile(bytes).catch(() => null);
  if (!plain) return null;
  const [relaxedBytes] = api.Module.customSections(plain, RELAXED_SECTION);
  const relaxed = relaxedBytes ? await api.compile(relaxedBytes).catch(() => null) : null;
  return relaxed ? { relaxed, plain } : { plain };
}

/** Compiles the binary once; resolves to whether its kernels can run here. */
export async function installKernelBinary(bytes: ArrayBuffer | Uint8Array): Promise<boolean> {
  const api = wasmApi;
  compiled ??= api ? compileBuilds(api, bytes) : Promise.resolve(null);
  return (await compiled) !== null;
}

/**
 * Lets the relaxed build run where it compiled (the default), or keeps to the plain one: for the tests of the
 * fallback, and for the benchmark, which times both.
 */
export function setRelaxedSimd(allowed: boolean): void {
  relaxedAllowed = allowed;
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
  const built = compiled ? await compiled : null;
  const backend = tf.backend();
  const api = wasmApi;
  if (!built || !api || tf.getBackend() !== 'wasm' || !isWasmBackend(backend)) return false;
  if (instances.has(backend)) return true;
  try {
    const imports = { env: { memory: backend.wasm.asm.memory } };
    const builds = (['relaxed', 'plain'] as const).filter((simd) => built[simd]);
    const made = await Promise.all(builds.map(async (simd) => ({ kernels: kernelsOf(await api.instantiate(built[simd]!, imports)), simd })));
    instances.set(backend, made);
    return true;
  } catch {
    return false;
  }
}

/** The active backend's kernels (the relaxed build unless it is missing or set aside), or null when not prepared. */
export function activeKernels(): Instance | null {
  const made = instances.get(tf.backend());
  return made?.find((i) => relaxedAllowed || i.simd === 'plain') ?? null;
}

/**
 * One call of a kernel of the module: the tensors it reads (absent: 0), the shapes it writes, the scratch it
 * needs (numbers of floats: allocated for the call, freed after it), and the call, which gets the outputs'
 * offsets followed by the scratch's.
 */
export interface WasmCall {
  readonly inputs: readonly (tf.TensorInfo | undefined)[];
  readonly outputs: readonly number[][];
  readonly scratch?: readonly number[];
  run(kernels: KernelExports, inputs: readonly number[], outputs: readonly number[]): void;
}

/** Runs a call in the WASM backend's own memory: the kernels read and write tensors where they lie. */
export function executeInWasm(backend: unknown, call: WasmCall): tf.TensorInfo[] {
  const instance = activeKernels();
  if (!instance) throw new Error('the WASM kernels are not prepared on this backend');
  if (!isWasmLike(backend)) throw new Error('the WASM kernels expected the wasm backend');
  // Allocate first: allocation can grow (and move) the memory. Then hand over offsets.
  const outs = call.outputs.map((s) => backend.makeOutput([...s], 'float32'));
  const scratch = (call.scratch ?? []).map((n) => backend.makeOutput([n], 'float32'));
  const at = (i: tf.TensorInfo | undefined) => (i ? backend.typedArrayFromHeap(i).byteOffset : 0);
  try {
    call.run(instance.kernels, call.inputs.map(at), [...outs, ...scratch].map(at));
  } finally {
    scratch.forEach((s) => backend.disposeData(s.dataId));
  }
  return outs;
}
