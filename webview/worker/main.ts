import { estimateCost } from '../../src/core/modelSpec/budget';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { needsChoice, type ChoiceBasis } from '../../src/shared/backendChoice';
import { assertNever } from '../../src/core/guards';
import { coded } from '../../src/shared/strings';
import { isToWorker, type BackendName, type FromWorker, type ToWorker } from '../../src/shared/workerProtocol';
import { Scoring } from '../../src/shared/scoring';
import { chooseBackend, loseWebglContext, NoBackendError, webglContextLost } from './backend';
import { Runner } from './runner';
import { scorerPort } from './scorerPort';

/** The training worker: one runner at a time, driven by the page's messages. */

declare const self: DedicatedWorkerGlobalScope;

let runner: Runner | null = null;
let wasm: Readonly<Record<string, string>> = {};
let backend: BackendName | null = null;
/** How the backend was chosen: forced by the setting, or measured on a spec of this cost (FLOP per step). */
let choice: ChoiceBasis | null = null;
let configuring: Promise<void> = Promise.resolve();
/** On WASM, report steps are scored in a second worker (started once, on first need). */
let scoring: Scoring | null = null;

function stepCost(spec: ResolvedSpec): number {
  return estimateCost(spec.variants.map((v) => v.model), spec.task, spec.training.batchSize).flops;
}

function post(message: FromWorker): void {
  self.postMessage(message);
}

async function configure(m: Extract<ToWorker, { type: 'configure' }>): Promise<void> {
  runner?.pause();
  await runner?.idle();
  runner?.dispose();
  runner = null;
  wasm = m.wasm;
  const cost = stepCost(m.spec);
  if (!backend || needsChoice(choice, m.backend, cost)) {
    const chosen = await chooseBackend({ wasm, forced: m.backend, spec: m.spec, onMeasuring: (backends) => post({ type: 'measuring', backends }) });
    backend = chosen.backend;
    choice = { forced: m.backend, cost };
    post({ type: 'backend', backend, notes: chosen.notes, reasons: chosen.reasons });
  }
  post({ type: 'activity', activity: null });
  runner = new Runner(m.spec, m.speed, m.sample, post, onFailure, backend, scoringOn(backend, m.scorer));
  runner.reset(m.run);
}

/**
 * The scorer for a run on `backend`: on WASM, a second worker on WASM (the same kernels, so the same numbers);
 * elsewhere none, and report steps score inside the training step. Tells the page where scores are computed.
 */
function scoringOn(chosen: BackendName, script: string): Scoring | null {
  if (chosen !== 'wasm') {
    post({ type: 'scoring', where: 'inline' });
    return null;
  }
  scoring ??= new Scoring(scorerPort(script), () => post({ type: 'scoring', where: 'inline' }));
  scoring.useBinaries(wasm);
  post({ type: 'scoring', where: scoring.where });
  return scoring;
}

/** A lost WebGL context takes its textures with it: carry on in WASM (or CPU) from the last snapshot. */
async function recoverFromLostContext(resume: boolean): Promise<void> {
  const wasPlaying = resume || runner?.state === 'training';
  runner?.pause();
  await runner?.idle(2000);
  const lostAt = runner?.step ?? 0;
  post({ type: 'activity', activity: coded('activity.moving') });
  const chosen = await chooseBackend({ wasm, forced: null, exclude: ['webgl'], spec: null });
  backend = chosen.backend;
  const resumedAt = runner?.rebuildFromSnapshot(backend) ?? 0;
  post({ type: 'activity', activity: null });
  post({ type: 'backend', backend, notes: [coded('note.contextLost', lostAt, backend.toUpperCase(), resumedAt)], reasons: [] });
  if (wasPlaying) runner?.play();
  else runner?.announce('paused');
}

/** A step failed: a lost context is recovered from; anything else pauses the run and is shown. */
function onFailure(error: unknown, resume = false): void {
  if (backend === 'webgl' && webglContextLost()) {
    void recoverFromLostContext(resume).catch(report);
    return;
  }
  report(error);
}

function report(error: unknown): void {
  if (error instanceof NoBackendError) post({ type: 'error', notes: [coded('error.noBackend'), ...error.notes] });
  else post({ type: 'error', notes: [coded('error.unexpected', error instanceof Error ? error.message : String(error))] });
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'configure') {
    configuring = configure(m);
    return configuring;
  }
  await configuring;
  if (backend === 'webgl' && webglContextLost()) await recoverFromLostContext(false);
  if (!runner) return;
  switch (m.type) {
    case 'play': runner.play(); return;
    case 'pause': runner.pause(); return;
    case 'step': await runner.stepOnce(); return;
    case 'reset': runner.pause(); await runner.idle(); runner.reset(m.run); return;
    case 'speed': runner.setSpeed(m.speed); return;
    case 'sample': runner.setSample(m.index); return;
    case 'loseContext':
      if (loseWebglContext()) await recoverFromLostContext(false);
      return;
    default:
      assertNever(m);
  }
}

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isToWorker(event.data)) {
    post({ type: 'error', notes: [coded('error.malformed')] });
    return;
  }
  handle(event.data).catch(onFailure);
});
