import { isNumbers, measure, single } from './measure';

/**
 * LSTM: the mean over units and batch of Π_{k>t} f_k, per t: how much of c_t survives along the cell path to
 * the last step (dc_T/dc_t); null for the other cells. A claim reads its value at the first step.
 */
export const forgetProduct = measure({
  field: 'forgetProduct',
  source: {
    kind: 'step',
    add: ({ tools }) => { tools.gateStats(); },
    read: (_step, values): readonly number[] | null => (values.has('forgetProduct') ? values.get('forgetProduct') : null),
  },
  isValue: (v, json) => v === null || isNumbers(v, json),
  size: (v) => v?.length ?? 0,
  claims: { forgetProduct: (p) => (p.length ? single(p[0]) : undefined) },
});
