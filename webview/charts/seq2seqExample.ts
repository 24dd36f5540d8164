import type { TaskName } from '../../src/core/modelSpec/types';
import { END_TOKEN, PLUS_TOKEN } from '../../src/core/tasks/catalog';
import type { TeacherForcingSample } from '../../src/core/train/report';
import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';
import type { TokenCell, TokenRow, TokenRowsData } from './tokenRows';

/**
 * Turns one held-out sequence and its decodes into classified token rows: which free-running tokens are
 * right, which is the first mistake, what was computed after it (derailed), what is missing or extra.
 */

export interface ExampleInput {
  readonly task: TaskName;
  readonly input: readonly number[];
  /** The answer, then the end token. */
  readonly target: readonly number[];
  /** Free running: up to and including its first end token. */
  readonly free: readonly number[];
  /** Teacher forced: the prediction at each target position. */
  readonly forced: readonly number[];
  /** The latest training batch's teacher forcing, for one of its sequences. */
  readonly fed: TeacherForcingSample | null;
}

export type Verdict =
  | { readonly kind: 'right' }
  | { readonly kind: 'wrong'; readonly step: number }
  | { readonly kind: 'short'; readonly written: number; readonly expected: number }
  | { readonly kind: 'long'; readonly written: number; readonly expected: number };

export function outputSymbol(token: number): string {
  return token === END_TOKEN ? '⟨e⟩' : String(token);
}

export function inputSymbol(task: TaskName, token: number): string {
  return task === 'arithmetic' && token === PLUS_TOKEN ? '+' : String(token);
}

/** Index of the first free-running token that differs from the target (or runs past it); null if none. */
export function firstMistake(target: readonly number[], free: readonly number[]): number | null {
  for (let j = 0; j < free.length; j++) if (j >= target.length || free[j] !== target[j]) return j;
  return free.length < target.length ? free.length : null;
}

export function verdict(target: readonly number[], free: readonly number[]): Verdict {
  const k = firstMistake(target, free);
  if (k === null) return { kind: 'right' };
  if (free[free.length - 1] === END_TOKEN && free.length < target.length && k === free.length - 1) {
    return { kind: 'short', written: free.length, expected: target.length };
  }
  if (k === target.length - 1 && free.length > target.length) return { kind: 'long', written: free.length, expected: target.length };
  return { kind: 'wrong', step: k + 1 };
}

function freeCells(target: readonly number[], free: readonly number[]): TokenCell[] {
  const k = firstMistake(target, free);
  const cells: TokenCell[] = [];
  for (let j = 0; j < Math.max(free.length, target.length); j++) {
    const step = j + 1;
    if (j >= free.length) {
      cells.push({ text: '·', kind: 'missing', tip: 's2s.tok.missing', args: [step] });
      continue;
    }
    const text = outputSymbol(free[j]);
    const expected = j < target.length ? outputSymbol(target[j]) : '';
    if (k === null || j < k) cells.push({ text, kind: 'right', tip: 's2s.tok.right', args: [step, text] });
    else if (j >= target.length) cells.push({ text, kind: 'extra', tip: 's2s.tok.extra', args: [step, text] });
    else if (j === k) cells.push({ text, kind: 'wrong', tip: 's2s.tok.wrong', args: [step, text, expected] });
    else if (free[j] === target[j]) cells.push({ text, kind: 'derailed-right', tip: 's2s.tok.derailedRight', args: [step, text] });
    else cells.push({ text, kind: 'derailed-wrong', tip: 's2s.tok.derailedWrong', args: [step, text, expected] });
  }
  return cells;
}

function fedCells(fed: TeacherForcingSample): TokenCell[] {
  return fed.fed.map((f, t) => {
    if (t === 0) return { text: '', kind: 'truth', tip: 's2s.fed.start', args: [] };
    return f ? { text: '', kind: 'truth', tip: 's2s.fed.truth', args: [t + 1, outputSymbol(fed.target[t - 1])] } : { text: '', kind: 'own', tip: 's2s.fed.own', args: [t + 1] };
  });
}

export function exampleRows(e: ExampleInput, texts: Texts): TokenRowsData {
  const row = (id: TokenRow['id'], part: TokenRow['part'], cells: TokenCell[], markers = false): TokenRow => ({
    id, part, cells, markers, label: texts.t(`s2s.row.${id}` as StringKey), tip: `s2s.row.${id}.tip` as StringKey,
  });
  // No decodes (before the first report, or a replayed log, which never carries them): nothing written yet.
  const undecoded = e.forced.length === 0;
  const blanks = e.target.map((_, j): TokenCell => ({ text: '·', kind: 'missing', tip: 's2s.tok.undecoded', args: [j + 1] }));
  const rows: TokenRow[] = [
    row('input', 'encoder', e.input.map((x, t) => {
      const text = inputSymbol(e.task, x);
      return { text, kind: 'input', tip: 's2s.tok.input', args: [t + 1, text] };
    })),
    row('target', 'decoder', e.target.map((y, t) => ({ text: outputSymbol(y), kind: 'target', tip: 's2s.tok.target', args: [t + 1, outputSymbol(y)] }))),
    row('free', 'decoder', undecoded ? blanks : freeCells(e.target, e.free)),
    row('forced', 'decoder', undecoded ? blanks : e.target.map((y, j) => {
      const text = outputSymbol(e.forced[j]);
      return e.forced[j] === y
        ? { text, kind: 'right', tip: 's2s.tok.forcedRight', args: [j + 1, text] }
        : { text, kind: 'wrong', tip: 's2s.tok.forcedWrong', args: [j + 1, text, outputSymbol(y)] };
    })),
  ];
  if (e.fed) rows.push(row('fed', 'decoder', fedCells(e.fed), true));
  const k = firstMistake(e.target, e.free);
  const decoderSteps = Math.max(...rows.filter((r) => r.part === 'decoder').map((r) => r.cells.length));
  const freeLength = Math.max(e.free.length, e.target.length);
  return {
    encoderSteps: e.input.length,
    decoderSteps,
    rows,
    derailed: !undecoded && k !== null && k + 1 < freeLength ? { from: k + 1, to: freeLength } : null,
    labels: { encoder: texts.t('s2s.part.encoder'), decoder: texts.t('s2s.part.decoder'), bridge: texts.t('s2s.bridge'), derailed: texts.t('s2s.derailed') },
  };
}
