import { spawnSync } from 'child_process';
import * as path from 'path';
import { repoRoot } from '../tools/root';
import type { CellKind } from '../src/core/modelSpec/types';

/**
 * PyTorch's step on one CPU thread (bench/pytorch.py), for the benchmark's PyTorch column. Debian's
 * python3-torch installs for /usr/bin/python3; a python3 earlier on the PATH may lack torch, so the first
 * Python that imports it is used.
 */
export interface TorchTimes {
  readonly version: string;
  readonly python: string;
  /** Median ms per step by cell. */
  readonly ms: Partial<Record<CellKind, number>>;
}

const PYTHONS = ['/usr/bin/python3', 'python3', 'python'];

function pythonWithTorch(): string | null {
  return PYTHONS.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) ?? null;
}

export function torchTimes(hidden: number, length: number, batch: number, steps: number, warmup: number, cells: readonly CellKind[]): TorchTimes | string {
  const python = pythonWithTorch();
  if (!python) return `no Python here imports torch (tried ${PYTHONS.join(', ')}; apt-get install -y python3-torch)`;
  const script = path.join(repoRoot(), 'bench', 'pytorch.py');
  const run = spawnSync(python, [script, ...[hidden, length, batch, steps, warmup].map(String), ...cells], { encoding: 'utf8' });
  if (run.status !== 0) return `${python} ${script} failed: ${run.stderr.trim().split('\n').pop() ?? ''}`;
  const parsed = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { torch: string; cells: Record<string, { ms: number }> };
  const ms: Partial<Record<CellKind, number>> = {};
  for (const cell of cells) ms[cell] = parsed.cells[cell]?.ms;
  return { version: parsed.torch, python, ms };
}
