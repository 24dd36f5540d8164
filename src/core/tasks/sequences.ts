import type { TaskName } from '../modelSpec/types';
import type { Rng } from '../rng';
import { DIGITS, END_TOKEN, PLUS_TOKEN, SINE_FREQUENCY } from './catalog';

/**
 * One sequence of each task, drawn from a seeded stream. A batch is a run of these, padded (generators.ts).
 * The draws of one sequence happen in the order written here, so that another implementation can replay
 * the stream exactly: every number comes from `rng.uniform()` (u in [0, 1)) or `rng.int(n)` = floor(u·n).
 */
export interface Sequence {
  /** Steps the (encoder) network reads. */
  readonly steps: number;
  /** [steps, inputSize], row-major. */
  readonly inputs: Float32Array;
  /**
   * Aligned tasks: the regression value or class read at the last step ([1]), or one per step ([steps]).
   * Seq2seq: the output tokens, the answer followed by END_TOKEN.
   */
  readonly target: Float32Array | Int32Array;
  /** Classes at every step: steps from here on count towards accuracy (copy scores its recall only). */
  readonly scoredFrom: number;
  /** Seq2seq only: the input tokens and the output tokens (answer, then END_TOKEN). */
  readonly tokens: { readonly input: readonly number[]; readonly output: readonly number[] } | null;
  /**
   * The input steps the answer depends on, in order (adding: the two marked steps; temporal order: the two
   * symbols; copy: the ten symbols to recall); null for a task that has no such steps (every input counts).
   */
  readonly relevant: readonly number[] | null;
}

function oneHotRows(symbols: readonly number[], size: number): Float32Array {
  const out = new Float32Array(symbols.length * size);
  symbols.forEach((s, t) => { out[t * size + s] = 1; });
  return out;
}

/** Draws: first marker int(⌊T/2⌋), second marker int(T − ⌊T/2⌋), then T values uniform(). */
function adding(length: number, rng: Rng): Sequence {
  const inputs = new Float32Array(length * 2);
  const half = Math.floor(length / 2);
  const first = rng.int(half);
  const second = half + rng.int(length - half);
  let sum = 0;
  for (let t = 0; t < length; t++) {
    const v = rng.uniform();
    inputs[t * 2] = v;
    if (t === first || t === second) {
      inputs[t * 2 + 1] = 1;
      sum += v;
    }
  }
  return { steps: length, inputs, target: Float32Array.of(sum), scoredFrom: 0, tokens: null, relevant: [first, second] };
}

/** Copy memory (Arjovsky et al.): a1..a8 = 1..8, blank a0 = 0, delimiter a9 = 9. Draws: 10 × (1 + int(8)). */
function copy(length: number, rng: Rng): Sequence {
  const steps = length + 20;
  const symbols = Array.from({ length: 10 }, () => 1 + rng.int(8));
  const input = Array.from({ length: steps }, (_, t) => (t < 10 ? symbols[t] : t === length + 9 ? 9 : 0));
  const target = Int32Array.from({ length: steps }, (_, t) => (t >= length + 10 ? symbols[t - length - 10] : 0));
  return {
    steps, inputs: oneHotRows(input, 10), target, scoredFrom: length + 10, tokens: null,
    relevant: symbols.map((_, t) => t),
  };
}

/**
 * Temporal order (Hochreiter & Schmidhuber): A = 0, B = 1, distractors 2..5; class = 2·first + second.
 * Draws: the two positions, the two symbols, then a distractor 2 + int(4) at every other step.
 */
function temporalOrder(length: number, rng: Rng): Sequence {
  const range = (lo: number, hi: number) => {
    const a = Math.floor(lo * length);
    const b = Math.max(a + 1, Math.floor(hi * length));
    return a + rng.int(b - a);
  };
  const p1 = range(0.1, 0.2);
  const p2 = range(0.5, 0.6);
  const x = rng.int(2);
  const y = rng.int(2);
  const input = Array.from({ length }, (_, t) => (t === p1 ? x : t === p2 ? y : 2 + rng.int(4)));
  return {
    steps: length, inputs: oneHotRows(input, 6), target: Int32Array.of(2 * x + y), scoredFrom: 0, tokens: null, relevant: [p1, p2],
  };
}

/** Draws: ω = 0.1 + 0.5·uniform(), phase = 2π·uniform(); predict sin(ω(t+1) + phase) from sin(ωt + phase). */
function sine(length: number, rng: Rng): Sequence {
  const omega = SINE_FREQUENCY[0] + (SINE_FREQUENCY[1] - SINE_FREQUENCY[0]) * rng.uniform();
  const phase = 2 * Math.PI * rng.uniform();
  const inputs = Float32Array.from({ length }, (_, t) => Math.sin(omega * t + phase));
  const target = Float32Array.from({ length }, (_, t) => Math.sin(omega * (t + 1) + phase));
  return { steps: length, inputs, target, scoredFrom: 0, tokens: null, relevant: null };
}

function seq2seq(input: number[], answer: number[], inputVocab: number): Sequence {
  const output = [...answer, END_TOKEN];
  return {
    steps: input.length, inputs: oneHotRows(input, inputVocab), target: Int32Array.from(output), scoredFrom: 0, tokens: { input, output },
    relevant: null,
  };
}

/** Draws: `length` digits, int(10) each. */
function digits(length: number, rng: Rng): number[] {
  return Array.from({ length }, () => rng.int(DIGITS));
}

/**
 * Two n-digit numbers without leading zeros (for n = 1, 0..9): draws per operand 1 + int(9) for the first
 * digit (int(10) when n = 1), then int(10) for each further digit; first operand, then second. The input is
 * "a+b" (digits, PLUS_TOKEN, digits); the answer is the sum's decimal digits without leading zeros, so it
 * has n or n + 1 digits ("0" for 0 + 0).
 */
function arithmetic(n: number, rng: Rng): Sequence {
  const operand = () => Array.from({ length: n }, (_, i) => (i === 0 && n > 1 ? 1 + rng.int(DIGITS - 1) : rng.int(DIGITS)));
  const a = operand();
  const c = operand();
  // Column addition from the least significant digit, then the carry, most significant digit first.
  const sum: number[] = [];
  let carry = 0;
  for (let i = n - 1; i >= 0; i--) {
    const s = a[i] + c[i] + carry;
    sum.unshift(s % DIGITS);
    carry = Math.floor(s / DIGITS);
  }
  if (carry) sum.unshift(carry);
  while (sum.length > 1 && sum[0] === 0) sum.shift();
  return seq2seq([...a, PLUS_TOKEN, ...c], sum, DIGITS + 1);
}

export function generateSequence(task: TaskName, length: number, rng: Rng): Sequence {
  switch (task) {
    case 'adding': return adding(length, rng);
    case 'copy': return copy(length, rng);
    case 'temporal-order': return temporalOrder(length, rng);
    case 'sine': return sine(length, rng);
    case 'reverse': {
      const x = digits(length, rng);
      return seq2seq(x, [...x].reverse(), DIGITS);
    }
    case 'sort': {
      const x = digits(length, rng);
      return seq2seq(x, [...x].sort((p, q) => p - q), DIGITS);
    }
    case 'arithmetic': return arithmetic(length, rng);
  }
}
