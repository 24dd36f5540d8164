import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, TaskSpec } from '../modelSpec/types';
import { TASKS } from '../tasks/catalog';
import type { Batch } from '../tasks/generators';
import { inferenceOutputs } from './model';
import { metricOf, targetTensors } from './readout';
import type { Evaluation } from './heldOutScores';
import { scoreSeq2seq } from './seq2seqScore';
import type { Readback } from './stats';
import type { Variables } from './weights';

/**
 * Scoring on the fixed held-out set. Aligned tasks: the metric, on the device. Seq2seq: the argmax
 * predictions with the decoder fed the truth and fed its own guesses for `freeSteps` steps, read back and
 * scored in JavaScript (seq2seqScore.ts). Runs inside the caller's tf.tidy.
 */
export function addEvaluation(rb: Readback, model: ModelSpec, vars: Variables, set: Batch, freeSteps: number): void {
  if (model.seq2seq && set.decoder) {
    rb.add('eval/forced', tf.argMax(inferenceOutputs(model, vars, set, 'truth'), 1));
    rb.add('eval/free', tf.argMax(inferenceOutputs(model, vars, set, { free: freeSteps }), 1));
    return;
  }
  rb.add('eval/metric', metricOf(inferenceOutputs(model, vars, set, 'truth'), targetTensors(set.target)));
}

/** The evaluation read back by `addEvaluation`, or null if this readback has none. */
export function readEvaluation(rb: Readback, task: TaskSpec, set: Batch, freeSteps: number): Evaluation | null {
  const info = TASKS[task.name];
  if (rb.has('eval/metric')) return { metric: { name: info.metric, value: rb.scalar('eval/metric') }, seq2seq: null, decodes: null };
  if (!rb.has('eval/forced') || !set.tokens || !set.decoder) return null;
  const { scores, decodes } = scoreSeq2seq(
    set.tokens.output, rb.get('eval/forced'), set.decoder.steps, rb.get('eval/free'), freeSteps, set.lengths,
  );
  return { metric: { name: info.metric, value: scores.sequenceAccuracy.free }, seq2seq: scores, decodes };
}
