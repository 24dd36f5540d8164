import type { ControlValue, SpecControlKey } from '../../src/core/modelSpec/edit';
import type { FromWebview } from '../../src/shared/protocol';

type Edit = Extract<FromWebview, { type: 'edit' }>;

/** How long a burst of changes (spinner clicks, a dragged slider) settles before it is written. */
const SETTLE_MS = 250;
/** How long to wait for the host's answer to an edit before sending the next one anyway. */
const ANSWER_MS = 3000;

/**
 * Sends the controls' changes to the host one at a time, each against the document version the page is
 * showing. The host applies an edit only to that version, so the next one waits until the page has seen
 * the text that the previous one produced (the host always answers with an `update`).
 */
export class EditSender {
  private readonly pending = new Map<string, Omit<Edit, 'type' | 'version'>>();
  private settle: ReturnType<typeof setTimeout> | null = null;
  private waiting: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly post: (edit: Edit) => void, private readonly version: () => number | null) {}

  edit(key: SpecControlKey, value: ControlValue, variant: number): void {
    // A later change of the same key replaces one not sent yet.
    this.pending.delete(`${key}#${variant}`);
    this.pending.set(`${key}#${variant}`, { key, value, variant });
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = null;
      this.flush();
    }, SETTLE_MS);
  }

  /** The page received the document's text (after an edit, a refusal, or the user typing). */
  answered(): void {
    if (this.waiting) clearTimeout(this.waiting);
    this.waiting = null;
    if (!this.settle) this.flush();
  }

  private flush(): void {
    const version = this.version();
    if (this.waiting || version === null) return;
    const [id, next] = this.pending.entries().next().value ?? [];
    if (!id || !next) return;
    this.pending.delete(id);
    this.post({ type: 'edit', ...next, version });
    this.waiting = setTimeout(() => this.answered(), ANSWER_MS);
  }

  dispose(): void {
    if (this.settle) clearTimeout(this.settle);
    if (this.waiting) clearTimeout(this.waiting);
  }
}
