import { visible } from '../../src/core/messages';
import type { LogProblem, RunHeader } from '../../src/core/runLog/format';
import type { LogStatus } from '../../src/shared/logProtocol';
import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';
import type { LogReplay } from '../run/logReplay';

/** What the page says around a replayed run log: where it came from, why it cannot be shown, how reading goes. */

/** Producers named as their users know them; any other name is shown as written. */
const PRODUCERS: Readonly<Record<string, string>> = { pytorch: 'PyTorch' };

/** "PyTorch, cuda, 4 ranks"; "rnn-lens train, wasm, cpu". */
export function originWhere(header: RunHeader, texts: Texts): string {
  const producer = header.producer ?? header.backend;
  const name = Object.prototype.hasOwnProperty.call(PRODUCERS, producer) ? PRODUCERS[producer] : producer;
  const backend = header.backend === producer ? [] : [header.backend];
  return [name, ...backend, header.device, ...(header.worldSize > 1 ? [texts.t('log.ranks', header.worldSize)] : [])].join(', ');
}

/** When it started, in the page's language and the viewer's time zone; the text as written if it is no date. */
function startedText(header: RunHeader, locale: string): string {
  const date = new Date(header.startedAt);
  if (Number.isNaN(date.getTime())) return header.startedAt;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}

export function originText(header: RunHeader, texts: Texts): string {
  const source = header.source ? ` ${texts.t('log.origin.source', header.source)}` : '';
  return texts.t('log.origin', originWhere(header, texts), startedText(header, texts.locale)) + source;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

function problemText(problem: LogProblem, texts: Texts): string {
  const args = problem.code === 'tooLarge' ? problem.args.map((a) => (typeof a === 'number' ? mb(a) : a)) : problem.args;
  return texts.t(`log.problem.${problem.code}` as StringKey, ...args);
}

/** The strip at the top: why the log cannot be shown (or can no longer be read); hidden when all is well. */
export function renderLogBanner(el: HTMLElement, status: LogStatus | null, texts: Texts): void {
  const problem = status?.problem ?? null;
  el.hidden = problem === null;
  el.replaceChildren();
  if (!problem) {
    delete el.dataset.logProblem;
    return;
  }
  el.dataset.logProblem = problem.code;
  const icon = document.createElement('span');
  icon.className = 'codicon codicon-error';
  icon.setAttribute('aria-hidden', 'true');
  const text = document.createElement('span');
  text.className = 'banner-text';
  text.textContent = visible(problemText(problem, texts));
  el.append(icon, text);
}

/** The notice's lines about reading the log: what was skipped, what is still coming, what diverged. */
export function logNotices(replay: LogReplay, texts: Texts): string[] {
  const s = replay.status;
  const lines: string[] = [];
  if (s?.malformed) lines.push(texts.t('log.malformed', s.malformed, s.firstMalformed));
  if (s?.tooLong) lines.push(texts.t('log.tooLong', s.tooLong));
  if (s?.samplesDropped) lines.push(texts.t('log.samplesDropped', s.samplesDropped));
  if (s?.pending) lines.push(texts.t('log.pending', s.pending));
  if (s?.sweepLines) lines.push(texts.t('log.sweepLines', s.sweepLines));
  if (s?.nextRunAt) lines.push(texts.t('log.nextRun', s.nextRunAt));
  if (replay.header && !replay.summary && !s?.problem && !s?.sweepLines) lines.push(texts.t('log.following'));
  for (const d of replay.unreadDivergences) lines.push(texts.t('log.diverged', d.label, d.step, d.reason));
  return lines.map(visible);
}
