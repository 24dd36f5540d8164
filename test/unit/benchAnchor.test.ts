import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { refusal, type BlasInfo } from '../../bench/pytorch';
import { splitProfile, type CpuProfile } from '../../bench/timeSplit';
import { repoRoot } from '../../tools/root';
import { pythonEnv } from '../support/python';

/** bench/blas.py needs no torch: any Python 3 runs it. */
const PYTHON = process.env.RNN_LENS_PYTHON ?? 'python3';

/**
 * The benchmark's honest anchor, without running it: which BLAS bench/pytorch.py says PyTorch runs on, from the
 * libraries mapped into its process (the build's own info says BLAS_INFO=generic either way), and the refusal to
 * compare against the reference BLAS. And how bench/timeSplit.ts puts profile samples into parts.
 */
/** bench/blas.py's classify on each case (libraries, the build's config), in one Python run. */
function classify(cases: readonly [string[], string][]): BlasInfo[] {
  const code = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(path.join(repoRoot(), 'bench'))})`,
    'import blas',
    'describe = lambda p: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64"',
    `print(json.dumps([blas.classify(libraries, config, 1.5, describe) for libraries, config in ${JSON.stringify(cases)}]))`,
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', env: pythonEnv() });
  assert.strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as BlasInfo[];
}

describe('the benchmark\'s anchor', function () {
  this.timeout(60_000);

  it('names the BLAS from the libraries the PyTorch process maps, whatever the build says', () => {
    const [reference, openblas, mkl] = classify([
      [['/usr/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'], 'BLAS_INFO=generic'],
      [['/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'], 'BLAS_INFO=generic'],
      [[], 'BLAS_INFO=mkl'],
    ]);
    assert.strictEqual(reference.kind, 'reference');
    assert.strictEqual(reference.library, '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3');
    assert.deepStrictEqual([openblas.kind, openblas.name], ['openblas', 'OpenBLAS 0.3.21, pthread build']);
    assert.strictEqual(mkl.kind, 'mkl', 'MKL linked into torch has no library of its own');
  });

  it('refuses to compare with the reference BLAS, and says how to get another', () => {
    const blas = { kind: 'reference', name: 'the reference BLAS (netlib)', detail: null, library: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3', gflops: 1.5 };
    assert.match(refusal(blas) ?? '', /not compared.*apt-get install -y libopenblas0-pthread/);
    assert.strictEqual(refusal({ ...blas, kind: 'openblas', name: 'OpenBLAS 0.3.21' }), null);
  });

  it('puts each sample of a profile of training steps into its part', () => {
    // root → train → {gemmT, lstmForward, addReportStats → gateStats, read, runKernel}; root → GC; root → post.
    const names = ['(root)', 'train', 'assembly/linear/gemmT', 'assembly/index/lstmForward', 'addReportStats', 'assembly/stats/gateStats', 'read', 'runKernel', '(garbage collector)', 'post'];
    const children: Record<number, number[]> = { 1: [2, 9, 10], 2: [3, 4, 5, 7, 8], 5: [6] };
    const profile: CpuProfile = {
      nodes: names.map((functionName, i) => ({ id: i + 1, callFrame: { functionName }, children: children[i + 1] })),
      samples: [3, 3, 4, 6, 7, 8, 9, 10],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    assert.deepStrictEqual(splitProfile(profile), { 'matrix products': 2, elementwise: 1, measurements: 1, readback: 1, rest: 2 });
  });
});
