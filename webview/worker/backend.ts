import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { installKernelBinary, KERNEL_BINARY, prepareSequenceKernels } from '../../src/core/train/kernels/wasmModule';
import { candidates, decide, type Decision, type Probe, type Timing } from '../../src/shared/backendChoice';
import { coded } from '../../src/shared/strings';
import type { BackendName, WorkerNote } from '../../src/shared/workerProtocol';
import { registerLstmWebglKernels } from './lstmWebgl';
import { timeSteps } from './measure';

/**
 * Picks the backend. Forced by the setting: that one. `auto`: WebGL (float32 textures on a hardware renderer)
 * and WASM each train a few steps of the actual spec on throwaway trainers, and the faster wins; CPU only when
 * neither starts. Half-float WebGL is refused: it flattens the very small and very large gradients that this
 * tool exists to show. A software renderer (SwiftShader, llvmpipe), the WebGL of most machines without a GPU,
 * is left out: it emulates the GPU on the processor, several times slower than WASM. The rules are in
 * src/shared/backendChoice.ts; this file starts backends and times them.
 */
export type Chosen = Decision;

/** No backend could start; `notes` say why each was refused. */
export class NoBackendError extends Error {
  constructor(readonly notes: readonly WorkerNote[]) {
    super('no tfjs backend could start');
  }
}

export interface ChooseOptions {
  readonly wasm: Readonly<Record<string, string>>;
  readonly forced: BackendName | null;
  readonly exclude?: readonly BackendName[];
  /** The spec to measure on; null: take the first usable backend (recovery from a lost context). */
  readonly spec: ResolvedSpec | null;
  /** Called before measuring, with the backends about to be timed. */
  readonly onMeasuring?: (backends: readonly BackendName[]) => void;
}

function webglUsable(): WorkerNote | null {
  if (!tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) return coded('note.noFloat32');
  if (tf.env().getBool('WEBGL_FORCE_F16_TEXTURES')) return coded('note.forcedHalfFloat');
  return null;
}

async function trySet(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

let kernelsLoaded: Promise<boolean> | null = null;

/** The whole-sequence kernels' binary, fetched once from the blob URL the page made of it. */
function loadKernels(wasm: Readonly<Record<string, string>>): Promise<boolean> {
  const url = wasm[KERNEL_BINARY];
  if (!url) return Promise.resolve(false);
  kernelsLoaded ??= fetch(url).then((r) => r.arrayBuffer()).then((bytes) => installKernelBinary(bytes)).catch(() => false);
  return kernelsLoaded;
}

/** Makes `name` the active backend, ready to train; returns why it cannot be, or null. */
async function activate(name: BackendName, wasm: Readonly<Record<string, string>>): Promise<WorkerNote | null> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(wasm);
  }
  if (!(await trySet(name))) return coded('note.unavailable', name);
  if (name === 'webgl') {
    const problem = webglUsable();
    if (problem) return problem;
    registerLstmWebglKernels();
  }
  await tf.ready();
  if (name !== 'webgl') {
    await loadKernels(wasm);
    await prepareSequenceKernels();
  }
  return null;
}

function gl(): WebGLRenderingContext | WebGL2RenderingContext | null {
  const backend = tf.getBackend() === 'webgl' ? tf.backend() : null;
  return backend instanceof MathBackendWebGL ? backend.gpgpu.gl : null;
}

/** The active WebGL context's renderer (WEBGL_debug_renderer_info), or null where it is hidden. */
function rendererName(): string | null {
  const context = gl();
  const info = context?.getExtension('WEBGL_debug_renderer_info');
  if (!context || !info) return null;
  const renderer: unknown = context.getParameter(info.UNMASKED_RENDERER_WEBGL);
  return typeof renderer === 'string' ? renderer : null;
}

async function probe(name: BackendName, wasm: Readonly<Record<string, string>>): Promise<Probe> {
  const problem = await activate(name, wasm);
  return { name, problem, renderer: name === 'webgl' && !problem ? rendererName() : null };
}

export async function chooseBackend(options: ChooseOptions): Promise<Chosen> {
  const { wasm, forced, exclude = [], spec } = options;
  tf.env().set('PROD', true);
  tf.env().set('WEBGL_FORCE_F16_TEXTURES', false);
  // Unpacked textures: the fused cell kernels read them directly, and at these sizes packing costs more
  // conversions than it saves (measured in npm run bench).
  tf.env().set('WEBGL_PACK', false);
  // Webviews are not cross-origin isolated: no SharedArrayBuffer, so no WASM threads.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (forced) {
    const problem = await activate(forced, wasm);
    if (problem) throw new NoBackendError([problem]);
    return { backend: forced, notes: [], reasons: [] };
  }
  const probes: Probe[] = [];
  for (const name of (['webgl', 'wasm'] as BackendName[]).filter((b) => !exclude.includes(b))) probes.push(await probe(name, wasm));
  if (!candidates(probes).timed.length) probes.push(await probe('cpu', wasm));
  const { timed, notes } = candidates(probes);
  if (!timed.length) throw new NoBackendError(notes);
  if (timed.length === 1 || !spec) {
    await activate(timed[0], wasm);
    return { backend: timed[0], notes, reasons: [] };
  }
  options.onMeasuring?.(timed);
  const timings: Timing[] = [];
  for (const name of timed) {
    await activate(name, wasm);
    try {
      timings.push({ name, ms: await timeSteps(spec) });
    } catch (error) {
      timings.push({ name, problem: coded('note.unavailable', name) });
      console.warn(`timing ${name} failed`, error);
    }
  }
  const decision = decide(timings, notes);
  if (!decision) throw new NoBackendError(notes);
  await activate(decision.backend, wasm);
  return decision;
}

export function webglContextLost(): boolean {
  return gl()?.isContextLost() ?? false;
}

/** What a driver reset does to the context, on purpose. */
export function loseWebglContext(): boolean {
  const ext = gl()?.getExtension('WEBGL_lose_context');
  ext?.loseContext();
  return Boolean(ext);
}
