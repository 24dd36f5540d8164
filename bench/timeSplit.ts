/**
 * Where the time of an instrumented training step goes, from a sampling profile of many steps (V8's CPU
 * profiler: Node's inspector, or the DevTools protocol in the page). Each sample is put in one part, by the
 * function running and the calls it is inside:
 * - matrix products: the kernels' products (assembly/linear.ts);
 * - elementwise: the rest of the whole-sequence kernels (gates, states, their gradients; assembly/index.ts);
 * - measurements: what a report adds (the trainer's addReportStats and buildReport, gate statistics, norms);
 * - readback: reading the report's values out of the backend (Readback.read);
 * - rest: everything else in the step (tfjs's dispatch, the readout, the loss, Adam, drawing the batch, GC).
 * Only samples inside the trainer's `train` count, and the garbage collector's: not the profiler's own work, nor
 * the loop that calls the steps. Sampling at 0.1 ms over a few hundred steps: shares within a couple of percent.
 */

/** The profile format of V8's CPU profiler (Profiler.stop), the parts used here. */
export interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string }; children?: number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** What a profiler handed back, checked before it is read. */
export function asCpuProfile(value: unknown): CpuProfile {
  const p = value as Partial<CpuProfile> | null;
  if (!p || !Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) throw new Error('not a CPU profile');
  return p as CpuProfile;
}

export const PARTS = ['matrix products', 'elementwise', 'measurements', 'readback', 'rest'] as const;
export type Part = (typeof PARTS)[number];

const PRODUCTS = new Set(['gemmT', 'gemmN', 'gemmTColumns', 'gemmNColumns', 'gradientSteps', 'rowSumSteps']);
const KERNELS = new Set(['lstmForward', 'lstmBackward', 'gruForward', 'gruBackward', 'rnnForward', 'rnnBackward', 'weightGradients']);
const MEASURING = new Set(['addReportStats', 'buildReport']);
const GC = '(garbage collector)';

/** A WebAssembly function's name in a profile is its module path and name ("assembly/linear/gemmT"). */
function bare(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Ms per part, from a profile. */
export function splitProfile(profile: CpuProfile): Record<Part, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, Part | null>();
  const classify = (id: number): Part | null => {
    const leaf = bare(byId.get(id)!.callFrame.functionName);
    if (leaf === GC) return 'rest';
    let inStep = false;
    let measured = false;
    let readback = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      const up = parent.get(at);
      if (name === 'train') inStep = true;
      if (name === 'read' && up !== undefined && byId.get(up)!.callFrame.functionName === 'train') readback = true;
      if (MEASURING.has(name)) measured = true;
    }
    if (!inStep) return null;
    if (PRODUCTS.has(leaf)) return 'matrix products';
    if (KERNELS.has(leaf)) return 'elementwise';
    return readback ? 'readback' : measured ? 'measurements' : 'rest';
  };
  const ms = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  profile.samples.forEach((id, i) => {
    if (!partOf.has(id)) partOf.set(id, classify(id));
    const part = partOf.get(id);
    if (part) ms[part] += profile.timeDeltas[i] / 1000;
  });
  return ms;
}

/** One row: ms per step of each part and its share. */
export function splitRow(label: string, ms: Record<Part, number>, steps: number): string {
  const total = PARTS.reduce((s, p) => s + ms[p], 0);
  const cells = PARTS.map((p) => `${(ms[p] / steps).toFixed(2)} (${((100 * ms[p]) / total).toFixed(0)} %)`);
  return `| ${label} | ${(total / steps).toFixed(2)} | ${cells.join(' | ')} |`;
}

export const SPLIT_HEADER = [
  `| cell, where | ms per step | ${PARTS.join(' | ')} |`,
  `| ----------- | ----------- | ${PARTS.map(() => '---').join(' | ')} |`,
];
