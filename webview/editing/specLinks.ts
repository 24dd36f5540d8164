import type { FromWebview } from '../../src/shared/protocol';

/** Form fields set their key's value; everything else with a key reveals it when clicked. */
const FIELDS = 'input, select, textarea, button, option, label';

/** Whether a highlighted key lights up an element's key: the same key, or one inside the other (`model` ⊃ `model.cell`). */
export function keysMeet(highlighted: string, element: string): boolean {
  return highlighted === element || element.startsWith(`${highlighted}.`) || highlighted.startsWith(`${element}.`);
}

/**
 * The page's half of click-to-reveal and cursor highlighting. Any element with `data-spec-key` that is not a
 * form field (a gate, the clipping threshold, the encoder and decoder) asks the editor to select its key
 * when clicked; the key under the editor's cursor lights up every element that carries it.
 */
export class SpecLinks {
  private highlighted: string | null = null;
  private highlightVariant = 0;

  constructor(private readonly root: HTMLElement, post: (m: Extract<FromWebview, { type: 'revealKey' }>) => void, variant: () => number) {
    root.addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const owner = target?.closest<Element>('[data-spec-key]');
      const key = owner?.getAttribute('data-spec-key');
      if (!owner || !key || owner.closest(FIELDS) || target?.closest(FIELDS)) return;
      post({ type: 'revealKey', key, variant: variant() });
    });
  }

  /** Lights up what `key` controls (null: nothing), for the model the editor's cursor is in. */
  highlight(key: string | null, variant: number): void {
    this.highlighted = key;
    this.highlightVariant = variant;
    this.apply();
  }

  /** Re-applies the highlight after views redrew (new elements carry keys too). */
  apply(): void {
    const key = this.highlighted;
    for (const el of this.root.querySelectorAll('[data-spec-key]')) {
      const on = key !== null && keysMeet(key, el.getAttribute('data-spec-key') ?? '');
      if (el.classList.contains('spec-highlight') !== on) el.classList.toggle('spec-highlight', on);
    }
    document.body.dataset.highlightKey = key ?? '';
    document.body.dataset.highlightVariant = String(this.highlightVariant);
  }
}
