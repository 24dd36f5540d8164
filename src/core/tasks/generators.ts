import type { TaskSpec } from '../spec/types';
import type { Rng } from '../rng';
import { DIGITS } from './catalog';

/**
 * Batches for every task, generated from a seeded stream. All arrays are time-major ([steps, batch, ...]) so
 * the trainer can take one time step as a contiguous slice.
 */

export type Target =
  /** Regression read at the last step: values [batch]. */
  | { readonly kind: 'regression'; readonly at: 'last'; readonly values: Float32Array }
  /** Regression at every step: values [steps, batch]. */
  | { readonly kind: 'regression'; readonly at: 'every'; readonly values: Float32Array }
  /** Classification at the last step: classes [batch]. */
  | { readonly kind: 'classes'; readonly at: 'last'; readonly classes: Int32Array; readonly numClasses: number }
  /**
   * Classification at every step: classes [steps, batch]. Accuracy counts the steps from `scoredFrom` on
   * (copy memory is scored on the 10 recalled symbols only).
   */
  | { readonly kind: 'classes'; readonly at: 'every'; readonly classes: Int32Array; readonly numClasses: number; readonly scoredFrom: number };

export interface Batch {
  readonly batchSize: number;
  /** Steps the (encoder) network reads. */
  readonly steps: number;
  readonly inputSize: number;
  /** [steps, batch, inputSize] */
  readonly inputs: Float32Array;
  /** For seq2seq: the decoder's steps and its teacher-forced inputs (start token, then the true tokens). */
  readonly decoder: { readonly steps: number; readonly inputSize: number; readonly inputs: Float32Array } | null;
  readonly target: Target;
}

function oneHot(into: Float32Array, t: number, b: number, batch: number, size: number, index: number): void {
  into[(t * batch + b) * size + index] = 1;
}

function adding(length: number, batch: number, rng: Rng): Batch {
  const inputs = new Float32Array(length * batch * 2);
  const values = new Float32Array(batch);
  const half = Math.floor(length / 2);
  for (let b = 0; b < batch; b++) {
    const first = rng.int(half);
    const second = half + rng.int(length - half);
    for (let t = 0; t < length; t++) {
      const v = rng.uniform();
      inputs[(t * batch + b) * 2] = v;
      if (t === first || t === second) {
        inputs[(t * batch + b) * 2 + 1] = 1;
        values[b] += v;
      }
    }
  }
  return { batchSize: batch, steps: length, inputSize: 2, inputs, decoder: null, target: { kind: 'regression', at: 'last', values } };
}

/** Copy memory (Arjovsky et al.): a1..a8 = 1..8, blank a0 = 0, delimiter a9 = 9. */
function copy(length: number, batch: number, rng: Rng): Batch {
  const steps = length + 20;
  const inputs = new Float32Array(steps * batch * 10);
  const classes = new Int32Array(steps * batch);
  for (let b = 0; b < batch; b++) {
    const symbols = Array.from({ length: 10 }, () => 1 + rng.int(8));
    for (let t = 0; t < steps; t++) {
      let symbol = 0;
      if (t < 10) symbol = symbols[t];
      else if (t === length + 9) symbol = 9;
      oneHot(inputs, t, b, batch, 10, symbol);
      classes[t * batch + b] = t >= length + 10 ? symbols[t - length - 10] : 0;
    }
  }
  return {
    batchSize: batch, steps, inputSize: 10, inputs, decoder: null,
    target: { kind: 'classes', at: 'every', classes, numClasses: 9, scoredFrom: length + 10 },
  };
}

/** Temporal order (Hochreiter & Schmidhuber): A = 0, B = 1, distractors 2..5; class = 2·first + second. */
function temporalOrder(length: number, batch: number, rng: Rng): Batch {
  const inputs = new Float32Array(length * batch * 6);
  const classes = new Int32Array(batch);
  const range = (lo: number, hi: number) => {
    const a = Math.floor(lo * length);
    const b = Math.max(a + 1, Math.floor(hi * length));
    return a + rng.int(b - a);
  };
  for (let b = 0; b < batch; b++) {
    const p1 = range(0.1, 0.2);
    const p2 = range(0.5, 0.6);
    const x = rng.int(2);
    const y = rng.int(2);
    for (let t = 0; t < length; t++) {
      const symbol = t === p1 ? x : t === p2 ? y : 2 + rng.int(4);
      oneHot(inputs, t, b, batch, 6, symbol);
    }
    classes[b] = 2 * x + y;
  }
  return { batchSize: batch, steps: length, inputSize: 6, inputs, decoder: null, target: { kind: 'classes', at: 'last', classes, numClasses: 4 } };
}

function sine(length: number, batch: number, rng: Rng): Batch {
  const inputs = new Float32Array(length * batch);
  const values = new Float32Array(length * batch);
  for (let b = 0; b < batch; b++) {
    const omega = 0.1 + 0.5 * rng.uniform();
    const phase = 2 * Math.PI * rng.uniform();
    for (let t = 0; t < length; t++) {
      inputs[t * batch + b] = Math.sin(omega * t + phase);
      values[t * batch + b] = Math.sin(omega * (t + 1) + phase);
    }
  }
  return { batchSize: batch, steps: length, inputSize: 1, inputs, decoder: null, target: { kind: 'regression', at: 'every', values } };
}

/** Encoder inputs from symbol rows, decoder inputs (start, y_0, ..., y_{n-2}) and targets, all time-major. */
function seq2seqBatch(inputRows: number[][], outputRows: number[][], inputVocab: number): Batch {
  const batch = inputRows.length;
  const steps = inputRows[0].length;
  const outSteps = outputRows[0].length;
  const inputs = new Float32Array(steps * batch * inputVocab);
  const decoderSize = DIGITS + 1;
  const decoderInputs = new Float32Array(outSteps * batch * decoderSize);
  const classes = new Int32Array(outSteps * batch);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) oneHot(inputs, t, b, batch, inputVocab, inputRows[b][t]);
    for (let t = 0; t < outSteps; t++) {
      oneHot(decoderInputs, t, b, batch, decoderSize, t === 0 ? DIGITS : outputRows[b][t - 1]);
      classes[t * batch + b] = outputRows[b][t];
    }
  }
  return {
    batchSize: batch, steps, inputSize: inputVocab, inputs,
    decoder: { steps: outSteps, inputSize: decoderSize, inputs: decoderInputs },
    target: { kind: 'classes', at: 'every', classes, numClasses: DIGITS, scoredFrom: 0 },
  };
}

function digits(length: number, batch: number, rng: Rng): number[][] {
  return Array.from({ length: batch }, () => Array.from({ length }, () => rng.int(DIGITS)));
}

function arithmetic(n: number, batch: number, rng: Rng): Batch {
  const inRows: number[][] = [];
  const outRows: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const a = Array.from({ length: n }, () => rng.int(DIGITS));
    const c = Array.from({ length: n }, () => rng.int(DIGITS));
    inRows.push([...a, DIGITS, ...c]);
    // Column addition, most significant digit first, n + 1 digits with a leading zero if need be.
    const sum = new Array<number>(n + 1).fill(0);
    let carry = 0;
    for (let i = n - 1; i >= 0; i--) {
      const s = a[i] + c[i] + carry;
      sum[i + 1] = s % DIGITS;
      carry = Math.floor(s / DIGITS);
    }
    sum[0] = carry;
    outRows.push(sum);
  }
  return seq2seqBatch(inRows, outRows, DIGITS + 1);
}

/** The length of the next batch: fixed, or drawn from [min, max]. */
export function drawLength(task: TaskSpec, rng: Rng): number {
  return task.minLength === task.maxLength ? task.maxLength : task.minLength + rng.int(task.maxLength - task.minLength + 1);
}

export function generateBatch(task: TaskSpec, batch: number, rng: Rng, length = drawLength(task, rng)): Batch {
  switch (task.name) {
    case 'adding': return adding(length, batch, rng);
    case 'copy': return copy(length, batch, rng);
    case 'temporal-order': return temporalOrder(length, batch, rng);
    case 'sine': return sine(length, batch, rng);
    case 'reverse': {
      const rows = digits(length, batch, rng);
      return seq2seqBatch(rows, rows.map((r) => [...r].reverse()), DIGITS);
    }
    case 'sort': {
      const rows = digits(length, batch, rng);
      return seq2seqBatch(rows, rows.map((r) => [...r].sort((x, y) => x - y)), DIGITS);
    }
    case 'arithmetic': return arithmetic(length, batch, rng);
  }
}
