import { measure, isNumbers } from './measure';

/**
 * ||dL/dh_t|| for every layer, bottom first, index = t (encoder steps, then decoder steps for seq2seq): the
 * Frobenius norm over units and batch of the total gradient reaching h_t, padding excluded (it is zero there).
 */
export const layerGradNorms = measure({
  field: 'layerGradNorms',
  source: {
    kind: 'step',
    add({ tf, model, pass }, out) {
      for (let l = 0; l < model.layers; l++) {
        const perPart = pass.parts.map((p) => tf.sqrt(tf.sum(tf.square(p.bwd!.dh[l]), [1, 2])));
        out.add(`layerGradNorms/${l}`, perPart.length === 1 ? perPart[0] : tf.concat(perPart));
      }
    },
    read: ({ model }, values): readonly (readonly number[])[] =>
      Array.from({ length: model.layers }, (_, l) => values.get(`layerGradNorms/${l}`)),
  },
  isValue: (v, json) => Array.isArray(v) && v.every((layer) => isNumbers(layer, json)),
  size: (v) => v.reduce((n, layer) => n + layer.length, 0),
});
