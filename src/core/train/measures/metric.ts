import { isRecord, oneOf } from '../../guards';
import { METRIC_NAMES } from '../../tasks/catalog';
import type { Metric } from '../heldOutScores';
import { isNumber, measure, single } from './measure';

/**
 * The held-out score on the fixed evaluation set (MSE, accuracy, or free-running exact-sequence accuracy for
 * seq2seq); null when a report skipped it. A claim reads it as `score`.
 */
export const metric = measure<'metric', Metric | null>({
  field: 'metric',
  source: { kind: 'heldOut' },
  isValue: (v, json) => v === null || (isRecord(v) && oneOf(METRIC_NAMES, v.name) && isNumber(v.value, json)),
  size: () => 1,
  history: 4000,
  claims: { score: (m) => single(m.value) },
});
