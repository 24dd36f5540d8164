import type { ModelSpec } from '../../src/core/spec/types';
import type { Batch } from '../../src/core/tasks/generators';
import type { WeightSet } from '../../src/core/train/weights';

/**
 * An independent float64 implementation of the forward pass and the loss, written as plainly as possible
 * (per sample, per unit), for finite-difference checks of the tfjs engine's hand-written backward pass.
 * Conventions match the engine: W [D, G·H], U [H, G·H], b [G·H]; LSTM blocks i, f, o, g; GRU blocks z, r, g.
 */

type Vec = Float64Array;
type Weights = Map<string, { shape: readonly number[]; values: Float64Array }>;

export function toFloat64(weights: WeightSet): Weights {
  return new Map([...weights].map(([k, w]) => [k, { shape: w.shape, values: Float64Array.from(w.values) }]));
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Adds `delta` to one hidden unit right after it is computed: the probe for dL/dh. */
export interface Probe {
  readonly part: 'enc' | 'dec';
  readonly layer: number;
  readonly t: number;
  readonly b: number;
  readonly unit: number;
  readonly delta: number;
}

interface CellState { h: Vec; c: Vec }

function affine(w: Weights, name: string, x: ArrayLike<number>, h: ArrayLike<number>, G: number, H: number): Vec {
  const W = w.get(`${name}/W`)!.values;
  const U = w.get(`${name}/U`)!.values;
  const bias = w.get(`${name}/b`)!.values;
  const D = x.length;
  const out = new Float64Array(G * H);
  for (let j = 0; j < G * H; j++) {
    let s = bias[j];
    for (let d = 0; d < D; d++) s += x[d] * W[d * G * H + j];
    for (let k = 0; k < H; k++) s += h[k] * U[k * G * H + j];
    out[j] = s;
  }
  return out;
}

function stepCell(model: ModelSpec, w: Weights, name: string, x: ArrayLike<number>, s: CellState): CellState {
  const H = model.hiddenSize;
  if (model.cell === 'rnn') {
    const a = affine(w, name, x, s.h, 1, H);
    const act = (v: number) => (model.activation === 'tanh' ? Math.tanh(v) : model.activation === 'relu' ? Math.max(0, v) : v);
    return { h: a.map(act), c: s.c };
  }
  if (model.cell === 'lstm') {
    const z = affine(w, name, x, s.h, 4, H);
    const h = new Float64Array(H);
    const c = new Float64Array(H);
    for (let k = 0; k < H; k++) {
      const i = sigmoid(z[k]);
      const f = sigmoid(z[H + k]);
      const o = sigmoid(z[2 * H + k]);
      const g = Math.tanh(z[3 * H + k]);
      c[k] = f * s.c[k] + i * g;
      h[k] = o * Math.tanh(c[k]);
    }
    return { h, c };
  }
  // GRU: gates from x and h; the candidate sees r ⊙ h.
  const W = w.get(`${name}/W`)!.values;
  const U = w.get(`${name}/U`)!.values;
  const bias = w.get(`${name}/b`)!.values;
  const G = 3 * H;
  const pre = (j: number, hv: ArrayLike<number>) => {
    let v = bias[j];
    for (let d = 0; d < x.length; d++) v += x[d] * W[d * G + j];
    for (let k = 0; k < H; k++) v += hv[k] * U[k * G + j];
    return v;
  };
  const zg = Array.from({ length: H }, (_, k) => sigmoid(pre(k, s.h)));
  const rg = Array.from({ length: H }, (_, k) => sigmoid(pre(H + k, s.h)));
  const rh = s.h.map((v, k) => v * rg[k]);
  const h = new Float64Array(H);
  for (let k = 0; k < H; k++) {
    const g = Math.tanh(pre(2 * H + k, rh));
    h[k] = (1 - zg[k]) * g + zg[k] * s.h[k];
  }
  return { h, c: s.c };
}

/** Runs a stack over inputs[t][b] (vectors), returns top states per t per b and final states per layer per b. */
function runStack(model: ModelSpec, w: Weights, part: 'enc' | 'dec', inputs: number[][][], init: CellState[][] | null, probe?: Probe) {
  const T = inputs.length;
  const B = inputs[0].length;
  const H = model.hiddenSize;
  let layerIn = inputs;
  const finals: CellState[][] = [];
  for (let l = 0; l < model.layers; l++) {
    const out: number[][][] = [];
    const states: CellState[] = Array.from({ length: B }, (_, b) => init?.[l][b] ?? { h: new Float64Array(H), c: new Float64Array(H) });
    for (let t = 0; t < T; t++) {
      out.push([]);
      for (let b = 0; b < B; b++) {
        states[b] = stepCell(model, w, `${part}/${l}`, layerIn[t][b], states[b]);
        if (probe && probe.part === part && probe.layer === l && probe.t === t && probe.b === b) {
          const h = Float64Array.from(states[b].h);
          h[probe.unit] += probe.delta;
          states[b] = { h, c: states[b].c };
        }
        out[t].push(Array.from(states[b].h));
      }
    }
    finals.push(states);
    layerIn = out;
  }
  return { top: layerIn, finals };
}

function sequence(values: Float32Array, T: number, B: number, D: number): number[][][] {
  return Array.from({ length: T }, (_, t) => Array.from({ length: B }, (_, b) => Array.from(values.subarray((t * B + b) * D, (t * B + b + 1) * D))));
}

/** The loss of the engine's training pass (teacher forcing 'all' for seq2seq), in float64. */
export function referenceLoss(model: ModelSpec, w: Weights, batch: Batch, probe?: Probe): number {
  const B = batch.batchSize;
  let { top, finals } = runStack(model, w, 'enc', sequence(batch.inputs, batch.steps, B, batch.inputSize), null, probe);
  if (batch.decoder) {
    const dec = batch.decoder;
    ({ top } = runStack(model, w, 'dec', sequence(dec.inputs, dec.steps, B, dec.inputSize), finals, probe));
    finals = [];
  }
  const Wo = w.get('out/W')!;
  const bo = w.get('out/b')!.values;
  const O = Wo.shape[1];
  const out = (h: number[]) => Array.from({ length: O }, (_, j) => bo[j] + h.reduce((s, v, k) => s + v * Wo.values[k * O + j], 0));
  const target = batch.target;
  const T = top.length;
  const rows: { y: number[]; t: number; b: number }[] = [];
  if (target.at === 'last') for (let b = 0; b < B; b++) rows.push({ y: out(top[T - 1][b]), t: T - 1, b });
  else for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) rows.push({ y: out(top[t][b]), t, b });
  let total = 0;
  for (const row of rows) {
    if (target.kind === 'regression') {
      const value = target.at === 'last' ? target.values[row.b] : target.values[row.t * B + row.b];
      total += (row.y[0] - value) ** 2;
    } else {
      const cls = target.at === 'last' ? target.classes[row.b] : target.classes[row.t * B + row.b];
      const max = Math.max(...row.y);
      const logZ = max + Math.log(row.y.reduce((s, v) => s + Math.exp(v - max), 0));
      total += logZ - row.y[cls];
    }
  }
  return total / rows.length;
}
