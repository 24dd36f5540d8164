/**
 * Every sentence the webview shows, in English. The host translates each through `vscode.l10n.t` (Korean in
 * `l10n/bundle.l10n.ko.json`) and hands the result over in the `init` message; the webview never picks a
 * language itself. Keys are stable identifiers; values are the English source text and the l10n key.
 */
export const STRINGS = {
  // Chrome
  'title.preview': 'RNN Lens: {0}',
  'banner.invalid': 'The spec has a problem; showing the last valid model. {0}',
  'banner.invalidNoModel': 'The spec has a problem, so there is nothing to draw yet. {0}',
  'banner.jump': 'Go to problem',
  'banner.line': 'Line {0}, column {1}: {2}',
  'view.architecture': 'Network unrolled over time',
  'view.cell': 'Inside one {0} cell',
  'empty.title': 'Open a *.rnn.json spec to see its network here.',

  // Training controls
  'controls.label': 'Training controls',
  'controls.play': 'Train',
  'controls.pause': 'Pause',
  'controls.step': 'One training step',
  'controls.reset': 'Reset to the initial weights',
  'controls.speed': 'Speed',
  'controls.speed.slow': 'Slow (watch every step)',
  'controls.speed.normal': 'Normal',
  'controls.speed.fast': 'Fast (fewer redraws)',
  'controls.status': 'Step {0} of {1}',
  'state.idle': 'ready',
  'state.training': 'training',
  'state.paused': 'paused',
  'state.diverged': 'diverged',
  'state.done': 'done',
  'backend.tip': 'Where the network trains: WebGL runs on the GPU with float32 textures; WASM and CPU run on the processor. The run is the same on each, up to float32 rounding.',
  'backend.fallback': 'Running on {0}: {1}',
  'diverged.banner': '{0} diverged at step {1}: {2}',
  'diverged.lossNotFinite': 'the loss stopped being a finite number. The update was skipped and training stopped: with nothing to limit it, the gradient grew until the numbers overflowed. Lower the learning rate or set training.clipNorm.',
  'diverged.gradientNotFinite': 'the gradient norm stopped being a finite number. The update was skipped and training stopped: with nothing to limit it, the gradient grew until the numbers overflowed. Lower the learning rate or set training.clipNorm.',
  'training.error': 'Training stopped: {0}',

  // Loss view
  'view.loss': 'Loss and score',
  'loss.tip': 'The training loss at every step (log scale). Each line is one model; all train on the same batches.',
  'loss.axis.step': 'training step',
  'loss.axis.loss': 'loss',
  'loss.baseline': 'Baseline: {0}',
  'loss.baseline.tip': 'What a network that learned nothing scores on this task. Below the line, it has learned something.',
  'metric.mse': 'test MSE',
  'metric.accuracy': 'test accuracy',
  'metric.tip': 'The score on fresh held-out sequences, measured at every report.',

  // Gradient flow
  'view.gradientFlow': 'Gradient flow through time',
  'flow.tip': '||dL/dh_t||: how much gradient reaches the hidden state of each time step, for the latest batch (log scale). A line falling towards t = 1 is a vanishing gradient; a rising one is exploding.',
  'flow.axis.t': 'time step t',
  'flow.axis.norm': '||dL/dh_t||',
  'flow.encoderEnd': 'decoder starts',
  'flow.empty': 'Press Train or Step to see the gradient reach every time step.',
  'flow.reading': 't = {0}: {1}',

  // Unrolled network
  'arch.input': 'Input x_{0}: what the sequence shows the network at step {0}.',
  'arch.hidden': 'Hidden state h_{0} of layer {1}: everything the network carries forward after reading step {0}. The same weights produce every h.',
  'arch.output': 'Output at step {0}: a readout computed from the top hidden state.',
  'arch.finalOutput': 'The answer, read from the last hidden state only. Every earlier input must reach it by passing through all the steps in between.',
  'arch.recurrent': 'The recurrent connection: h_{0} feeds the computation of the next state. Backpropagation walks these arrows backwards, multiplying by the same Jacobian each time.',
  'arch.vertical': 'Layer {0} reads the hidden states of the layer below as its inputs.',
  'arch.ellipsis': '{0} more steps, each identical to the ones drawn.',
  'arch.encoder': 'Encoder: reads the whole input and squeezes it into its last state.',
  'arch.decoder': 'Decoder: starts from the encoder\'s last state and writes the answer one token at a time.',
  'arch.context': 'The encoder\'s final state becomes the decoder\'s first state: the only bridge between input and output.',
  'arch.start': 'Start token: the decoder\'s first input, meaning "begin the answer".',
  'arch.feedback': 'Each decoder step is fed the previous token: the true one with teacher forcing, its own guess otherwise.',
  'arch.summary': '{0} cell, {1} hidden units, {2} layer(s), task "{3}" of length {4}.',

  // Cell internals (shared)
  'cell.xIn': 'x_t, the input at this step.',
  'cell.hPrev': 'h_{t-1}, the hidden state from the previous step.',
  'cell.hOut': 'h_t, the new hidden state. It goes up to the next layer or the readout, and right to the next step.',
  'cell.concat': 'The previous state and the input are joined and multiplied by one weight matrix per gate.',

  // Vanilla RNN
  'cell.rnn.block': 'The whole vanilla cell: h_t = tanh(W_hh h_{t-1} + W_xh x_t + b). Going one step back multiplies the gradient by tanh\'(a_t) and by W_hh: two factors that shrink or grow it at every step.',
  'cell.rnn.activation': 'The activation. tanh has slope at most 1, and much less when saturated, so each step back can only shrink the gradient through this factor.',
  'cell.rnn.whh': 'W_hh, the recurrent matrix. The gradient is multiplied by its transpose once per step, so after k steps by roughly its largest singular value to the power k.',

  // LSTM
  'gate.forget': 'Forget gate f_t = σ(W_f·[h_{t-1}, x_t] + b_f). Between 0 and 1 per unit: how much of the old cell state to keep. Along the cell line the gradient is multiplied only by f, so f near 1 lets it pass many steps.',
  'gate.input': 'Input gate i_t = σ(W_i·[h_{t-1}, x_t] + b_i). Decides how much of the candidate is written into the cell state: the "how much" of the new memory.',
  'gate.candidate': 'Candidate g_t = tanh(W_g·[h_{t-1}, x_t] + b_g). Proposes new content in [-1, 1]: the "what" of the new memory.',
  'gate.output': 'Output gate o_t = σ(W_o·[h_{t-1}, x_t] + b_o). Decides how much of the squashed cell state is shown as h_t. Writing memory and reading it out are separate decisions.',
  'cell.lstm.cellLine': 'The cell state c: long-term memory. It is updated by an elementwise product with f and a sum, with no matrix multiply and no squashing, which is why gradients survive along it.',
  'cell.lstm.forgetMul': 'c_{t-1} × f_t: the old memory, scaled down unit by unit.',
  'cell.lstm.inputMul': 'i_t × g_t: the part of the candidate that gets written.',
  'cell.lstm.add': 'c_t = f_t c_{t-1} + i_t g_t. An addition: the gradient reaches both terms unchanged.',
  'cell.lstm.tanhC': 'tanh(c_t) squashes the memory into [-1, 1] before it is read out.',
  'cell.lstm.outputMul': 'h_t = o_t × tanh(c_t).',
  'cell.lstm.cPrev': 'c_{t-1}, the cell state from the previous step.',
  'cell.lstm.cOut': 'c_t, handed to the next step.',

  // GRU
  'gate.reset': 'Reset gate r_t = σ(W_r x_t + U_r h_{t-1} + b_r). Decides how much of the previous state the candidate may look at; near 0 the candidate starts afresh from the input.',
  'gate.update': 'Update gate z_t = σ(W_z x_t + U_z h_{t-1} + b_z). The mixing weight: z near 1 keeps the old state, z near 0 takes the candidate. Convention here: h_t = (1 − z_t)·g_t + z_t·h_{t-1}.',
  'gate.gruCandidate': 'Candidate g_t = tanh(W x_t + U (r_t ⊙ h_{t-1}) + b): a proposal for the new state, built from the input and the reset-filtered old state.',
  'cell.gru.resetMul': 'r_t ⊙ h_{t-1}: the part of the old state the candidate is allowed to see.',
  'cell.gru.mix': 'h_t = (1 − z_t)·g_t + z_t·h_{t-1}: a convex combination. Where z is near 1 the old state is copied through with gradient factor z, bypassing every matrix multiply.',
  'cell.gru.oneMinus': '1 − z_t: the weight given to the candidate.',
  'cell.gru.keepMul': 'z_t ⊙ h_{t-1}: the share of the old state that is kept.',
  'cell.gru.takeMul': '(1 − z_t) ⊙ g_t: the share of the candidate that is taken.',
} as const;

export type StringKey = keyof typeof STRINGS;
export type Strings = Readonly<Record<StringKey, string>>;

/** Fills `{0}`, `{1}`... in a translated string. */
export { formatTemplate as fill } from './core/messages';
