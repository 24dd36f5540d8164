import { layoutUnrolled } from '../../src/core/diagram/unrolledLayout';
import { renderArchitecture } from '../charts/architecture';
import { shownVariant } from '../run/selectors';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

/** The network unrolled over time, for the chosen model; click a time step to focus it everywhere. */
export class ArchitectureView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'variant', 'focus'];
  private readonly svg: SVGSVGElement;

  constructor(private readonly onFocus: (t: number) => void) {
    super('architecture', 'view.architecture');
    this.svg = this.section.svg();
  }

  protected render({ spec, ui, texts }: ViewInputs): void {
    const model = spec.variants[shownVariant(spec, ui.variant)].model;
    renderArchitecture(this.svg, layoutUnrolled(model, spec.task), texts, ui.focus, this.onFocus);
  }
}

/** The unrolled network: open for seq2seq, where it is the lesson, and for a vanilla RNN, which has no cell to draw. */
export const architectureDefinition: ViewDefinition = {
  id: 'architecture',
  place: ({ kind }) => ({ rank: { seq2seq: 0, comparison: 5, gated: 4, rnn: 4 }[kind], open: kind === 'seq2seq' || kind === 'rnn' }),
  create: (env) => new ArchitectureView((t) => env.focus(t)),
};
