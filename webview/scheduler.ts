/**
 * Redraws what changed, when it is on screen, within a frame budget. Every input has a version; each item
 * (a view) remembers the versions it last drew from, so it is stale exactly when one of its own inputs moved
 * on. After each animation frame, a task of its own draws stale items that are in (or near) the viewport until
 * its budget is spent and leaves the rest for after the next frame; nothing is drawn while the page is hidden.
 */

/** Drawing time per animation frame; items that do not fit wait for the next frame. */
const FRAME_BUDGET_MS = 12;
/** While training, an item is redrawn at most this often: charts need not move at 60 fps. */
const MIN_REDRAW_MS = 150;

export interface Scheduled<I extends string> {
  /** For DevTools' performance panel (`rnn-lens:<name>`). */
  readonly name: string;
  readonly element: Element;
  readonly inputs: readonly I[];
  /** Draws the item, or its first part and returns the rest (one step per part; see `Drawing` in views/view.ts). */
  draw(): Iterator<unknown> | undefined;
  /** Whether the item is shown at all (a closed view is not); absent: always. */
  active?(): boolean;
}

interface Entry<I extends string> {
  readonly item: Scheduled<I>;
  /** Input versions at the last drawing. */
  drawnFrom: Map<I, number>;
  drawnAt: number;
  /** How long the last drawing took in the task it began in (for one in parts, its first parts), in ms. */
  cost: number;
  /** Drawings so far: the item's element carries it as `data-draws` (tests count redraws with it) once a drawing is whole. */
  draws: number;
  /** The parts of a drawing not yet drawn. */
  rest: Iterator<unknown> | null;
  visible: boolean;
}

export interface SchedulerOptions<I extends string> {
  /** Whether redraws are throttled now (while training). */
  throttled(): boolean;
  /** Runs first in every frame, with the inputs changed since the last frame (cheap chrome: controls, notices). */
  beforeFrame(changed: ReadonlySet<I>): void;
  /** Runs after a frame that drew something. */
  afterDraw?(): void;
}

export class FrameScheduler<I extends string> {
  private readonly entries: Entry<I>[] = [];
  private readonly versions = new Map<I, number>();
  private changed = new Set<I>();
  private frame = 0;
  /** Drawing runs in a task of its own, posted from the frame: the frame's style, layout and paint are then
   * another task, and neither blocks the page as long as both together would. */
  private readonly channel = new MessageChannel();
  private posted = false;
  private later: ReturnType<typeof setTimeout> | 0 = 0;
  private readonly observer: IntersectionObserver;
  private readonly onVisibility = () => { if (!document.hidden) this.request(); };

  constructor(private readonly options: SchedulerOptions<I>) {
    this.channel.port1.onmessage = () => { this.posted = false; this.run(); };
    // Items scrolled out of sight are not redrawn until they come back into view.
    this.observer = new IntersectionObserver((records) => {
      for (const record of records) {
        const entry = this.entries.find((e) => e.item.element === record.target);
        if (entry) entry.visible = record.isIntersecting;
      }
      this.request();
    }, { rootMargin: '200px' });
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  add(item: Scheduled<I>): void {
    this.entries.push({ item, drawnFrom: new Map(), drawnAt: -Infinity, cost: 0, draws: 0, rest: null, visible: true });
    this.observer.observe(item.element);
    this.request();
  }

  /** Something outside the inputs changed (a view was opened): look again at what is stale. */
  wake(): void {
    this.request();
  }

  /** These inputs changed: every item that reads one is stale. */
  invalidate(inputs: Iterable<I>): void {
    for (const input of inputs) {
      this.versions.set(input, (this.versions.get(input) ?? 0) + 1);
      this.changed.add(input);
    }
    this.request();
  }

  private stale(entry: Entry<I>): boolean {
    return entry.item.inputs.some((i) => (this.versions.get(i) ?? 0) !== (entry.drawnFrom.get(i) ?? -1));
  }

  private request(): void {
    if (this.frame || this.posted || this.later || document.hidden) return;
    this.frame = requestAnimationFrame(() => this.post());
  }

  private post(): void {
    this.frame = 0;
    this.posted = true;
    this.channel.port2.postMessage(null);
  }

  /**
   * Draws as many stale items as fit in a slice of the frame and leaves the rest for the next one, so that
   * no single task blocks the page (the items are redrawn round-robin while training).
   */
  private run(): void {
    const started = performance.now();
    const changed = this.changed;
    this.changed = new Set();
    this.options.beforeFrame(changed);
    let pending = false;
    let wait = Infinity;
    let drawn = 0;
    const throttled = this.options.throttled();
    for (const entry of this.entries) {
      // A drawing begun in an earlier task is finished first, whatever has changed since.
      if (entry.rest) {
        if (drawn > 0 && performance.now() - started > FRAME_BUDGET_MS) {
          pending = true;
          continue;
        }
        // Unfinished, or finished but stale again: look at it in the next task.
        if (!this.carryOn(entry, started) || this.stale(entry)) pending = true;
        drawn++;
        continue;
      }
      if (!entry.visible || (entry.item.element as HTMLElement).hidden || entry.item.active?.() === false || !this.stale(entry)) continue;
      const since = started - entry.drawnAt;
      if (throttled && since < MIN_REDRAW_MS) {
        wait = Math.min(wait, MIN_REDRAW_MS - since);
        continue;
      }
      // Start an item only if its last drawing fits in what is left of the budget (always draw one).
      if (drawn > 0 && performance.now() - started + entry.cost > FRAME_BUDGET_MS) {
        pending = true;
        continue;
      }
      entry.drawnFrom = new Map(entry.item.inputs.map((i) => [i, this.versions.get(i) ?? 0]));
      const t0 = performance.now();
      const rest = this.measured(entry, () => entry.item.draw());
      entry.drawnAt = t0;
      drawn++;
      if (rest) {
        entry.rest = rest;
        if (!this.carryOn(entry, started)) pending = true;
      } else {
        this.drawn(entry);
      }
      entry.cost = performance.now() - t0;
    }
    if (drawn) this.options.afterDraw?.();
    if (document.hidden) return;
    if (pending) this.frame = requestAnimationFrame(() => this.post());
    else if (Number.isFinite(wait)) this.later = setTimeout(() => { this.later = 0; this.request(); }, wait);
  }

  /** Draws parts of `entry`'s drawing while the budget lasts (one at least); whether it is whole now. */
  private carryOn(entry: Entry<I>, started: number): boolean {
    const rest = entry.rest!;
    let done = false;
    do {
      done = this.measured(entry, () => rest.next().done === true);
    } while (!done && performance.now() - started < FRAME_BUDGET_MS);
    if (done) {
      entry.rest = null;
      this.drawn(entry);
    }
    return done;
  }

  /** Runs part of a drawing, seen by a DevTools recording as `rnn-lens:<name>` (dropped from the page's buffer, which would keep every one). */
  private measured<T>(entry: Entry<I>, part: () => T): T {
    const t0 = performance.now();
    const result = part();
    const measure = `rnn-lens:${entry.item.name}`;
    performance.measure(measure, { start: t0 });
    performance.clearMeasures(measure);
    return result;
  }

  private drawn(entry: Entry<I>): void {
    entry.item.element.setAttribute('data-draws', String(++entry.draws));
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    if (this.later) clearTimeout(this.later);
    this.channel.port1.close();
    this.observer.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
  }
}
