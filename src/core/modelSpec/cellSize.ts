import { decoderInputSize, TASKS } from '../tasks/catalog';
import { gateCount, type ModelSpec, type TaskSpec } from './types';

/**
 * How many numbers the recurrent cell learns (every layer's W, U and b; both stacks of an encoder-decoder; the
 * readout left out): what the lecture compares between cells. Per layer, gates × hidden × (inputs + hidden + 1).
 */
export function cellWeightCount(model: ModelSpec, task: TaskSpec): number {
  const info = TASKS[task.name];
  const g = gateCount(model.cell);
  const h = model.hiddenSize;
  const stack = (inputs: number) => Array.from({ length: model.layers }, (_, layer) => g * h * ((layer === 0 ? inputs : h) + h + 1))
    .reduce((a, b) => a + b, 0);
  return stack(info.inputSize) + (model.seq2seq ? stack(decoderInputSize(info)) : 0);
}
