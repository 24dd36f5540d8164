import type { DiagramText } from './texts';
import type { ModelSpec, TaskSpec } from '../modelSpec/types';
import { TASKS } from '../tasks/catalog';

/**
 * The network unrolled over time: one column per time step, one row per layer, inputs below and outputs
 * above; for seq2seq an encoder block, then a decoder block fed by the encoder's last state. Long sequences
 * are drawn as their first and last steps with an ellipsis between, with the true step numbers.
 */

export interface Label {
  readonly base: string;
  /** Printed as a subscript. */
  readonly sub: string;
}

export interface Tip {
  readonly key: DiagramText;
  readonly args: readonly (string | number)[];
}

export type NodeKind = 'input' | 'hidden' | 'output' | 'start' | 'ellipsis';

export interface UnrolledNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly part: 'encoder' | 'decoder' | 'single';
  /** 1-based time step within its part; 0 for the ellipsis. */
  readonly t: number;
  /** 1-based layer for hidden states; 0 otherwise. */
  readonly layer: number;
  readonly x: number;
  readonly y: number;
  readonly label: Label;
  readonly tip: Tip;
}

export type EdgeKind = 'input' | 'recurrent' | 'vertical' | 'output' | 'context' | 'feedback';

export interface UnrolledEdge {
  readonly id: string;
  /** A recurrent edge that jumps over the ellipsis is drawn dashed: it stands for many steps. */
  readonly kind: EdgeKind;
  readonly from: string;
  readonly to: string;
  readonly tip?: Tip;
}

export interface UnrolledLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly UnrolledNode[];
  readonly edges: readonly UnrolledEdge[];
  /** Part captions (Encoder, Decoder) with their horizontal extent. */
  readonly parts: readonly { readonly part: 'encoder' | 'decoder'; readonly x0: number; readonly x1: number; readonly tip: Tip }[];
}

export const UNROLLED = { column: 84, row: 64, margin: 46, maxColumns: 7, head: 2, tail: 2 } as const;

/** Which 1-based steps to draw: all of them, or the first few, a gap (0), and the last few. */
export function visibleSteps(length: number): number[] {
  if (length <= UNROLLED.maxColumns) return Array.from({ length }, (_, i) => i + 1);
  const head = Array.from({ length: UNROLLED.head + 1 }, (_, i) => i + 1);
  const tail = Array.from({ length: UNROLLED.tail }, (_, i) => length - UNROLLED.tail + 1 + i);
  return [...head, 0, ...tail];
}

interface Block {
  part: UnrolledNode['part'];
  length: number;
  answersEvery: boolean;
  answersLast: boolean;
  start: boolean;
}

export function layoutUnrolled(model: ModelSpec, task: TaskSpec): UnrolledLayout {
  const info = TASKS[task.name];
  const length = task.maxLength;
  const blocks: Block[] = model.seq2seq && info.seq2seqSteps
    ? [
      { part: 'encoder', length: info.seq2seqSteps(length).encoder, answersEvery: false, answersLast: false, start: false },
      { part: 'decoder', length: info.seq2seqSteps(length).decoder, answersEvery: true, answersLast: true, start: true },
    ]
    : [{ part: 'single', length: info.steps(length), answersEvery: info.answer === 'every', answersLast: true, start: false }];

  const layers = model.layers;
  const { column, row, margin } = UNROLLED;
  const outputY = margin - 8;
  const hiddenY = (layer: number) => margin + row * (layers - layer + 1);
  const inputY = hiddenY(1) + row;
  const nodes: UnrolledNode[] = [];
  const edges: UnrolledEdge[] = [];
  const parts: UnrolledLayout['parts'][number][] = [];
  let x = margin;
  let previousLastHidden: string[] | null = null;

  for (const block of blocks) {
    const prefix = block.part === 'single' ? '' : `${block.part}-`;
    const steps = visibleSteps(block.length);
    const x0 = x;
    let previous: number | null = null;
    let previousOutput: string | null = null;
    for (const t of steps) {
      if (t === 0) {
        nodes.push({
          id: `${prefix}ellipsis`, kind: 'ellipsis', part: block.part, t: 0, layer: 0, x, y: hiddenY(Math.ceil(layers / 2)),
          label: { base: '…', sub: '' }, tip: { key: 'arch.ellipsis', args: [block.length - UNROLLED.head - 1 - UNROLLED.tail] },
        });
        x += column;
        continue;
      }
      const inputId = `${prefix}x-${t}`;
      const isStart = block.start && t === 1;
      nodes.push({
        id: inputId, kind: isStart ? 'start' : 'input', part: block.part, t, layer: 0, x, y: inputY,
        label: isStart ? { base: '⟨s⟩', sub: '' } : { base: block.part === 'decoder' ? 'y' : 'x', sub: block.part === 'decoder' ? String(t - 1) : String(t) },
        tip: isStart ? { key: 'arch.start', args: [] } : { key: 'arch.input', args: [t] },
      });
      for (let layer = 1; layer <= layers; layer++) {
        const id = `${prefix}h-${layer}-${t}`;
        nodes.push({
          id, kind: 'hidden', part: block.part, t, layer, x, y: hiddenY(layer),
          label: { base: 'h', sub: String(t) },
          tip: { key: 'arch.hidden', args: [t, layer] },
        });
        const below = layer === 1 ? inputId : `${prefix}h-${layer - 1}-${t}`;
        edges.push({ id: `${below}->${id}`, kind: layer === 1 ? 'input' : 'vertical', from: below, to: id,
          tip: layer === 1 ? undefined : { key: 'arch.vertical', args: [layer] } });
        if (previous !== null) {
          const from = `${prefix}h-${layer}-${previous}`;
          edges.push({ id: `${from}->${id}`, kind: 'recurrent', from, to: id, tip: { key: 'arch.recurrent', args: [previous] } });
        } else if (previousLastHidden) {
          edges.push({ id: `context-${layer}`, kind: 'context', from: previousLastHidden[layer - 1], to: id, tip: { key: 'arch.context', args: [] } });
        }
      }
      const isLast = t === block.length;
      if (block.answersEvery || (block.answersLast && isLast)) {
        const outId = `${prefix}y-${t}`;
        // A decoder's last output is the end token: the answer is over.
        const isEnd = block.part === 'decoder' && isLast;
        nodes.push({
          id: outId, kind: 'output', part: block.part, t, layer: 0, x, y: outputY,
          label: isEnd ? { base: '⟨e⟩', sub: '' } : { base: 'ŷ', sub: String(t) },
          tip: isEnd ? { key: 'arch.end', args: [] } : block.answersEvery ? { key: 'arch.output', args: [t] } : { key: 'arch.finalOutput', args: [] },
        });
        edges.push({ id: `${prefix}h-${layers}-${t}->${outId}`, kind: 'output', from: `${prefix}h-${layers}-${t}`, to: outId });
        if (block.part === 'decoder' && previousOutput && previous === t - 1) {
          edges.push({ id: `${previousOutput}->${inputId}`, kind: 'feedback', from: previousOutput, to: inputId, tip: { key: 'arch.feedback', args: [] } });
        }
        previousOutput = outId;
      }
      previous = t;
      x += column;
    }
    if (block.part !== 'single') {
      parts.push({ part: block.part, x0: x0 - column / 2 + 6, x1: x - column / 2 - 6, tip: { key: block.part === 'encoder' ? 'arch.encoder' : 'arch.decoder', args: [] } });
      x += column / 3;
    }
    previousLastHidden = Array.from({ length: layers }, (_, i) => `${prefix}h-${i + 1}-${block.length}`);
  }
  return { width: x - column + margin * 2, height: inputY + margin, nodes, edges, parts };
}
