import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { coded } from '../../src/shared/strings';
import type { BackendName, WorkerNote } from '../../src/shared/workerProtocol';
import { registerLstmWebglKernels } from './lstmWebgl';

/**
 * Picks the backend: WebGL with float32 textures, else WASM, else CPU. Half-float WebGL is refused: it
 * flattens the very small and very large gradients that this tool exists to show.
 */
export interface Chosen {
  readonly backend: BackendName;
  /** Why the ones before it were passed over; empty for the first choice. */
  readonly notes: readonly WorkerNote[];
}

/** No backend could start; `notes` say why each was refused. */
export class NoBackendError extends Error {
  constructor(readonly notes: readonly WorkerNote[]) {
    super('no tfjs backend could start');
  }
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

export async function chooseBackend(wasm: Readonly<Record<string, string>>, forced: BackendName | null, exclude: readonly BackendName[] = []): Promise<Chosen> {
  tf.env().set('PROD', true);
  tf.env().set('WEBGL_FORCE_F16_TEXTURES', false);
  // Unpacked textures: the fused cell kernels read them directly, and at these sizes packing costs more
  // conversions than it saves (measured in npm run bench).
  tf.env().set('WEBGL_PACK', false);
  // Webviews are not cross-origin isolated: no SharedArrayBuffer, so no WASM threads.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const order: BackendName[] = forced ? [forced] : (['webgl', 'wasm', 'cpu'] as BackendName[]).filter((b) => !exclude.includes(b));
  const notes: WorkerNote[] = [];
  for (const name of order) {
    if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      setWasmPaths(wasm);
    }
    if (!(await trySet(name))) {
      notes.push(coded('note.unavailable', name));
      continue;
    }
    if (name === 'webgl') {
      const problem = webglUsable();
      if (problem) {
        notes.push(problem);
        continue;
      }
      registerLstmWebglKernels();
    }
    await tf.ready();
    return { backend: name, notes };
  }
  throw new NoBackendError(notes);
}

function gl(): WebGLRenderingContext | null {
  const backend = tf.getBackend() === 'webgl' ? tf.backend() : null;
  return backend instanceof MathBackendWebGL ? backend.gpgpu.gl : null;
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
