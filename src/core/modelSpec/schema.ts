import { own } from '../own';
import { SPEC_DOCS } from './docs';
import {
  ACTIVATIONS, ATTENTIONS, CELLS, CLAIM_MEASURES, DEFAULTS, LIMITS, OPTIMIZERS, RECURRENT_INITS, SWEEP_KEYS, TASK_NAMES,
} from './types';

/**
 * The one JSON Schema of a spec. The build writes it out once per language for VS Code's JSON support
 * (completion, hover, squiggles), and `validate.ts` runs the English copy through Ajv for the same rules.
 */
type Schema = { [key: string]: unknown };

/** Turns an English text into the display language: a lookup in an l10n bundle, or nothing for English. */
export type Translate = (english: string) => string;
const english: Translate = (text) => text;

/** A translator from a `vscode.l10n`-style bundle (English text -> translation), English where it has none. */
export function bundleTranslator(bundle: Readonly<Record<string, string>>): Translate {
  return (text) => (Object.prototype.hasOwnProperty.call(bundle, text) ? bundle[text] : text);
}

function doc(path: string, lang: Translate): { markdownDescription: string; description: string } {
  const entry = SPEC_DOCS[path];
  if (!entry) throw new Error(`no documentation for ${path}`);
  // `description` is the plain-text fallback for tools that do not render Markdown.
  const text = lang(entry);
  return { markdownDescription: text, description: text.replace(/[`*]/g, '') };
}

function modelProperties(lang: Translate): Schema {
  const d = (key: string) => doc(`model.${key}`, lang);
  return {
    cell: { ...d('cell'), enum: [...CELLS] },
    hiddenSize: {
      ...d('hiddenSize'), type: 'integer', minimum: LIMITS.hiddenSize[0], maximum: LIMITS.hiddenSize[1],
      default: DEFAULTS.hiddenSize,
    },
    layers: {
      ...d('layers'), type: 'integer', minimum: LIMITS.layers[0], maximum: LIMITS.layers[1], default: DEFAULTS.layers,
    },
    activation: { ...d('activation'), enum: [...ACTIVATIONS], default: DEFAULTS.activation },
    init: {
      ...d('init'),
      type: 'object',
      additionalProperties: false,
      properties: {
        recurrent: { ...d('init.recurrent'), enum: [...RECURRENT_INITS], default: DEFAULTS.recurrentInit },
        recurrentScale: {
          ...d('init.recurrentScale'), type: 'number', exclusiveMinimum: 0, maximum: 100,
          default: DEFAULTS.recurrentScale,
        },
        forgetBias: { ...d('init.forgetBias'), type: 'number', minimum: -100, maximum: 100, default: DEFAULTS.forgetBias },
      },
    },
    seq2seq: {
      ...d('seq2seq'),
      type: 'object',
      additionalProperties: false,
      properties: {
        teacherForcing: {
          ...d('seq2seq.teacherForcing'), type: 'number', minimum: 0, maximum: 1, default: DEFAULTS.teacherForcing,
        },
        attention: { ...d('seq2seq.attention'), enum: [...ATTENTIONS], default: DEFAULTS.attention },
      },
      defaultSnippets: [{ label: 'teacher forcing', body: { teacherForcing: 1 } }],
    },
    freezeRecurrent: { ...d('freezeRecurrent'), type: 'boolean', default: DEFAULTS.freezeRecurrent },
  };
}

/** A claim: up to four parts, each a measure of one model compared with a number by or through a step. */
function claimSchema(lang: Translate): Schema {
  const d = (key: string) => doc(`claim[].${key}`, lang);
  const step = (key: string) => ({ ...d(key), type: 'integer', minimum: 1, maximum: LIMITS.steps[1] });
  return {
    ...doc('claim', lang),
    type: 'array',
    maxItems: LIMITS.claimParts,
    items: {
      ...doc('claim[]', lang),
      type: 'object',
      additionalProperties: false,
      required: ['measure'],
      properties: {
        model: { ...d('model'), enum: [...Array.from({ length: LIMITS.compare + 1 }, (_, i) => i), 'unclipped'], default: 0 },
        measure: { ...d('measure'), enum: [...CLAIM_MEASURES] },
        below: { ...d('below'), type: 'number' },
        above: { ...d('above'), type: 'number' },
        equals: { ...d('equals'), type: 'number' },
        within: { ...d('within'), type: 'number', exclusiveMinimum: 0 },
        by: step('by'),
        through: step('through'),
      },
    },
  };
}

/** A sweep: one key, its values (the rules check each against the key's own schema), and a solved rule. */
function sweepSchema(lang: Translate): Schema {
  const d = (key: string) => doc(`sweep.${key}`, lang);
  return {
    ...doc('sweep', lang),
    type: 'object',
    additionalProperties: false,
    required: ['key', 'values'],
    properties: {
      key: { ...d('key'), enum: [...SWEEP_KEYS] },
      values: { ...d('values'), type: 'array', maxItems: LIMITS.sweepValues, items: { type: ['number', 'string', 'null'] } },
      solved: {
        ...d('solved'),
        type: 'object',
        additionalProperties: false,
        properties: { below: { ...d('solved.below'), type: 'number' }, above: { ...d('solved.above'), type: 'number' } },
      },
    },
    defaultSnippets: [{ label: lang('memory horizon'), body: { key: 'task.length', values: [5, 10, 20, 40, 80, 160] } }],
  };
}

export function buildSchema(lang: Translate = english): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://rnn-lens.local/rnn.schema.json',
    title: 'RNN Lens spec',
    ...doc('root', lang),
    type: 'object',
    additionalProperties: false,
    // VS Code's JSON support reads these two: *.rnn.json is JSON with comments and trailing commas.
    allowComments: true,
    allowTrailingCommas: true,
    required: ['model', 'task'],
    properties: {
      $schema: { ...doc('$schema', lang), type: 'string' },
      description: { ...doc('description', lang), type: 'string', maxLength: 500 },
      model: {
        ...doc('model', lang),
        type: 'object',
        additionalProperties: false,
        required: ['cell'],
        properties: modelProperties(lang),
      },
      task: {
        ...doc('task', lang),
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { ...doc('task.name', lang), enum: [...TASK_NAMES] },
          length: {
            ...doc('task.length', lang),
            anyOf: [
              { type: 'integer', minimum: LIMITS.length[0], maximum: LIMITS.length[1] },
              {
                type: 'array',
                minItems: 2,
                maxItems: 2,
                items: { type: 'integer', minimum: LIMITS.length[0], maximum: LIMITS.length[1] },
              },
            ],
          },
        },
      },
      training: {
        ...doc('training', lang),
        type: 'object',
        additionalProperties: false,
        properties: {
          optimizer: { ...doc('training.optimizer', lang), enum: [...OPTIMIZERS], default: DEFAULTS.optimizer },
          learningRate: {
            ...doc('training.learningRate', lang), type: 'number', exclusiveMinimum: 0, maximum: 10,
            default: DEFAULTS.learningRate,
          },
          batchSize: {
            ...doc('training.batchSize', lang), type: 'integer', minimum: LIMITS.batchSize[0],
            maximum: LIMITS.batchSize[1], default: DEFAULTS.batchSize,
          },
          steps: {
            ...doc('training.steps', lang), type: 'integer', minimum: LIMITS.steps[0], maximum: LIMITS.steps[1],
            default: DEFAULTS.steps,
          },
          clipNorm: { ...doc('training.clipNorm', lang), type: ['number', 'null'], exclusiveMinimum: 0 },
          seed: { ...doc('training.seed', lang), type: 'integer', minimum: 0, maximum: 4294967295, default: DEFAULTS.seed },
        },
      },
      compare: {
        ...doc('compare', lang),
        type: 'array',
        maxItems: LIMITS.compare,
        items: {
          ...doc('compare[]', lang),
          type: 'object',
          additionalProperties: false,
          properties: modelProperties(lang),
        },
      },
      claim: claimSchema(lang),
      sweep: sweepSchema(lang),
    },
  };
}

let englishSchema: Schema | undefined;

/** The English schema, built once: what checking validates against. */
export function specSchema(): Schema {
  englishSchema ??= buildSchema();
  return englishSchema;
}

/** Keys allowed at each object level, for "did you mean" hints. Paths use `[]` for array items. */
export function knownKeys(schema: Schema, path: readonly (string | number)[]): string[] {
  let node: Schema | undefined = schema;
  for (const part of path) {
    if (!node) return [];
    if (typeof part === 'number') node = node.items as Schema | undefined;
    else node = node.properties ? own(node.properties as Record<string, Schema>, part) : undefined;
  }
  return node?.properties ? Object.keys(node.properties as object) : [];
}
