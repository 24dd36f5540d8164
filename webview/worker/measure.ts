import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { Trainer } from '../../src/core/train/trainer';

/** At most this long timing one backend, after its warm-up step; at least two timed steps. */
const BUDGET_MS = 800;
const MAX_STEPS = 5;

/**
 * Milliseconds per training step of every model of `spec` on the active backend: the fastest of a few steps
 * after one warm-up (which compiles shaders and instantiates kernels). Throwaway trainers, disposed after:
 * the run that follows starts from its own seed, so measuring changes neither its data nor its weights.
 */
export async function timeSteps(spec: ResolvedSpec): Promise<number> {
  const trainers = spec.variants.map((_, i) => new Trainer(spec, i));
  try {
    const round = async () => {
      for (const t of trainers) if (!t.diverged) await t.train(false);
    };
    await round();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < MAX_STEPS && (times.length < 2 || performance.now() - start < BUDGET_MS)) {
      const t0 = performance.now();
      await round();
      times.push(performance.now() - t0);
    }
    return Math.min(...times);
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}
