import { acceptsValue, SPEC_CONTROLS, type ControlValue, type SpecControlKey } from '../../src/core/modelSpec/edit';
import { CELLS, type ModelSpec, type ResolvedSpec } from '../../src/core/modelSpec/types';
import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';
import { setTip } from '../charts/tooltip';

/** A control's change: the key, the value to write, and which model it is for (0: `model`, i: `compare[i-1]`). */
export type SpecEdit = (key: SpecControlKey, value: ControlValue, variant: number) => void;

type Field = HTMLInputElement | HTMLSelectElement;

interface Row {
  readonly element: HTMLLabelElement;
  readonly caption: Text;
  readonly fields: readonly Field[];
  readonly label: StringKey;
  /** Whether this spec and model have the key at all. */
  shows(spec: ResolvedSpec, model: ModelSpec): boolean;
  /** Writes the spec's value into the fields (never while the user is typing in one). */
  show(spec: ResolvedSpec, model: ModelSpec): void;
}

function input(key: SpecControlKey, attrs: Readonly<Record<string, string>>): HTMLInputElement {
  const el = document.createElement('input');
  el.dataset.specKey = key;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  return el;
}

function numberInput(key: SpecControlKey, step: string): HTMLInputElement {
  const kind = SPEC_CONTROLS[key];
  const attrs: Record<string, string> = { type: 'number', step };
  if ('min' in kind) {
    attrs.min = String(kind.min);
    attrs.max = String(kind.max);
  }
  return input(key, attrs);
}

/** Sets a field's value unless the user is in the middle of typing into it. */
function showValue(field: Field, value: string): void {
  if (document.activeElement !== field && field.value !== value) field.value = value;
}

/**
 * The spec's main knobs, above the training controls: cell, hidden size, layers, forget bias, teacher
 * forcing, learning rate, clipping and task length. Every field carries `data-spec-key`; a change is handed
 * to `onEdit` (which writes it into the file), and the page then follows the file like after any edit.
 * With a compared model selected, model keys edit that model's `compare` entry.
 */
export class SpecControls {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly rows: Row[] = [];
  private variant = 0;
  private lastSpec: ResolvedSpec | null = null;

  constructor(parent: HTMLElement, private texts: Texts, private readonly onEdit: SpecEdit) {
    this.element = document.createElement('section');
    this.element.className = 'spec-controls';
    this.element.dataset.view = 'spec';
    this.heading = document.createElement('h2');
    this.heading.className = 'spec-heading';
    this.element.appendChild(this.heading);
    parent.appendChild(this.element);

    const cell = document.createElement('select');
    cell.dataset.specKey = 'model.cell';
    cell.append(...CELLS.map((c) => Object.assign(document.createElement('option'), { value: c, textContent: c.toUpperCase() })));
    this.row('spec.cell', 'spec.cell.tip', [cell], () => true, (_, m) => showValue(cell, m.cell));

    const hidden = numberInput('model.hiddenSize', '1');
    this.row('spec.hiddenSize', 'spec.hiddenSize.tip', [hidden], () => true, (_, m) => showValue(hidden, String(m.hiddenSize)));
    const layers = numberInput('model.layers', '1');
    this.row('spec.layers', 'spec.layers.tip', [layers], () => true, (_, m) => showValue(layers, String(m.layers)));
    const bias = numberInput('model.init.forgetBias', '0.5');
    this.row('spec.forgetBias', 'spec.forgetBias.tip', [bias], (_, m) => m.cell === 'lstm', (_, m) => showValue(bias, String(m.init.forgetBias)));
    const forcing = input('model.seq2seq.teacherForcing', { type: 'range', min: '0', max: '1', step: '0.05' });
    const forcingValue = document.createElement('output');
    this.row('spec.teacherForcing', 'spec.teacherForcing.tip', [forcing], (_, m) => m.seq2seq !== null, (_, m) => {
      showValue(forcing, String(m.seq2seq?.teacherForcing ?? 1));
      forcingValue.textContent = forcing.value;
    }).element.appendChild(forcingValue);
    forcing.addEventListener('input', () => { forcingValue.textContent = forcing.value; });

    const rate = numberInput('training.learningRate', 'any');
    this.row('spec.learningRate', 'spec.learningRate.tip', [rate], () => true, (s) => showValue(rate, String(s.training.learningRate)));
    const clipOn = input('training.clipNorm', { type: 'checkbox' });
    const clip = numberInput('training.clipNorm', 'any');
    this.row('spec.clip', 'spec.clip.tip', [clipOn, clip], () => true, (s) => {
      clipOn.checked = s.training.clipNorm !== null;
      clip.disabled = s.training.clipNorm === null;
      showValue(clip, String(s.training.clipNorm ?? (Number(clip.value) > 0 ? clip.value : 1)));
    });

    const length = numberInput('task.length', '1');
    this.row('spec.length', 'spec.length.tip', [length], (s) => s.task.minLength === s.task.maxLength, (s) => showValue(length, String(s.task.maxLength)));
    const shortest = numberInput('task.length.0', '1');
    const longest = numberInput('task.length.1', '1');
    this.row('spec.length', 'spec.length.tip', [shortest, longest], (s) => s.task.minLength !== s.task.maxLength, (s) => {
      showValue(shortest, String(s.task.minLength));
      showValue(longest, String(s.task.maxLength));
    });
    this.setTexts(texts);
  }

  private row(label: StringKey, tip: StringKey, fields: Field[], shows: Row['shows'], show: Row['show']): Row {
    const element = document.createElement('label');
    element.className = 'spec-field';
    const caption = document.createTextNode('');
    const name = document.createElement('span');
    name.className = 'spec-name';
    name.appendChild(caption);
    setTip(name, tip, [], false);
    element.append(name, ...fields);
    for (const field of fields) field.addEventListener('change', () => this.changed(field));
    this.element.appendChild(element);
    const row: Row = { element, caption, fields, label, shows, show };
    this.rows.push(row);
    return row;
  }

  /** A field's new value, if it is one the key accepts; an invalid entry is marked and not written. */
  private changed(field: Field): void {
    const key = field.dataset.specKey as SpecControlKey;
    let value: ControlValue;
    if (field instanceof HTMLInputElement && field.type === 'checkbox') {
      const threshold = this.element.querySelector<HTMLInputElement>('input[type="number"][data-spec-key="training.clipNorm"]');
      value = field.checked ? (Number(threshold?.value) > 0 ? Number(threshold?.value) : 1) : null;
    } else if (SPEC_CONTROLS[key].type === 'enum') {
      value = field.value;
    } else {
      value = field.value.trim() === '' ? NaN : Number(field.value);
    }
    const ok = acceptsValue(key, value);
    field.setAttribute('aria-invalid', String(!ok));
    if (ok) this.onEdit(key, value, key.startsWith('model.') ? this.variant : 0);
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.heading.textContent = texts.t('spec.label');
    setTip(this.heading, 'spec.tip', [], false);
    this.element.setAttribute('aria-label', texts.t('spec.label'));
    for (const row of this.rows) {
      row.caption.textContent = texts.t(row.label);
      row.fields.forEach((f, i) => {
        const key = row.fields.length > 1 && f.dataset.specKey?.startsWith('task.length.') ? (i === 0 ? 'spec.lengthMin' : 'spec.lengthMax') : row.label;
        f.setAttribute('aria-label', texts.t(key));
      });
    }
    if (this.lastSpec) this.update(this.lastSpec, this.variant);
  }

  /** Shows the spec's values for model `variant` (the header's selected model). */
  update(spec: ResolvedSpec, variant: number): void {
    this.lastSpec = spec;
    this.variant = Math.min(variant, spec.variants.length - 1);
    const model = spec.variants[this.variant].model;
    this.heading.textContent = spec.variants.length > 1
      ? `${this.texts.t('spec.label')} · ${this.texts.t('spec.model', spec.variants[this.variant].label)}`
      : this.texts.t('spec.label');
    for (const row of this.rows) {
      row.element.hidden = !row.shows(spec, model);
      if (!row.element.hidden) row.show(spec, model);
      for (const f of row.fields) f.removeAttribute('aria-invalid');
    }
  }
}
