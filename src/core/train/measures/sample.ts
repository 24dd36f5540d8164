import { isInt, isRecord } from '../../guards';
import { GATE_NAMES } from '../cells/types';
import { isNumbers, measure } from './measure';

/** One sequence of the batch, gate by gate, [t][unit], for the units × time heatmap. */
export interface GateSample {
  readonly index: number;
  readonly gates: Readonly<Record<string, readonly (readonly number[])[]>>;
}

/**
 * One sample's gate activations, [gate][t][unit]; NaN (null in JSON) at the steps where that sequence was
 * padding. Null for a vanilla RNN, which has no gates.
 */
export const sample = measure({
  field: 'sample',
  source: {
    kind: 'step',
    add: ({ tools }) => { tools.gateStats(); },
    read({ model, sampleIndex }, values): GateSample | null {
      const names = GATE_NAMES[model.cell];
      if (!names.length) return null;
      const H = model.hiddenSize;
      const gates: Record<string, number[][]> = {};
      for (const name of names) {
        const flat = values.get(`sample/${name}`);
        gates[name] = Array.from({ length: flat.length / H }, (_, t) => flat.slice(t * H, (t + 1) * H));
      }
      return { index: sampleIndex, gates };
    },
  },
  isValue: (v, json) => v === null || (isRecord(v) && isInt(v.index) && isRecord(v.gates) && Object.keys(v.gates).length <= 8
    && Object.values(v.gates).every((rows) => Array.isArray(rows) && rows.every((row) => isNumbers(row, json)))),
  size: (v) => (v ? Object.values(v.gates).reduce((n, g) => n + g.reduce((m, row) => m + row.length, 0), 0) : 0),
});
