import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, ResolvedSpec, TaskSpec } from '../modelSpec/types';
import { TASKS } from '../tasks/catalog';
import { evaluationSet, type Batch } from '../tasks/generators';
import { addEvaluation, readEvaluation } from './evaluation';
import type { Evaluation } from './heldOutScores';
import { Readback } from './stats';
import { initialWeights, Variables, type WeightSet } from './weights';

/** The fixed held-out set of a spec, and how many tokens a seq2seq decoder may write on it running free. */
export interface HeldOutSet {
  readonly set: Batch;
  readonly freeSteps: number;
}

export function heldOutSet(spec: ResolvedSpec): HeldOutSet {
  return {
    set: evaluationSet(spec.task, spec.training.seed),
    freeSteps: TASKS[spec.task.name].seq2seqSteps?.(spec.task.maxLength).decoder ?? 0,
  };
}

/** Scores the variables on the held-out set: one forward pass (seq2seq: two), read back in one go. */
export async function scoreHeldOut(model: ModelSpec, task: TaskSpec, vars: Variables, heldOut: HeldOutSet): Promise<Evaluation> {
  const rb = new Readback();
  const kept = tf.tidy(() => {
    addEvaluation(rb, model, vars, heldOut.set, heldOut.freeSteps);
    return rb.tensors();
  });
  try {
    await rb.read();
  } finally {
    tf.dispose(kept);
  }
  return readEvaluation(rb, task, heldOut.set, heldOut.freeSteps)!;
}

let copies = 0;

/**
 * Scores weights taken from a training run on the same held-out set, with its own copy of the variables: what
 * a second thread runs so that a report costs the training thread only its measurements. The same kernels on
 * the same backend give the same numbers as scoring inside the training step.
 */
export class HeldOutScorer {
  private readonly vars: Variables;
  private readonly heldOut: HeldOutSet;
  private readonly model: ModelSpec;

  constructor(private readonly spec: ResolvedSpec, variant: number) {
    this.model = spec.variants[variant].model;
    this.vars = new Variables(`rnnlens-score${++copies}v${variant}`, initialWeights(this.model, spec.task, spec.training.seed));
    this.heldOut = heldOutSet(spec);
  }

  /** Throws if the weights do not fit this variant (a name or a size that differs). */
  score(weights: WeightSet): Promise<Evaluation> {
    for (const [name, w] of weights) {
      const v = this.vars.byName.get(name);
      if (!v || v.size !== w.values.length) throw new Error(`weight ${name} does not fit this model`);
    }
    if (weights.size !== this.vars.byName.size) throw new Error('weights are missing');
    this.vars.assign(weights);
    return scoreHeldOut(this.model, this.spec.task, this.vars, this.heldOut);
  }

  dispose(): void {
    this.vars.dispose();
  }
}
