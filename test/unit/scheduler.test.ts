import * as assert from 'assert';
import { FrameScheduler, type Scheduled } from '../../webview/scheduler';

/**
 * The preview's frame scheduler (webview/scheduler.ts) in Node, with the few browser pieces it uses stood in
 * for: animation frames run when the test says, and the clock moves only as much as each drawing says it
 * took, so what fits in the frame budget is exact.
 */

let clock = 0;
let frames: FrameRequestCallback[] = [];
let inFrame = false;
const saved = {
  now: performance.now.bind(performance),
  document: (globalThis as Record<string, unknown>).document,
  raf: (globalThis as Record<string, unknown>).requestAnimationFrame,
  caf: (globalThis as Record<string, unknown>).cancelAnimationFrame,
  io: (globalThis as Record<string, unknown>).IntersectionObserver,
};

function install(): void {
  clock = 0;
  frames = [];
  performance.now = () => clock;
  Object.assign(globalThis, {
    document: { hidden: false, addEventListener: () => undefined, removeEventListener: () => undefined },
    requestAnimationFrame: (callback: FrameRequestCallback) => frames.push(callback),
    cancelAnimationFrame: () => undefined,
    IntersectionObserver: class { observe(): void { /* always in view */ } disconnect(): void { /* nothing held */ } },
  });
}

function uninstall(): void {
  performance.now = saved.now;
  Object.assign(globalThis, { document: saved.document, requestAnimationFrame: saved.raf, cancelAnimationFrame: saved.caf, IntersectionObserver: saved.io });
}

/** Runs the animation frames requested so far, then lets the tasks they posted run. */
async function frame(): Promise<void> {
  const now = frames;
  frames = [];
  inFrame = true;
  now.forEach((callback) => callback(clock));
  inFrame = false;
  // The frame posted its drawing as a MessageChannel message: Node delivers it in the event loop's poll phase,
  // before the check phase that runs setImmediate (a few turns, to spare the order any doubt; no timer).
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
}

interface Item extends Scheduled<'data'> {
  readonly log: string[];
  readonly attributes: Map<string, string>;
}

/** An item whose drawing has `parts` parts of `ms` each (one part: a plain drawing that returns nothing). */
function item(name: string, parts: number, ms: number): Item {
  const log: string[] = [];
  const attributes = new Map<string, string>();
  let drawing = 0;
  const part = (k: number) => {
    assert.ok(!inFrame, `${name} drew inside an animation frame callback`);
    clock += ms;
    log.push(`${drawing}.${k}`);
  };
  // What the scheduler touches of an element: whether it is hidden, and its attributes.
  const element: Partial<HTMLElement> = { hidden: false, setAttribute: (key: string, value: string) => { attributes.set(key, value); } };
  return {
    name, log, attributes, inputs: ['data'],
    element: element as HTMLElement,
    draw() {
      drawing++;
      if (parts === 1) {
        part(1);
        return undefined;
      }
      return (function* drawInParts() {
        for (let k = 1; k <= parts; k++) {
          part(k);
          yield;
        }
      })();
    },
  };
}

describe('the frame scheduler', () => {
  let scheduler: FrameScheduler<'data'>;

  beforeEach(() => {
    install();
    scheduler = new FrameScheduler<'data'>({ throttled: () => false, beforeFrame: () => undefined });
  });

  afterEach(() => {
    // Its MessageChannel would keep the process alive.
    scheduler.dispose();
    uninstall();
  });

  it('draws after the frame, in a task of its own, never inside the frame callback', async () => {
    const a = item('a', 1, 2);
    scheduler.add(a);
    scheduler.invalidate(['data']);
    assert.deepStrictEqual(a.log, [], 'nothing is drawn before the frame');
    await frame();
    assert.deepStrictEqual(a.log, ['1.1']);
    assert.strictEqual(a.attributes.get('data-draws'), '1');
  });

  it('spreads a drawing in parts over tasks by the frame budget, and counts it once it is whole', async () => {
    const flow = item('flow', 4, 5);
    const loss = item('loss', 1, 5);
    scheduler.add(flow);
    scheduler.add(loss);
    scheduler.invalidate(['data']);
    await frame();
    // 12 ms of budget: three 5 ms parts (the third starts at 10 ms), and the loss waits for the next task.
    assert.deepStrictEqual(flow.log, ['1.1', '1.2', '1.3']);
    assert.deepStrictEqual(loss.log, []);
    assert.strictEqual(flow.attributes.get('data-draws'), undefined, 'not counted while a part is left');
    // The data moves on meanwhile: the drawing under way is finished first, then drawn again from the new data.
    scheduler.invalidate(['data']);
    await frame();
    assert.deepStrictEqual(flow.log, ['1.1', '1.2', '1.3', '1.4']);
    assert.strictEqual(flow.attributes.get('data-draws'), '1');
    assert.deepStrictEqual(loss.log, ['1.1'], 'the loss chart, from the new data, after the last part');
    for (let i = 0; i < 3; i++) await frame();
    assert.deepStrictEqual(flow.log.slice(4), ['2.1', '2.2', '2.3', '2.4']);
    assert.strictEqual(flow.attributes.get('data-draws'), '2');
    assert.deepStrictEqual(loss.log, ['1.1'], 'the loss chart was already drawn from the new data');
    assert.strictEqual(frames.length, 0, 'nothing left to draw, no frame requested');
  });

  it('starts a drawing in parts only when what its first task took fits in what is left of the budget', async () => {
    const loss = item('loss', 1, 5);
    const flow = item('flow', 2, 8);
    scheduler.add(loss);
    scheduler.add(flow);
    scheduler.invalidate(['data']);
    await frame();
    await frame();
    assert.deepStrictEqual([loss.log, flow.log], [['1.1'], ['1.1', '1.2']]);
    // Its first task took 8 ms: after the loss chart's 5, it waits for a task of its own.
    scheduler.invalidate(['data']);
    await frame();
    assert.deepStrictEqual([loss.log, flow.log], [['1.1', '2.1'], ['1.1', '1.2']]);
    await frame();
    assert.deepStrictEqual(flow.log, ['1.1', '1.2', '2.1', '2.2'], 'in a task of its own, both parts fit');
  });
});
