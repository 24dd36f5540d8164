import type { Activation, CellKind } from '../../modelSpec/types';
import { gateCount } from '../../modelSpec/types';
import type { SpectrumInput } from '../measures/spectrum';

/**
 * The sample replayed through every layer in float64 with the weights of the report's step, keeping what each
 * step's Jacobian needs. The equations are the trainer's (../cells/): in the column convention of the lecture,
 * the pre-activation is a = Wᵀx + Uᵀh + b, so the recurrent matrix W_hh of a block is that block of Uᵀ.
 *   rnn:  h' = f(a)
 *   gru:  z = σ(a_z), r = σ(a_r), g = tanh(a_g) with a_g reading r ⊙ h; h' = (1 − z) ⊙ g + z ⊙ h
 *   lstm: i, f, o = σ(a_i, a_f, a_o), g = tanh(a_g); c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')
 * A stacked layer reads the replayed states of the layer below; a decoder starts from the encoder's last
 * states, layer by layer, as the trainer's does.
 */

/** One step's numbers, each of H: rnn {d = f'(a)}; gru {z, r, g, hPrev}; lstm {i, f, o, g, cPrev, tc = tanh c'}. */
export type StepTrace = Readonly<Record<string, Float64Array>>;

export interface LayerTrace {
  readonly layer: string;
  /** The layer's recurrent weights as the trainer holds them, U [H, G·H], row-major. */
  readonly U: Float32Array;
  readonly steps: readonly StepTrace[];
  /** h after each step, for comparison with the trainer's own forward pass. */
  readonly states: readonly Float64Array[];
}

/** A layer's state: h, and the LSTM's cell state c (zeros, unused, for the other cells). */
export interface State {
  readonly h: Float64Array;
  readonly c: Float64Array;
}

/** A layer's weights as the trainer holds them: W [D, G·H], U [H, G·H], b [G·H], row-major. */
export type LayerWeights = SpectrumInput['parts'][number]['layers'][number];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** a = Wᵀx + Uᵀh + b over all G·H rows; for the GRU's candidate block, U reads r ⊙ h instead (filled in later). */
function preactivation(W: Float32Array, U: Float32Array, b: Float32Array, x: ArrayLike<number>, h: Float64Array, rows: number, skipFrom: number): Float64Array {
  const a = Float64Array.from(b);
  for (let d = 0; d < x.length; d++) {
    const xd = x[d];
    if (xd === 0) continue;
    for (let j = 0; j < rows; j++) a[j] += xd * W[d * rows + j];
  }
  for (let k = 0; k < h.length; k++) {
    const hk = h[k];
    for (let j = 0; j < skipFrom; j++) a[j] += hk * U[k * rows + j];
  }
  return a;
}

function rnnStep(a: Float64Array, activation: Activation): { h: Float64Array; trace: StepTrace } {
  const h = new Float64Array(a.length);
  const d = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) {
    if (activation === 'tanh') {
      h[j] = Math.tanh(a[j]);
      d[j] = 1 - h[j] * h[j];
    } else if (activation === 'relu') {
      h[j] = Math.max(a[j], 0);
      d[j] = a[j] > 0 ? 1 : 0;
    } else {
      h[j] = a[j];
      d[j] = 1;
    }
  }
  return { h, trace: { d } };
}

function gruStep(a: Float64Array, U: Float32Array, hPrev: Float64Array, H: number): { h: Float64Array; trace: StepTrace } {
  const z = new Float64Array(H);
  const r = new Float64Array(H);
  const g = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    z[j] = sigmoid(a[j]);
    r[j] = sigmoid(a[H + j]);
  }
  // The candidate's recurrent part reads the reset state r ⊙ h.
  for (let k = 0; k < H; k++) {
    const rh = r[k] * hPrev[k];
    for (let j = 0; j < H; j++) a[2 * H + j] += rh * U[k * 3 * H + 2 * H + j];
  }
  const h = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    g[j] = Math.tanh(a[2 * H + j]);
    h[j] = (1 - z[j]) * g[j] + z[j] * hPrev[j];
  }
  return { h, trace: { z, r, g, hPrev } };
}

function lstmStep(a: Float64Array, cPrev: Float64Array, H: number): { h: Float64Array; c: Float64Array; trace: StepTrace } {
  const [i, f, o, g, c, tc, h] = Array.from({ length: 7 }, () => new Float64Array(H));
  for (let j = 0; j < H; j++) {
    i[j] = sigmoid(a[j]);
    f[j] = sigmoid(a[H + j]);
    o[j] = sigmoid(a[2 * H + j]);
    g[j] = Math.tanh(a[3 * H + j]);
    c[j] = f[j] * cPrev[j] + i[j] * g[j];
    tc[j] = Math.tanh(c[j]);
    h[j] = o[j] * tc[j];
  }
  return { h, c, trace: { i, f, o, g, cPrev, tc } };
}

/** One step of one layer from `state` on input x: the next state, and what the step's Jacobian needs. */
export function cellStep(
  cell: CellKind, activation: Activation, H: number, weights: LayerWeights, x: ArrayLike<number>, state: State,
): { state: State; trace: StepTrace } {
  const rows = gateCount(cell) * H;
  const a = preactivation(weights.W, weights.U, weights.b, x, state.h, rows, cell === 'gru' ? 2 * H : rows);
  if (cell === 'lstm') {
    const next = lstmStep(a, state.c, H);
    return { state: { h: next.h, c: next.c }, trace: next.trace };
  }
  const next = cell === 'gru' ? gruStep(a, weights.U, state.h, H) : rnnStep(a, activation);
  return { state: { h: next.h, c: state.c }, trace: next.trace };
}

/** Runs one layer over its inputs ([steps][D]) from `start`; returns its trace, its states and its last state. */
function replayLayer(
  cell: CellKind, activation: Activation, H: number, weights: LayerWeights, inputs: readonly ArrayLike<number>[], start: State,
): { steps: StepTrace[]; states: Float64Array[]; last: State } {
  let state = start;
  const steps: StepTrace[] = [];
  const states: Float64Array[] = [];
  for (const x of inputs) {
    const next = cellStep(cell, activation, H, weights, x, state);
    steps.push(next.trace);
    state = next.state;
    states.push(state.h);
  }
  return { steps, states, last: state };
}

/** Every layer of every stack, replayed over the sample's real steps: the encoder's bottom first. */
export function replay(input: SpectrumInput): LayerTrace[] {
  const H = input.hidden;
  const out: LayerTrace[] = [];
  let finals: State[] = [];
  for (const part of input.parts) {
    const T = part.inputs.length / part.inputSize;
    let below: ArrayLike<number>[] = Array.from({ length: T }, (_, t) => part.inputs.subarray(t * part.inputSize, (t + 1) * part.inputSize));
    const lasts: State[] = [];
    part.layers.forEach((weights, l) => {
      const start = finals[l] ?? { h: new Float64Array(H), c: new Float64Array(H) };
      const run = replayLayer(input.cell, input.activation, H, weights, below, start);
      out.push({ layer: `${part.name}/${l}`, U: weights.U, steps: run.steps, states: run.states });
      lasts.push(run.last);
      below = run.states;
    });
    finals = lasts;
  }
  return out;
}
