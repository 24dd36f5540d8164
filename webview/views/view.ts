import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { StringKey } from '../../src/shared/strings';
import type { UiState } from '../../src/shared/uiState';
import type { Store } from '../store';
import type { Texts } from '../texts';
import type { TrainingSlice, TrainingState } from '../run/training';
import type { VariantRun } from '../run/history';
import type { SweepState } from '../run/sweep';
import { ViewSection } from './section';

/**
 * The contract of a view of the preview. A view is a section of the page that draws from plain data and
 * says which inputs it reads; the scheduler (webview/scheduler.ts) redraws it only after one of them changed,
 * and only while it is on screen. To add a view: write a class implementing `View` (usually by extending
 * `SectionView`), export its `ViewDefinition` (which also says where it goes on each kind of page), and add it
 * to `VIEWS` in ./registry.ts.
 */

/** What a drawing can depend on: the spec, the language, a field of the UI store, a slice of the training, a sweep. */
export type Input = 'spec' | 'texts' | keyof UiState | TrainingSlice | 'sweep';

/** Everything a view draws from. */
export interface ViewInputs {
  readonly spec: ResolvedSpec;
  readonly training: TrainingState;
  readonly ui: UiState;
  readonly texts: Texts;
  /** A sweep's runs so far, for a spec with a `sweep`; null otherwise. */
  readonly sweep: SweepState | null;
}

/**
 * What a drawing returns: nothing when it is done, or the rest of it, as an iterator whose every step is one
 * part (a generator `render` yields between parts). The scheduler runs the parts in as many tasks as its frame
 * budget needs, so that a view made of several charts never blocks the page for all of them at once.
 */
export type Drawing = Iterator<unknown> | undefined;

export interface View {
  /** The view's section, with its `data-view` hook. The board places it on the page. */
  readonly element: HTMLElement;
  /** What `draw` reads. A change to anything else never redraws this view. */
  readonly inputs: readonly Input[];
  draw(inputs: ViewInputs): Drawing;
  /** Opens or closes the view (closed, only its title shows, and it is not drawn). */
  setOpen(open: boolean): void;
  /** The button that opens and closes it (`data-toggle="<id>"`). */
  readonly toggle: HTMLElement;
  /** Writes its title in the page's language, drawn or not (a closed view still shows its title). */
  applyTexts(texts: Texts): void;
}

/** What a view is given when it is built: the UI store, to read and change the learner's choices. */
export interface ViewEnv {
  readonly store: Store<UiState>;
  /** Focuses time step `t` in every view, or clears the focus when `t` already has it. */
  focus(t: number): void;
}

/** The kinds of page a spec gets, each with a first screen of its own (./placement.ts). */
export type PageKind = 'seq2seq' | 'comparison' | 'gated' | 'rnn';

/** What decides where the views of a spec go. */
export interface PageFacts {
  readonly kind: PageKind;
  /** The spec clips the gradient. */
  readonly clips: boolean;
  /** Some model has gates (LSTM or GRU). */
  readonly gated: boolean;
}

/** Where a view goes on a page: its rank among the views (lower first), and whether it starts open. */
export interface Place {
  readonly rank: number;
  readonly open: boolean;
}

export interface ViewDefinition {
  /** The `data-view` name: a contract with tests and with layouts. */
  readonly id: string;
  /** Whether this spec shows the view at all (absent: always). */
  readonly shows?: (spec: ResolvedSpec) => boolean;
  /** A view of a sweep's page, which shows only those (absent: a view of a single run, which a sweep's page leaves out). */
  readonly sweep?: true;
  /** Where it goes on each kind of page, and whether it opens there before the learner changes anything. */
  place(page: PageFacts): Place;
  create(env: ViewEnv): View;
}

/**
 * The skeleton every view shares: a section with a title that explains itself, redrawn with the latest
 * inputs, whose static text is rewritten only when the language changes. `last` keeps the inputs of the
 * last drawing for hover readings between drawings.
 */
export abstract class SectionView implements View {
  abstract readonly inputs: readonly Input[];
  readonly section: ViewSection;
  protected last: ViewInputs | null = null;

  constructor(id: string, titleKey: StringKey, tipKey?: StringKey) {
    this.section = new ViewSection(id, titleKey, tipKey);
  }

  get element(): HTMLElement {
    return this.section.element;
  }

  get toggle(): HTMLElement {
    return this.section.toggle;
  }

  setOpen(open: boolean): void {
    this.section.setOpen(open);
  }

  private textsApplied: Texts | null = null;

  applyTexts(texts: Texts): void {
    if (texts === this.textsApplied) return;
    this.textsApplied = texts;
    this.section.setTexts(texts);
    this.setTexts(texts);
  }

  draw(inputs: ViewInputs): Drawing {
    this.applyTexts(inputs.texts);
    this.last = inputs;
    return this.render(inputs) ?? undefined;
  }

  /** Text that changes only with the language (labels of controls). */
  protected setTexts(_texts: Texts): void {
    // Most views have none beyond the section's title.
  }

  protected abstract render(inputs: ViewInputs): Drawing | void;

  /**
   * The live reading under a chart: one part per model at the hovered `x`, joined, or nothing when the
   * pointer leaves. `part` returns null for a model with nothing at `x`.
   */
  protected hoverReading(
    el: HTMLElement, x: number | null, part: (v: VariantRun, x: number, texts: Texts) => string | null,
    wrap: (parts: string, x: number, texts: Texts) => string = (parts) => parts,
  ): string {
    const last = this.last;
    if (x === null || !last) {
      el.textContent = '';
      return '';
    }
    const parts = last.training.variants.flatMap((v) => {
      const p = part(v, x, last.texts);
      return p === null ? [] : [p];
    });
    el.textContent = parts.length ? wrap(parts.join(' · '), x, last.texts) : '';
    return el.textContent;
  }
}
