import { gatesOf } from '../src/core/diagram/cellLayout';
import { layoutUnrolled } from '../src/core/diagram/unrolledLayout';
import type { ResolvedSpec } from '../src/core/spec/types';
import { assertNever } from '../src/shared/guards';
import { isToWebview, type ProblemInfo, type SpecState } from '../src/shared/protocol';
import { Texts } from './texts';
import type { HostChannel } from './vscodeApi';
import { renderArchitecture } from './views/architecture';
import { renderBanner } from './views/banner';
import { Tooltip } from './views/tooltip';
import { TrainingPanel, type TrainingViewState } from './trainingPanel';

const SVG = 'http://www.w3.org/2000/svg';

type ViewState = TrainingViewState;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  parent.appendChild(el);
  return el;
}

/** The preview page: receives spec states from the host and keeps every view in step with the last good spec. */
export class PreviewApp {
  private texts = new Texts();
  private readonly tooltip: Tooltip;
  private spec: ResolvedSpec | null = null;
  private problems: readonly ProblemInfo[] = [];
  private uri = '';
  private view: ViewState = { variant: 0, speed: 'normal', sample: 0, focus: null, zoom: 'all' };
  private training: TrainingPanel | null = null;
  private readonly controlsRoot: HTMLElement;
  private readonly viewsRoot: HTMLElement;
  private readonly header: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly description: HTMLParagraphElement;
  private readonly summary: HTMLParagraphElement;
  private readonly variants: HTMLDivElement;
  private readonly banner: HTMLDivElement;
  private readonly empty: HTMLParagraphElement;
  private readonly architecture: HTMLElement;
  private readonly architectureTitle: HTMLHeadingElement;
  private readonly architectureSvg: SVGSVGElement;

  constructor(root: HTMLElement, private readonly host: HostChannel, private readonly files: Readonly<Record<string, string>>) {
    this.restoreView(host.getState());
    this.header = element('header', 'header', root);
    this.title = element('h1', 'title', this.header);
    this.description = element('p', 'description', this.header);
    this.summary = element('p', 'summary', this.header);
    this.variants = element('div', 'variants', this.header);
    this.variants.setAttribute('role', 'tablist');
    this.banner = element('div', 'banner', root);
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.empty = element('p', 'empty', root);
    this.controlsRoot = element('div', 'training-controls', root);
    this.architecture = element('section', 'view view-architecture', root);
    this.architecture.dataset.view = 'architecture';
    this.architectureTitle = element('h2', 'view-title', this.architecture);
    this.architectureSvg = this.architecture.appendChild(document.createElementNS(SVG, 'svg'));
    this.viewsRoot = element('div', 'training-views', root);
    this.tooltip = new Tooltip(root, this.texts);
    this.render();
  }

  receive(raw: unknown): void {
    if (!isToWebview(raw)) {
      this.host.post({ type: 'log', level: 'warn', text: 'ignored a malformed message from the host' });
      return;
    }
    switch (raw.type) {
      case 'init':
        this.texts = new Texts(raw.strings, raw.locale);
        document.documentElement.lang = raw.locale;
        this.tooltip.setTexts(this.texts);
        if (this.training) {
          this.training.setTexts(this.texts);
          this.training.setSettings(raw.settings);
        } else {
          this.training = new TrainingPanel(this.controlsRoot, this.viewsRoot, this.files, this.texts, raw.settings, this.view,
            () => this.persist(), () => this.render());
        }
        this.apply(raw);
        return;
      case 'update':
        this.apply(raw);
        return;
      default:
        assertNever(raw);
    }
  }

  private apply(state: SpecState): void {
    this.uri = state.document.uri;
    this.title.textContent = state.document.fileName;
    this.problems = state.problems;
    // Keep the last good spec while the text is invalid, so the learner never loses the picture mid-edit.
    if (state.spec) {
      this.spec = state.spec;
      this.training?.setSpec(state.spec);
    }
    this.persist();
    this.render();
  }

  private restoreView(saved: unknown): void {
    const view = (saved as { view?: Partial<Record<keyof ViewState, unknown>> } | undefined)?.view;
    if (!view) return;
    if (typeof view.variant === 'number') this.view.variant = view.variant;
    if (view.speed === 'slow' || view.speed === 'normal' || view.speed === 'fast') this.view.speed = view.speed;
    if (typeof view.sample === 'number') this.view.sample = view.sample;
    if (typeof view.focus === 'number' || view.focus === null) this.view.focus = view.focus;
    if (view.zoom === 'all' || view.zoom === '1000' || view.zoom === '100') this.view.zoom = view.zoom;
  }

  /** Diagnostics: see TrainingPanel.loseContext. */
  loseContext(): void {
    this.training?.loseContext();
  }

  private persist(): void {
    this.host.setState({ uri: this.uri, view: { ...this.view } });
  }

  private render(): void {
    const spec = this.spec;
    renderBanner(this.banner, this.problems, spec !== null, this.texts, (offset) => this.host.post({ type: 'reveal', offset }));
    document.body.dataset.specState = this.problems.length ? 'invalid' : spec ? 'valid' : 'empty';
    this.empty.hidden = spec !== null || this.problems.length > 0;
    this.empty.textContent = this.texts.t('empty.title');
    this.architecture.hidden = !spec;
    this.viewsRoot.hidden = !spec;
    if (!spec) return;

    const variantIndex = Math.min(this.view.variant, spec.variants.length - 1);
    const model = spec.variants[variantIndex].model;
    this.description.textContent = spec.description ?? '';
    this.description.hidden = !spec.description;
    const length = spec.task.minLength === spec.task.maxLength ? String(spec.task.maxLength) : `${spec.task.minLength}–${spec.task.maxLength}`;
    this.summary.textContent = this.texts.t('arch.summary', model.cell.toUpperCase(), model.hiddenSize, model.layers, spec.task.name, length);
    this.renderVariants(spec, variantIndex);

    this.architectureTitle.textContent = this.texts.t('view.architecture');
    renderArchitecture(this.architectureSvg, layoutUnrolled(model, spec.task), this.texts, this.view.focus, (t) => this.training?.setFocus(t));
    this.tooltip.refresh();
    this.host.post({ type: 'rendered', cell: model.cell, variants: spec.variants.length, gates: gatesOf(model.cell) });
  }

  private renderVariants(spec: ResolvedSpec, selected: number): void {
    this.variants.hidden = spec.variants.length < 2;
    this.variants.replaceChildren();
    spec.variants.forEach((variant, i) => {
      const tab = element('button', 'variant', this.variants);
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', String(i === selected));
      tab.dataset.variant = String(i);
      tab.textContent = variant.label;
      tab.addEventListener('click', () => {
        this.view.variant = i;
        this.persist();
        this.training?.setVariant(i);
        this.render();
      });
    });
  }
}
