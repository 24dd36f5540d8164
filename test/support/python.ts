import { spawnSync } from 'child_process';

/** Where to look for a Python that imports torch: $RNN_LENS_PYTHON, then the PATH's, then Debian's. */
export const PYTHON_CANDIDATES = [process.env.RNN_LENS_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter((p): p is string => !!p);

/**
 * The first candidate that imports torch. A `python3` early on the PATH (pyenv, a venv) may lack it while
 * Debian's /usr/bin/python3 has it. None: an error whose message says how to install it, so a machine
 * without PyTorch fails these tests rather than skipping them.
 */
export function findTorchPython(candidates: readonly string[] = PYTHON_CANDIDATES): string {
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return python;
  }
  throw new Error(`no Python that imports torch (tried ${candidates.join(', ')}): apt-get install -y python3-torch`);
}

/**
 * The environment the tests run Python in: one thread per process (the tests run several side by side on a
 * small machine), and no bytecode caches written into the source tree.
 */
export function pythonEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1', ...extra };
}
