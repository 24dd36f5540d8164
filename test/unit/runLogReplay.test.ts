import * as assert from 'assert';
import { keepEvenly } from '../../webview/run/evenly';
import { MAX_RECORDS } from '../../webview/run/history';
import { divergenceFromReason, LogReplay } from '../../webview/run/logReplay';
import { TrainingClient } from '../../webview/run/training';
import { readHeader, type LoggedStep, type RunHeader } from '../../src/core/runLog/format';
import type { LogMessage } from '../../src/shared/logProtocol';
import { headerLine } from '../../src/shared/runLines';
import { RunLogFollower, type LogFile } from '../../src/shared/runLogFollow';
import { divergenceReason } from '../../src/shared/strings';
import { spec } from '../support/specs';

/**
 * Following a growing file (with a stand-in for VS Code's file system), and replaying what it holds in the
 * page's own training state: bounded, thinned evenly, scrubbed back and forth.
 */

const SPEC = spec('{ "model": { "cell": "gru", "hiddenSize": 4 }, "task": { "name": "adding", "length": 6 }, "training": { "steps": 100000 }, "compare": [{ "cell": "rnn" }] }');
const HEADER = headerLine(SPEC, { producer: 'pytorch', backend: 'pytorch', device: 'cuda', worldSize: 4, startedAt: '2026-12-07T10:00:00.000Z' });

function step(variant: number, at: number, extra: Record<string, unknown> = {}): LoggedStep {
  return {
    variant, step: at, loss: 1 / at, gradNorm: 2, clippedNorm: 2, clipped: false, hiddenGradNorms: [1, 2, 3, 4, 5, 6],
    metric: { name: 'mse', value: 1 / at }, ...extra,
  } as LoggedStep;
}

const line = (s: LoggedStep) => JSON.stringify({ type: 'step', label: SPEC.variants[s.variant].label, ...s });

/** A file in memory that a test grows, cuts and breaks, with the watcher's callback at hand. */
class MemoryFile implements LogFile {
  text = '';
  mtime = 0;
  failing: Error | null = null;
  reads = 0;
  private listener: (() => void) | null = null;

  stat() {
    return this.failing ? Promise.reject(this.failing) : Promise.resolve({ size: Buffer.byteLength(this.text), mtime: this.mtime });
  }

  read() {
    this.reads++;
    return this.failing ? Promise.reject(this.failing) : Promise.resolve(new Uint8Array(Buffer.from(this.text)));
  }

  watch(onChange: () => void) {
    this.listener = onChange;
    return () => { this.listener = null; };
  }

  write(text: string): void {
    this.text = text;
    this.mtime++;
    this.listener?.();
  }
}

/** A file the platform reads in parts (Node's), recording the size of every read. */
class RangedFile extends MemoryFile {
  ranges: number[] = [];

  readRange(start: number, end: number) {
    this.ranges.push(end - start);
    return this.failing ? Promise.reject(this.failing) : Promise.resolve(new Uint8Array(Buffer.from(this.text).subarray(start, end)));
  }
}

/** Waits until `test` holds, polling (the follower reads asynchronously). */
async function until(test: () => boolean, what: string | (() => string)): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (test()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`never: ${typeof what === "string" ? what : what()}`);
}

describe('following a run log', () => {
  const started: RunLogFollower[] = [];
  afterEach(() => started.splice(0).forEach((f) => f.dispose()));

  function follow(file: LogFile, maxBytes?: number, chunkBytes?: number): LogMessage[] {
    const sent: LogMessage[] = [];
    const follower = new RunLogFollower(file, (m) => sent.push(m), maxBytes, chunkBytes);
    started.push(follower);
    follower.start().catch((e: unknown) => assert.fail(String(e)));
    return sent;
  }

  const stepsIn = (sent: readonly LogMessage[]) => sent.flatMap((m) => (m.type === 'logSteps' ? m.steps.map((s) => s.step) : []));
  const lastStatus = (sent: readonly LogMessage[]) => [...sent].reverse().find((m) => m.type === 'logStatus');

  it('passes each new line on once, as the file grows, a cut line once it ends', async () => {
    const file = new MemoryFile();
    file.write('');
    const sent = follow(file);
    await until(() => sent.some((m) => m.type === 'logStatus'), 'a first status');
    file.write(`${HEADER}\n${line(step(0, 1))}\n${line(step(1, 1)).slice(0, 30)}`);
    await until(() => stepsIn(sent).length === 1, 'the first step');
    assert.strictEqual(sent.filter((m) => m.type === 'logStart').length, 1);
    const status = lastStatus(sent);
    assert.ok(status?.type === 'logStatus' && status.status.pending === 30 && status.status.following);
    file.write(`${file.text}${line(step(1, 1)).slice(30)}\n${line(step(0, 2))}\n`);
    await until(() => stepsIn(sent).length === 3, 'the rest');
    assert.deepStrictEqual(stepsIn(sent), [1, 1, 2]);
  });

  it('starts afresh when the file is written anew, and says when it cannot be read', async () => {
    const file = new MemoryFile();
    file.write(`${HEADER}\n${line(step(0, 1))}\n${line(step(0, 2))}\n`);
    const sent = follow(file);
    await until(() => stepsIn(sent).length === 2, 'the first run');
    file.write(`${HEADER.replace('cuda', 'cpu')}\n${line(step(0, 1))}\n`);
    await until(() => sent.filter((m) => m.type === 'logStart').length === 2, 'a second start');
    const starts = sent.filter((m): m is Extract<LogMessage, { type: 'logStart' }> => m.type === 'logStart');
    assert.strictEqual(starts[1].header.device, 'cpu');
    file.failing = new Error('ENOENT: gone');
    file.write(file.text);
    await until(() => lastStatus(sent)?.type === 'logStatus' && (lastStatus(sent) as { status: { problem: unknown } }).status.problem !== null, 'a problem');
    assert.deepStrictEqual((lastStatus(sent) as Extract<LogMessage, { type: 'logStatus' }>).status.problem, { code: 'unreadable', args: ['ENOENT: gone'] });
    file.failing = null;
    file.write(file.text);
    await until(() => (lastStatus(sent) as Extract<LogMessage, { type: 'logStatus' }>).status.problem === null, 'recovery');
  });

  it('refuses a file over the limit without reading it, and a file without a header for good', async () => {
    const big = new MemoryFile();
    big.write(`${HEADER}\n${'x'.repeat(5000)}\n`);
    const sent = follow(big, 1000);
    await until(() => sent.length > 0, 'a status');
    assert.deepStrictEqual((sent[0] as Extract<LogMessage, { type: 'logStatus' }>).status.problem, { code: 'tooLarge', args: [Buffer.byteLength(big.text), 1000] });
    assert.strictEqual(big.reads, 0, 'a file over the limit is never read');
    const headless = new MemoryFile();
    headless.write(`${line(step(0, 1))}\n`);
    const said = follow(headless);
    await until(() => said.length > 0, 'a status');
    assert.deepStrictEqual((said[0] as Extract<LogMessage, { type: 'logStatus' }>).status.problem, { code: 'noHeader', args: [] });
  });
});

describe('following a run log read in parts', () => {
  const started: RunLogFollower[] = [];
  afterEach(() => started.splice(0).forEach((f) => f.dispose()));

  it('reads a log over the whole-file limit a bounded part at a time, each line once, as it grows', async () => {
    const file = new RangedFile();
    const lines = [HEADER, ...Array.from({ length: 300 }, (_, i) => line(step(i % 2, 1 + Math.floor(i / 2))))];
    file.write(`${lines.slice(0, 200).join('\n')}\n`);
    const sent: LogMessage[] = [];
    const follower = new RunLogFollower(file, (m) => sent.push(m), 1000, 4096);
    started.push(follower);
    await follower.start();
    const steps = () => sent.flatMap((m) => (m.type === 'logSteps' ? m.steps.map((s) => [s.variant, s.step]) : []));
    assert.ok(Buffer.byteLength(file.text) > 10 * 4096, 'many parts, and far over the whole-file limit of 1000 bytes');
    assert.strictEqual(steps().length, 199);
    assert.ok(Math.max(...file.ranges) <= 4096, `the largest read was ${Math.max(...file.ranges)} bytes`);
    assert.strictEqual(file.reads, 0, 'never read whole');
    file.write(`${file.text}${lines.slice(200).join('\n')}\n`);
    await until(() => steps().length === 300, () => `the rest: ${steps().length} steps`);
    assert.deepStrictEqual(steps(), lines.slice(1).map((l) => { const o = JSON.parse(l) as { variant: number; step: number }; return [o.variant, o.step]; }));
    const status = [...sent].reverse().find((m) => m.type === 'logStatus');
    assert.ok(status?.type === 'logStatus' && status.status.problem === null && status.status.malformed === 0);
    // Written anew, shorter: read again from its start.
    file.write(`${HEADER}\n${line(step(0, 1))}\n`);
    await until(() => sent.filter((m) => m.type === 'logStart').length === 2, 'a second start');
  });
});

describe('keeping a list evenly', () => {
  it('spreads what it keeps evenly over the steps, ends at the latest, and stays within its bound', () => {
    for (const [n, max, by] of [[100_000, 4000, 1], [12_345, 160, 7], [5000, 1000, 500]] as const) {
      let kept = { list: [] as { step: number }[], stride: 1 };
      for (let at = 1; at <= n; at += by) {
        kept = keepEvenly(kept.list, Array.from({ length: Math.min(by, n - at + 1) }, (_, k) => ({ step: at + k })), max, kept.stride);
      }
      const steps = kept.list.map((x) => x.step);
      assert.ok(steps.length <= max && steps.length > max / 4, `${n}, ${max}: ${steps.length} kept`);
      assert.strictEqual(steps[steps.length - 1], n);
      const gaps = steps.slice(1, -1).map((x, i) => x - steps[i]);
      assert.ok(Math.max(...gaps) <= 2 * Math.min(...gaps), `${n}, ${max}: gaps from ${Math.min(...gaps)} to ${Math.max(...gaps)}`);
    }
  });
});

describe('replaying a run log in the page', () => {
  const header = (readHeader(JSON.parse(HEADER)) as { header: RunHeader }).header;

  function replay() {
    const client = new TrainingClient({}, () => undefined);
    const r = new LogReplay(client, () => 'normal', () => undefined);
    r.start(header);
    return { client, r };
  }

  it('shows the whole log as it arrives, then any earlier position, through the training state', () => {
    const { client, r } = replay();
    r.add([step(0, 10), step(1, 10), step(0, 20), step(1, 20), step(0, 30)]);
    const state = client.state;
    assert.strictEqual(state.replayed, true);
    assert.deepStrictEqual(state.variants.map((v) => v.records.map((x) => x.step)), [[10, 20, 30], [10, 20]]);
    assert.strictEqual(state.step, 30);
    assert.deepStrictEqual(r.position, { shown: 3, total: 3, playing: false, following: true, ended: false });
    r.moveTo(1);
    assert.deepStrictEqual(state.variants.map((v) => v.records.map((x) => x.step)), [[10], [10]], 'back: a new run from the start');
    assert.strictEqual(state.variants[0].latest?.step, 10);
    r.step();
    assert.deepStrictEqual(state.variants[0].records.map((x) => x.step), [10, 20]);
    r.add([step(1, 30)]);
    assert.deepStrictEqual(state.variants[1].records.map((x) => x.step), [10, 20], 'a replay held in the middle stays where it is');
    r.moveTo(r.position.total);
    assert.deepStrictEqual(state.variants[1].records.map((x) => x.step), [10, 20, 30]);
    r.reset();
    assert.deepStrictEqual(state.variants.map((v) => v.records.length), [0, 0]);
    r.dispose();
  });

  it('keeps a bounded, evenly thinned recording however long the log', () => {
    const { client, r } = replay();
    const n = 3 * MAX_RECORDS;
    for (let at = 1; at <= n; at += 500) r.add(Array.from({ length: Math.min(500, n - at + 1) }, (_, k) => step(0, at + k)));
    const v = client.state.variants[0];
    assert.ok(v.records.length <= MAX_RECORDS, `${v.records.length} records kept`);
    assert.ok(v.reports.length <= 1000 && v.reports.length >= 500, `${v.reports.length} reports kept`);
    assert.strictEqual(v.records[v.records.length - 1].step, n, 'the latest is always kept');
    const gaps = v.reports.slice(1).map((x, i) => x.step - v.reports[i].step);
    assert.ok(Math.max(...gaps) <= 2 * Math.min(...gaps), `evenly: gaps from ${Math.min(...gaps)} to ${Math.max(...gaps)}`);
    assert.strictEqual(r.position.shown, r.position.total);
    r.dispose();
  });

  it('marks where a model diverged once the summary says so, in words it can translate', () => {
    const { client, r } = replay();
    r.add([step(0, 1), step(1, 1)]);
    const reason = divergenceReason({ step: 2, code: 'gradient-not-finite', args: ['Infinity', 2, '3.125'] });
    r.finish({ results: [{ steps: 1, diverged: { step: 2, reason } }, { steps: 1, diverged: { step: 2, reason: 'a reason from elsewhere' } }], stepsPerSecond: 5 });
    assert.deepStrictEqual(client.state.variants[0].divergence, { step: 2, code: 'gradient-not-finite', args: ['Infinity', '2', '3.125'] });
    assert.strictEqual(client.state.variants[1].divergence, null);
    assert.deepStrictEqual(r.unreadDivergences, [{ label: 'rnn', step: 2, reason: 'a reason from elsewhere' }]);
    assert.strictEqual(client.state.runState, 'done');
    assert.strictEqual(divergenceFromReason(1, 'something else'), null);
    r.dispose();
  });
});
