import type * as TF from '@tensorflow/tfjs-core';
import { isRecord } from '../../guards';
import { isNumbers, measure, rangeOf, single } from './measure';

/** The two factors of a vanilla RNN's step back: the activation's derivative, and the size of W_hh. */
export interface VanishingFactors {
  /** Mean of f'(a_t) over units and the batch's real steps, per time step (tanh'; for relu, the share active). */
  readonly meanDerivative: readonly number[];
  /** σ_max(W_hh) of every layer, bottom first. */
  readonly sigmaMax: readonly number[];
}

const KEPT = 'vanishing/sigma';

/**
 * Vanilla RNN: the two factors of the vanishing gradient (null for the gated cells). σ_max comes from a power
 * iteration warm-started from the previous report's vector (the weights move little between reports). A claim
 * reads the mean derivative over the sequence (`derivative`) and σ_max of every layer (`sigmaMax`).
 */
export const vanishing = measure({
  field: 'vanishing',
  source: {
    kind: 'step',
    add({ tf, model, vars, tools, kept }, out) {
      const derivative = tools.gateStats();
      if (!derivative) return;
      out.add('vanishing/derivative', tools.maskedStepMean(derivative));
      const previous = kept.get(KEPT) ?? [];
      const vectors: TF.Tensor[] = [];
      for (let l = 0; l < model.layers; l++) {
        const U = vars.layer('enc', l).U;
        const H = model.hiddenSize;
        const warm = previous[l] as TF.Tensor2D | undefined;
        const start = warm ?? tf.div(tf.ones([H, 1]), Math.sqrt(H)) as TF.Tensor2D;
        const { sigma, vector } = tools.sigmaMax(U, start, warm ? 10 : 60);
        out.add(`vanishing/sigma/${l}`, sigma);
        vectors.push(vector);
      }
      kept.set(KEPT, vectors);
    },
    read: ({ model }, values): VanishingFactors | null => (model.cell === 'rnn'
      ? {
        meanDerivative: values.get('vanishing/derivative'),
        sigmaMax: Array.from({ length: model.layers }, (_, l) => values.scalar(`vanishing/sigma/${l}`)),
      }
      : null),
  },
  isValue: (v, json) => v === null || (isRecord(v) && isNumbers(v.meanDerivative, json) && isNumbers(v.sigmaMax, json)),
  size: (v) => (v ? v.meanDerivative.length + v.sigmaMax.length : 0),
  claims: {
    derivative: (v) => single(v.meanDerivative.reduce((a, b) => a + b, 0) / v.meanDerivative.length),
    sigmaMax: (v) => rangeOf(v.sigmaMax),
  },
});
