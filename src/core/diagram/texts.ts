/**
 * The texts the diagram layouts name, by key. The layouts are pure data and know no language; the preview's
 * string table (src/shared/strings.ts) must have every one of these keys, which its type checks.
 */
export type DiagramText =
  | 'arch.context' | 'arch.decoder' | 'arch.ellipsis' | 'arch.encoder' | 'arch.end' | 'arch.feedback' | 'arch.finalOutput'
  | 'arch.hidden' | 'arch.input' | 'arch.output' | 'arch.recurrent' | 'arch.start' | 'arch.vertical'
  | 'cell.concat' | 'cell.hOut' | 'cell.hPrev' | 'cell.xIn'
  | 'cell.gru.keepMul' | 'cell.gru.mix' | 'cell.gru.oneMinus' | 'cell.gru.resetMul' | 'cell.gru.takeMul'
  | 'cell.lstm.add' | 'cell.lstm.cOut' | 'cell.lstm.cPrev' | 'cell.lstm.cellLine' | 'cell.lstm.forgetMul'
  | 'cell.lstm.inputMul' | 'cell.lstm.outputMul' | 'cell.lstm.tanhC'
  | 'cell.rnn.activation' | 'cell.rnn.block' | 'cell.rnn.whh'
  | 'gate.candidate' | 'gate.forget' | 'gate.gruCandidate' | 'gate.input' | 'gate.output' | 'gate.reset' | 'gate.update';
