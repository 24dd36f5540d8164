import { formatNumber } from '../messages';
import { TASKS, decoderInputSize } from '../tasks/catalog';
import { gateCount, type ModelSpec, type TaskSpec } from './types';

/**
 * What one training step costs, so that a spec which would freeze the editor is refused before it runs.
 * A recurrent matmul pair costs 2·G·H·(H+D) FLOP per sample and step forward; backward costs about twice
 * that, hence the factor 6.
 */
export const BUDGET = {
  flops: 20e9,
  activations: 64e6,
} as const;

export interface Cost {
  readonly flops: number;
  /** Numbers kept for backpropagation through time. */
  readonly activations: number;
  readonly explanation: string;
  readonly memoryExplanation: string;
}

function stackFlops(model: ModelSpec, inputSize: number, steps: number, batch: number): number {
  const g = gateCount(model.cell);
  const h = model.hiddenSize;
  let total = 0;
  for (let layer = 0; layer < model.layers; layer++) total += 6 * g * batch * steps * h * (h + (layer === 0 ? inputSize : h));
  return total;
}

export function estimateCost(models: readonly ModelSpec[], task: TaskSpec, batchSize: number): Cost {
  const info = TASKS[task.name];
  const steps = info.steps(task.maxLength);
  let flops = 0;
  let activations = 0;
  for (const model of models) {
    const split = model.seq2seq && info.seq2seqSteps ? info.seq2seqSteps(task.maxLength) : undefined;
    flops += split
      ? stackFlops(model, info.inputSize, split.encoder, batchSize) + stackFlops(model, decoderInputSize(info), split.decoder, batchSize)
      : stackFlops(model, info.inputSize, steps, batchSize);
    activations += batchSize * steps * model.hiddenSize * (gateCount(model.cell) + 3) * model.layers;
  }
  const m = models[0];
  const many = models.length > 1 ? `, summed over ${models.length} models` : '';
  const explanation = `6 × ${gateCount(m.cell)} gate(s) × batchSize ${batchSize} × ${formatNumber(steps)} steps × hiddenSize ${m.hiddenSize} × (hiddenSize + inputs) × ${m.layers} layer(s)${many}`;
  const memoryExplanation = `batchSize ${batchSize} × ${formatNumber(steps)} steps × hiddenSize ${m.hiddenSize} × ${gateCount(m.cell) + 3} values × ${m.layers} layer(s)${many}`;
  return { flops, activations, explanation, memoryExplanation };
}
