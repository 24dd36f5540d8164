import { isNumArray, isRecord } from '../../guards';
import type { Seq2seqDecodes } from '../seq2seqScore';
import { measure } from './measure';

const isTokenLists = (v: unknown) => Array.isArray(v) && v.every(isNumArray);

/**
 * Seq2seq: every held-out sequence's decodes, fed the truth and running free, for the seq2seq view's example.
 * Only the latest is kept, and the JSON lines leave them out.
 */
export const decodes = measure<'decodes', Seq2seqDecodes | null>({
  field: 'decodes',
  source: { kind: 'heldOut' },
  isValue: (v) => v === null || (isRecord(v) && isTokenLists(v.free) && isTokenLists(v.teacherForced)),
  size: (v) => (v ? [...v.free, ...v.teacherForced].reduce((n, row) => n + row.length, 0) : 0),
  inLines: false,
});
