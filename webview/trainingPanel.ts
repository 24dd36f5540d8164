import type { ResolvedSpec } from '../src/core/spec/types';
import type { PreviewSettings } from '../src/protocol';
import type { StringKey } from '../src/strings';
import type { Texts } from './texts';
import { TrainingClient } from './training';
import { Controls, type Action } from './views/controls';
import { GradientFlowView } from './views/gradientFlowView';
import { LossView } from './views/lossView';
import type { Speed } from './worker/protocol';

/** What of the training UI survives a reload. */
export interface TrainingViewState {
  speed: Speed;
  sample: number;
}

/**
 * The training half of the preview: controls, notices and the live views, fed by the worker. Redraws at most
 * once per animation frame, so a hidden panel (no frames) costs no drawing.
 */
export class TrainingPanel {
  private readonly client: TrainingClient;
  private readonly controls: Controls;
  private readonly notice: HTMLDivElement;
  private readonly loss: LossView;
  private readonly flow: GradientFlowView;
  private spec: ResolvedSpec | null = null;
  private configuredKey = '';
  private frame = 0;

  constructor(
    parent: HTMLElement, files: Readonly<Record<string, string>>, private texts: Texts,
    private settings: PreviewSettings, readonly view: TrainingViewState, private readonly persist: () => void,
  ) {
    this.client = new TrainingClient(files, () => this.schedule());
    this.controls = new Controls(parent, texts, (a) => this.act(a), (s) => this.setSpeed(s));
    this.controls.setSpeed(view.speed);
    this.notice = document.createElement('div');
    this.notice.className = 'notice';
    this.notice.setAttribute('role', 'status');
    parent.appendChild(this.notice);
    this.loss = new LossView(parent, texts);
    this.flow = new GradientFlowView(parent, texts);
    this.render();
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.controls.setTexts(texts);
    this.loss.setTexts(texts);
    this.flow.setTexts(texts);
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
  }

  private configure(spec: ResolvedSpec, force: boolean): void {
    const key = JSON.stringify({ m: spec.variants, t: spec.task, r: spec.training, b: this.settings.backend });
    if (!force && key === this.configuredKey) return;
    this.configuredKey = key;
    const backend = this.settings.backend === 'auto' ? null : this.settings.backend;
    void this.client.configure(spec, backend, this.view.sample, this.view.speed).catch((e: unknown) => {
      this.client.state.error = e instanceof Error ? e.message : String(e);
      this.schedule();
    });
  }

  private act(action: Action): void {
    this.client.send({ type: action });
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
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const state = this.client.state;
    document.body.dataset.runState = state.runState;
    if (state.backend) document.body.dataset.backend = state.backend;
    document.body.dataset.step = String(state.step);
    document.body.dataset.numTensors = String(state.numTensors);
    this.controls.update(state, this.spec !== null);
    this.renderNotice();
    if (!this.spec) return;
    this.loss.update(this.spec, state);
    this.flow.update(state);
  }

  private renderNotice(): void {
    const state = this.client.state;
    const lines: string[] = [];
    if (state.error) lines.push(this.texts.t('training.error', state.error));
    state.variants.forEach((v) => {
      if (!v.divergence) return;
      const why = this.texts.t(v.divergence.code === 'loss-not-finite' ? 'diverged.lossNotFinite' : 'diverged.gradientNotFinite' as StringKey);
      lines.push(this.texts.t('diverged.banner', v.label, v.divergence.step, why));
    });
    if (state.backend && state.backendNote) lines.push(this.texts.t('backend.fallback', state.backend.toUpperCase(), state.backendNote));
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
    this.client.dispose();
  }
}
