import type { ResolvedSpec } from '../src/core/spec/types';
import type { PreviewSettings } from '../src/shared/protocol';
import { coded, DIVERGENCE_MESSAGES, type Coded } from '../src/shared/strings';
import type { Texts } from './texts';
import { TrainingClient } from './training';
import { ClippingView } from './views/clippingView';
import { Controls, type Action } from './views/controls';
import { GatesView } from './views/gatesView';
import { GradientFlowView } from './views/gradientFlowView';
import { LossView } from './views/lossView';
import { VanishingView } from './views/vanishingView';
import type { Speed, UiState } from '../src/shared/uiState';

const VIEW_ORDER = ['gates', 'flow', 'vanishing', 'clipping', 'loss'] as const;
type ViewName = (typeof VIEW_ORDER)[number];
/** Drawing time per animation frame; views that do not fit wait for the next frame. */
const FRAME_BUDGET_MS = 12;
/** While training, a view is redrawn at most this often: charts need not move at 60 fps. */
const MIN_REDRAW_MS = 150;

function setData(el: HTMLElement, key: string, value: string | null): void {
  if (value === null) delete el.dataset[key];
  else el.dataset[key] = value;
}

/** What of the training UI survives a reload. */
export type TrainingViewState = { -readonly [K in keyof UiState]: UiState[K] };

/**
 * The training half of the preview: controls, notices and the live views, fed by the worker. Redraws at most
 * once per animation frame, and not at all while the panel is hidden.
 */
export class TrainingPanel {
  private readonly client: TrainingClient;
  private readonly controls: Controls;
  private readonly notice: HTMLDivElement;
  private readonly gates: GatesView;
  private readonly flow: GradientFlowView;
  private readonly vanishing: VanishingView;
  private readonly clipping: ClippingView;
  private readonly loss: LossView;
  private spec: ResolvedSpec | null = null;
  private configuredKey = '';
  private frame = 0;
  private dirty = new Set<ViewName>(VIEW_ORDER);
  private readonly visible = new Set<ViewName>(VIEW_ORDER);
  /** How long each view took to draw last time, in ms. */
  private readonly cost = new Map<ViewName, number>();
  private readonly drawnAt = new Map<ViewName, number>();
  private readonly drawnKey = new Map<ViewName, string>();
  private later: ReturnType<typeof setTimeout> | 0 = 0;

  constructor(
    controlsRoot: HTMLElement, viewsRoot: HTMLElement, files: Readonly<Record<string, string>>, private texts: Texts,
    private settings: PreviewSettings, readonly view: TrainingViewState,
    private readonly persist: () => void, private readonly onFocusChange: (t: number | null) => void,
  ) {
    this.client = new TrainingClient(files, () => this.schedule());
    this.controls = new Controls(controlsRoot, texts, (a) => this.act(a), (s) => this.setSpeed(s));
    this.controls.setSpeed(view.speed);
    this.notice = document.createElement('div');
    this.notice.className = 'notice';
    this.notice.setAttribute('role', 'status');
    controlsRoot.appendChild(this.notice);
    const focus = (t: number) => this.setFocus(t);
    this.gates = new GatesView(viewsRoot, texts, (i) => this.setSample(i), focus);
    this.flow = new GradientFlowView(viewsRoot, texts, focus);
    this.vanishing = new VanishingView(viewsRoot, texts, focus);
    this.clipping = new ClippingView(viewsRoot, texts);
    this.loss = new LossView(viewsRoot, texts, view.zoom, (z) => {
      this.view.zoom = z;
      this.persist();
      this.schedule();
    });
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.schedule(); });
    // Views scrolled out of sight are not redrawn until they come back into view.
    const sections: Record<ViewName, Element> = {
      gates: this.gates.element, flow: this.flow.element, vanishing: this.vanishing.element,
      clipping: this.clipping.element, loss: this.loss.element,
    };
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const name = (Object.keys(sections) as ViewName[]).find((k) => sections[k] === entry.target);
        if (!name) continue;
        if (entry.isIntersecting) this.visible.add(name);
        else this.visible.delete(name);
      }
      this.schedule();
    }, { rootMargin: '200px' });
    Object.values(sections).forEach((el) => observer.observe(el));
    document.addEventListener('keydown', (e) => this.key(e));
    this.render();
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    for (const v of [this.controls, this.gates, this.flow, this.vanishing, this.clipping, this.loss]) v.setTexts(texts);
    this.drawnKey.clear();
    this.schedule();
  }

  setSettings(settings: PreviewSettings): void {
    const changed = settings.backend !== this.settings.backend;
    this.settings = settings;
    if (changed && this.spec) this.configure(this.spec, true);
  }

  /** A new valid spec: restart training only if something that training depends on changed. */
  setSpec(spec: ResolvedSpec): void {
    this.spec = spec;
    this.configure(spec, false);
    this.schedule();
  }

  setVariant(index: number): void {
    this.view.variant = index;
    this.schedule();
  }

  /** Click on a time step anywhere: every view marks it; clicking it again clears the focus. */
  setFocus(t: number | null): void {
    this.view.focus = t === this.view.focus ? null : t;
    this.persist();
    this.onFocusChange(this.view.focus);
    this.schedule();
  }

  private setSample(index: number): void {
    this.view.sample = index;
    this.persist();
    this.client.send({ type: 'sample', index });
  }

  private configure(spec: ResolvedSpec, force: boolean): void {
    const key = JSON.stringify({ m: spec.variants, t: spec.task, r: spec.training, b: this.settings.backend });
    if (!force && key === this.configuredKey) return;
    this.configuredKey = key;
    const backend = this.settings.backend === 'auto' ? null : this.settings.backend;
    this.view.sample = Math.min(this.view.sample, spec.training.batchSize - 1);
    void this.client.configure(spec, backend, this.view.sample, this.view.speed).catch((e: unknown) => {
      this.client.state.error = [coded('error.unexpected', e instanceof Error ? e.message : String(e))];
      this.schedule();
    });
  }

  private act(action: Action): void {
    this.client.send({ type: action });
  }

  /** Space plays or pauses, N steps, R resets: when no text field has the focus. */
  private key(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (e.altKey || e.ctrlKey || e.metaKey || target?.closest('input, select, textarea, button')) return;
    const state = this.client.state.runState;
    if (e.key === ' ') this.act(state === 'training' ? 'pause' : 'play');
    else if (e.key === 'n') this.act('step');
    else if (e.key === 'r') this.act('reset');
    else return;
    e.preventDefault();
  }

  private setSpeed(speed: Speed): void {
    this.view.speed = speed;
    this.persist();
    this.client.send({ type: 'speed', speed });
  }

  /** Diagnostics hook used by the tests: drop the WebGL context as a driver reset would. */
  loseContext(): void {
    this.client.send({ type: 'loseContext' });
  }

  private schedule(): void {
    this.dirty = new Set(VIEW_ORDER);
    this.requestFrame();
  }

  private requestFrame(): void {
    if (this.frame || this.later || document.hidden) return;
    this.frame = requestAnimationFrame(() => this.renderFrame());
  }

  /**
   * Draws as many of the dirty views as fit in a slice of the frame and leaves the rest for the next one, so
   * that no single task blocks the page (the views are redrawn round-robin while training).
   */
  private renderFrame(): void {
    this.frame = 0;
    const started = performance.now();
    this.renderChrome();
    let pending = false;
    let wait = Infinity;
    let drawn = 0;
    const training = this.client.state.runState === 'training';
    for (const view of VIEW_ORDER) {
      if (!this.dirty.has(view) || !this.visible.has(view)) continue;
      const since = started - (this.drawnAt.get(view) ?? -Infinity);
      if (training && since < MIN_REDRAW_MS) {
        wait = Math.min(wait, MIN_REDRAW_MS - since);
        continue;
      }
      // Start a view only if its last drawing fits in what is left of the budget (always draw one).
      if (drawn > 0 && performance.now() - started + (this.cost.get(view) ?? 0) > FRAME_BUDGET_MS) {
        pending = true;
        continue;
      }
      this.dirty.delete(view);
      const t0 = performance.now();
      this.renderView(view);
      // Visible in DevTools' performance panel as rnn-lens:<view>.
      performance.measure(`rnn-lens:${view}`, { start: t0 });
      this.cost.set(view, performance.now() - t0);
      this.drawnAt.set(view, t0);
      drawn++;
    }
    if (document.hidden) return;
    if (pending) this.frame = requestAnimationFrame(() => this.renderFrame());
    else if (Number.isFinite(wait)) this.later = setTimeout(() => { this.later = 0; this.requestFrame(); }, wait);
  }

  private render(): void {
    this.renderChrome();
    VIEW_ORDER.forEach((v) => this.renderView(v));
  }

  private renderChrome(): void {
    const state = this.client.state;
    document.body.dataset.runState = state.runState;
    if (state.backend) document.body.dataset.backend = state.backend;
    document.body.dataset.step = String(state.step);
    document.body.dataset.numTensors = String(state.numTensors);
    // The latest readings as data on their views, kept current even while a view is out of sight.
    const first = state.variants[0];
    setData(this.loss.element, 'loss', first?.records.length ? String(first.records[first.records.length - 1].loss) : null);
    setData(this.flow.element, 'norms', first?.latest ? JSON.stringify(first.latest.hiddenGradNorms) : null);
    this.controls.update(state, this.spec !== null);
    this.renderNotice();
  }

  /**
   * What a view's drawing depends on. Many worker messages (memory, state, the unclipped twin) change
   * nothing a given view shows; an unchanged key skips the redraw.
   */
  private viewKey(view: ViewName): string {
    const state = this.client.state;
    const latest = state.variants.map((v) => v.latest?.step ?? 0).join();
    const records = state.variants.map((v) => v.records.length && v.records[v.records.length - 1].step).join();
    const common = `${this.texts.locale}|${this.view.focus}|${this.view.variant}|${this.spec ? this.configuredKey : ''}`;
    switch (view) {
      case 'gates': return `${common}|${latest}|${this.view.sample}|${state.variants[this.view.variant]?.latest?.sample?.index}`;
      case 'flow': case 'vanishing': return `${common}|${latest}`;
      case 'clipping': return `${common}|${records}|${state.shadow?.steps}|${state.shadow?.divergedAt}`;
      case 'loss': return `${common}|${records}|${state.variants.map((v) => v.metrics.length).join()}|${this.view.zoom}`;
    }
  }

  private renderView(view: ViewName): void {
    const spec = this.spec;
    if (!spec) return;
    const key = this.viewKey(view);
    if (this.drawnKey.get(view) === key) return;
    this.drawnKey.set(view, key);
    const state = this.client.state;
    const variant = Math.min(this.view.variant, spec.variants.length - 1);
    const focus = this.view.focus;
    switch (view) {
      case 'gates': this.gates.update(spec.variants[variant].model, spec.training.batchSize, this.view.sample, state.variants[variant]?.latest ?? null, focus); return;
      case 'flow': this.flow.update(spec, state, focus); return;
      case 'vanishing': this.vanishing.update(spec, state, focus); return;
      case 'clipping': this.clipping.update(spec, state); return;
      case 'loss': this.loss.update(spec, state); return;
    }
  }

  private renderNotice(): void {
    const state = this.client.state;
    const lines: string[] = [];
    const say = (notes: readonly Coded[]) => notes.map((n) => this.texts.t(n.code, ...n.args)).join('; ');
    if (state.error) lines.push(this.texts.t('training.error', say(state.error)));
    state.variants.forEach((v) => {
      if (!v.divergence) return;
      const why = this.texts.t(DIVERGENCE_MESSAGES[v.divergence.code], ...v.divergence.args);
      lines.push(this.texts.t('diverged.banner', v.label, v.divergence.step, why));
    });
    if (state.backend && state.backendNotes.length) lines.push(this.texts.t('backend.fallback', state.backend.toUpperCase(), say(state.backendNotes)));
    this.notice.replaceChildren(...lines.map((l) => {
      const p = document.createElement('p');
      p.textContent = l;
      return p;
    }));
    this.notice.hidden = lines.length === 0;
    this.notice.classList.toggle('notice-error', Boolean(state.error) || state.variants.some((v) => v.divergence));
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    if (this.later) clearTimeout(this.later);
    this.client.dispose();
  }
}
