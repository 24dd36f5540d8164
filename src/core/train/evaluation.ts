import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, TaskSpec } from '../modelSpec/types';
import { TASKS } from '../tasks/catalog';
import type { Batch } from '../tasks/generators';
import { inferenceOutputs } from './model';
import { metricOf, targetTensors } from './readout';
import type { Evaluation, TeacherForcingSample } from './report';
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
  const { scores, decodes } = scoreSeq2seq(set.tokens.output, rb.get('eval/forced'), set.decoder.steps, rb.get('eval/free'), freeSteps);
  return { metric: { name: info.metric, value: scores.sequenceAccuracy.free }, seq2seq: scores, decodes };
}

/** How a training batch's decoder was fed, for one of its sequences, and the share fed the truth overall. */
export function teacherForcingSample(batch: Batch, teacher: Float32Array | 'truth', sampleIndex: number): TeacherForcingSample | null {
  if (!batch.decoder || !batch.tokens) return null;
  const B = batch.batchSize;
  const index = Math.min(sampleIndex, B - 1);
  const fedAt = (t: number, b: number) => (t === 0 || teacher === 'truth' ? 1 : teacher[t * B + b]);
  const target = batch.tokens.output[index];
  let truth = 0;
  let steps = 0;
  batch.decoder.lengths.forEach((n, b) => {
    for (let t = 1; t < n; t++) {
      steps++;
      truth += fedAt(t, b);
    }
  });
  return { index, target: [...target], fed: target.map((_, t) => fedAt(t, index)), share: steps ? truth / steps : 1 };
}
