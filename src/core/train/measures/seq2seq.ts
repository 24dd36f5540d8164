import { isInt, isRecord } from '../../guards';
import { quarterAccuracy, type Seq2seqScores } from '../seq2seqScore';
import { isNumber, measure, single } from './measure';

const isPair = (p: unknown, json: boolean) => isRecord(p) && isNumber(p.teacherForced, json) && isNumber(p.free, json);
const isScores = (v: Record<string, unknown>, json: boolean) => isPair(v.tokenAccuracy, json) && isPair(v.sequenceAccuracy, json);
const isLengthScores = (v: unknown, json: boolean) => isRecord(v) && isInt(v.length) && isInt(v.count) && isScores(v, json);

/**
 * Seq2seq: token and sequence accuracy on the held-out set, fed the truth and fed itself, over all of it and per
 * source length (null for other tasks, and when a report skipped the score). A claim reads their token gap, the
 * exposure bias (`exposureBias`), and the free-running sequence accuracy on the shortest and longest quarter of
 * the source lengths (`shortAccuracy`, `longAccuracy`): the bottleneck, as a number.
 */
export const seq2seq = measure<'seq2seq', Seq2seqScores | null>({
  field: 'seq2seq',
  source: { kind: 'heldOut' },
  isValue: (v, json) => v === null || (isRecord(v) && isScores(v, json) && Array.isArray(v.byLength)
    && v.byLength.length <= 1000 && v.byLength.every((e) => isLengthScores(e, json))),
  size: (v) => (v ? 4 + 6 * v.byLength.length : 0),
  history: 4000,
  claims: {
    exposureBias: (s) => single(s.tokenAccuracy.teacherForced - s.tokenAccuracy.free),
    shortAccuracy: (s) => { const x = quarterAccuracy(s.byLength, 'short'); return x === undefined ? undefined : single(x); },
    longAccuracy: (s) => { const x = quarterAccuracy(s.byLength, 'long'); return x === undefined ? undefined : single(x); },
  },
});
