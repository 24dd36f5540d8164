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
  'view.cellOf': 'Inside one {0} cell: {1}',
  'header.models': 'Models compared (each keeps its colour on every chart)',
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
  'diverged.lossNotFinite': 'the loss stopped being a finite number (it became {0} at step {1}). The update was skipped and training stopped: with nothing to limit it, the gradient grew until the numbers overflowed. Lower the learning rate or set training.clipNorm.',
  'diverged.gradientNotFinite': 'the gradient norm stopped being a finite number (it became {0} at step {1}, with the loss at {2}). The update was skipped and training stopped: with nothing to limit it, the gradient grew until the numbers overflowed. Lower the learning rate or set training.clipNorm.',
  'training.error': 'Training stopped: {0}',

  // What the training worker says (codes with arguments, translated here)
  'note.unavailable': '{0} is not available',
  'note.noFloat32': 'WebGL here cannot render to float32 textures (only half floats, which would flatten tiny and huge gradients)',
  'note.forcedHalfFloat': 'WebGL is forced to half-float textures',
  'note.contextLost': 'The WebGL context was lost at step {0}; training continues on {1} from the weights of step {2} (the optimizer\'s running averages restart).',
  'error.noBackend': 'no backend could start',
  'error.workerFailed': 'the training worker failed',
  'error.malformed': 'the training worker ignored a malformed message',
  'error.unexpected': 'an unexpected error: {0}',

  // What is happening while nothing else moves (worker or page, as codes)
  'activity.worker': 'starting the training worker…',
  'activity.backend': 'choosing where to train (WebGL, WASM or CPU)…',
  'activity.measuring': 'measuring which backend trains fastest here…',
  'activity.compiling': 'compiling WebGL shaders for the first step (a few seconds, once)…',
  'activity.moving': 'moving training off the lost WebGL context…',

  // The run before the last edit
  'previous.tip': '{0} before your last edit, up to step {1}: kept faint until the new run gets as far, so you can see what the edit changed.',
  'previous.legend': 'before your edit (to step {0})',
  'previous.legendModel': '{0} before your edit (to step {1})',

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
  'metric.line.tip': '{0}: the score on fresh held-out sequences, measured at every report.',
  'loss.empty': 'The loss of every model appears here, step by step, once training starts.',
  'metric.empty': 'The held-out score appears here at the first report.',
  'loss.legend.model': 'loss and score',
  'loss.legend.baseline': 'baseline: a model without memory',
  'score.learned': '{0}: {1} {2} against {3} for a model without memory: it has learned what the task needs.',
  'score.partly': '{0}: {1} {2} against {3} for a model without memory: better, but far from solved.',
  'score.nothing': '{0}: {1} {2} against {3} for a model without memory: no better than that so far.',
  'score.worse': '{0}: {1} {2}, worse than the {3} of a model without memory.',

  // Gradient flow
  'view.gradientFlow': 'Gradient flow through time',
  'flow.tip': '||dL/dh_t||: how much gradient reaches the hidden state of each time step, for the latest batch (log scale). A line falling towards t = 1 is a vanishing gradient; a rising one is exploding.',
  'flow.axis.t': 'time step t',
  'flow.axis.norm': '||dL/dh_t||',
  'flow.encoderEnd': 'decoder starts',
  'flow.empty': 'Press Train or Step: each model\'s ||dL/dh_t|| will appear here, one line per model, with how it changes per step back.',
  'flow.chartEmpty': '||dL/dh_t|| for every time step appears here after the first step',
  'flow.reading': 't = {0}: {1}',
  'flow.legend.measured': 'measured ||dL/dh_t||',
  'flow.legend.bound': 'bound (σ_max(W_hh) · max f\')^(T−t)',
  'flow.short.vanishing': '{0}: ×{1} per step back; t = 1 gets {2} of the last step\'s gradient: vanishing',
  'flow.short.exploding': '{0}: ×{1} per step back; t = 1 gets {2}× the last step\'s gradient: exploding',
  'flow.short.steady': '{0}: ×{1} per step back; t = 1 gets {2}× the last step\'s gradient, within 10×: steady',
  'flow.heatmaps': 'How it changed over training',
  'flow.scale': '||dL/dh_t|| (log scale)',

  'flow.line.tip': '{0}: the size of the gradient that reaches the hidden state at each time step, for the latest batch.',
  'flow.bound.tip': '{0}, the bound: (σ_max(W_hh) · max f\')^(T−1−t) times the gradient at the last step, where max f\' = 1 for tanh, ReLU and linear. The measurement can only stay under it. It proves vanishing only where it falls; a bound that grows proves nothing.',
  'flow.heatmap.label': '{0}: ||dL/dh_t|| over training',
  'flow.heatmap.tip': 'Each row is one reported training step (earliest at the top), each column a time step; the colour is ||dL/dh_t||, on the log scale above. Watch where the gradient reaches as the network learns. Click a column to focus that time step.',
  'flow.heatmap.reading': '{0}, training step {1}, t = {2}: ||dL/dh_t|| = {3}',
  'focus.tip': 'The focused time step: every view marks it. Click it again to clear.',

  // Vanishing (vanilla RNN)
  'view.vanishing': 'One step back through a vanilla RNN: measured, and bounded',
  'vanishing.tip': 'One step back through a vanilla RNN multiplies the gradient by diag(f\'(a_t)) W_hh. Solid: what it did, measured as ||dL/dh_t|| / ||dL/dh_(t+1)||. Dotted: the mean f\'(a_t), the activation\'s share. Dashed line: the bound σ_max(W_hh) · max f\', the most one step can multiply by. A bound below 1 proves the gradient vanishes; above 1 it proves nothing, and only the measurement tells.',
  'vanishing.axis': 'factor per step back',
  'vanishing.empty': 'Press Train or Step: for each vanilla RNN, what one step back multiplied the gradient by will appear here, with the verdict it supports.',
  'vanishing.chartEmpty': 'the measured factor of every step back appears here',
  'vanishing.one': '1: kept as is',
  'vanishing.one.tip': 'A factor of 1 keeps the gradient as it is. Below 1, each step back shrinks it; above 1, each step back grows it.',
  'vanishing.bound': '{0} bound {1}',
  'vanishing.bound.tip': 'The bound of Pascanu, Mikolov and Bengio (2013): one step back multiplies ||dL/dh|| by at most σ_max(W_hh) · max f\' (max f\' = 1 for tanh, ReLU and linear). Below 1 it proves the gradient vanishes; at or above 1 it proves nothing.',
  'vanishing.measured.tip': '{0}: ||dL/dh_t|| / ||dL/dh_(t+1)||, what one step back really multiplied the gradient by, for the latest batch.',
  'vanishing.derivative.tip': '{0}: the mean {1} over units and batch at each time step, the activation\'s part of one step back.',
  'vanishing.reading': '{0} at t = {1}: measured ×{2}, mean {3} {4}, bound {5}',
  'vanishing.legend.measured': 'measured ||dL/dh_t|| / ||dL/dh_(t+1)||',
  'vanishing.legend.derivative': 'mean {0}',
  'vanishing.legend.bound': 'bound σ_max(W_hh) · max {0}',
  'vanishing.legend.one': 'factor 1: neither shrinks nor grows',
  'vanishing.clipped': 'Clipping (c = {0}) shortens the update, not this factor: the gradient still grows step by step.',
  'verdict.vanishing': '{0}: measured, one step back multiplies ||dL/dh_t|| by {1} on average (geometric mean over {2} steps), so t = 1 receives {3} of what the last step gets: the gradient vanishes.',
  'verdict.exploding': '{0}: measured, one step back multiplies ||dL/dh_t|| by {1} on average (geometric mean over {2} steps), so t = 1 receives {3} times what the last step gets: the gradient explodes.',
  'verdict.steady': '{0}: measured, one step back multiplies ||dL/dh_t|| by {1} on average (geometric mean over {2} steps), so t = 1 receives {3} times what the last step gets: neither vanishing nor exploding.',
  'bound.proves': 'The bound σ_max(W_hh) · max {0} = {1} is below 1, which proves it must vanish.',
  'bound.nothing': 'The bound σ_max(W_hh) · max {0} = {1} is not below 1, so it proves nothing here; the measurement decides.',
  'derivative.tanh': 'The activation\'s share: mean tanh\' {0} (1 lets all of it through; a saturated unit gives almost 0).',
  'derivative.relu': 'relu\' is 1 on active units and 0 on the rest; {0}% of the units are active on average.',
  'derivative.linear': 'A linear cell has f\' = 1: only W_hh shrinks or grows the gradient.',
  'activation.tanh': 'tanh\'',
  'activation.relu': 'relu\'',
  'activation.linear': 'linear\'',

  // Clipping
  'view.clipping': 'Gradient clipping',
  'clipping.tip': 'The global gradient norm ||g|| at each step (thin line) and after clipping (broad line). When ||g|| exceeds the threshold c, every gradient is scaled by c/||g||: the direction is kept, the length capped. It stops explosions; it cannot revive a vanished gradient.',
  'clipping.axis': '||g||',
  'clipping.empty': 'the global gradient norm of every step appears here',
  'clipping.threshold': 'threshold c = {0}',
  'clipping.threshold.tip': 'training.clipNorm: updates longer than this are shortened to it.',
  'clipping.before.tip': '{0}: the global gradient norm before clipping.',
  'clipping.after.tip': '{0}: the norm after clipping, never above the threshold {1}.',
  'clipping.reading': '{0} at step {1}: ||g|| = {2}, after clipping {3}',
  'clipping.twin.reading': 'without clipping, step {0}: ||g|| = {1}',
  'clipping.off': 'No clipping in this spec: the chart shows the global gradient norm ||g|| of every step. Set training.clipNorm to cap the length of every update.',
  'clipping.share': '{0}: ||g|| was above c at {1} of {2} steps ({3}%); each of those updates was shortened to length {4}.',
  'clipping.never': '{0}: ||g|| stayed under c = {2} at all {1} steps, so clipping has not changed an update.',
  'clipping.panel.with': 'This run, clipped at c = {0}',
  'clipping.panel.none': 'This run, not clipped',
  'clipping.panel.without': 'The same {0} without clipping: same data, same seed',
  'clipping.legend.before': 'before clipping',
  'clipping.legend.after': 'after clipping',
  'clipping.legend.twin': 'without clipping',
  'clipping.legend.overflow': 'overflow: no longer a number',
  'clipping.twin.tip': 'The same model, data and seed, trained without clipping alongside this run: its gradient norm at each step.',
  'clipping.twin.empty': 'the unclipped run appears here',
  'clipping.overflow.tip': 'Past here the numbers overflowed float32: the next norm was infinite or not a number.',
  'clipping.unclipped.mark': '✕ diverged at step {0}',
  'clipping.unclipped.tip': 'The same model, data and seed trained without clipping, alongside this run: here its loss or gradient stopped being a finite number and it stopped.',
  'clipping.unclipped.diverged': 'Without clipping, the same run diverged at step {0}: ||g|| was {1} at step {2}, then no longer a finite number.',
  'clipping.unclipped.divergedAtOnce': 'Without clipping, the same run diverged at step {0}, at its very first step.',
  'clipping.unclipped.finite': 'Without clipping, the same run was still finite after {0} steps.',
  'clipping.diverged.tip': 'This run stopped here: its loss or gradient stopped being a finite number.',

  // Gates
  'view.gates': 'Gates',
  'gates.tip': 'The cell, alive: each gate is coloured by its mean activation (brighter is more open) at the focused time step, or averaged over the sequence. Below, every unit of every gate over time, for one sequence of the batch.',
  'gates.sample': 'Sequence in the batch',
  'gates.sample.tip': 'Which sequence of the batch the heatmaps show (0 is the first).',
  'gates.map.gate': '{0} for every unit (rows) at every time step (columns) of one sequence, coloured from closed (0) to open (1) on the scale above. Click a column to focus that time step.',
  'gates.map.candidate': '{0} for every unit (rows) at every time step (columns) of one sequence, from −1 to 1 on the scale above.',
  'gates.axis.unit': 'unit',
  'gates.scale': 'gate: closed 0 … 1 open',
  'gates.scale.candidate': 'candidate g: −1 … 1',
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
