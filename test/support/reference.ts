import type { ModelSpec } from '../../src/core/modelSpec/types';
import type { Batch } from '../../src/core/tasks/generators';
import type { WeightSet } from '../../src/core/train/weights';

/**
 * An independent float64 implementation of the forward pass and the loss, written as plainly as possible
 * (per sample, per unit, each sequence alone at its own length: no padding, no masks), for finite-difference
 * checks of the tfjs engine's hand-written backward pass and of its padding.
 * Conventions match the engine: W [D, G·H], U [H, G·H], b [G·H]; LSTM blocks i, f, o, g; GRU blocks z, r, g.
 */

type Vec = Float64Array;
type Weights = Map<string, { shape: readonly number[]; values: Float64Array }>;

export function toFloat64(weights: WeightSet): Weights {
  return new Map([...weights].map(([k, w]) => [k, { shape: w.shape, values: Float64Array.from(w.values) }]));
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Adds `delta` to one hidden unit right after it is computed: the probe for dL/dh. With `layer` -1, to one
 * channel (`unit`) of the input x_t the bottom layer reads: the probe for dL/dx.
 */
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

/** One sequence b's row at step t of a time-major [T, B, D] array. */
function row(values: Float32Array, t: number, b: number, B: number, D: number): number[] {
  return Array.from(values.subarray((t * B + b) * D, (t * B + b + 1) * D));
}

/**
 * Runs one sequence through a stack, step by step (all layers at step t, then step t + 1), from `init` or
 * zeros. `input(t, previousTop)` gives x_t. Returns the top state at every step and the final states.
 */
function runSequence(
  model: ModelSpec, w: Weights, part: 'enc' | 'dec', steps: number, input: (t: number, previousTop: number[] | null) => number[],
  init: CellState[] | null, b: number, probe?: Probe,
): { tops: number[][]; finals: CellState[] } {
  const H = model.hiddenSize;
  const states: CellState[] = Array.from({ length: model.layers }, (_, l) => init?.[l] ?? { h: new Float64Array(H), c: new Float64Array(H) });
  const tops: number[][] = [];
  for (let t = 0; t < steps; t++) {
    let x = input(t, t ? tops[t - 1] : null);
    if (probe && probe.part === part && probe.layer === -1 && probe.t === t && probe.b === b) {
      x = x.map((v, d) => (d === probe.unit ? v + probe.delta : v));
    }
    for (let l = 0; l < model.layers; l++) {
      states[l] = stepCell(model, w, `${part}/${l}`, x, states[l]);
      if (probe && probe.part === part && probe.layer === l && probe.t === t && probe.b === b) {
        const h = Float64Array.from(states[l].h);
        h[probe.unit] += probe.delta;
        states[l] = { h, c: states[l].c };
      }
      x = Array.from(states[l].h);
    }
    tops.push(x);
  }
  return { tops, finals: states };
}

function readout(w: Weights, h: readonly number[]): number[] {
  const Wo = w.get('out/W')!;
  const bo = w.get('out/b')!.values;
  const O = Wo.shape[1];
  return Array.from({ length: O }, (_, j) => bo[j] + h.reduce((s, v, k) => s + v * Wo.values[k * O + j], 0));
}

/**
 * Attention at one decoder step, written out per unit: scores of every encoder top state (dot, or additive
 * vᵀ tanh(W_aᵀ s + U_aᵀ h_j)), their softmax α, the context c = Σ α_j h_j and h̃ = tanh(W_cᵀ [s; c] + b_c).
 * The sequence runs alone at its own length, so there is no padding to mask.
 */
function attended(model: ModelSpec, w: Weights, s: readonly number[], keys: readonly number[][]): number[] {
  const H = model.hiddenSize;
  const kind = model.seq2seq?.attention ?? 'none';
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, v, k) => sum + v * b[k], 0);
  const times = (x: readonly number[], name: string) => {
    const m = w.get(name)!;
    const cols = m.shape[1];
    return Array.from({ length: cols }, (_, j) => x.reduce((sum, v, k) => sum + v * m.values[k * cols + j], 0));
  };
  const scores = keys.map((h) => {
    if (kind === 'dot') return dot(s, h);
    const q = times(s, 'att/Wa');
    const k = times(h, 'att/Ua');
    return dot(Array.from(w.get('att/v')!.values), q.map((v, i) => Math.tanh(v + k[i])));
  });
  const max = Math.max(...scores);
  const exps = scores.map((x) => Math.exp(x - max));
  const total = exps.reduce((a, b) => a + b, 0);
  const context = Array.from({ length: H }, (_, k) => keys.reduce((sum, h, j) => sum + (exps[j] / total) * h[k], 0));
  const bc = w.get('att/bc')!.values;
  return times([...s, ...context], 'att/Wc').map((v, k) => Math.tanh(v + bc[k]));
}

const argmax = (y: readonly number[]) => y.reduce((best, v, j) => (v > y[best] ? j : best), 0);

function crossEntropy(y: readonly number[], cls: number): number {
  const max = Math.max(...y);
  return max + Math.log(y.reduce((s, v) => s + Math.exp(v - max), 0)) - y[cls];
}

/**
 * Runs sequence b alone at its own length, with no padding anywhere, and returns what the readout reads at
 * each step. A seq2seq decoder runs `decoderSteps` steps from the encoder's final state; at step t ≥ 1 it reads
 * the true previous token where `feed(t)` is true, else the one-hot of its own last argmax. With attention the
 * readout reads h̃ at each decoder step.
 */
function runOne(
  model: ModelSpec, w: Weights, batch: Batch, b: number, feed: (t: number) => boolean, decoderSteps: number | null, probe?: Probe,
): number[][] {
  const B = batch.batchSize;
  const enc = runSequence(model, w, 'enc', batch.lengths[b], (t) => row(batch.inputs, t, b, B, batch.inputSize), null, b, probe);
  if (!batch.decoder) return enc.tops;
  const dec = batch.decoder;
  const read = (top: number[]) => ((model.seq2seq?.attention ?? 'none') === 'none' ? top : attended(model, w, top, enc.tops));
  return runSequence(model, w, 'dec', decoderSteps ?? dec.lengths[b], (t, previousTop) => {
    if (t === 0 || feed(t)) return row(dec.inputs, t, b, B, dec.inputSize);
    const own = new Array<number>(dec.inputSize).fill(0);
    own[argmax(readout(w, read(previousTop!)))] = 1;
    return own;
  }, enc.finals, b, probe).tops.map(read);
}

/**
 * The loss of the engine's training pass in float64, computed sequence by sequence, each alone at its own
 * length: the mean over every real output of the batch (every step of every sequence, or each sequence's
 * last step). `teacher` is the teacher-forcing mask ([decoder steps × batch], 1 = the true token); absent,
 * the decoder is fed the truth.
 */
export function referenceLoss(model: ModelSpec, w: Weights, batch: Batch, probe?: Probe, teacher?: Float32Array): number {
  const B = batch.batchSize;
  const target = batch.target;
  let total = 0;
  let count = 0;
  for (let b = 0; b < B; b++) {
    const tops = runOne(model, w, batch, b, (t) => !teacher || teacher[t * B + b] === 1, null, probe);
    const rows = target.at === 'last' ? [tops.length - 1] : tops.map((_, t) => t);
    for (const t of rows) {
      const y = readout(w, tops[t]);
      const at = target.at === 'last' ? b : t * B + b;
      total += target.kind === 'regression' ? (y[0] - target.values[at]) ** 2 : crossEntropy(y, target.classes[at]);
      count++;
    }
  }
  return total / count;
}

/**
 * Sequence b's argmax tokens for `steps` decoder steps: fed only its own guesses ('free'), or the true
 * previous tokens ('truth', at most the answer's length).
 */
export function referenceDecode(model: ModelSpec, w: Weights, batch: Batch, b: number, feed: 'free' | 'truth', steps: number): number[] {
  return runOne(model, w, batch, b, () => feed === 'truth', steps).map((h) => argmax(readout(w, h)));
}
