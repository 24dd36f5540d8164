import { isRecord } from '../../guards';
import { GATE_NAMES } from '../cells/types';
import { isNumbers, measure } from './measure';

export interface GateSeries {
  /** Mean activation per time step. */
  readonly mean: readonly number[];
  /** Share of units (over the batch) below 0.1, per time step; |g| for the tanh candidate. */
  readonly low: readonly number[];
  /** Share above 0.9, per time step. */
  readonly high: readonly number[];
}

const STATS = ['mean', 'low', 'high'] as const;

/**
 * The top layer's gates over time, by name (input, forget, output, candidate / update, reset, candidate;
 * none for a vanilla RNN): per time step the mean activation and the shares near 0 and 1, over the batch's
 * real steps. One pass of the gate statistics (StepTools.gateStats) gives these, the sample and Π f.
 */
export const gates = measure({
  field: 'gates',
  source: {
    kind: 'step',
    add: ({ tools }) => { tools.gateStats(); },
    read({ model }, values): Readonly<Record<string, GateSeries>> {
      const out: Record<string, GateSeries> = {};
      for (const name of GATE_NAMES[model.cell]) {
        out[name] = { mean: values.get(`gate/${name}/mean`), low: values.get(`gate/${name}/low`), high: values.get(`gate/${name}/high`) };
      }
      return out;
    },
  },
  isValue: (v, json) => isRecord(v) && Object.keys(v).length <= 8
    && Object.values(v).every((g) => isRecord(g) && STATS.every((s) => isNumbers(g[s], json))),
  size: (v) => Object.values(v).reduce((n, g) => n + g.mean.length * 3, 0),
});
