import * as assert from 'assert';
import { isFromWebview, isPersistedState, isToWebview } from '../../src/shared/protocol';
import { checkSpec } from '../../src/core/modelSpec/check';
import { isSpecUri } from '../../src/host/specUri';
import { STRINGS } from '../../src/shared/strings';
import { DEFAULT_UI_STATE, isUiState } from '../../src/shared/uiState';
import { isFromWorker, isRunMessage, isToWorker } from '../../src/shared/workerProtocol';
import { useNodeBackend } from '../../src/cli/backends';
import { Trainer } from '../../src/core/train/trainer';

describe('host-webview protocol guards', () => {
  it('accepts the messages the webview sends', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'reveal', offset: 12 }));
    assert.ok(isFromWebview({ type: 'rendered', cell: 'lstm', variants: 2, gates: ['forget'] }));
    assert.ok(isFromWebview({ type: 'log', level: 'warn', text: 'x' }));
    assert.ok(isFromWebview({ type: 'layout', layout: { 'gradient-flow': false, gates: true } }));
  });

  it('rejects anything else a compromised page could send', () => {
    const bad: unknown[] = [
      null, 'ready', 42, [], {}, { type: 'unknown' }, { type: 'reveal' }, { type: 'reveal', offset: -1 },
      { type: 'reveal', offset: 1.5 }, { type: 'reveal', offset: '3' }, { type: 'log', level: 'fatal', text: 'x' },
      { type: 'log', level: 'info', text: 'x'.repeat(20_000) }, { type: 'rendered', cell: 'lstm', variants: 1, gates: 'forget' },
      { type: 'rendered', cell: 'lstm', variants: 1, gates: Array(100).fill('g') },
      { type: 'layout', layout: { gates: 'yes' } }, { type: 'layout', layout: { 'Not A View!': true } }, { type: 'layout', layout: [] },
      { type: 'layout', layout: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`v${i}`, true])) },
    ];
    for (const m of bad) assert.strictEqual(isFromWebview(m), false, JSON.stringify(m));
  });

  it('accepts edits, reveals, status, run records and exports, with JSON\'s null for non-finite numbers', () => {
    assert.ok(isFromWebview({ type: 'edit', key: 'model.hiddenSize', value: 64, variant: 0, version: 3 }));
    assert.ok(isFromWebview({ type: 'edit', key: 'training.clipNorm', value: null, variant: 2, version: 1 }));
    assert.ok(isFromWebview({ type: 'revealKey', key: 'model.init.forgetBias', variant: 1 }));
    const variant = { label: 'lstm', loss: null, forgetGate: 0.9, steps: 3, clipped: 1 };
    assert.ok(isFromWebview({ type: 'status', status: { state: 'training', step: 3, totalSteps: 10, backend: 'wasm', variants: [variant] } }));
    const record = { step: 2, loss: null, gradNorm: null, clippedNorm: null, clipped: false };
    const report = { ...record, hiddenGradNorms: [1, null], layerGradNorms: [[1, null]], gates: {}, metric: { name: 'mse', value: 0.1 }, extra: 1 };
    const run = {
      spec: null, startedAt: '2026-12-07T10:00:00.000Z', backend: 'webgl', seconds: 1.5,
      variants: [{ label: 'lstm', records: [record], reports: [report], metrics: [[2, null]], divergence: null }],
    };
    assert.ok(isFromWebview({ type: 'run', id: 4, run }));
    const { spec } = checkSpec('{ "model": { "cell": "gru" }, "task": { "name": "sine" } }');
    assert.ok(isFromWebview({ type: 'run', id: 4, run: { ...run, spec } }));
    assert.ok(!isFromWebview({ type: 'run', id: 4, run: { ...run, spec: { ...spec, variants: [] } } }), 'a spec a log could not draw');
    assert.ok(!isFromWebview({ type: 'run', id: 4, run: { ...run, startedAt: 7 } }));
    assert.ok(isFromWebview({ type: 'exportView', view: 'gradient-flow', svg: '<svg/>', png: 'iVBORw0KGgo=' }));
  });

  it('refuses edits of keys the controls do not have, values out of range, and odd exports', () => {
    const bad: unknown[] = [
      { type: 'edit', key: 'model.activation', value: 'relu', variant: 0, version: 1 },
      { type: 'edit', key: 'model.hiddenSize', value: 0, variant: 0, version: 1 },
      { type: 'edit', key: 'model.hiddenSize', value: '64', variant: 0, version: 1 },
      { type: 'edit', key: 'model.hiddenSize', value: 64, variant: 9, version: 1 },
      { type: 'edit', key: 'model.hiddenSize', value: 64, variant: 0 },
      { type: 'edit', key: '__proto__', value: 1, variant: 0, version: 1 },
      { type: 'revealKey', key: 'model[0]', variant: 0 }, { type: 'revealKey', key: 'x'.repeat(200), variant: 0 },
      { type: 'status', status: { state: 'flying', step: 1, totalSteps: 2, backend: null, variants: [] } },
      { type: 'status', status: { state: 'idle', step: 1, totalSteps: 2, backend: 'cuda', variants: [] } },
      { type: 'run', id: 1, run: { spec: null, startedAt: '', backend: null, seconds: 0, variants: [{ label: 'x', records: [{ step: 'one' }], reports: [], metrics: [], divergence: null }] } },
      { type: 'run', id: 1, run: { spec: null, startedAt: '', backend: null, seconds: 0, variants: [{ label: 'x', records: [], reports: [{ step: 1 }], metrics: [], divergence: null }] } },
      { type: 'exportView', view: '../etc', svg: '', png: '' }, { type: 'exportView', view: 'loss', svg: '<svg/>', png: 'not base64!' },
    ];
    for (const m of bad) assert.strictEqual(isFromWebview(m), false, JSON.stringify(m));
  });

  it('checks host messages on the webview side too', () => {
    assert.ok(isToWebview({ type: 'highlight', key: 'model.cell', variant: 0 }));
    assert.ok(isToWebview({ type: 'highlight', key: null, variant: 0 }));
    assert.ok(isToWebview({ type: 'exportRun', id: 2 }));
    assert.ok(!isToWebview({ type: 'highlight', key: 'model"><img', variant: 0 }));
    const { spec } = checkSpec('{ "model": { "cell": "gru" }, "task": { "name": "sine" } }');
    const document = { uri: 'file:///a.rnn.json', fileName: 'a.rnn.json', version: 3 };
    assert.ok(isToWebview({ type: 'update', document, spec, problems: [] }));
    assert.ok(isToWebview({ type: 'update', document, spec: null, problems: [{ message: 'm', line: 0, character: 1, offset: 1 }] }));
    assert.ok(isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'ko', settings: { backend: 'auto', trainWhileHidden: false } }));
    assert.ok(!isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'ko', settings: { backend: 'cuda', trainWhileHidden: false } }));
    assert.ok(isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'ko', settings: { backend: 'auto', trainWhileHidden: false }, layout: { loss: false } }));
    assert.ok(!isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'ko', settings: { backend: 'auto', trainWhileHidden: false }, layout: { loss: 1 } }));
    assert.ok(!isToWebview({ type: 'update', document, spec: { model: 1 }, problems: [] }));
    assert.ok(!isToWebview({ type: 'update', document: { uri: 1 }, spec: null, problems: [] }));
    assert.ok(!isToWebview({ type: 'init', document, spec, problems: [], strings: { a: 1 }, locale: 'en', settings: { backend: 'auto', trainWhileHidden: false } }));
    assert.ok(!isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'en', settings: { backend: 'auto' } }));
    assert.ok(!isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'en', settings: { backend: 'auto', trainWhileHidden: 'yes' } }));
    for (const visible of [true, false]) assert.ok(isToWebview({ type: 'visibility', visible }));
    for (const deleted of [true, false]) assert.ok(isToWebview({ type: 'file', deleted }));
    for (const bad of [{ type: 'visibility' }, { type: 'visibility', visible: 1 }, { type: 'file', deleted: 'no' }, { type: 'file' }]) {
      assert.ok(!isToWebview(bad), JSON.stringify(bad));
    }
  });

  it('checks a replayed log\'s messages: header, steps, summary, status', () => {
    const { spec } = checkSpec('{ "model": { "cell": "gru" }, "task": { "name": "sine" }, "compare": [{ "cell": "rnn" }] }');
    const document = { uri: 'file:///run.jsonl', fileName: 'run.jsonl', version: 0 };
    const settings = { backend: 'auto', trainWhileHidden: false };
    assert.ok(isToWebview({ type: 'init', source: 'log', document, spec: null, problems: [], strings: STRINGS, locale: 'en', settings }));
    assert.ok(!isToWebview({ type: 'init', source: 'file', document, spec: null, problems: [], strings: STRINGS, locale: 'en', settings }));
    const header = { type: 'run', format: 1, spec, backend: 'pytorch', device: 'cuda', worldSize: 4, startedAt: 'x', producer: 'pytorch' };
    assert.ok(isToWebview({ type: 'logStart', header }));
    assert.ok(!isToWebview({ type: 'logStart', header: { ...header, format: 2 } }));
    assert.ok(!isToWebview({ type: 'logStart', header: { ...header, spec: { ...spec, task: { name: 'sine', minLength: 5, maxLength: 2 } } } }));
    const step = { variant: 1, step: 3, loss: null, gradNorm: 1, clippedNorm: 1, clipped: false, hiddenGradNorms: [1, null] };
    assert.ok(isToWebview({ type: 'logSteps', steps: [step, { ...step, variant: 0 }] }));
    for (const bad of [{ ...step, variant: 9 }, { ...step, step: -1 }, { ...step, hiddenGradNorms: ['1'] }, { ...step, clipped: 0 }]) {
      assert.ok(!isToWebview({ type: 'logSteps', steps: [bad] }), JSON.stringify(bad));
    }
    assert.ok(isToWebview({ type: 'logSummary', summary: { results: [{ steps: 3, diverged: { step: 4, reason: 'r' } }], stepsPerSecond: null } }));
    assert.ok(!isToWebview({ type: 'logSummary', summary: { results: [], stepsPerSecond: null } }));
    const status = {
      lines: 4, steps: 2, malformed: 1, firstMalformed: 3, tooLong: 0, samplesDropped: 0, sweepLines: 0, nextRunAt: 0, bytes: 100,
      pending: 0,
      problem: null, following: true,
    };
    assert.ok(isToWebview({ type: 'logStatus', status }));
    assert.ok(isToWebview({ type: 'logStatus', status: { ...status, problem: { code: 'tooLarge', args: [3e9, 268435456] } } }));
    assert.ok(!isToWebview({ type: 'logStatus', status: { ...status, problem: { code: 'runCommand', args: [] } } }));
    assert.ok(!isToWebview({ type: 'logStatus', status: { ...status, malformed: -1 } }));
  });

  it('validates persisted state before a panel is restored from it', () => {
    const view = { variant: 1, speed: 'fast', sample: 3, focus: 7, zoom: '100', example: 12, layout: { gates: false, 'gradient-flow': true } };
    assert.ok(isPersistedState({ uri: 'file:///a.rnn.json' }));
    assert.ok(isPersistedState({ uri: 'file:///a.rnn.json', view }));
    assert.ok(isPersistedState({ uri: 'file:///a.rnn.json', view: { ...view, focus: null } }));
    assert.ok(isPersistedState({ uri: 'file:///a.rnn.json', view: { ...view, variant: null, layout: {} } }));
    assert.ok(!isPersistedState(undefined));
    assert.ok(!isPersistedState({ uri: 5 }));
    // Every field is checked for type and range; a partial or padded view is refused whole.
    const bad: unknown[] = [
      { variant: 1 }, { ...view, variant: -1 }, { ...view, variant: 5 }, { ...view, variant: 1.5 }, { ...view, variant: '1' },
      { ...view, speed: 'warp' }, { ...view, sample: -1 }, { ...view, sample: 1024 }, { ...view, sample: null },
      { ...view, example: -1 }, { ...view, example: 128 }, { ...view, example: 0.5 },
      { ...view, focus: 0 }, { ...view, focus: 1e6 }, { ...view, focus: '3' }, { ...view, zoom: '10' }, { ...view, zoom: 100 },
      { ...view, extra: true }, [], 'view', { ...view, layout: undefined }, { ...view, layout: { gates: 1 } }, { ...view, layout: { '../x': true } },
    ];
    for (const b of bad) assert.ok(!isPersistedState({ uri: 'file:///a.rnn.json', view: b }), JSON.stringify(b));
    assert.ok(isUiState(DEFAULT_UI_STATE));
  });
});

describe('page-worker protocol guards', () => {
  it('accepts what the page and the worker send', () => {
    assert.ok(isToWorker({ type: 'play' }));
    assert.ok(isToWorker({ type: 'sample', index: 3 }));
    assert.ok(isToWorker({ type: 'speed', speed: 'slow' }));
    assert.ok(isFromWorker({ type: 'backend', backend: 'wasm', notes: [{ code: 'note.unavailable', args: ['webgl'] }], reasons: [] }));
    assert.ok(isFromWorker({ type: 'backend', backend: 'webgl', notes: [], reasons: [] }));
    assert.ok(isFromWorker({ type: 'diverged', run: '1', variant: 0, divergence: { step: 2, code: 'loss-not-finite', args: ['NaN', 2] } }));
    assert.ok(isFromWorker({ type: 'error', notes: [{ code: 'error.unexpected', args: ['boom'] }] }));
    assert.ok(isFromWorker({ type: 'activity', activity: { code: 'activity.compiling', args: [] } }));
    assert.ok(isFromWorker({ type: 'activity', activity: null }));
    assert.ok(isFromWorker({ type: 'unclipped', run: '1', steps: 2, divergedAt: 2, records: [{ step: 1, loss: 4e5, gradNorm: 1.6e8, clippedNorm: 1.6e8, clipped: false }] }));
    assert.ok(isToWorker({ type: 'reset', run: '2' }));
    assert.ok(isFromWorker({ type: 'resumed', run: '2', next: '2~1', step: 40 }));
    assert.ok(isRunMessage({ type: 'state', run: '2', state: 'idle', step: 0, totalSteps: 10 }));
    assert.ok(!isRunMessage({ type: 'activity', activity: null }), 'what the worker is busy with belongs to no run');
  });

  it('refuses malformed messages, untranslatable notes and a divergence without its code', () => {
    const bad: unknown[] = [
      { type: 'sample', index: -1 }, { type: 'speed', speed: 'warp' }, { type: 'nope' }, null,
      { type: 'backend', backend: 'wasm', note: 'webgl is not available' },
      { type: 'backend', backend: 'wasm', notes: [{ code: 'made.up', args: [] }] },
      { type: 'backend', backend: 'wasm', notes: [{ code: 'note.unavailable', args: [{}] }] },
      { type: 'diverged', run: '1', variant: 0, divergence: { step: 2, reason: 'the loss became NaN' } },
      { type: 'diverged', run: '1', variant: 0, divergence: { step: 2, code: 'exploded', args: [] } },
      { type: 'error', message: 'boom' }, { type: 'error', notes: [] },
      { type: 'activity', activity: { code: 'activity.dancing', args: [] } }, { type: 'activity' },
      { type: 'unclipped', run: '1', steps: 2, divergedAt: null }, { type: 'unclipped', run: '1', steps: 2, divergedAt: null, records: [{ step: 1 }] },
      { type: 'unclipped', steps: 2, divergedAt: null, records: [] }, { type: 'state', state: 'idle', step: 0, totalSteps: 1 },
      { type: 'reset' }, { type: 'reset', run: '' }, { type: 'resumed', run: '1', step: 4 },
    ];
    for (const b of bad) assert.strictEqual(isFromWorker(b) || isToWorker(b), false, JSON.stringify(b));
  });

  it('checks the worker\'s reports on the page side, seq2seq fields included', async () => {
    await useNodeBackend('cpu');
    const { spec } = checkSpec('{ "model": { "cell": "gru", "hiddenSize": 4, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [2, 3] }, "training": { "batchSize": 4 } }');
    const trainer = new Trainer(spec!);
    const { record, report } = await trainer.train(true);
    trainer.dispose();
    const progress = (r: unknown) => ({ type: 'progress', run: '1', variant: 0, records: [record], report: r });
    assert.ok(isFromWorker(progress(report)));
    assert.ok(isFromWorker(progress({ ...report, seq2seq: null, decodes: null, teacherForcing: null })));
    for (const broken of [
      { seq2seq: { tokenAccuracy: { teacherForced: 1 }, sequenceAccuracy: { teacherForced: 1, free: 1 } } },
      { decodes: { free: [[1, 'x']], teacherForced: [] } },
      { teacherForcing: { index: 0.5, target: [], fed: [], share: 1 } },
      { seq2seq: undefined },
    ]) assert.ok(!isFromWorker(progress({ ...report, ...broken })), JSON.stringify(broken));
  });

  it('restores a preview only for the URI of a spec', () => {
    for (const ok of ['file:///work/a.rnn.json', 'file:///c%3A/Users/x/my%20spec.rnn.json', 'vscode-remote://ssh-remote%2Bbox/home/a.rnn.json', 'untitled:lstm-adding.rnn.json']) {
      assert.ok(isSpecUri(ok), ok);
    }
    for (const bad of ['file:///etc/passwd', 'file:///work/a.rnn.json.exe', 'https://example.com/a.rnn.json', 'command:rnnLens.visualize?a.rnn.json',
      'javascript:alert(1)//.rnn.json', 'file:///a.rnn.json?x=1', 'file:///a.rnn.json#x', 'file:///%E0%A4%A.rnn.json', 'file:///a%00.rnn.json', '.rnn.json',
      'file:///.rnn.json', 'untitled:', `file:///${'a/'.repeat(3000)}.rnn.json`]) {
      assert.ok(!isSpecUri(bad), bad);
    }
  });
});
