import { coded } from './strings';
import type { BackendName, WorkerNote } from './workerProtocol';

/**
 * How `auto` picks the backend, as pure functions of what the worker found out: which backends started, what
 * WebGL's renderer is called, and how long a few steps of the spec took on each. The worker does the probing
 * and the timing (webview/worker/backend.ts); this decides, and is tested in Node without a clock.
 */

/** What starting one backend found: why it cannot train (null: it can), and for WebGL the renderer's name. */
export interface Probe {
  readonly name: BackendName;
  readonly problem: WorkerNote | null;
  readonly renderer?: string | null;
}

/** Renderers that run the GPU's work on the processor: several times slower than WASM on the same machine. */
const SOFTWARE_RENDERERS: readonly [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'Microsoft Basic Render Driver'],
  [/software (rasterizer|renderer)/i, 'software rasterizer'],
];

/** The software renderer's short name when `renderer` (WEBGL_debug_renderer_info) is one, else null. */
export function softwareRenderer(renderer: string | null | undefined): string | null {
  if (!renderer) return null;
  return SOFTWARE_RENDERERS.find(([pattern]) => pattern.test(renderer))?.[1] ?? null;
}

/**
 * The backends `auto` times, and why the others were passed over. WebGL counts only on a hardware renderer;
 * the CPU backend (plain JavaScript around the same sequence kernels) only when neither WebGL nor WASM can
 * start, since WASM runs the same work compiled.
 */
export function candidates(probes: readonly Probe[]): { timed: BackendName[]; notes: WorkerNote[] } {
  const notes: WorkerNote[] = [];
  const usable: BackendName[] = [];
  for (const probe of probes) {
    if (probe.problem) {
      notes.push(probe.problem);
      continue;
    }
    const software = probe.name === 'webgl' ? softwareRenderer(probe.renderer) : null;
    if (software) notes.push(coded('note.softwareWebgl', software));
    else usable.push(probe.name);
  }
  const fast = usable.filter((b) => b !== 'cpu');
  return { timed: fast.length ? fast : usable.slice(0, 1), notes };
}

/** One backend's time for a few steps of the spec, or why it failed to train them. */
export type Timing = { readonly name: BackendName; readonly ms: number } | { readonly name: BackendName; readonly problem: WorkerNote };

export interface Decision {
  readonly backend: BackendName;
  /** Why backends were passed over. */
  readonly notes: readonly WorkerNote[];
  /** Why this one won the timing ("WASM: 4.6× faster than WebGL here"); empty when nothing was compared. */
  readonly reasons: readonly WorkerNote[];
}

/** The fastest of the timed backends; null when every one of them failed. */
export function decide(timings: readonly Timing[], notes: readonly WorkerNote[]): Decision | null {
  const failed = timings.flatMap((t) => ('problem' in t ? [t.problem] : []));
  const ran = timings.flatMap((t) => ('ms' in t && Number.isFinite(t.ms) ? [t] : [])).sort((a, b) => a.ms - b.ms);
  if (!ran.length) return null;
  const [best, next] = ran;
  const reasons = next ? [coded('note.measured', best.name.toUpperCase(), (next.ms / Math.max(best.ms, 1e-3)).toFixed(1), next.name.toUpperCase())] : [];
  return { backend: best.name, notes: [...notes, ...failed], reasons };
}

/** `auto` times again when a spec costs this many times more or less per step than the one it timed. */
export const REMEASURE_FACTOR = 4;

/** What the current backend was chosen for: the setting, and the cost (FLOP per step) of the spec `auto` timed. */
export interface ChoiceBasis {
  readonly forced: BackendName | null;
  readonly cost: number;
}

/** Whether a new spec or setting calls for choosing the backend again. */
export function needsChoice(current: ChoiceBasis | null, forced: BackendName | null, cost: number): boolean {
  if (!current || current.forced !== forced) return true;
  if (forced) return false;
  return Math.max(cost / current.cost, current.cost / cost) >= REMEASURE_FACTOR;
}
