import { visible } from '../../src/core/messages';
import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import type { ReplayPosition } from '../run/logReplay';
import { SPEEDS, type Speed } from '../../src/shared/uiState';
import { setTip } from '../charts/tooltip';

export type Action = 'play' | 'pause' | 'step' | 'reset';

const BUTTONS: readonly { action: Action; icon: string; label: StringKey; replay: StringKey }[] = [
  { action: 'play', icon: 'codicon-play', label: 'controls.play', replay: 'log.controls.play' },
  { action: 'pause', icon: 'codicon-debug-pause', label: 'controls.pause', replay: 'log.controls.pause' },
  { action: 'step', icon: 'codicon-debug-step-over', label: 'controls.step', replay: 'log.controls.step' },
  { action: 'reset', icon: 'codicon-debug-restart', label: 'controls.reset', replay: 'log.controls.reset' },
];

/** Play, pause, step, reset, speed, and where the run stands. Built once; `update` only changes what moved. */
export class Controls {
  readonly element: HTMLElement;
  private readonly buttons = new Map<Action, HTMLButtonElement>();
  private readonly speed: HTMLSelectElement;
  private readonly speedLabel: HTMLLabelElement;
  private readonly status: HTMLSpanElement;
  private readonly backend: HTMLSpanElement;
  /** A replayed log's position, to drag (`data-control="scrub"`); absent for a live run. */
  private readonly scrub: HTMLInputElement | null = null;

  /** `onScrub`: the controls of a replayed log, with a scrubber that shows the first N recorded reports. */
  constructor(parent: HTMLElement, private texts: Texts, onAction: (a: Action) => void, onSpeed: (s: Speed) => void, onScrub?: (shown: number) => void) {
    this.element = document.createElement('section');
    this.element.className = 'controls';
    this.element.dataset.view = 'controls';
    for (const b of BUTTONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'control';
      button.dataset.action = b.action;
      // Nothing to act on until the first update says the run is ready: a click before then would go nowhere.
      button.disabled = true;
      const icon = document.createElement('span');
      icon.className = `codicon ${b.icon}`;
      icon.setAttribute('aria-hidden', 'true');
      button.appendChild(icon);
      button.addEventListener('click', () => onAction(b.action));
      this.buttons.set(b.action, button);
      this.element.appendChild(button);
    }
    this.speedLabel = document.createElement('label');
    this.speedLabel.className = 'speed';
    this.speed = document.createElement('select');
    this.speed.dataset.control = 'speed';
    this.speed.addEventListener('change', () => onSpeed(this.speed.value as Speed));
    this.speedLabel.append(document.createTextNode(''), this.speed);
    this.status = document.createElement('span');
    this.status.className = 'run-status';
    this.status.setAttribute('role', 'status');
    this.backend = document.createElement('span');
    this.backend.className = 'backend-badge';
    if (onScrub) {
      this.scrub = document.createElement('input');
      this.scrub.type = 'range';
      this.scrub.className = 'scrub';
      this.scrub.min = '0';
      this.scrub.dataset.control = 'scrub';
      this.scrub.addEventListener('input', () => onScrub(Number(this.scrub!.value)));
      this.element.append(this.scrub);
    }
    this.element.append(this.speedLabel, this.status, this.backend);
    parent.appendChild(this.element);
    this.setTexts(texts);
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.element.setAttribute('aria-label', texts.t('controls.label'));
    for (const b of BUTTONS) {
      const button = this.buttons.get(b.action)!;
      const label = texts.t(this.scrub ? b.replay : b.label);
      button.setAttribute('aria-label', label);
      button.title = label;
    }
    if (this.scrub) {
      this.scrub.setAttribute('aria-label', texts.t('log.controls.scrub'));
      this.scrub.title = texts.t('log.controls.scrub');
    }
    this.speedLabel.firstChild!.textContent = `${texts.t('controls.speed')} `;
    const selected = this.speed.value || 'normal';
    this.speed.replaceChildren(...SPEEDS.map((s) => {
      const option = document.createElement('option');
      option.value = s;
      option.textContent = texts.t(`controls.speed.${s}` as StringKey);
      return option;
    }));
    this.speed.value = selected;
    setTip(this.backend, this.scrub ? 'log.origin.tip' : 'backend.tip');
  }

  setSpeed(speed: Speed): void {
    this.speed.value = speed;
  }

  /** `fileDeleted`: nothing to train until the file is back; `failed`: the worker is gone, Reset starts another. */
  update(state: TrainingState, hasSpec: boolean, fileDeleted = false, failed = false): void {
    const { runState } = state;
    const finished = runState === 'done' || runState === 'diverged';
    const ready = hasSpec && state.backend !== null && !failed;
    this.buttons.get('play')!.disabled = !ready || fileDeleted || runState === 'training' || finished;
    this.buttons.get('pause')!.disabled = !ready || runState !== 'training';
    this.buttons.get('step')!.disabled = !ready || fileDeleted || runState === 'training' || finished;
    this.buttons.get('reset')!.disabled = failed ? !hasSpec : !ready || (runState === 'idle' && state.step === 0);
    // Say what is happening at every moment: a long first step on WebGL is shader compilation, not a hang.
    const activity = state.activity ? ` · ${this.texts.t(state.activity.code, ...state.activity.args)}` : '';
    this.status.textContent = `${this.texts.t('controls.status', state.step, state.totalSteps)} · ${this.texts.t(`state.${runState}` as StringKey)}${activity}`;
    this.status.classList.toggle('busy', state.activity !== null);
    this.backend.textContent = state.backend ? state.backend.toUpperCase() : '…';
    this.backend.classList.toggle('fallback', state.backendNotes.length > 0);
  }

  /** A replayed log: where the replay stands, what produced it (`source`, e.g. PYTORCH). */
  /** `stopped`: the log cannot be shown (the banner says why). */
  updateReplay(state: TrainingState, position: ReplayPosition, source: string, stopped = false): void {
    const { shown, total, playing } = position;
    this.buttons.get('play')!.disabled = playing || total === 0;
    this.buttons.get('pause')!.disabled = !playing;
    this.buttons.get('step')!.disabled = shown >= total;
    this.buttons.get('reset')!.disabled = shown === 0;
    if (this.scrub) {
      this.scrub.max = String(total);
      this.scrub.disabled = total === 0;
      if (document.activeElement !== this.scrub) this.scrub.value = String(shown);
    }
    const where = stopped ? 'log.state.problem' : playing ? 'log.state.playing' : shown < total ? 'log.state.paused' : position.ended ? 'log.state.end' : 'log.state.following';
    this.status.textContent = `${this.texts.t('log.status', shown, total, state.step, state.totalSteps)} · ${this.texts.t(where)}`;
    this.status.classList.remove('busy');
    this.backend.textContent = visible(source).toUpperCase();
    this.backend.classList.remove('fallback');
  }
}
