import type { RunState } from '../src/shared/workerProtocol';
import type { Action } from './chrome/controls';

/** Space plays or pauses, N steps, R resets: when no text field or button has the focus. */
export function bindTrainingKeys(runState: () => RunState, act: (a: Action) => void): () => void {
  const onKey = (e: KeyboardEvent) => {
    const target = e.target instanceof Element ? e.target : null;
    if (e.altKey || e.ctrlKey || e.metaKey || target?.closest('input, select, textarea, button')) return;
    if (e.key === ' ') act(runState() === 'training' ? 'pause' : 'play');
    else if (e.key === 'n') act('step');
    else if (e.key === 'r') act('reset');
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
