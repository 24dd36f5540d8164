import { layoutUnrolled } from '../../src/core/diagram/unrolledLayout';
import { renderArchitecture } from '../charts/architecture';
import { shownVariant } from '../run/selectors';
import { SectionView, type Input, type ViewInputs } from './view';

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
