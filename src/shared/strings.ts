import { formatTemplate, type MessageArg } from '../core/messages';
import type { Divergence, DivergenceCode } from '../core/train/report';

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
  'backend.measuring': 'Timing a few steps of this spec to find the fastest backend here: {0}…',
  'backend.measured': 'Chosen by timing a few steps: {0}',
  'diverged.banner': '{0} diverged at step {1}: {2}',
  'diverged.lossNotFinite': 'the loss stopped being a finite number (it became {0} at step {1}). The update was skipped and training stopped: with nothing to limit it, the gradient grew until the numbers overflowed. Lower the learning rate or set training.clipNorm.',
  'diverged.gradientNotFinite': 'the gradient norm stopped being a finite number (it became {0} at step {1}, with the loss at {2}). The update was skipped and training stopped: with nothing to limit it, the gradient grew until the numbers overflowed. Lower the learning rate or set training.clipNorm.',
  'training.error': 'Training stopped: {0}',
  'training.retry': 'Press Reset to start the training worker again.',
  'file.deleted': '{0} was deleted, so training stopped. The preview comes back when the file does.',

  // What the training worker says (codes with arguments, translated here)
  'note.unavailable': '{0} is not available',
  'note.noFloat32': 'WebGL here cannot render to float32 textures (only half floats, which would flatten tiny and huge gradients)',
  'note.forcedHalfFloat': 'WebGL is forced to half-float textures',
  'note.softwareWebgl': 'WebGL here is {0}, a software renderer that emulates the GPU on the processor and is several times slower than WASM',
  'note.measured': '{0}: {1}× faster than {2} here',
  'note.contextLost': 'The WebGL context was lost at step {0}; training continues on {1} from the weights of step {2} (the optimizer\'s running averages restart).',
  'error.noBackend': 'no backend could start',
  'error.workerFailed': 'the training worker failed',
  'error.malformed': 'the training worker ignored a malformed message',
  'error.unexpected': 'an unexpected error: {0}',
  'error.load': '{0} could not be loaded (HTTP {1})',

  // The claim at the top
  'claim.heading': 'Claim',
  'claim.tip': 'What this spec says you will see, as numbers checked at every report while it trains. "Not yet": training has not reached the step that decides it. "Holds": every part came true, at the step shown. "Does not hold": a part failed, at the step shown. rnn-lens train and the lesson tests check the same claim the same way.',
  'claim.pending': 'not yet',
  'claim.holds': 'holds (since step {0})',
  'claim.fails': 'does not hold (step {0})',
  'claim.part.holds': 'came true at step {0}',
  'claim.part.fails': 'did not hold at step {0}',
  'claim.now': 'latest: {0}',
  'claim.unclipped': 'the same run without clipping',
  'claim.part.below.by': '{0}: {1} falls below {2} by step {3}',
  'claim.part.above.by': '{0}: {1} rises above {2} by step {3}',
  'claim.part.equals.by': '{0}: {1} reaches {2} ± {3} by step {4}',
  'claim.part.below.through': '{0}: {1} stays below {2} at every report through step {3}',
  'claim.part.above.through': '{0}: {1} stays above {2} at every report through step {3}',
  'claim.part.equals.through': '{0}: {1} is {2} ± {3} at every report through step {4}',
  'claim.part.diverges': '{0} diverges by step {1}',
  'claim.part.finite': '{0} stays finite through step {1}',
  'claim.measure.ratio': 'every ratio ||dL/dh_t|| / ||dL/dh_t+1||',
  'claim.measure.reach': '||dL/dh_0|| / ||dL/dh_T−1||',
  'claim.measure.forgetProduct': 'the forget gates\' product Π f_k over the sequence',
  'claim.measure.derivative': 'the mean tanh\'',
  'claim.measure.sigmaMax': 'σ_max(W_hh)',
  'claim.measure.exposureBias': 'the exposure bias (tokens right fed the truth minus fed itself)',

  // Loss view
  'view.loss': 'Loss and score',
  'loss.tip': 'The training loss at every step (log scale). Each line is one model; all train on the same batches.',
  'loss.axis.step': 'training step',
  'loss.axis.loss': 'loss',
  'loss.baseline': 'Baseline: {0}',
  'loss.baseline.tip.adding': 'What a network that remembers nothing scores: always answering 1, the average sum, gives MSE 1/6. Below the line, it has learned something.',
  'loss.baseline.tip.copy': 'What a network that remembers nothing scores: guessing one of the 8 symbols at each of the 10 recall steps. Below the line (or above it, for accuracy), it has learned something.',
  'loss.baseline.tip.temporal-order': 'What a network that remembers nothing scores: guessing one of the four orders. Below the line (or above it, for accuracy), it has learned something.',
  'loss.baseline.tip.sine': 'What a network that remembers nothing scores: predicting that the next value equals the current one, which needs no memory. Below the line, the network uses what it remembers of the wave.',
  'loss.baseline.tip.seq2seq': 'What a decoder that learned nothing scores: a guess spread over the 11 outputs, and almost no whole answer right.',
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

  'flow.line.tip': '{0}: the size of the gradient that reaches the hidden state at each time step, for the latest batch.',
  'flow.bound.tip': '{0}, the bound: (σ_max(W_hh) · max tanh\')^(T−1−t) times the gradient at the last step. The measurement can only stay under it; how far under shows how much tanh\' < 1 adds to the vanishing.',
  'flow.heatmap.label': '{0}: ||dL/dh_t|| over training',
  'flow.heatmap.tip': 'Each row is one reported training step (earliest at the top), each column a time step; brighter means more gradient (log scale). Watch where the gradient reaches as the network learns. Click a column to focus that time step.',
  'flow.heatmap.reading': 'training step {0}, t = {1}: ||dL/dh_t|| = {2}',
  'focus.tip': 'The focused time step: every view marks it. Click it again to clear.',

  // Vanishing (vanilla RNN)
  'view.vanishing': 'The two causes of vanishing',
  'vanishing.tip': 'One step back through a vanilla RNN multiplies the gradient by diag(tanh\'(a_t)) W_hh. Solid: the mean tanh\' at each step (never above 1). Horizontal line: σ_max(W_hh), the most W_hh can stretch a vector. Dashed: their product, about how much one step back can keep.',
  'vanishing.axis': 'factor per step back',
  'vanishing.sigma': 'σ_max(W_hh) = {0}',
  'vanishing.sigma.tip': 'The largest singular value of the recurrent matrix. Raised to the power of the number of steps, it decides whether the gradient can grow (above 1) or must fade (below 1).',
  'vanishing.derivative.tip': '{0}: mean tanh\'(a_t) over units and batch at each time step. Saturated units (|a| large) give values near 0 and block the gradient.',
  'vanishing.product.tip': '{0}: σ_max(W_hh) times the mean tanh\' at each step: roughly the factor one step back can multiply the gradient by. Below 1, it vanishes geometrically.',
  'vanishing.reading': '{0} at t = {1}: mean tanh\' {2} × σ_max {3} = {4}',
  'vanishing.summary.shrinks': '{0}: mean tanh\' {1} × σ_max(W_hh) {2} = {3} < 1, so the gradient shrinks at every step back.',
  'vanishing.summary.grows': '{0}: mean tanh\' {1} × σ_max(W_hh) {2} = {3} ≥ 1, so the gradient can grow step by step; clipping is the guard.',

  // Clipping
  'view.clipping': 'Gradient clipping',
  'clipping.tip': 'The global gradient norm ||g|| at each step (solid) and after clipping (dashed). When ||g|| exceeds the threshold c, every gradient is scaled by c/||g||: the direction is kept, the length capped. It stops explosions; it cannot revive a vanished gradient.',
  'clipping.axis': '||g||',
  'clipping.threshold': 'threshold c = {0}',
  'clipping.threshold.tip': 'training.clipNorm: updates longer than this are shortened to it.',
  'clipping.before.tip': '{0}: the global gradient norm before clipping.',
  'clipping.after.tip': '{0}: the norm after clipping, never above the threshold.',
  'clipping.reading': '{0} at step {1}: ||g|| = {2}, after clipping {3}',
  'clipping.off': 'No clipping in this spec: set training.clipNorm to cap the update length.',
  'clipping.share': '{0}: clipped {1}% of steps ({2} of {3}).',
  'clipping.unclipped.mark': 'unclipped run diverges',
  'clipping.unclipped.tip': 'The same model, data and seed trained without clipping, alongside this run: here its loss stopped being finite.',
  'clipping.unclipped.diverged': 'Without clipping, the same run diverged at step {0}.',
  'clipping.unclipped.finite': 'Without clipping, the same run was still finite after {0} steps.',
  'clipping.diverged.tip': 'This run stopped here: its loss or gradient stopped being a finite number.',

  // Gates
  'view.gates': 'Gates',
  'gates.tip': 'The cell, alive: each gate is coloured by its mean activation (brighter is more open) at the focused time step, or averaged over the sequence. Below, every unit of every gate over time, for one sequence of the batch.',
  'gates.sample': 'Sequence in the batch',
  'gates.sample.tip': 'Which sequence of the batch the heatmaps show (0 is the first).',
  'gates.map.gate': '{0} for every unit (rows) at every time step (columns) of one sequence: dark is closed (0), bright is open (1). Click a column to focus that time step.',
  'gates.map.candidate': '{0} for every unit (rows) at every time step (columns) of one sequence, from −1 to 1.',
  'gates.reading': '{0}, unit {1}, t = {2}: {3} (sequence {4})',
  'gates.empty': 'Train or step to see the gates open and close.',
  'gates.none': 'A vanilla RNN has no gates: its one path back through time goes through tanh\' and W_hh at every step.',
  'gate.name.input': 'input gate i',
  'gate.name.forget': 'forget gate f',
  'gate.name.output': 'output gate o',
  'gate.name.candidate': 'candidate g',
  'gate.name.update': 'update gate z',
  'gate.name.reset': 'reset gate r',

  // Loss extras
  'loss.line.tip': '{0}: the training loss of each step.',
  'loss.reading': '{0} at step {1}: loss {2}, score {3}',
  'loss.zoom': 'Steps shown',
  'loss.zoom.all': 'All steps',
  'loss.zoom.1000': 'Last 1000',
  'loss.zoom.100': 'Last 100',

  // Seq2seq
  'view.seq2seq': 'Encoder-decoder: one held-out example, token by token',
  's2s.tip': 'The decoder writes its answer one token at a time and ends it with the end token. Below: one sequence of the fixed held-out set as the selected model decodes it, fed the truth and fed its own guesses; then how the two scores move apart over training; then how much gradient reaches each step.',
  's2s.empty': 'Train or step to see the decoder write its answers.',
  's2s.part.encoder': 'encoder reads',
  's2s.part.decoder': 'decoder writes',
  's2s.bridge': 'bridge',
  's2s.bridge.tip': 'The bridge: the encoder\'s last state becomes the decoder\'s first state. Everything the decoder knows about the input crosses here.',
  's2s.derailed': 'derailed',
  's2s.derailed.tip': 'Derailed: everything after the first wrong token of the free-running decode. From that step on the decoder was fed its own mistake, so these tokens were computed from a wrong prefix, whether or not they happen to match.',
  's2s.row.input': 'input',
  's2s.row.input.tip': 'The held-out sequence the encoder reads, one token per step.',
  's2s.row.target': 'target',
  's2s.row.target.tip': 'The answer the decoder should write, ended by the end token ⟨e⟩. A decode of the wrong length is wrong.',
  's2s.row.free': 'free running',
  's2s.row.free.tip': 'The decoder on its own, as at test time: each step is fed its own previous output, from the start token until it writes the end token (or runs out of steps). It is never told the answer\'s length.',
  's2s.row.forced': 'teacher forced',
  's2s.row.forced.tip': 'The same decoder fed the true previous token at every step, as in training with teacher forcing p = 1. A mistake here does not spread: the next step is fed the truth again.',
  's2s.row.fed': 'training fed',
  's2s.row.fed.tip': 'Teacher forcing during training, for one sequence of the latest training batch: a filled dot is a step fed the true previous token, a hollow one a step fed the decoder\'s own guess. Each step flips a coin that feeds the truth with probability p.',
  's2s.tok.input': 'Input, step {0}: {1}. The encoder reads this token.',
  's2s.tok.target': 'Target, step {0}: {1}.',
  's2s.tok.right': 'Free running, step {0}: wrote {1}, as the target says. It was fed its own previous output.',
  's2s.tok.wrong': 'Free running, step {0}: wrote {1} where the target has {2}. This is its first mistake; from the next step on it is fed this mistake.',
  's2s.tok.derailedRight': 'Free running, step {0}: wrote {1}, which matches the target, but after the first mistake: it was computed from a wrong prefix.',
  's2s.tok.derailedWrong': 'Free running, step {0}: wrote {1} where the target has {2}, after the first mistake: the error has spread.',
  's2s.tok.extra': 'Free running, step {0}: wrote {1} after the target had ended: the answer is too long.',
  's2s.tok.missing': 'Free running wrote nothing at step {0}: it had already written the end token, so the answer is too short.',
  's2s.tok.forcedRight': 'Teacher forced, step {0}: predicted {1}, right. Fed the true previous token.',
  's2s.tok.forcedWrong': 'Teacher forced, step {0}: predicted {1} where the target has {2}. The next step is still fed the truth, so this mistake does not spread.',
  's2s.fed.start': 'Training, decoder step 1: every decoder starts from the start token.',
  's2s.fed.truth': 'Training, decoder step {0}: fed the true previous token {1}.',
  's2s.fed.own': 'Training, decoder step {0}: fed the decoder\'s own guess instead of the truth.',
  's2s.example': 'Held-out example',
  's2s.example.tip': 'One of the {0} sequences of the fixed held-out set, which covers every length. Every report scores the same ones, so the numbers are comparable over time and between models.',
  's2s.example.previous': 'Previous example',
  's2s.example.next': 'Next example',
  's2s.example.status': 'of {0} · length {1} · decoded by {2}',
  's2s.verdict.right': 'Free running got this sequence exactly right.',
  's2s.verdict.wrong': 'Free running went wrong at decoder step {0}.',
  's2s.verdict.short': 'Free running ended too early, after {0} tokens instead of {1}.',
  's2s.verdict.long': 'Free running wrote {0} tokens where the target has {1}: too long.',
  's2s.fed.summary': 'Latest training batch, sequence {0}: over the whole batch, {1}% of the decoder steps after the first were fed the truth (teacher forcing p = {2}).',
  's2s.summary': '{0}: tokens right {1}% fed the truth, {2}% fed itself; whole sequences right {3}%; right length {4}%.',
  's2s.summary.tip': 'Each model on the whole held-out set at its latest report. Tokens right: the share of target tokens (end token included) predicted right, fed the truth and fed its own guesses. Whole sequences right: answers written exactly, on its own. Right length: answers whose end token lands in the right place, whatever the digits before it.',
  's2s.exposure': 'Exposure bias over training',
  's2s.exposure.tip': 'The held-out score fed the truth (solid) and fed its own guesses (dashed), for each model; the shaded gap between them is exposure bias. A model trained with teacher forcing has only ever seen true prefixes; on its own it meets its mistakes for the first time.',
  's2s.exposure.tokens': 'Tokens',
  's2s.exposure.sequences': 'Whole sequences',
  's2s.exposure.mode': 'Score shown',
  's2s.exposure.axis.tokens': 'tokens right',
  's2s.exposure.axis.sequences': 'sequences exactly right',
  's2s.exposure.sameSequences': 'The two lines coincide: a sequence fed its own tokens is exactly right if and only if it is exactly right fed the truth, because until the first mistake both are fed the same tokens. The gap shows in the tokens.',
  's2s.legend.forced': 'fed the truth',
  's2s.legend.free': 'fed itself',
  's2s.legend.gap': 'gap = exposure bias',
  's2s.line.forced.tip': '{0}: the held-out score with the decoder fed the true previous token at every step.',
  's2s.line.free.tip': '{0}: the held-out score with the decoder fed its own previous output, as at test time.',
  's2s.gap.tip': '{0}: the gap between the score fed the truth and fed itself: the exposure bias of this model.',
  's2s.exposure.reading': 'step {0}: {1}',
  's2s.exposure.value': '{0}: {1}% fed the truth, {2}% fed itself',
  's2s.gradient': 'Gradient reaching the input',
  's2s.gradient.tip': '||dL/dh_t|| over the encoder\'s steps, then the decoder\'s (log scale), for the latest batch. The loss is read only in the decoder: to reach an input token, its gradient must cross the bridge and run back through the encoder. Do the first input tokens receive any?',
  's2s.gradient.axis': 'encoder steps, then decoder steps',
  's2s.gradient.reading': '{0}: the first input step receives {1} times the gradient at the last one ({2} vs {3}).',
  's2s.gradient.line.tip': '{0}: the size of the gradient that reaches the hidden state at each step of the encoder and the decoder.',
  'metric.sequenceAccuracy': 'free-running sequence accuracy',

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
  'arch.end': 'End token: the decoder\'s last output, meaning "the answer is over". It is how the decoder says how long its answer is: running on its own, it stops here, and it is never told the length.',
  'arch.feedback': 'Each decoder step is fed the previous token: the true one with teacher forcing, its own guess otherwise.',
  'arch.summary': '{0} cell, {1} hidden units, {2} layer(s), task "{3}" of length {4}.',

  // Cell internals (shared)
  'cell.xIn': 'x_t, the input at this step.',
  'cell.hPrev': 'h_{t-1}, the hidden state from the previous step.',
  'cell.hOut': 'h_t, the new hidden state. It goes up to the next layer or the readout, and right to the next step.',
  'cell.concat': 'The previous state and the input are joined and multiplied by one weight matrix per gate.',
  'cell.gateReading': 'mean activation {0}',

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

  // Spec controls (they write the spec file)
  'spec.label': 'Change the spec',
  'spec.tip': 'These controls edit the spec file itself, one change at a time, keeping its comments and layout. Ctrl+Z in the editor undoes a change.',
  'spec.model': 'Model {0}',
  'spec.cell': 'Cell',
  'spec.cell.tip': 'model.cell: the vanilla rnn, the lstm with its cell state and three gates, or the gru with two gates.',
  'spec.hiddenSize': 'Hidden size',
  'spec.hiddenSize.tip': 'model.hiddenSize: how many units the hidden state has (1 to 512).',
  'spec.layers': 'Layers',
  'spec.layers.tip': 'model.layers: recurrent layers stacked on top of each other (1 to 4).',
  'spec.forgetBias': 'Forget bias',
  'spec.forgetBias.tip': 'model.init.forgetBias: the forget gate\'s starting bias. At 1 or more the gate starts mostly open, so the cell state and its gradient carry far from the start.',
  'spec.teacherForcing': 'Teacher forcing',
  'spec.teacherForcing.tip': 'model.seq2seq.teacherForcing: how often the decoder is fed the true previous token instead of its own guess while training (0 to 1).',
  'spec.learningRate': 'Learning rate',
  'spec.learningRate.tip': 'training.learningRate: the size of each update step.',
  'spec.clip': 'Clip at',
  'spec.clip.tip': 'training.clipNorm: when on, an update whose gradient norm is above this threshold is scaled down to it. Off writes null.',
  'spec.length': 'Sequence length',
  'spec.length.tip': 'task.length: how many time steps each sequence has. The gradient has to cross all of them.',
  'spec.lengthMin': 'Shortest sequence length',
  'spec.lengthMax': 'Longest sequence length',
  'spec.key.tip': 'Set by {0}. Click to select it in the editor.',

  // Exports
  'export.view': 'Export this view as SVG or PNG',
} as const;

export type StringKey = keyof typeof STRINGS;
export type Strings = Readonly<Record<StringKey, string>>;

/** Fills `{0}`, `{1}`... in a translated string. */
export { formatTemplate as fill };

/**
 * A message as a string key and its arguments, for text made far from where it is shown (the worker, the
 * trainer): it travels as a code and is translated by whoever shows it.
 */
export interface Coded<K extends StringKey = StringKey> {
  readonly code: K;
  readonly args: readonly MessageArg[];
}

export function coded<K extends StringKey>(code: K, ...args: MessageArg[]): Coded<K> {
  return { code, args };
}

export const DIVERGENCE_MESSAGES: Readonly<Record<DivergenceCode, StringKey>> = {
  'loss-not-finite': 'diverged.lossNotFinite',
  'gradient-not-finite': 'diverged.gradientNotFinite',
};

/** Why a run diverged, in English (the CLI's `reason`); the preview translates the same key. */
export function divergenceReason(d: Divergence): string {
  return formatTemplate(STRINGS[DIVERGENCE_MESSAGES[d.code]], d.args);
}
