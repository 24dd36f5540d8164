import * as tf from '@tensorflow/tfjs-core';
import type { Activation, CellKind } from '../modelSpec/types';
import type { StepCache } from './cells/types';
import { derivative } from './cells/rnn';
import { fusedKernel, registerJsKernel, type JsKernel } from './kernels/jsKernel';
import { registerGateStatsWasm } from './kernels/gateStatsWasm';
import { cellOps, type StackForward } from './stack';
import { forgetProduct, gateSummary, type Readback, type ReadbackPart } from './stats';

/**
 * Gate statistics for a report: per gate and time step the mean activation and the shares near 0 and 1,
 * one sample's units × time activations, and for the LSTM the forget-gate product. On the CPU and WASM
 * backends they are one pass of a JavaScript kernel over the activations the forward pass kept (the
 * sequence kernels' [T, K·H, B] block, or the LSTM step kernel's); elsewhere they are composed from tfjs ops.
 */
export const GATE_STATS: Readonly<Record<'lstm' | 'gru', string>> = { lstm: 'RnnLensLstmGateStats', gru: 'RnnLensGruGateStats' };

/**
 * Where the gates of a cell lie in its activations: how many gates, blocks per step, which block is the tanh
 * candidate (judged by |a|), which is the forget gate (−1: none).
 */
interface Layout {
  readonly gates: number;
  readonly blocks: number;
  readonly signed: number;
  readonly forget: number;
}
const LAYOUT: Readonly<Record<'lstm' | 'gru', Layout>> = {
  lstm: { gates: 4, blocks: 5, signed: 3, forget: 1 },
  gru: { gates: 3, blocks: 4, signed: 2, forget: -1 },
};

/** What the forward pass kept of the top layer: per-step caches (composite path), or whole-sequence activations. */
export type GateSource = { readonly caches: readonly StepCache[] } | { readonly acts: tf.Tensor3D };

/** The top layer over every part (encoder steps, then decoder steps). */
export function topGateSource(parts: readonly StackForward[], layer: number): GateSource {
  if (parts.every((p) => p.sequences.length)) {
    const acts = parts.map((p) => p.sequences[layer].fwd.acts);
    return { acts: acts.length === 1 ? acts[0] : tf.concat(acts, 0) };
  }
  return { caches: parts.flatMap((p) => p.caches[layer]) };
}

/**
 * Adds `gate/<name>/{mean,low,high}`, `sample/<name>` and, for the LSTM, `forgetProduct` to the readback.
 * `mask` ([T, B], 1 = real step; null: all real) keeps padding out: means and shares are over the real
 * steps of the sequences, the sample's padded steps are NaN, and a padded step multiplies the forget-gate
 * product by 1 (the state was carried unchanged). Returns the vanilla RNN's activation derivative per step
 * ([T, H, B], for its own statistic), or null for the gated cells.
 */
export function addGateStats(
  rb: Readback, cell: CellKind, activation: Activation, source: GateSource, sampleIndex: number, mask: Float32Array | null,
): tf.Tensor3D | null {
  const packedActs = 'acts' in source ? source.acts
    : cell === 'lstm' && source.caches[0].saved.shape[0] === 5 * source.caches[0].h.shape[0] ? tf.stack(source.caches.map((c) => c.saved)) as tf.Tensor3D
      : null;
  if (cell === 'rnn') {
    const H = packedActs ?? tf.stack((source as { caches: readonly StepCache[] }).caches.map((c) => c.h)) as tf.Tensor3D;
    return derivative(H, activation) ?? tf.onesLike(H);
  }
  const layout = LAYOUT[cell];
  if (packedActs && fusedKernel(GATE_STATS[cell])) {
    const [T, rows, B] = packedActs.shape;
    const H = rows / layout.blocks;
    const sample = tf.scalar(Math.min(sampleIndex, B - 1), 'float32');
    const real = tf.tensor2d(mask ?? new Float32Array(T * B).fill(1), [T, B]);
    // JS kernels always return an array of outputs.
    const [packed] = tf.engine().runKernel(GATE_STATS[cell], { acts: packedActs, sample, mask: real }, {}) as tf.Tensor1D[];
    const G = layout.gates;
    const parts: ReadbackPart[] = [];
    cellOps(cell).gateNames.forEach((name, g) => {
      ['mean', 'low', 'high'].forEach((stat, s) => parts.push({ key: `gate/${name}/${stat}`, offset: (g * 3 + s) * T, size: T }));
      parts.push({ key: `sample/${name}`, offset: (3 * G + 1) * T + g * T * H, size: T * H });
    });
    if (layout.forget >= 0) parts.push({ key: 'forgetProduct', offset: 3 * G * T, size: T });
    // Read back as it is: slicing it into parts would cost a kernel (and on WASM a copy) each.
    rb.addParts(packed, parts);
    return null;
  }
  const caches = 'caches' in source ? source.caches : [];
  const ops = cellOps(cell);
  const acts = ops.activations(caches, activation);
  const T = caches.length;
  const B = caches[0].h.shape[1];
  const real = mask ? tf.tensor3d(mask, [T, 1, B]) : null;
  const index = Math.min(sampleIndex, B - 1);
  for (const name of ops.gateNames) {
    const s = gateSummary(acts[name], name === 'candidate', real);
    rb.add(`gate/${name}/mean`, s.mean);
    rb.add(`gate/${name}/low`, s.low);
    rb.add(`gate/${name}/high`, s.high);
    const column = tf.slice(acts[name], [0, 0, index], [-1, -1, 1]);
    rb.add(`sample/${name}`, real ? tf.where(tf.greater(tf.slice(real, [0, 0, index], [-1, -1, 1]), 0), column, tf.fill(column.shape, NaN)) : column);
  }
  if (cell === 'lstm') rb.add('forgetProduct', forgetProduct(acts.forget, real));
  return null;
}

/**
 * acts [T, blocks·H, B], sample [], mask [T, B] (1 = real step) → [3·gates·T summary | T forget product |
 * gates·T·H sample]. Element k·B + b of a [H, B] block is unit k of sequence b; gate g is block g of a step.
 * Without a forget gate the product is left at 0.
 */
function registerGateStats(name: string, layout: Layout): void {
  const { gates: G, blocks, signed, forget } = layout;
  const kernel: JsKernel = {
    inputs: ['acts', 'sample', 'mask'],
    outputs: ([[T, rows]]) => [[(3 * G + 1) * T + G * T * (rows / blocks)]],
    compute([acts, sample, mask], [out], [[T, rows, B]]) {
      const s = sample[0];
      const H = rows / blocks;
      const n = H * B;
      for (let t = 0; t < T; t++) {
        let real = 0;
        for (let b = 0; b < B; b++) real += mask[t * B + b];
        const count = real * H;
        // Where every sequence runs at this step, no entry is looked up in the mask.
        const all = real === B;
        for (let g = 0; g < G; g++) {
          let sum = 0;
          let low = 0;
          let high = 0;
          const base = t * blocks * n + g * n;
          const magnitude = g === signed;
          for (let k = 0; k < H; k++) {
            const row = base + k * B;
            for (let b = 0; b < B; b++) {
              if (!all && mask[t * B + b] === 0) continue;
              const a = acts[row + b];
              const level = magnitude ? Math.abs(a) : a;
              sum += a;
              // Counted without a branch: activations fall either side at random, which a branch mispredicts
              // (with ifs, or with `? 1 : 0`, which V8 also compiles to a branch, this loop took 2.4 times as long).
              low += Number(level < 0.1);
              high += Number(level > 0.9);
            }
          }
          out[(g * 3) * T + t] = sum / count;
          out[(g * 3 + 1) * T + t] = low / count;
          out[(g * 3 + 2) * T + t] = high / count;
          const sampleReal = mask[t * B + s] !== 0;
          for (let k = 0; k < H; k++) out[(3 * G + 1) * T + g * T * H + t * H + k] = sampleReal ? acts[base + k * B + s] : NaN;
        }
      }
      if (forget < 0) return;
      // Π_{k>t} f_k per unit and sample over real steps, averaged over real entries, built backwards in
      // float64 (what exp(Σ log f) gives, without an exp and a log per entry).
      const product = new Float64Array(n).fill(1);
      for (let t = T - 1; t >= 0; t--) {
        let sum = 0;
        let count = 0;
        const base = t * blocks * n + forget * n;
        for (let k = 0; k < H; k++) {
          for (let b = 0; b < B; b++) {
            if (mask[t * B + b] === 0) continue;
            const j = k * B + b;
            sum += product[j];
            count++;
            product[j] *= Math.max(acts[base + j], 1e-30);
          }
        }
        out[3 * G * T + t] = sum / count;
      }
    },
  };
  // On WASM the same statistics in SIMD (kernels/gateStatsWasm.ts); this loop stays the CPU's and the reference.
  registerJsKernel(name, { ...kernel, backends: ['cpu'] });
  registerGateStatsWasm(name, layout, kernel);
}

registerGateStats(GATE_STATS.lstm, LAYOUT.lstm);
registerGateStats(GATE_STATS.gru, LAYOUT.gru);
