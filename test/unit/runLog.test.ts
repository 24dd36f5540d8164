import * as assert from 'assert';
import { RUN_LOG_FORMAT, restoreNumbers, type LoggedStep } from '../../src/core/runLog/format';
import { RunLogReader, type LogEvent } from '../../src/core/runLog/reader';
import { headerLine } from '../../src/shared/runLines';
import { spec } from '../support/specs';

/** The run log reader: a header first, lines counted and skipped, pieces of any size, limits kept. */

const SPEC = spec('{ "model": { "cell": "lstm", "hiddenSize": 4 }, "task": { "name": "adding", "length": 5 }, "compare": [{ "cell": "rnn" }] }');
const HEADER = headerLine(SPEC, { producer: 'rnn-lens train', backend: 'wasm', device: 'cpu', startedAt: '2026-12-07T10:00:00.000Z', source: 'a.rnn.json' });

function stepLine(variant: number, step: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'step', variant, label: SPEC.variants[variant]?.label ?? 'none', step, loss: 0.5 / step, gradNorm: 1, clippedNorm: 1, clipped: false,
    hiddenGradNorms: [0.1, 0.2, 0.3, 0.4, 0.5], ...extra,
  });
}

const SUMMARY = JSON.stringify({ type: 'summary', steps: 3, loss: 0.1, metric: null, seq2seq: null, stepsPerSecond: 10, backend: 'wasm', diverged: null });

const bytes = (text: string) => new TextEncoder().encode(text);

function readAll(text: string, reader = new RunLogReader()): { reader: RunLogReader; events: LogEvent[] } {
  return { reader, events: reader.push(bytes(text)) };
}

const kinds = (events: readonly LogEvent[]) => events.map((e) => e.kind);

describe('reading a run log', () => {
  it('reads the header, every step and the summary, with nothing counted as skipped', () => {
    const { reader, events } = readAll([HEADER, stepLine(0, 1), stepLine(1, 1), SUMMARY, ''].join('\n'));
    assert.deepStrictEqual(kinds(events), ['header', 'step', 'step', 'summary']);
    assert.strictEqual(reader.header?.format, RUN_LOG_FORMAT);
    assert.deepStrictEqual(reader.header?.spec, JSON.parse(JSON.stringify(SPEC)));
    assert.deepStrictEqual(reader.counts, { lines: 4, steps: 2, malformed: 0, firstMalformed: 0, tooLong: 0, samplesDropped: 0, sweepLines: 0, nextRunAt: 0 });
    assert.strictEqual(reader.pending, 0);
    assert.strictEqual(reader.problem, null);
  });

  it('counts and skips lines that are not JSON or not lines of this log, and names the first', () => {
    const lines = [
      HEADER, stepLine(0, 1), 'not json at all', '{"type":"step"', stepLine(5, 2), '[1,2,3]', JSON.stringify({ type: 'step', variant: 0 }),
      JSON.stringify({ type: 'epoch', n: 1 }), stepLine(0, 2, { hiddenGradNorms: 'many' }), '', '   ', stepLine(1, 3), SUMMARY,
    ];
    const { reader, events } = readAll(`${lines.join('\r\n')}\r\n`);
    assert.deepStrictEqual(kinds(events), ['header', 'step', 'step', 'summary']);
    assert.strictEqual(reader.counts.malformed, 7, 'a broken line, a cut line, a model the spec lacks, an array, a step without its record, an unknown type, a measure of the wrong shape');
    assert.strictEqual(reader.counts.firstMalformed, 3);
    assert.strictEqual(reader.counts.lines, 13);
  });

  it('waits for a line cut mid-way, in pieces of any size, and says how much of it waits', () => {
    const text = [HEADER, stepLine(0, 1), stepLine(1, 1), ''].join('\n');
    const reader = new RunLogReader();
    const events: LogEvent[] = [];
    // Piece boundaries everywhere, inside a UTF-8 character of the description too.
    const all = bytes(text.replace('"description":null', '"description":"lange Übung ✓"'));
    for (let i = 0; i < all.length; i += 7) events.push(...reader.push(all.subarray(i, i + 7)));
    assert.deepStrictEqual(kinds(events), ['header', 'step', 'step']);
    assert.strictEqual(reader.header?.spec.description, 'lange Übung ✓');
    const cut = stepLine(0, 2).slice(0, 40);
    assert.deepStrictEqual(reader.push(bytes(cut)), []);
    assert.strictEqual(reader.pending, 40, 'a truncated last line is held, not read');
    assert.deepStrictEqual(kinds(reader.push(bytes(`${stepLine(0, 2).slice(40)}\n`))), ['step']);
    assert.strictEqual(reader.pending, 0);
    assert.strictEqual(reader.counts.malformed, 0);
  });

  it('refuses a log without a header, naming why, and reads nothing after', () => {
    for (const first of [stepLine(0, 1), 'garbage', '{"type":"summary"}', JSON.stringify({ format: 1, spec: SPEC })]) {
      const { reader, events } = readAll(`${first}\n${HEADER}\n${stepLine(0, 1)}\n`);
      assert.deepStrictEqual(events, [], first);
      assert.deepStrictEqual(reader.problem, { code: 'noHeader', args: [] }, first);
    }
  });

  it('refuses a format it does not read, and a header whose spec it cannot draw', () => {
    const header = JSON.parse(HEADER) as Record<string, unknown>;
    const future = readAll(`${JSON.stringify({ ...header, format: 2 })}\n${stepLine(0, 1)}\n`);
    assert.deepStrictEqual(future.reader.problem, { code: 'format', args: ['2', RUN_LOG_FORMAT] });
    assert.deepStrictEqual(future.events, []);
    const odd = readAll(`${JSON.stringify({ ...header, format: '1.0' })}\n`);
    assert.deepStrictEqual(odd.reader.problem, { code: 'format', args: ['1.0', RUN_LOG_FORMAT] });
    const bad = (patch: Record<string, unknown>) => readAll(`${JSON.stringify({ ...header, ...patch })}\n`).reader.problem;
    assert.deepStrictEqual(bad({ spec: { ...SPEC, variants: [] } }), { code: 'badHeader', args: ['spec'] });
    assert.deepStrictEqual(bad({ spec: { ...SPEC, model: { ...SPEC.model, cell: 'transformer' } } }), { code: 'badHeader', args: ['spec'] });
    assert.deepStrictEqual(bad({ worldSize: 0 }), { code: 'badHeader', args: ['worldSize'] });
    assert.deepStrictEqual(bad({ backend: 7 }), { code: 'badHeader', args: ['backend'] });
    // Past the editor's limits is fine: an exported script trains what the editor would not.
    assert.strictEqual(bad({ spec: { ...SPEC, task: { ...SPEC.task, minLength: 5000, maxLength: 5000 } } }), null);
  });

  it('stops at a second run appended to the same file', () => {
    const { reader, events } = readAll([HEADER, stepLine(0, 1), HEADER, stepLine(0, 1), ''].join('\n'));
    assert.deepStrictEqual(kinds(events), ['header', 'step']);
    assert.strictEqual(reader.counts.nextRunAt, 3);
  });

  it('skips a line longer than its limit unread, whether it comes whole or in pieces', () => {
    const reader = new RunLogReader({ maxLineChars: 3000, maxSampleNumbers: 100 });
    const long = stepLine(0, 1, { padding: 'x'.repeat(5000) });
    assert.ok(HEADER.length < 3000, 'the header fits the test limit');
    const events = reader.push(bytes(`${HEADER}\n${long}\n${stepLine(0, 2)}\n`));
    for (let i = 0; i < long.length; i += 300) events.push(...reader.push(bytes(long.slice(i, i + 300))));
    events.push(...reader.push(bytes(`\n${stepLine(1, 3)}\n`)));
    assert.deepStrictEqual(events.filter((e) => e.kind === 'step').map((e) => e.kind === 'step' && e.step.step), [2, 3]);
    assert.strictEqual(reader.counts.tooLong, 2);
    assert.strictEqual(reader.counts.malformed, 0);
  });

  it('drops a sample too large to keep, and keeps the rest of its report', () => {
    const reader = new RunLogReader({ maxLineChars: 1e6, maxSampleNumbers: 100 });
    const sample = (rows: number) => ({ index: 0, gates: { input: Array.from({ length: rows }, () => [0.5, 0.5, 0.5, 0.5]) } });
    const events = reader.push(bytes([HEADER, stepLine(0, 1, { sample: sample(5) }), stepLine(0, 2, { sample: sample(50) }), ''].join('\n')));
    const steps = events.flatMap((e) => (e.kind === 'step' ? [e.step] : []));
    assert.ok(steps[0].sample, 'a small sample stays');
    assert.strictEqual(steps[1].sample, undefined);
    assert.deepStrictEqual(steps[1].hiddenGradNorms, [0.1, 0.2, 0.3, 0.4, 0.5]);
    assert.strictEqual(reader.counts.samplesDropped, 1);
  });

  it('turns a JSON null back into NaN where a number was, and keeps "none" where a field was null', () => {
    const line = JSON.parse(stepLine(0, 4, {
      loss: null, hiddenGradNorms: [1, null, 3, 4, 5], metric: { name: 'mse', value: null }, forgetProduct: null,
      gates: { forget: { mean: [null, 0.5], low: [0, 0], high: [1, 1] } },
    })) as LoggedStep;
    const { variant, report } = restoreNumbers(line);
    assert.strictEqual(variant, 0);
    assert.ok(Number.isNaN(report.loss));
    assert.strictEqual(report.step, 4);
    assert.ok(Number.isNaN(report.hiddenGradNorms![1]) && report.hiddenGradNorms![2] === 3);
    assert.ok(Number.isNaN(report.metric!.value) && report.metric!.name === 'mse');
    assert.strictEqual(report.forgetProduct, null);
    assert.ok(Number.isNaN(report.gates!.forget.mean[0]));
    assert.strictEqual(report.inputGradNorms, undefined, 'a measure the line lacks stays absent');
  });
});
