import { evaluateClaim, type ClaimEvidence, type ClaimStatus } from '../../src/core/claim';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { claimStateText, partSentence, partStatusText, type Translator } from '../../src/shared/claimText';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import { setTip } from '../charts/tooltip';

/** The run as the claim sees it: every model's readings, how far it trained, where it diverged. */
export function claimEvidence(state: TrainingState): ClaimEvidence {
  return {
    variants: state.variants.map((v) => ({
      step: v.records.length ? v.records[v.records.length - 1].step : 0,
      divergedAt: v.divergence?.step ?? null,
      readings: v.readings,
    })),
    unclipped: state.unclipped ? { step: state.unclipped.steps, divergedAt: state.unclipped.divergedAt } : null,
  };
}

const ICONS = { holds: 'pass', fails: 'error', pending: 'clock' } as const;

/**
 * The claim at the top of the preview: what the spec says a learner will see, each part with its state,
 * and the whole with `data-claim-state` (pending, holds, fails) and `data-claim-step` (where it came true,
 * or failed). Each part is an `li` with `data-part-state` and `data-part-step`. Hidden for a spec without a
 * claim.
 */
export class ClaimBox {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly state: HTMLElement;
  private readonly list: HTMLUListElement;
  private key = '';

  constructor(parent: HTMLElement) {
    this.element = document.createElement('section');
    this.element.className = 'claim';
    this.element.dataset.view = 'claim';
    this.element.setAttribute('role', 'status');
    this.element.hidden = true;
    const top = document.createElement('div');
    top.className = 'claim-top';
    this.heading = document.createElement('h2');
    this.heading.className = 'claim-heading';
    this.state = document.createElement('span');
    this.state.className = 'claim-state';
    top.append(this.heading, this.state);
    this.list = document.createElement('ul');
    this.list.className = 'claim-parts';
    this.element.append(top, this.list);
    parent.appendChild(this.element);
  }

  /** `evidence`: what the claim is judged on, when not the training run (a sweep's horizons). */
  update(spec: ResolvedSpec | null, training: TrainingState, texts: Texts, evidence: ClaimEvidence = claimEvidence(training)): ClaimStatus | null {
    const claim = spec?.claim ?? [];
    this.element.hidden = !spec || claim.length === 0;
    if (!spec || !claim.length) {
      this.key = '';
      delete this.element.dataset.claimState;
      delete this.element.dataset.claimStep;
      return null;
    }
    const status = evaluateClaim(claim, evidence);
    // Rewrite the text only when something a reader sees has changed.
    const key = JSON.stringify([claim, spec.variants.map((v) => v.label), status, texts.locale]);
    if (key === this.key) return status;
    this.key = key;
    const t: Translator = (k, ...args) => texts.t(k, ...args);
    this.element.dataset.claimState = status.state;
    if (status.step === null) delete this.element.dataset.claimStep;
    else this.element.dataset.claimStep = String(status.step);
    this.heading.textContent = texts.t('claim.heading');
    setTip(this.heading, 'claim.tip');
    this.state.textContent = claimStateText(status.state, status.step, t);
    this.list.replaceChildren(...claim.map((part, i) => {
      const s = status.parts[i];
      const li = document.createElement('li');
      li.className = 'claim-part';
      li.dataset.partState = s.state;
      if (s.step !== null) li.dataset.partStep = String(s.step);
      const icon = document.createElement('span');
      icon.className = `codicon codicon-${ICONS[s.state]}`;
      icon.setAttribute('aria-hidden', 'true');
      const sentence = document.createElement('span');
      sentence.className = 'claim-sentence';
      sentence.textContent = partSentence(part, spec, t);
      const detail = document.createElement('span');
      detail.className = 'claim-detail';
      detail.textContent = partStatusText(s, t);
      li.append(icon, sentence, detail);
      return li;
    }));
    return status;
  }
}
