/**
 * A list of a run's entries (records, reports, a measure's points) kept to at most `max` entries spread evenly
 * over the run's steps, however long it runs. The steps are cut into buckets of `stride` steps (a power of two)
 * and each bucket keeps its first entry; the latest entry is kept too, whatever its bucket, so that a chart ends
 * where the run is. When the list overflows, the stride doubles. Thinning by halving the whole list at each
 * overflow instead would keep new entries far denser than old ones: the oldest halved at every overflow, the
 * newest at none.
 */
export interface Evenly<T> {
  readonly list: T[];
  readonly stride: number;
}

const bucketOf = (step: number, stride: number) => Math.floor(step / stride);

/** The first entry of each bucket, and the last entry. */
function firstPerBucket<T extends { readonly step: number }>(list: readonly T[], stride: number): T[] {
  return list.filter((x, i) => i === 0 || i === list.length - 1 || bucketOf(x.step, stride) !== bucketOf(list[i - 1].step, stride));
}

/** `list` (kept at `stride`) with `items` added, in step order, at most `max` long. */
export function keepEvenly<T extends { readonly step: number }>(list: readonly T[], items: readonly T[], max: number, stride: number): Evenly<T> {
  let out = list.slice();
  let s = stride;
  for (const item of items) {
    const last = out[out.length - 1];
    const before = out[out.length - 2];
    // The last entry shares its bucket with the one before it: it was kept only as the latest, and gives way.
    if (last && before && bucketOf(last.step, s) === bucketOf(before.step, s)) out.pop();
    out.push(item);
    while (out.length > max) {
      const wider = firstPerBucket(out, s * 2);
      s *= 2;
      // Every entry in one bucket (a budget of one or two): keep the newest.
      out = wider.length < out.length ? wider : out.slice(out.length - max);
    }
  }
  return { list: out, stride: s };
}
