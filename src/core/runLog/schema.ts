import { METRIC_NAMES } from '../tasks/catalog';
import {
  ACTIVATIONS, CELLS, CLAIM_MEASURES, OPTIMIZERS, RECURRENT_INITS, SWEEP_KEYS, TASK_NAMES,
} from '../modelSpec/types';
import { RUN_LOG_FORMAT } from './format';

/**
 * The JSON Schema of one line of a run log, format 1: the header, a step or the summary. The build writes it
 * to dist/schema/run-log.schema.json beside the spec's schema; docs/run-log.md explains the fields. A step may
 * carry fields this schema does not list (a measure added later): readers skip what they do not know.
 */
type Schema = { readonly [key: string]: unknown };

const num: Schema = { type: ['number', 'null'], description: 'null where the value was not a finite number (NaN, ±Infinity)' };
const nums: Schema = { type: 'array', items: num };
const nullable = (schema: Schema): Schema => ({ anyOf: [{ type: 'null' }, schema] });
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', required, properties });
const int = (minimum = 0): Schema => ({ type: 'integer', minimum });
const pair = object({ teacherForced: num, free: num });

const model = object({
  cell: { enum: [...CELLS] },
  hiddenSize: int(1),
  layers: int(1),
  activation: { enum: [...ACTIVATIONS] },
  init: object({ recurrent: { enum: [...RECURRENT_INITS] }, recurrentScale: { type: 'number' }, forgetBias: { type: 'number' } }),
  seq2seq: nullable(object({ teacherForcing: { type: 'number', minimum: 0, maximum: 1 } })),
  freezeRecurrent: { type: 'boolean' },
});

const claimPart = object({
  model: { anyOf: [int(0), { const: 'unclipped' }] },
  measure: { enum: [...CLAIM_MEASURES] },
  test: nullable(object({
    kind: { enum: ['below', 'above', 'equals'] }, value: { type: 'number' }, within: { type: 'number', minimum: 0 },
  }, ['kind', 'value'])),
  when: object({ kind: { enum: ['by', 'through'] }, step: int(0) }),
});

const spec: Schema = {
  ...object({
    description: { type: ['string', 'null'] },
    model,
    task: object({ name: { enum: [...TASK_NAMES] }, minLength: int(1), maxLength: int(1) }),
    training: object({
      optimizer: { enum: [...OPTIMIZERS] }, learningRate: { type: 'number', exclusiveMinimum: 0 }, batchSize: int(1), steps: int(1),
      clipNorm: { type: ['number', 'null'], exclusiveMinimum: 0 }, seed: int(0),
    }),
    variants: { type: 'array', minItems: 1, items: object({ label: { type: 'string', minLength: 1 }, model }) },
    claim: { type: 'array', items: claimPart },
    sweep: nullable(object({
      key: { enum: [...SWEEP_KEYS] },
      values: { type: 'array', minItems: 1, items: { type: ['number', 'string', 'null'] } },
      solved: nullable(object({ kind: { enum: ['below', 'above'] }, value: { type: 'number' } })),
    })),
  }, ['description', 'model', 'task', 'training', 'variants', 'claim']),
  description: 'The spec as trained, every default filled in: the base model, then each "compare" entry merged over it (variants).',
};

const header = object({
  type: { const: 'run' },
  format: { const: RUN_LOG_FORMAT, description: 'The version of this format; a reader refuses a format it does not know.' },
  spec,
  backend: { type: 'string', description: 'wasm or cpu (rnn-lens train), webgl, wasm or cpu (the preview), pytorch' },
  device: { type: 'string', description: 'cpu, gpu (WebGL) or cuda' },
  worldSize: { ...int(1), description: 'processes that shared each batch (PyTorch ranks)' },
  startedAt: { type: 'string', description: 'when training started, ISO 8601 in UTC' },
  producer: { type: 'string', description: 'the program that wrote the log: rnn-lens train, rnn-lens preview, pytorch, rnn-lens sweep' },
  source: { type: 'string', description: 'the spec file the run came from' },
}, ['type', 'format', 'spec', 'backend', 'device', 'worldSize', 'startedAt']);

const diverged = nullable(object({ step: int(0), reason: { type: 'string' } }));
const metric = nullable(object({ name: { enum: [...METRIC_NAMES] }, value: num }));
const gateStats = object({ mean: nums, low: nums, high: nums });

const step: Schema = {
  ...object({
    type: { const: 'step' },
    variant: { ...int(0), description: 'the model: 0 is spec.variants[0]' },
    label: { type: 'string' },
    step: int(0),
    loss: num,
    gradNorm: { ...num, description: 'the global gradient norm before clipping' },
    clippedNorm: num,
    clipped: { type: 'boolean' },
    hiddenGradNorms: { ...nums, description: '||dL/dh_t|| of the top layer, per time step' },
    layerGradNorms: { type: 'array', items: nums, description: '||dL/dh_t|| per layer, bottom first' },
    inputGradNorms: { ...nums, description: '||dL/dx_t|| per input step' },
    segments: nullable(object({ encoder: int(0), decoder: int(0) })),
    gates: { type: 'object', additionalProperties: gateStats },
    forgetProduct: nullable(nums),
    vanishing: nullable(object({ meanDerivative: nums, sigmaMax: nums })),
    metric,
    seq2seq: nullable(object({ tokenAccuracy: pair, sequenceAccuracy: pair })),
    teacherForcing: nullable(object({
      index: int(0), target: { type: 'array', items: int(0) }, fed: { type: 'array', items: { enum: [0, 1] } }, share: num,
    })),
    sample: nullable(object({ index: int(0), gates: { type: 'object', additionalProperties: { type: 'array', items: nums } } })),
  }, ['type', 'variant', 'label', 'step', 'loss', 'gradNorm', 'clippedNorm', 'clipped']),
  description: 'One report of one model. Every field after "clipped" is optional: a producer may not record it.',
};

const result = object({ label: { type: 'string' }, steps: int(0), loss: num, metric, diverged }, ['steps', 'diverged']);

const summary = object({
  type: { const: 'summary' },
  steps: int(0),
  loss: num,
  stepsPerSecond: { type: 'number' },
  backend: { type: 'string' },
  diverged,
  variants: { type: 'array', items: result, description: 'every model, when the spec compares several' },
}, ['type', 'steps', 'loss', 'stepsPerSecond', 'backend', 'diverged']);

/** The log of `rnn-lens sweep`: after the header (whose spec keeps its "sweep"), one line per run as it ends. */
const sweepValue: Schema = { type: ['number', 'string', 'null'] };
const sweepPoint = object({
  type: { const: 'sweepPoint' },
  variant: { ...int(0), description: 'the model: 0 is spec.variants[0]' },
  label: { type: 'string' },
  values: { type: 'object', additionalProperties: sweepValue, minProperties: 1, maxProperties: 1, description: 'the swept key and its value in this run' },
  steps: int(0),
  metric,
  solved: { type: 'boolean' },
  solvedAtStep: nullable(int(0)),
});

/** Its last line: how far each model reached (the largest value solved with every smaller one), and the claim's verdict. */
const sweepSummary = object({
  type: { const: 'sweepSummary' },
  horizons: { type: 'array', items: object({ variant: int(0), label: { type: 'string' }, solvedUpTo: sweepValue }) },
  claim: { type: 'object', description: 'the claim\'s verdict, for a spec that states one' },
}, ['type', 'horizons']);

export function runLogSchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://rnn-lens.local/run-log-${RUN_LOG_FORMAT}.schema.json`,
    title: `RNN Lens run log, format ${RUN_LOG_FORMAT}: one line`,
    description: 'Each line of a run log is one JSON object: first the header ("type": "run"), then a "step" per report of each model, '
      + 'then one "summary"; a sweep\'s log has a "sweepPoint" per run, then one "sweepSummary".',
    oneOf: [header, step, summary, sweepPoint, sweepSummary],
  };
}
