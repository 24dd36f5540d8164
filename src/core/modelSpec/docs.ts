/**
 * Hover documentation for every key of a spec, in English. VS Code shows these while the user types
 * (through the JSON schema); they are meant to teach, not just to name the type. The Korean lives with every
 * other translation, in l10n/bundle.l10n.ko.json, keyed by the English text.
 */
export const SPEC_DOCS: Readonly<Record<string, string>> = {
  root:
    'An **RNN Lens** experiment: which recurrent network to build, which task to train it on, and how. Run **RNN Lens: Visualize LSTM** to watch it train.',
  $schema:
    'Optional link to the schema. RNN Lens already applies it to every `*.rnn.json` file.',
  description:
    'A sentence of your own about what this experiment should show. It is printed above the preview.',
  model:
    'The recurrent network: which cell it repeats over time, how wide and how deep it is, and how its weights start.',
  'model.cell':
    'The unit applied at every time step.\n\n- `rnn`: one `tanh(W_hh h + W_xh x + b)`. Its gradient is multiplied by the same matrix at every step back, so it fades or blows up over long sequences.\n- `lstm`: adds a cell state `c` that is updated by addition and scaled only by the forget gate, a path on which gradients survive.\n- `gru`: two gates (reset, update); the new state is a blend of the old state and a candidate.',
  'model.hiddenSize':
    'Number of units in the hidden state `h` (and in the LSTM cell state `c`). Wider layers remember more but cost about `hiddenSize²` per step.',
  'model.layers':
    'How many recurrent layers are stacked; each layer reads the hidden states of the one below. Gradients must cross time *and* depth.',
  'model.activation':
    'Nonlinearity of the vanilla `rnn` cell. `tanh` has a slope of at most 1, which is one of the two reasons gradients vanish; `relu` and `linear` leave only the powers of `W_hh`. Gated cells always use sigmoid gates and a tanh candidate.',
  'model.init':
    'How the weights start. The recurrent matrix matters most: its largest singular value decides whether the untrained network already shrinks or grows gradients.',
  'model.init.recurrent':
    'Initial recurrent matrix `W_hh`.\n\n- `orthogonal`: all singular values equal, so nothing is shrunk or stretched at the start.\n- `identity`: `W_hh = I`, each unit copies itself forward (with `recurrentScale` s, `W_hh = s·I`).\n- `glorot`: random uniform; singular values spread around 1.',
  'model.init.recurrentScale':
    'Multiplies the initial recurrent matrix. With `identity` and 0.9 the gradient of a linear RNN shrinks by exactly 0.9 per step back; with 1.1 it grows by 1.1.',
  'model.init.forgetBias':
    'Initial bias of the LSTM forget gate. Around +1 to +2 the gate starts mostly open (`σ(1) ≈ 0.73`, `σ(2) ≈ 0.88`), so the cell state and its gradient pass through many steps from the first update.',
  'model.seq2seq':
    'Make it an encoder-decoder: one network reads the whole input, its last state starts a second network that writes the output from a start token. Needed when the output does not line up with the input step by step.',
  'model.seq2seq.teacherForcing':
    'Probability that, during training, the decoder is fed the true previous token instead of its own guess. 1 is full teacher forcing; at test time the decoder always feeds itself, and the gap between the two is exposure bias.',
  'model.seq2seq.attention':
    'How the decoder looks back at the source.\n\n- `none`: it sees the source only through the encoder\'s last state, one vector however long the input.\n- `dot` (Luong): at each step t it scores every encoder state h_j by `s_t·h_j`.\n- `additive` (Bahdanau): by `vᵀ tanh(W_a s_t + U_a h_j)`.\n\nThe scores of the real source positions go through a softmax (padding gets weight 0): `α_tj`. The context `c_t = Σ_j α_tj h_j` is combined with the decoder state, `h̃_t = tanh(W_c [s_t; c_t] + b_c)`, and the readout reads `h̃_t`.',
  'model.freezeRecurrent':
    'Keep the recurrent matrix `W_hh` (for LSTM and GRU, every gate\'s) at its initial value while the input weights, the biases and the readout learn. It gets no update, and its gradient counts neither in the global norm nor in clipping. With `identity` and `recurrentScale` 0.9, every step back then multiplies the gradient of a linear RNN by exactly 0.9, at every step of the run.',
  task:
    'The problem the network learns. Each is generated on the fly from the seed, and each needs memory over a known distance.',
  'task.name':
    'Which task.\n\n- `adding`: add the two marked numbers, answer at the end. Guessing 1 scores MSE 1/6.\n- `copy`: recall 10 symbols after a long blank stretch.\n- `temporal-order`: tell the order of two far-apart symbols (AA, AB, BA, BB).\n- `sine`: predict the next value of a sine wave.\n- `reverse`, `sort`, `arithmetic`: the output differs from the input in order or length, so they need `model.seq2seq`. The decoder writes the answer, then an end token. `arithmetic` reads \"a+b\" and answers the sum without leading zeros, so the answer is as long as an operand or one digit longer.',
  'task.length':
    'Sequence length T: the distance the network must carry information. A number for a fixed length, or `[min, max]` to draw a length for every sequence: a batch is padded to its longest sequence, and the padding counts for nothing (not in the loss, the gradients or any chart). For `copy` the sequence is T + 20 steps; for `arithmetic` it is the digits per operand.',
  training:
    'How the weights are updated: optimizer, step size, batch, clipping and the random seed that makes a run repeatable.',
  'training.optimizer':
    'Update rule. `adam` adapts the step per weight and is forgiving; `sgd` shows exploding gradients most plainly; `rmsprop` divides by a running gradient size.',
  'training.learningRate':
    'Step size of each update. Too large and the loss jumps or becomes NaN; too small and nothing moves.',
  'training.batchSize':
    'Sequences per training step. The gradient is averaged over them.',
  'training.steps':
    'Training steps before the run stops on its own (play can be paused at any time).',
  'training.clipNorm':
    'Gradient clipping threshold c. When the global gradient norm ‖g‖ exceeds c, every gradient is multiplied by c/‖g‖: same direction, bounded length. It tames explosions, not vanishing. `null` or absent: no clipping.',
  'training.seed':
    'Random seed for the data and the initial weights. The same spec and seed give the same run on every backend.',
  compare:
    'Other models to train side by side on exactly the same data and seed. Each entry overrides some `model` keys, e.g. `[{ "cell": "rnn" }, { "cell": "gru" }]`.',
  'compare[]':
    'A variant of `model`: only the keys written here change.',
  claim:
    'What this experiment should show, as numbers the preview checks while it trains: the top of the preview says whether the claim holds yet, holds, or does not hold, and at which step it came true. Every part must hold. `rnn-lens train` checks it too.',
  'claim[]':
    'One part of the claim: a `measure` of one `model`, compared with a number (`below`, `above`, or `equals` with `within`), `by` a step (it comes true at some report up to then) or `through` a step (it is true at every report up to then).',
  'claim[].model':
    'Which model: 0 is `model`, 1 the first `compare` entry, and so on. `unclipped` is the same run trained without clipping beside a clipped one (for up to 300 steps); only `diverges` and `finite` apply to it.',
  'claim[].measure':
    'What is measured, at every report.\n\n- `score`: the held-out score of *Loss and score* (test MSE, accuracy, or whole answers right for seq2seq).\n- `ratio`: every ratio ‖dL/dh_t‖ / ‖dL/dh_t+1‖, how much one step back keeps.\n- `reach`: ‖dL/dh_0‖ / ‖dL/dh_T−1‖, how much of the gradient at the last step reaches the first.\n- `forgetProduct`: Π f_k from the first step to the last (LSTM): how much of c_0 survives.\n- `derivative`: the mean slope tanh\' over the time steps (vanilla RNN).\n- `sigmaMax`: σ_max(W_hh) (vanilla RNN).\n- `exposureBias`: tokens right fed the truth minus tokens right fed itself (seq2seq).\n- `shortAccuracy`, `longAccuracy`: the share of whole answers right, fed itself, on the held-out sequences of the shortest or longest quarter of the source lengths (seq2seq).\n- `relevantInputShare`: the share of the input gradient Σ_t ‖dL/dx_t‖ on the steps the answer depends on (adding, copy, temporal-order); spread evenly it would be their share of the sequence.\n- `inputReach`: ‖dL/dx_0‖ / ‖dL/dx_T−1‖, how much the loss depends on the first input against the last.\n- `horizon`: with a `sweep`, the largest value solved with every smaller value solved too (0 if none); judged once every run has trained, so its step is `training.steps`.\n- `diverges`: the run stops on a non-finite number (with `by`).\n- `finite`: the run never does (with `through`).',
  'claim[].below':
    'The measure must be below this number (every value of it, for `ratio`).',
  'claim[].above':
    'The measure must be above this number (every value of it, for `ratio`).',
  'claim[].equals':
    'The measure must equal this number, give or take `within`.',
  'claim[].within':
    'How far from `equals` the measure may be, e.g. 0.0005.',
  'claim[].by':
    'The part comes true at some report up to this training step, and stays decided. Not yet true at this step: it does not hold.',
  'claim[].through':
    'The part is true at every report up to this training step. Until then it has not been shown yet; one report against it and it does not hold.',
  sweep:
    'Train every model at every value of one key, with the same steps and seed, to see how far each reaches: for example `{ "key": "task.length", "values": [5, 10, 20, 40, 80, 160] }`. Each run counts as solved or not, and a model\'s horizon is the largest value it solved with every smaller value solved too. The preview runs it in parallel workers; `rnn-lens sweep FILE` in a terminal.',
  'sweep.key':
    'The key that varies, as a dotted path. It applies to every model of `compare` alike, so no `compare` entry may set it.',
  'sweep.values':
    'The values to train at, at most 12, each as the key itself accepts it. Values that grow by a constant factor (5, 10, 20, 40) are drawn on a log scale.',
  'sweep.solved':
    'When a run counts as solved: `{ "below": x }` for a task scored by MSE, `{ "above": x }` for one scored by accuracy. By default an MSE task must fall below 10 % of what a network that learned nothing scores, and an accuracy task must close 90 % of the gap from chance to 1.',
  'sweep.solved.below':
    'Solved when the test MSE falls below this number at one of the run\'s checks.',
  'sweep.solved.above':
    'Solved when the test accuracy rises above this number at one of the run\'s checks.',
};
