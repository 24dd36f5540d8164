import { pass, passSeconds } from '../../modelSpec/budget';
import { gateCount, type CellKind, type ModelSpec, type TaskSpec } from '../../modelSpec/types';
import { TASKS, decoderInputSize } from '../../tasks/catalog';

/**
 * How often a run measures the spectrum. Its solver is plain JavaScript, far slower per multiply than the
 * training's WASM kernels, so a model measures it at most every `spectrumEvery` steps: often enough to follow
 * training, rarely enough that solving costs about SOLVE_SHARE of the training time (`npm run bench --
 * --only-spectrum` measures what it really costs). A step where a claim on the spectrum is judged always
 * measures it. The cadence depends on the spec alone, so the CLI's reports carry a spectrum at the same steps
 * on every machine. (No linear algebra here: the page imports this file to say how often.)
 */

/**
 * The most directions the product of Jacobians follows (./lyapunov.ts): every one of a state of up to FRAME
 * numbers, the FRAME largest of a wider one.
 */
export const FRAME = 32;

/** The share of training time the spectrum may take. */
export const SOLVE_SHARE = 0.05;

/**
 * Seconds per multiply-add of the solver: ml-matrix's products and decompositions in float64 JavaScript,
 * measured by `npm run bench -- --only-spectrum` on the 2-core development machine (and rounded up).
 */
export const SOLVER_SECONDS_PER_MAC = 4e-9;

/** Multiply-adds of an H×H eigenvalue decomposition with vectors (Hessenberg, then QR iterations) and an SVD. */
const DECOMPOSITION_MACS = 30;
/** Blocks of W_hh one product through the whole cell's Jacobian reads: every gate's. */
const JACOBIAN_BLOCKS: Readonly<Record<CellKind, number>> = { rnn: 1, gru: 3, lstm: 4 };

/** The solver's multiply-adds for one spectrum of `model` on sequences of the task's longest length. */
export function spectrumMacs(model: ModelSpec, task: TaskSpec): number {
  const info = TASKS[task.name];
  const split = model.seq2seq && info.seq2seqSteps ? info.seq2seqSteps(task.maxLength) : null;
  const stacks = split
    ? [{ steps: split.encoder, inputs: info.inputSize }, { steps: split.decoder, inputs: decoderInputSize(info) }]
    : [{ steps: info.steps(task.maxLength), inputs: info.inputSize }];
  const H = model.hiddenSize;
  const G = gateCount(model.cell);
  const n = model.cell === 'lstm' ? 2 * H : H;
  const k = Math.min(n, FRAME);
  let macs = 0;
  for (const { steps, inputs } of stacks) {
    for (let l = 0; l < model.layers; l++) {
      const replay = steps * G * H * (H + (l ? H : inputs));
      const blocks = G * DECOMPOSITION_MACS * H ** 3;
      // Each step: the frame through the gates' blocks, then its QR (about 4·n·k², Q formed) and R's product.
      const product = Math.max(0, steps - 1) * (JACOBIAN_BLOCKS[model.cell] * H * H * k + 4 * n * k * k + k ** 3 / 3);
      macs += replay + blocks + product;
    }
  }
  return macs;
}

/** Training steps between two spectra of `model`, so that solving takes about SOLVE_SHARE of training. */
export function spectrumEvery(model: ModelSpec, task: TaskSpec, batchSize: number): number {
  const train = passSeconds(pass('train', 0, model, task, batchSize, (model.seq2seq?.teacherForcing ?? 1) < 1));
  const solve = spectrumMacs(model, task) * SOLVER_SECONDS_PER_MAC;
  return Math.max(1, Math.ceil(solve / (SOLVE_SHARE * train)));
}
