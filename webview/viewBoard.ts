import type { ResolvedSpec } from '../src/core/modelSpec/types';
import type { PreviewSettings } from '../src/shared/protocol';
import { coded } from '../src/shared/strings';
import type { UiState } from '../src/shared/uiState';
import type { ClaimStatus } from '../src/core/claim';
import { bindTrainingKeys } from './keys';
import { FrameScheduler } from './scheduler';
import type { Store } from './store';
import type { Texts } from './texts';
import { TrainingClient, type TrainingState } from './run/training';
import { sweepEvidence } from '../src/core/sweep/horizons';
import { ClaimBox } from './chrome/claimBox';
import { SweepPanel } from './chrome/sweepPanel';
import { SweepClient } from './run/sweep';
import { Controls, type Action } from './chrome/controls';
import { renderNotice } from './chrome/notice';
import { logNotices } from './chrome/logChrome';
import { LogReplay } from './run/logReplay';
import { isOpen, viewOrder, VIEWS } from './views/registry';
import type { Drawing, Input, View, ViewDefinition } from './views/view';

/** What the claim, the controls, the notice and the page's data hooks show: everything but the learner's choices. */
const CHROME: ReadonlySet<Input> = new Set<Input>(['spec', 'texts', 'sweep', 'run', 'backend', 'records', 'reports', 'memory', 'error', 'divergence', 'unclipped', 'activity', 'previous']);

function setData(el: HTMLElement, key: string, value: string | null): void {
  if (value === null) delete el.dataset[key];
  else if (el.dataset[key] !== value) el.dataset[key] = value;
}

/**
 * The live half of the preview: the training controls and notice, and every registered view, fed by the
 * worker (through TrainingClient) and by the UI store. It tells the scheduler which inputs changed; the
 * scheduler redraws the views that read them.
 */
export class ViewBoard {
  private readonly client: TrainingClient;
  /** A spec with a `sweep` runs its sweep instead of one training run. */
  private readonly sweep: SweepClient;
  private readonly sweepPanel: SweepPanel;
  private readonly controls: Controls;
  private readonly claim: ClaimBox;
  private claimState = '';
  private readonly notice: HTMLDivElement;
  private readonly scheduler: FrameScheduler<Input>;
  private readonly views: readonly { readonly definition: ViewDefinition; readonly view: View }[];
  private spec: ResolvedSpec | null = null;
  private specJson = '';
  private configuredKey = '';
  private order = '';
  private readonly disposers: (() => void)[] = [];
  /** Training was paused because the panel was hidden, and carries on when it is shown. */
  private pausedWhileHidden = false;
  /** The spec's file was deleted: training stays stopped until it is back. */
  private deletedFile: string | null = null;
  /** A page that replays a run log: no worker, the log's steps instead (src/host/runLogPanel.ts). */
  readonly replay: LogReplay | null;

  constructor(
    claimRoot: HTMLElement, controlsRoot: HTMLElement, private readonly viewsRoot: HTMLElement, files: Readonly<Record<string, string>>,
    private texts: Texts, private settings: PreviewSettings, private readonly store: Store<UiState>, afterDraw: () => void,
    onTrainingChange: () => void = () => undefined,
    private readonly onClaim: (status: ClaimStatus) => void = () => undefined,
    replay = false,
  ) {
    this.claim = new ClaimBox(claimRoot);
    this.client = new TrainingClient(files, (changed) => {
      // The run's state as data on the page, current even while the panel is hidden and nothing is drawn.
      this.markState();
      this.scheduler.invalidate(changed);
      onTrainingChange();
    });
    this.replay = replay ? new LogReplay(this.client, () => store.get().speed, () => this.scheduler.invalidate(['run'])) : null;
    this.controls = new Controls(controlsRoot, texts, (a) => this.act(a), (speed) => store.set({ speed }),
      this.replay ? (shown) => this.replay?.moveTo(shown) : undefined);
    this.controls.setSpeed(store.get().speed);
    this.sweep = new SweepClient(files, () => this.scheduler.invalidate(['sweep']));
    this.sweepPanel = new SweepPanel(controlsRoot, () => { this.sweep.start().catch(() => undefined); }, () => this.sweep.cancel());
    this.notice = document.createElement('div');
    this.notice.className = 'notice';
    this.notice.setAttribute('role', 'status');
    controlsRoot.appendChild(this.notice);
    this.scheduler = new FrameScheduler<Input>({
      throttled: () => this.client.state.runState === 'training',
      beforeFrame: (changed) => { if ([...changed].some((i) => CHROME.has(i))) this.renderChrome(); },
      afterDraw,
    });
    const env = { store, focus: (t: number) => store.set({ focus: store.get().focus === t ? null : t }) };
    this.views = VIEWS.map((definition) => ({ definition, view: definition.create(env) }));
    for (const { definition, view } of this.views) {
      view.applyTexts(texts);
      viewsRoot.appendChild(view.element);
      this.scheduler.add({
        name: definition.id, element: view.element, inputs: view.inputs, draw: () => this.draw(view),
        active: () => this.spec !== null && isOpen(this.spec, store.get().layout, definition.id),
      });
      // One click opens or closes a view; the choice is remembered for this spec.
      view.toggle.addEventListener('click', () => {
        if (!this.spec) return;
        const layout = store.get().layout;
        store.set({ layout: { ...layout, [definition.id]: !isOpen(this.spec, layout, definition.id) } });
      });
    }
    this.disposers.push(
      store.subscribe((_, changed) => this.scheduler.invalidate(changed)),
      store.subscribe(({ sample }) => this.client.send({ type: 'sample', index: sample }), ['sample']),
      store.subscribe(() => { if (this.spec) this.applyLayout(this.spec); }, ['layout']),
      store.subscribe(({ speed }) => {
        this.controls.setSpeed(speed);
        this.client.send({ type: 'speed', speed });
      }, ['speed']),
      bindTrainingKeys(() => this.client.state.runState, (a) => this.act(a)),
    );
    this.scheduler.invalidate(CHROME);
  }

  /** The run as the worker last described it. */
  get training(): TrainingState {
    return this.client.state;
  }

  private draw(view: View): Drawing {
    if (!this.spec) return undefined;
    const sweep = this.spec.sweep ? this.sweep.state : null;
    return view.draw({ spec: this.spec, training: this.client.state, ui: this.store.get(), texts: this.texts, sweep });
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.views.forEach(({ view }) => view.applyTexts(texts));
    this.controls.setTexts(texts);
    this.scheduler.invalidate(['texts']);
  }

  setSettings(settings: PreviewSettings): void {
    const changed = settings.backend !== this.settings.backend;
    this.settings = settings;
    if (changed && this.spec) this.configure(this.spec, true);
    if (settings.trainWhileHidden && this.pausedWhileHidden) this.setVisible(true);
  }

  /**
   * A hidden preview pauses (unless `rnnLens.trainWhileHidden` is on), so that previews nobody sees do not
   * take the processor from the one in front; shown again, it carries on.
   */
  setVisible(visible: boolean): void {
    if (!visible) {
      if (!this.settings.trainWhileHidden && this.client.state.runState === 'training') {
        this.pausedWhileHidden = true;
        this.client.send({ type: 'pause' });
      }
    } else if (this.pausedWhileHidden) {
      this.pausedWhileHidden = false;
      if (!this.deletedFile) this.client.send({ type: 'play' });
    }
    document.body.dataset.pausedWhileHidden = String(this.pausedWhileHidden);
  }

  /** The spec's file name (shown as the user's text), for the command that runs a sweep in a terminal. */
  setFileName(name: string): void {
    this.sweepPanel.setFileName(name);
    this.scheduler.invalidate(['sweep']);
  }

  /** The file is gone (`name`), or back (null): training stops while it is gone. */
  setDeleted(name: string | null): void {
    this.deletedFile = name;
    if (name) {
      this.pausedWhileHidden = false;
      this.client.send({ type: 'pause' });
    }
    this.scheduler.invalidate(['run']);
  }

  /** A new valid spec: views that read it redraw; training restarts only if something it depends on changed. */
  setSpec(spec: ResolvedSpec): void {
    const json = JSON.stringify(spec);
    if (json === this.specJson) return;
    this.specJson = json;
    this.spec = spec;
    this.arrange(spec);
    this.sweep.setSpec(spec.sweep ? spec : null);
    this.configure(spec, false);
    this.scheduler.invalidate(['spec']);
  }

  /** Opens the views the learner (or the spec's default layout) wants open, and closes the rest. */
  private applyLayout(spec: ResolvedSpec): void {
    const layout = this.store.get().layout;
    for (const { definition, view } of this.views) view.setOpen(isOpen(spec, layout, definition.id));
    this.scheduler.wake();
  }

  /** Shows the views this spec has, in its order. */
  private arrange(spec: ResolvedSpec): void {
    const shown = viewOrder(spec);
    this.applyLayout(spec);
    for (const { definition, view } of this.views) view.element.hidden = !shown.includes(definition);
    const order = shown.map((d) => d.id).join();
    if (order === this.order) return;
    this.order = order;
    const byId = new Map(this.views.map((v) => [v.definition.id, v.view.element]));
    this.viewsRoot.append(...shown.map((d) => byId.get(d.id)!), ...this.views.filter((v) => !shown.includes(v.definition)).map((v) => v.view.element));
  }

  /**
   * Starts training `spec` if what training depends on changed. After an edit (not a first spec, not a
   * settings change), the run so far stays on the charts, faint, and a run that was training goes on training.
   */
  private configure(spec: ResolvedSpec, force: boolean): void {
    // A replay trains nothing: its run comes from the log.
    if (this.replay) return;
    if (spec.sweep) {
      // A sweep's page trains in its sweep workers only; the single run stops, and starts afresh without it.
      this.configuredKey = '';
      this.client.send({ type: 'pause' });
      return;
    }
    const key = JSON.stringify({ m: spec.variants, t: spec.task, r: spec.training, b: this.settings.backend });
    if (!force && key === this.configuredKey) return;
    const edited = !force && this.configuredKey !== '';
    this.configuredKey = key;
    const backend = this.settings.backend === 'auto' ? null : this.settings.backend;
    this.store.set({ sample: Math.min(this.store.get().sample, spec.training.batchSize - 1) });
    const { sample, speed } = this.store.get();
    const wasTraining = this.client.state.runState === 'training';
    this.client.configure(spec, backend, sample, speed, edited).then(() => {
      if (edited && wasTraining) this.client.send({ type: 'play' });
    }).catch((e: unknown) => {
      this.client.fail([coded('error.unexpected', e instanceof Error ? e.message : String(e))]);
    });
  }

  private act(action: Action): void {
    if (this.replay) {
      this.replay[action]();
      return;
    }
    // What the user asks for overrides what hiding the panel did.
    this.pausedWhileHidden = false;
    if (action === 'reset' && this.client.failed) {
      this.client.restart().catch((e: unknown) => this.client.fail([coded('error.unexpected', e instanceof Error ? e.message : String(e))], true));
      return;
    }
    if (this.deletedFile && (action === 'play' || action === 'step')) return;
    if (action === 'reset') this.client.reset();
    else this.client.send({ type: action });
  }

  /**
   * The run's state and latest readings as data on the page: the hooks tests and tools read, all set together,
   * and current even while the panel is hidden or a view is out of sight and nothing is drawn.
   */
  private markState(): void {
    const state = this.client.state;
    const body = document.body;
    setData(body, 'runState', state.runState);
    if (state.backend) setData(body, 'backend', state.backend);
    setData(body, 'scoring', state.scoring);
    setData(body, 'step', String(state.step));
    setData(body, 'activity', state.activity?.code ?? null);
    setData(body, 'previous', state.previous ? String(state.previous.step) : null);
    setData(body, 'numTensors', String(state.numTensors));
    setData(body, 'tensorBytes', String(state.memory.tensorBytes));
    setData(body, 'wasmBytes', state.memory.wasmBytes === null ? null : String(state.memory.wasmBytes));
    const first = state.variants[0];
    const records = first?.records;
    const element = (id: string) => this.views.find((v) => v.definition.id === id)?.view.element;
    const loss = element('loss');
    const flow = element('gradient-flow');
    if (loss) setData(loss, 'loss', records?.length ? String(records[records.length - 1].loss) : null);
    const norms = first?.latest?.hiddenGradNorms;
    if (flow) setData(flow, 'norms', norms ? JSON.stringify(norms) : null);
  }

  /** Diagnostics hook used by the tests: drop the WebGL context as a driver reset would. */
  loseContext(): void {
    this.client.send({ type: 'loseContext' });
  }

  private renderChrome(): void {
    const state = this.client.state;
    this.markState();
    if (this.replay) this.controls.updateReplay(state, this.replay.position, this.replay.header?.producer ?? this.replay.header?.backend ?? '…',
      Boolean(this.replay.status?.problem));
    else this.controls.update(state, this.spec !== null, this.deletedFile !== null, this.client.failed);
    renderNotice(this.notice, state, this.texts, {
      deletedFile: this.deletedFile, failed: this.client.failed, log: this.replay ? logNotices(this.replay, this.texts) : undefined,
    });
    // A sweep's page has the sweep's controls in place of the single run's.
    const sweeping = this.spec?.sweep != null;
    this.controls.element.hidden = sweeping;
    if (sweeping) this.notice.hidden = true;
    this.sweepPanel.update(this.sweep.state, this.texts);
    const evidence = this.spec?.sweep ? sweepEvidence(this.spec, this.sweep.state.results) : undefined;
    const claim = this.claim.update(this.spec, state, this.texts, evidence);
    const claimState = claim ? `${claim.state}:${claim.step}` : '';
    if (claim && claimState !== this.claimState) this.onClaim(claim);
    this.claimState = claimState;
  }

  dispose(): void {
    this.replay?.dispose();
    this.disposers.forEach((d) => d());
    this.scheduler.dispose();
    this.sweep.dispose();
    this.client.dispose();
  }
}
