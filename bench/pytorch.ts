import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';
import { repoRoot } from '../tools/root';
import type { CellKind } from '../src/core/modelSpec/types';

/**
 * PyTorch's step on one CPU thread (bench/pytorch.py), served by a Python process that stays up, so that the
 * benchmark can interleave it with its own steps. Debian's python3-torch installs for /usr/bin/python3; a
 * python3 earlier on the PATH may lack torch, so the first Python that imports it is used.
 */

/** The BLAS behind PyTorch's matrix products, as the Python side found it in its own process. */
export interface BlasInfo {
  /** 'openblas', 'mkl', 'blis', 'atlas', 'armpl' or 'reference'. */
  readonly kind: string;
  readonly name: string;
  /** OpenBLAS's own description of its build, when it gives one. */
  readonly detail: string | null;
  readonly library: string | null;
  /** One-thread float32 throughput of a 256 × 256 product, GFLOP/s. */
  readonly gflops: number;
}

export interface TorchInfo {
  readonly torch: string;
  readonly threads: number;
  readonly blas: BlasInfo;
}

export interface TorchConfig {
  readonly cell: CellKind;
  readonly hidden: number;
  readonly length: number;
  readonly batch: number;
}

const PYTHONS = ['/usr/bin/python3', 'python3', 'python'];

function pythonWithTorch(): string | null {
  return PYTHONS.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) ?? null;
}

/** Why PyTorch is not compared on this BLAS, or null when it is: the reference BLAS is not what users run. */
export function refusal(blas: BlasInfo): string | null {
  if (blas.kind !== 'reference') return null;
  return `PyTorch here runs its matrix products on ${blas.name}${blas.library ? ` (${blas.library})` : ''}, ` +
    `${blas.gflops.toFixed(1)} GFLOP/s for a 256 × 256 product: not compared, since no user runs PyTorch that way. ` +
    'Install an optimised BLAS (apt-get install -y libopenblas0-pthread) and run the benchmark again.';
}

/** How the PyTorch rows ran, for the line above a table. */
export function describeTorch(info: TorchInfo, python: string): string {
  return `PyTorch ${info.torch} (${python}), ${info.threads} thread, BLAS: ${info.blas.name} ` +
    `(${info.blas.library ?? 'linked into torch'}; a 256 × 256 float32 product at ${info.blas.gflops.toFixed(1)} GFLOP/s)`;
}

/** The Python process that times PyTorch's steps, one request at a time. */
export class TorchServer {
  private readonly lines: AsyncIterator<string>;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly python: string, readonly info: TorchInfo, lines: AsyncIterator<string>) {
    this.lines = lines;
  }

  /** Starts the server and reads what it runs on; a string says why it could not start. */
  static async start(): Promise<TorchServer | string> {
    const python = pythonWithTorch();
    if (!python) return `no Python here imports torch (tried ${PYTHONS.join(', ')}; apt-get install -y python3-torch)`;
    const script = path.join(repoRoot(), 'bench', 'pytorch.py');
    // One thread: torch.set_num_threads covers PyTorch's own pool; OpenBLAS and MKL read these.
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const child = spawn(python, [script], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) return `${python} ${script} failed: ${stderr.trim().split('\n').pop() ?? 'no output'}`;
    return new TorchServer(child, python, JSON.parse(first.value) as TorchInfo, lines);
  }

  /** Ms of each of `steps` timed steps after `warmup` untimed ones, on the model kept for this configuration. */
  async time(config: TorchConfig, steps: number, warmup: number): Promise<number[]> {
    return (await this.times(config, steps, warmup)).ms;
  }

  /** Wall and CPU ms of each of `steps` timed steps after `warmup` untimed ones. */
  times(config: TorchConfig, steps: number, warmup: number): Promise<{ ms: number[]; cpuMs: number[] }> {
    const run = this.queue.then(async () => {
      this.child.stdin.write(`${JSON.stringify({ ...config, steps, warmup })}\n`);
      const answer = await this.lines.next();
      if (answer.done) throw new Error('the PyTorch process ended');
      return JSON.parse(answer.value) as { ms: number[]; cpuMs: number[] };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
