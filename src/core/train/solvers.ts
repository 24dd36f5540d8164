import type { SolveJob, SolvedField } from './measures/table';
import { isSpectrumInput } from './measures/spectrum';
import { spectrumWork } from './spectrum/solve';
import { finish, finishInSlices } from './spectrum/work';

/**
 * The solver of each solved measure (./measures/measure.ts): plain JavaScript that turns the numbers a report
 * step read back into the measure's value, as work in slices (./spectrum/work.ts). Only the trainer and the
 * workers import this file; the page, which imports the table of measures, never loads the linear algebra.
 */
const SOLVERS: { readonly [F in SolvedField]: (input: unknown) => Generator<void, unknown> } = {
  spectrum: (input) => {
    if (!isSpectrumInput(input)) throw new Error('not a spectrum input');
    return spectrumWork(input);
  },
};

/** A solved field's value from its input, now. */
export function solveJob(job: SolveJob): unknown {
  return finish(SOLVERS[job.field](job.input));
}

/** The same, a slice at a time, handing the thread back between slices. */
export function solveJobInSlices(job: SolveJob, pause: () => Promise<void>): Promise<unknown> {
  return finishInSlices(SOLVERS[job.field](job.input), pause);
}
