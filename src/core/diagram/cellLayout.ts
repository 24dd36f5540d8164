import type { Activation, CellKind } from '../modelSpec/types';
import type { DiagramText } from './texts';

/**
 * Where each part of a cell's inside goes, in the notation of Olah's "Understanding LSTM Networks": gates
 * are boxes, pointwise operations are circles, wires carry vectors. Pure data in a fixed 640×300 box; the
 * webview's renderer only draws it.
 */

export type GateName = 'forget' | 'input' | 'output' | 'candidate' | 'reset' | 'update';
export type OpSymbol = '×' | '+' | '1−' | Activation;

export interface GateShape {
  readonly kind: 'gate';
  readonly id: string;
  readonly gate: GateName;
  /** σ or tanh, printed in the box. */
  readonly fn: 'σ' | 'tanh';
  readonly x: number;
  readonly y: number;
  readonly tip: DiagramText;
}

export interface OpShape {
  readonly kind: 'op';
  readonly id: string;
  readonly symbol: OpSymbol;
  readonly x: number;
  readonly y: number;
  readonly tip: DiagramText;
}

/** A labelled rectangle (the vanilla RNN's affine map). */
export interface BlockShape {
  readonly kind: 'block';
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly tip: DiagramText;
}

export interface PortShape {
  readonly kind: 'port';
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly tip: DiagramText;
}

export type Shape = GateShape | OpShape | BlockShape | PortShape;

export interface Wire {
  readonly id: string;
  /** `cell` is the LSTM's cell-state line, drawn heavier (and, while training, by how much passes). */
  readonly kind: 'cell' | 'hidden' | 'input' | 'gate';
  readonly points: readonly (readonly [number, number])[];
  readonly tip?: DiagramText;
}

export interface CellLayout {
  readonly cell: CellKind;
  readonly width: number;
  readonly height: number;
  readonly shapes: readonly Shape[];
  readonly wires: readonly Wire[];
}

export const GATE_SIZE = { width: 56, height: 30 } as const;
export const OP_RADIUS = 13;

const W = 640;
const H = 300;

function lstm(): CellLayout {
  const busY = 260;
  const gateY = 200;
  const lineY = 50;
  const shapes: Shape[] = [
    { kind: 'port', id: 'c-prev', label: 'c_{t-1}', x: 20, y: lineY, tip: 'cell.lstm.cPrev' },
    { kind: 'port', id: 'c-out', label: 'c_t', x: 620, y: lineY, tip: 'cell.lstm.cOut' },
    { kind: 'port', id: 'h-prev', label: 'h_{t-1}', x: 20, y: busY, tip: 'cell.hPrev' },
    { kind: 'port', id: 'x-in', label: 'x_t', x: 110, y: 292, tip: 'cell.xIn' },
    { kind: 'port', id: 'h-out', label: 'h_t', x: 620, y: busY, tip: 'cell.hOut' },
    { kind: 'gate', id: 'gate-forget', gate: 'forget', fn: 'σ', x: 190, y: gateY, tip: 'gate.forget' },
    { kind: 'gate', id: 'gate-input', gate: 'input', fn: 'σ', x: 265, y: gateY, tip: 'gate.input' },
    { kind: 'gate', id: 'gate-candidate', gate: 'candidate', fn: 'tanh', x: 340, y: gateY, tip: 'gate.candidate' },
    { kind: 'gate', id: 'gate-output', gate: 'output', fn: 'σ', x: 415, y: gateY, tip: 'gate.output' },
    { kind: 'op', id: 'op-forget', symbol: '×', x: 190, y: lineY, tip: 'cell.lstm.forgetMul' },
    { kind: 'op', id: 'op-input', symbol: '×', x: 340, y: 125, tip: 'cell.lstm.inputMul' },
    { kind: 'op', id: 'op-add', symbol: '+', x: 340, y: lineY, tip: 'cell.lstm.add' },
    { kind: 'op', id: 'op-tanh', symbol: 'tanh', x: 500, y: 125, tip: 'cell.lstm.tanhC' },
    { kind: 'op', id: 'op-output', symbol: '×', x: 500, y: gateY, tip: 'cell.lstm.outputMul' },
  ];
  const wires: Wire[] = [
    { id: 'cell-line', kind: 'cell', points: [[32, lineY], [608, lineY]], tip: 'cell.lstm.cellLine' },
    { id: 'h-bus', kind: 'hidden', points: [[32, busY], [415, busY]], tip: 'cell.concat' },
    { id: 'x-bus', kind: 'input', points: [[110, 280], [110, busY]], tip: 'cell.xIn' },
    { id: 'to-forget', kind: 'gate', points: [[190, busY], [190, gateY + 15]] },
    { id: 'to-input', kind: 'gate', points: [[265, busY], [265, gateY + 15]] },
    { id: 'to-candidate', kind: 'gate', points: [[340, busY], [340, gateY + 15]] },
    { id: 'to-output', kind: 'gate', points: [[415, busY], [415, gateY + 15]] },
    { id: 'forget-up', kind: 'gate', points: [[190, gateY - 15], [190, lineY + 13]] },
    { id: 'input-in', kind: 'gate', points: [[265, gateY - 15], [265, 125], [327, 125]] },
    { id: 'candidate-up', kind: 'gate', points: [[340, gateY - 15], [340, 138]] },
    { id: 'input-up', kind: 'gate', points: [[340, 112], [340, lineY + 13]] },
    { id: 'cell-down', kind: 'cell', points: [[500, lineY], [500, 112]] },
    { id: 'tanh-down', kind: 'hidden', points: [[500, 138], [500, gateY - 13]] },
    { id: 'output-in', kind: 'gate', points: [[443, gateY], [487, gateY]] },
    { id: 'h-out', kind: 'hidden', points: [[500, gateY + 13], [500, busY], [608, busY]], tip: 'cell.hOut' },
  ];
  return { cell: 'lstm', width: W, height: H, shapes, wires };
}

function gru(): CellLayout {
  const lineY = 50;
  const busY = 260;
  const gateY = 200;
  const shapes: Shape[] = [
    { kind: 'port', id: 'h-prev', label: 'h_{t-1}', x: 20, y: lineY, tip: 'cell.hPrev' },
    { kind: 'port', id: 'h-out', label: 'h_t', x: 620, y: lineY, tip: 'cell.hOut' },
    { kind: 'port', id: 'x-in', label: 'x_t', x: 110, y: 292, tip: 'cell.xIn' },
    { kind: 'gate', id: 'gate-reset', gate: 'reset', fn: 'σ', x: 180, y: gateY, tip: 'gate.reset' },
    { kind: 'gate', id: 'gate-update', gate: 'update', fn: 'σ', x: 330, y: gateY, tip: 'gate.update' },
    { kind: 'gate', id: 'gate-candidate', gate: 'candidate', fn: 'tanh', x: 480, y: gateY, tip: 'gate.gruCandidate' },
    { kind: 'op', id: 'op-reset', symbol: '×', x: 180, y: 130, tip: 'cell.gru.resetMul' },
    { kind: 'op', id: 'op-keep', symbol: '×', x: 330, y: lineY, tip: 'cell.gru.keepMul' },
    { kind: 'op', id: 'op-one-minus', symbol: '1−', x: 405, y: 100, tip: 'cell.gru.oneMinus' },
    { kind: 'op', id: 'op-take', symbol: '×', x: 480, y: 100, tip: 'cell.gru.takeMul' },
    { kind: 'op', id: 'op-mix', symbol: '+', x: 480, y: lineY, tip: 'cell.gru.mix' },
  ];
  const wires: Wire[] = [
    { id: 'h-line', kind: 'hidden', points: [[32, lineY], [608, lineY]], tip: 'cell.gru.mix' },
    { id: 'h-drop', kind: 'hidden', points: [[60, lineY], [60, busY], [480, busY]], tip: 'cell.concat' },
    { id: 'x-bus', kind: 'input', points: [[110, 280], [110, busY]], tip: 'cell.xIn' },
    { id: 'to-reset', kind: 'gate', points: [[180, busY], [180, gateY + 15]] },
    { id: 'to-update', kind: 'gate', points: [[330, busY], [330, gateY + 15]] },
    { id: 'to-candidate', kind: 'gate', points: [[480, busY], [480, gateY + 15]] },
    { id: 'reset-up', kind: 'gate', points: [[180, gateY - 15], [180, 143]] },
    { id: 'h-to-reset', kind: 'hidden', points: [[180, lineY], [180, 117]] },
    { id: 'reset-to-candidate', kind: 'hidden', points: [[193, 130], [430, 130], [430, gateY], [452, gateY]] },
    { id: 'update-up', kind: 'gate', points: [[330, gateY - 15], [330, lineY + 13]] },
    { id: 'update-branch', kind: 'gate', points: [[330, 100], [392, 100]] },
    { id: 'one-minus-out', kind: 'gate', points: [[418, 100], [467, 100]] },
    { id: 'candidate-up', kind: 'gate', points: [[480, gateY - 15], [480, 113]] },
    { id: 'take-up', kind: 'hidden', points: [[480, 87], [480, lineY + 13]] },
  ];
  return { cell: 'gru', width: W, height: H, shapes, wires };
}

function rnn(activation: Activation): CellLayout {
  const y = 80;
  const height = 170;
  const shapes: Shape[] = [
    { kind: 'port', id: 'h-prev', label: 'h_{t-1}', x: 20, y, tip: 'cell.hPrev' },
    { kind: 'port', id: 'x-in', label: 'x_t', x: 260, y: height - 8, tip: 'cell.xIn' },
    { kind: 'port', id: 'h-out', label: 'h_t', x: 620, y, tip: 'cell.hOut' },
    { kind: 'block', id: 'rnn-block', label: 'Wₕₕ hₜ₋₁ + Wₓₕ xₜ + b', x: 260, y, width: 230, tip: 'cell.rnn.block' },
    { kind: 'op', id: 'op-activation', symbol: activation, x: 460, y, tip: 'cell.rnn.activation' },
  ];
  const wires: Wire[] = [
    { id: 'h-in', kind: 'hidden', points: [[32, y], [145, y]], tip: 'cell.rnn.whh' },
    { id: 'x-up', kind: 'input', points: [[260, height - 20], [260, y + 18]], tip: 'cell.xIn' },
    { id: 'block-out', kind: 'hidden', points: [[375, y], [447, y]] },
    { id: 'h-out', kind: 'hidden', points: [[473, y], [608, y]], tip: 'cell.hOut' },
  ];
  return { cell: 'rnn', width: W, height, shapes, wires };
}

export function layoutCell(cell: CellKind, activation: Activation = 'tanh'): CellLayout {
  switch (cell) {
    case 'lstm': return lstm();
    case 'gru': return gru();
    case 'rnn': return rnn(activation);
  }
}

export function gatesOf(cell: CellKind): GateName[] {
  return layoutCell(cell).shapes.filter((s): s is GateShape => s.kind === 'gate').map((s) => s.gate);
}
