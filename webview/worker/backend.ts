import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerLstmWebglKernels } from '../../src/core/train/kernels/lstmWebgl';
import type { BackendName } from './protocol';

/**
 * Picks the backend: WebGL with float32 textures, else WASM, else CPU. Half-float WebGL is refused: it
 * flattens the very small and very large gradients that this tool exists to show.
 */
export interface Chosen {
  readonly backend: BackendName;
  readonly note: string | null;
}

function webglUsable(): string | null {
  if (!tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) return 'WebGL here cannot render to float32 textures (only half floats, which would flatten tiny and huge gradients)';
  if (tf.env().getBool('WEBGL_FORCE_F16_TEXTURES')) return 'WebGL is forced to half-float textures';
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
  const notes: string[] = [];
  for (const name of order) {
    if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      setWasmPaths(wasm);
    }
    if (!(await trySet(name))) {
      notes.push(`${name} is not available`);
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
    return { backend: name, note: notes.length ? notes.join('; ') : null };
  }
  throw new Error(`no tfjs backend could start: ${notes.join('; ')}`);
}

interface GlHolder {
  gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
}

function gl(): WebGLRenderingContext | WebGL2RenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as unknown as GlHolder).gpgpu?.gl ?? null;
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
