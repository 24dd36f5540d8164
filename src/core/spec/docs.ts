/**
 * Hover documentation for every key of a spec, in English and Korean. VS Code shows these while the user
 * types (through the JSON schema); they are meant to teach, not just to name the type.
 */
export type DocLanguage = 'en' | 'ko';

export const SPEC_DOCS: Readonly<Record<string, Readonly<Record<DocLanguage, string>>>> = {
  root: {
    en: 'An **RNN Lens** experiment: which recurrent network to build, which task to train it on, and how. Run **RNN Lens: Visualize LSTM** to watch it train.',
    ko: '**RNN Lens** 실험 정의입니다. 어떤 순환 신경망을 만들고, 어떤 과제로, 어떻게 학습할지 적습니다. **RNN Lens: Visualize LSTM** 명령으로 학습 과정을 볼 수 있습니다.',
  },
  $schema: {
    en: 'Optional link to the schema. RNN Lens already applies it to every `*.rnn.json` file.',
    ko: '스키마 주소(선택). RNN Lens는 모든 `*.rnn.json` 파일에 이미 스키마를 적용합니다.',
  },
  description: {
    en: 'A sentence of your own about what this experiment should show. It is printed above the preview.',
    ko: '이 실험으로 무엇을 확인하려는지 직접 적는 한 줄 설명입니다. 미리보기 위쪽에 표시됩니다.',
  },
  model: {
    en: 'The recurrent network: which cell it repeats over time, how wide and how deep it is, and how its weights start.',
    ko: '순환 신경망 자체입니다. 시간마다 반복되는 셀의 종류, 너비와 깊이, 가중치의 초기값을 정합니다.',
  },
  'model.cell': {
    en: 'The unit applied at every time step.\n\n- `rnn`: one `tanh(W_hh h + W_xh x + b)`. Its gradient is multiplied by the same matrix at every step back, so it fades or blows up over long sequences.\n- `lstm`: adds a cell state `c` that is updated by addition and scaled only by the forget gate, a path on which gradients survive.\n- `gru`: two gates (reset, update); the new state is a blend of the old state and a candidate.',
    ko: '매 시간 단계에 적용되는 단위입니다.\n\n- `rnn`: `tanh(W_hh h + W_xh x + b)` 하나. 거꾸로 한 단계 갈 때마다 같은 행렬이 곱해지므로, 긴 시퀀스에서는 기울기가 사라지거나 폭발합니다.\n- `lstm`: 덧셈으로 갱신되고 forget 게이트로만 줄어드는 셀 상태 `c`가 있어, 기울기가 살아남는 통로가 생깁니다.\n- `gru`: 게이트 두 개(reset, update). 새 상태는 이전 상태와 후보 상태를 섞은 값입니다.',
  },
  'model.hiddenSize': {
    en: 'Number of units in the hidden state `h` (and in the LSTM cell state `c`). Wider layers remember more but cost about `hiddenSize²` per step.',
    ko: '은닉 상태 `h`(LSTM이면 셀 상태 `c`도)의 유닛 수입니다. 넓을수록 더 많이 기억하지만 한 단계의 비용이 대략 `hiddenSize²`에 비례해 늘어납니다.',
  },
  'model.layers': {
    en: 'How many recurrent layers are stacked; each layer reads the hidden states of the one below. Gradients must cross time *and* depth.',
    ko: '쌓아 올린 순환 층의 수입니다. 각 층은 아래 층의 은닉 상태를 입력으로 받습니다. 기울기는 시간 방향과 깊이 방향을 모두 거쳐야 합니다.',
  },
  'model.activation': {
    en: 'Nonlinearity of the vanilla `rnn` cell. `tanh` has a slope of at most 1, which is one of the two reasons gradients vanish; `relu` and `linear` leave only the powers of `W_hh`. Gated cells always use sigmoid gates and a tanh candidate.',
    ko: '기본 `rnn` 셀의 활성화 함수입니다. `tanh`의 기울기는 1을 넘지 않아 기울기 소실의 두 원인 중 하나가 됩니다. `relu`와 `linear`에서는 `W_hh`의 거듭제곱만 남습니다. 게이트가 있는 셀은 항상 sigmoid 게이트와 tanh 후보를 씁니다.',
  },
  'model.init': {
    en: 'How the weights start. The recurrent matrix matters most: its largest singular value decides whether the untrained network already shrinks or grows gradients.',
    ko: '가중치의 초기값입니다. 가장 중요한 것은 순환 행렬로, 그 최대 특이값이 학습 전 네트워크가 기울기를 줄일지 키울지를 결정합니다.',
  },
  'model.init.recurrent': {
    en: 'Initial recurrent matrix `W_hh`.\n\n- `orthogonal`: all singular values equal, so nothing is shrunk or stretched at the start.\n- `identity`: `W_hh = I`, each unit copies itself forward (with `recurrentScale` s, `W_hh = s·I`).\n- `glorot`: random uniform; singular values spread around 1.',
    ko: '순환 행렬 `W_hh`의 초기값입니다.\n\n- `orthogonal`: 모든 특이값이 같아서 처음에는 어떤 방향도 줄거나 늘지 않습니다.\n- `identity`: `W_hh = I`, 각 유닛이 자기 값을 그대로 다음 단계로 넘깁니다(`recurrentScale`이 s이면 `W_hh = s·I`).\n- `glorot`: 균등 분포 난수. 특이값이 1 근처에 퍼집니다.',
  },
  'model.init.recurrentScale': {
    en: 'Multiplies the initial recurrent matrix. With `identity` and 0.9 the gradient of a linear RNN shrinks by exactly 0.9 per step back; with 1.1 it grows by 1.1.',
    ko: '초기 순환 행렬에 곱하는 배율입니다. `identity`와 0.9를 쓰면 선형 RNN의 기울기는 한 단계 거슬러 갈 때마다 정확히 0.9배가 되고, 1.1이면 1.1배로 커집니다.',
  },
  'model.init.forgetBias': {
    en: 'Initial bias of the LSTM forget gate. Around +1 to +2 the gate starts mostly open (`σ(1) ≈ 0.73`, `σ(2) ≈ 0.88`), so the cell state and its gradient pass through many steps from the first update.',
    ko: 'LSTM forget 게이트의 초기 편향입니다. +1~+2 정도면 게이트가 처음부터 대부분 열려 있어(`σ(1) ≈ 0.73`, `σ(2) ≈ 0.88`), 학습 초기부터 셀 상태와 그 기울기가 여러 단계를 통과합니다.',
  },
  'model.seq2seq': {
    en: 'Make it an encoder-decoder: one network reads the whole input, its last state starts a second network that writes the output from a start token. Needed when the output does not line up with the input step by step.',
    ko: '인코더-디코더로 만듭니다. 한 네트워크가 입력 전체를 읽고, 그 마지막 상태로 두 번째 네트워크를 시작해 시작 토큰부터 출력을 씁니다. 출력이 입력과 한 단계씩 짝지어지지 않는 과제에 필요합니다.',
  },
  'model.seq2seq.teacherForcing': {
    en: 'Probability that, during training, the decoder is fed the true previous token instead of its own guess. 1 is full teacher forcing; at test time the decoder always feeds itself, and the gap between the two is exposure bias.',
    ko: '학습할 때 디코더에 자기 예측 대신 정답 이전 토큰을 넣어 줄 확률입니다. 1이면 항상 teacher forcing입니다. 평가할 때는 언제나 자기 예측을 넣으며, 둘 사이의 차이를 exposure bias라고 합니다.',
  },
  task: {
    en: 'The problem the network learns. Each is generated on the fly from the seed, and each needs memory over a known distance.',
    ko: '네트워크가 배울 문제입니다. 모두 시드로부터 즉석에서 생성되며, 각각 정해진 거리만큼의 기억을 요구합니다.',
  },
  'task.name': {
    en: 'Which task.\n\n- `adding`: add the two marked numbers, answer at the end. Guessing 1 scores MSE 1/6.\n- `copy`: recall 10 symbols after a long blank stretch.\n- `temporal-order`: tell the order of two far-apart symbols (AA, AB, BA, BB).\n- `sine`: predict the next value of a sine wave.\n- `reverse`, `sort`, `arithmetic`: the output differs from the input in order or length, so they need `model.seq2seq`.',
    ko: '과제의 종류입니다.\n\n- `adding`: 표시된 두 수를 더해 마지막에 답합니다. 항상 1이라고 답하면 MSE는 1/6입니다.\n- `copy`: 긴 공백 뒤에 기호 10개를 그대로 떠올립니다.\n- `temporal-order`: 멀리 떨어진 두 기호의 순서(AA, AB, BA, BB)를 맞힙니다.\n- `sine`: 사인파의 다음 값을 예측합니다.\n- `reverse`, `sort`, `arithmetic`: 출력의 순서나 길이가 입력과 달라서 `model.seq2seq`가 필요합니다.',
  },
  'task.length': {
    en: 'Sequence length T: the distance the network must carry information. A number for a fixed length, or `[min, max]` to draw a length for every batch. For `copy` the sequence is T + 20 steps; for `arithmetic` it is the digits per operand.',
    ko: '시퀀스 길이 T, 즉 정보를 옮겨야 하는 거리입니다. 고정 길이는 숫자 하나로, 배치마다 길이를 뽑으려면 `[min, max]`로 적습니다. `copy`의 실제 시퀀스는 T + 20 단계이고, `arithmetic`에서는 피연산자 하나의 자릿수입니다.',
  },
  training: {
    en: 'How the weights are updated: optimizer, step size, batch, clipping and the random seed that makes a run repeatable.',
    ko: '가중치를 갱신하는 방법입니다. 옵티마이저, 학습률, 배치, 클리핑, 그리고 실행을 재현 가능하게 만드는 난수 시드를 정합니다.',
  },
  'training.optimizer': {
    en: 'Update rule. `adam` adapts the step per weight and is forgiving; `sgd` shows exploding gradients most plainly; `rmsprop` divides by a running gradient size.',
    ko: '갱신 규칙입니다. `adam`은 가중치마다 보폭을 조절해 관대하고, `sgd`는 기울기 폭발을 가장 그대로 드러내며, `rmsprop`은 최근 기울기 크기로 나눠 줍니다.',
  },
  'training.learningRate': {
    en: 'Step size of each update. Too large and the loss jumps or becomes NaN; too small and nothing moves.',
    ko: '한 번 갱신할 때의 보폭입니다. 너무 크면 손실이 튀거나 NaN이 되고, 너무 작으면 학습이 거의 진행되지 않습니다.',
  },
  'training.batchSize': {
    en: 'Sequences per training step. The gradient is averaged over them.',
    ko: '한 학습 단계에 쓰는 시퀀스 수입니다. 기울기는 이들의 평균입니다.',
  },
  'training.steps': {
    en: 'Training steps before the run stops on its own (play can be paused at any time).',
    ko: '자동으로 멈출 때까지의 학습 단계 수입니다(언제든 일시정지할 수 있습니다).',
  },
  'training.clipNorm': {
    en: 'Gradient clipping threshold c. When the global gradient norm ‖g‖ exceeds c, every gradient is multiplied by c/‖g‖: same direction, bounded length. It tames explosions, not vanishing. `null` or absent: no clipping.',
    ko: '기울기 클리핑 임계값 c입니다. 전체 기울기 노름 ‖g‖가 c를 넘으면 모든 기울기에 c/‖g‖를 곱합니다. 방향은 그대로, 길이만 제한됩니다. 폭발은 막지만 소실은 막지 못합니다. `null`이거나 없으면 클리핑하지 않습니다.',
  },
  'training.seed': {
    en: 'Random seed for the data and the initial weights. The same spec and seed give the same run on every backend.',
    ko: '데이터와 초기 가중치의 난수 시드입니다. 같은 스펙과 시드는 어떤 백엔드에서도 같은 실행을 만듭니다.',
  },
  compare: {
    en: 'Other models to train side by side on exactly the same data and seed. Each entry overrides some `model` keys, e.g. `[{ "cell": "rnn" }, { "cell": "gru" }]`.',
    ko: '똑같은 데이터와 시드로 나란히 학습할 다른 모델들입니다. 각 항목은 `model`의 일부 키를 바꿉니다. 예: `[{ "cell": "rnn" }, { "cell": "gru" }]`.',
  },
  'compare[]': {
    en: 'A variant of `model`: only the keys written here change.',
    ko: '`model`의 변형입니다. 여기 적은 키만 바뀝니다.',
  },
};
