/**
 * Work done in slices: a generator that yields between slices. Run to its end at once inside a training step,
 * or a slice at a time in a thread that also answers other requests (the scoring thread), so that a long solve
 * never holds back a score queued behind it.
 */
export type Work<T> = Generator<void, T>;

/** Runs the work to its end now. */
export function finish<T>(work: Work<T>): T {
  for (;;) {
    const next = work.next();
    if (next.done) return next.value;
  }
}

/** Runs the work a slice at a time, handing the thread back (`pause`) once a slice has run for `sliceMs`. */
export async function finishInSlices<T>(work: Work<T>, pause: () => Promise<void>, sliceMs = 20): Promise<T> {
  let started = performance.now();
  for (;;) {
    const next = work.next();
    if (next.done) return next.value;
    if (performance.now() - started >= sliceMs) {
      await pause();
      started = performance.now();
    }
  }
}
