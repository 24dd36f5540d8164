import { sweepOf } from '../../src/core/sweep/points';
import { SWEEP_SECONDS } from '../../src/core/sweep/estimate';
import type { SweepState } from '../run/sweep';
import type { Texts } from '../texts';
import { setTip } from '../charts/tooltip';

/** A time as a learner reads it: "40 s", "3.5 min". */
export function duration(seconds: number, texts: Texts): string {
  return seconds < 90 ? texts.t('sweep.seconds', Math.max(1, Math.round(seconds))) : texts.t('sweep.minutes', (seconds / 60).toFixed(1));
}

/**
 * A sweep's controls, in place of the training controls: run and cancel, the estimate before it starts (or
 * why the preview will not run it, with the command that will), then how many runs have ended. The status is
 * on the element as data (`data-sweep-status`, `data-sweep-done`, `data-sweep-total`) for tests and tools.
 */
export class SweepPanel {
  readonly element: HTMLElement;
  private readonly start: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private readonly status: HTMLParagraphElement;
  private readonly command: HTMLElement;
  private fileName = 'FILE';

  constructor(parent: HTMLElement, onStart: () => void, onCancel: () => void) {
    this.element = document.createElement('section');
    this.element.className = 'controls sweep-panel';
    this.element.dataset.view = 'sweep-controls';
    this.element.hidden = true;
    const button = (action: string, icon: string, onClick: () => void) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'control sweep-button';
      b.dataset.action = action;
      const i = document.createElement('span');
      i.className = `codicon ${icon}`;
      i.setAttribute('aria-hidden', 'true');
      b.append(i, document.createElement('span'));
      b.addEventListener('click', onClick);
      return b;
    };
    this.start = button('sweep-start', 'codicon-run-all', onStart);
    this.cancel = button('sweep-cancel', 'codicon-debug-stop', onCancel);
    this.status = document.createElement('p');
    this.status.className = 'sweep-status';
    this.status.setAttribute('role', 'status');
    this.command = document.createElement('code');
    this.command.className = 'sweep-command';
    this.element.append(this.start, this.cancel, this.status, this.command);
    parent.appendChild(this.element);
  }

  /** The spec's file name, for the command that runs the sweep in a terminal. */
  setFileName(name: string): void {
    this.fileName = name || 'FILE';
  }

  update(state: SweepState, texts: Texts): void {
    const spec = state.spec;
    this.element.hidden = !spec;
    if (!spec) return;
    const el = this.element;
    el.dataset.sweepStatus = state.refused ? 'refused' : state.status;
    el.dataset.sweepDone = String(state.results.length);
    el.dataset.sweepTotal = String(state.total);
    const running = state.status === 'running';
    this.start.disabled = running || state.refused;
    this.cancel.disabled = !running;
    (this.start.lastChild as HTMLElement).textContent = texts.t(state.status === 'ready' ? 'sweep.run' : 'sweep.again');
    (this.cancel.lastChild as HTMLElement).textContent = texts.t('sweep.cancel');
    setTip(this.start, 'sweep.run.tip');
    const sweep = sweepOf(spec);
    const estimate = duration(state.estimate, texts);
    const plan = texts.t('sweep.plan', state.total, spec.variants.length, sweep.values.length, sweep.key, estimate, state.workers);
    // A name with spaces or quotes is quoted as a POSIX shell reads it.
    const file = /^[\w./-]+$/.test(this.fileName) ? this.fileName : `'${this.fileName.replace(/'/g, "'\\''")}'`;
    const command = `rnn-lens sweep ${file} --jobs ${state.workers}`;
    this.command.textContent = state.refused ? command : '';
    this.command.hidden = !state.refused;
    if (state.refused) {
      this.status.textContent = texts.t('sweep.refused', estimate, duration(SWEEP_SECONDS, texts));
      return;
    }
    const elapsed = state.startedAt === null ? 0 : ((state.endedAt ?? performance.now()) - state.startedAt) / 1000;
    switch (state.status) {
      case 'ready':
        this.status.textContent = plan;
        break;
      case 'running': {
        const under = state.running.map((r) => `${spec.variants[r.point.variant].label} ${sweep.key} = ${String(sweep.values[r.point.index])}`
          + (r.steps ? ` (${Math.round((100 * r.step) / r.steps)} %)` : ''));
        this.status.textContent = texts.t('sweep.progress', state.results.length, state.total, under.join(', ') || '…');
        break;
      }
      case 'done':
        this.status.textContent = texts.t('sweep.done', state.total, duration(elapsed, texts));
        break;
      case 'cancelled':
        this.status.textContent = texts.t('sweep.cancelled', state.results.length, state.total);
        break;
      case 'failed':
        this.status.textContent = texts.t('sweep.failed', state.error ?? '');
        break;
    }
  }
}
