import { isRecord } from '../../guards';
import type { Seq2seqScores } from '../seq2seqScore';
import { isNumber, measure, single } from './measure';

const isPair = (p: unknown, json: boolean) => isRecord(p) && isNumber(p.teacherForced, json) && isNumber(p.free, json);

/**
 * Seq2seq: token and sequence accuracy on the held-out set, fed the truth and fed itself (null for other tasks,
 * and when a report skipped the score). A claim reads their token gap, the exposure bias (`exposureBias`).
 */
export const seq2seq = measure<'seq2seq', Seq2seqScores | null>({
  field: 'seq2seq',
  source: { kind: 'heldOut' },
  isValue: (v, json) => v === null || (isRecord(v) && isPair(v.tokenAccuracy, json) && isPair(v.sequenceAccuracy, json)),
  size: () => 4,
  history: 4000,
  claims: { exposureBias: (s) => single(s.tokenAccuracy.teacherForced - s.tokenAccuracy.free) },
});
