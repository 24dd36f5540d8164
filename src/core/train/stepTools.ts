import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../modelSpec/types';
import type { Batch } from '../tasks/generators';
import { addGateStats, topGateSource } from './gateStats';
import type { KeptTensors, StepTools } from './measures/measure';
import type { ModelPass } from './model';
import { maskedStepMean, sigmaMax, type Readback } from './stats';
import type { Variables } from './weights';

/**
 * The trainer's side of the measures' contract (./measures/measure.ts): the tensor helpers a report step shares
 * among its measures, and what measures keep between reports.
 */

/** The helpers of one report step; the gate statistics run once, for whichever measure asks first. */
export function stepTools(
  model: ModelSpec, vars: Variables, pass: ModelPass, batch: Batch, mask: Float32Array | null, sampleIndex: number, rb: Readback,
): StepTools {
  let gates: { derivative: tf.Tensor3D | null } | null = null;
  let inputSquares: tf.Tensor2D | null = null;
  return {
    gateStats() {
      gates ??= {
        derivative: addGateStats(rb, model.cell, model.activation, topGateSource(pass.parts.map((p) => p.fwd), model.layers - 1), sampleIndex, mask),
      };
      return gates.derivative;
    },
    sigmaMax,
    maskedStepMean: (x) => maskedStepMean(x, mask ? tf.tensor3d(mask, [x.shape[0], 1, batch.batchSize]) : null),
    inputGradSquares() {
      // dZ [T, G·H, B] of the bottom layer; W [D, G·H]: dX = W·dZ is [T, D, B].
      inputSquares ??= tf.sum(tf.square(tf.matMul(tf.expandDims(vars.layer('enc', 0).W, 0), pass.parts[0].bwd!.dZ[0])), 1) as tf.Tensor2D;
      return inputSquares;
    },
  };
}

/** Tensors that measures keep from one report to the next, safe from the step's tidy until replaced or cleared. */
export class KeptTensorStore implements KeptTensors {
  private readonly kept = new Map<string, readonly tf.Tensor[]>();

  get(key: string): readonly tf.Tensor[] | undefined {
    return this.kept.get(key);
  }

  set(key: string, tensors: readonly tf.Tensor[]): void {
    const before = this.kept.get(key) ?? [];
    tensors.forEach((t) => tf.keep(t));
    this.kept.set(key, tensors);
    tf.dispose(before.filter((t) => !tensors.includes(t)));
  }

  clear(): void {
    this.kept.forEach((tensors) => tf.dispose([...tensors]));
    this.kept.clear();
  }
}
