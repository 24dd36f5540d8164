#!/usr/bin/env python3
"""An RNN Lens experiment, in PyTorch.

RNN Lens wrote this file from a *.rnn.json spec. It trains the same experiment as the editor's preview and
`rnn-lens train`, step for step: the same initial weights, the same batches, the same teacher-forcing coins,
the same cells, optimizer, clipping and divergence guard. It needs PyTorch and nothing else.

    python3 run.py                                   # on a CUDA GPU if PyTorch sees one, else on the CPU
    python3 run.py --json --every 10                 # the JSON lines of `rnn-lens train --json`
    python3 run.py --device cuda --spec-override task.length=1000 model.hiddenSize=512 training.batchSize=256
    torchrun --nproc_per_node 4 run.py               # data parallel: 4 processes share each batch

Without torchrun, start one process per rank yourself with the variables torchrun would set:
RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT. Each rank trains on its slice of the global batch
and DistributedDataParallel averages the gradients, so N ranks compute the same updates as one process.

Sections: the experiment (SPEC), random numbers, initial weights, tasks, the network, the optimizer, one
training step with its measurements, distributed training, the command line.
"""
import os
import sys

# Python puts this file's folder first on the module path, where a file named like a library module (an
# exported copy.py, say) would shadow the library. This script imports nothing from its folder.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != HERE]

import argparse  # noqa: E402
import copy  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import struct  # noqa: E402
import time  # noqa: E402
import unicodedata  # noqa: E402

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

# >>> spec: RNN Lens writes this block from the *.rnn.json file. Edit it, or use --spec-override.
SOURCE = "example.rnn.json"
SPEC = {
    "description": None,
    "model": {"cell": "lstm", "hiddenSize": 16, "layers": 1, "activation": "tanh", "init": {"recurrent": "orthogonal", "recurrentScale": 1, "forgetBias": 1}, "seq2seq": None},
    "task": {"name": "adding", "length": 20},
    "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "steps": 500, "clipNorm": None, "seed": 1},
    # Models trained beside the first one, on the same data and seed: what each changes.
    "compare": [],
}
# The legend names RNN Lens gives the models: the first, then one per "compare" entry.
LABELS = ["lstm"]
# The spec's claim as RNN Lens reads it (what a learner should see), carried into the --json log's header.
CLAIM = []
# <<< spec


# ---------------------------------------------------------------------------------------------------------
# Random numbers. RNN Lens draws data, initial weights and teacher-forcing coins in plain JavaScript from
# sfc32, seeded through splitmix32, with one stream per purpose named by a 32-bit FNV-1a hash ("data",
# "init/enc/0/W", ...). The same integer arithmetic here (uint32 wrapped with masks, Math.imul as the low 32
# bits of the product) gives the same numbers, bit for bit.
# ---------------------------------------------------------------------------------------------------------
M32 = 0xFFFFFFFF


def imul(a, b):
    """JavaScript's Math.imul, as an unsigned 32-bit number: the low 32 bits of the product."""
    return (a * b) & M32


def splitmix32(state):
    s = state & M32

    def next_number():
        nonlocal s
        s = (s + 0x9E3779B9) & M32
        z = imul(s ^ (s >> 16), 0x85EBCA6B)
        z = imul(z ^ (z >> 13), 0xC2B2AE35)
        return z ^ (z >> 16)

    return next_number


def fnv1a(text):
    """32-bit FNV-1a over the characters of a (plain ASCII) stream name."""
    h = 0x811C9DC5
    for ch in text:
        h = imul(h ^ ord(ch), 0x01000193)
    return h


class Rng:
    """sfc32, seeded from (seed, stream name) exactly as RNN Lens seeds it."""

    def __init__(self, seed, stream=""):
        self.seed = seed
        self.stream = stream
        mix = splitmix32((seed & M32) ^ fnv1a(stream))
        self.a, self.b, self.c, self.d = mix(), mix(), mix(), mix()
        self.spare = None
        for _ in range(12):
            self.next32()

    def fork(self, name):
        """An independent stream for a named purpose, from the same seed."""
        return Rng(self.seed, f"{self.stream}/{name}" if self.stream else name)

    def next32(self):
        a, b, c, d = self.a, self.b, self.c, self.d
        t = (a + b + d) & M32
        self.d = (d + 1) & M32
        self.a = b ^ (b >> 9)
        self.b = (c + (c << 3)) & M32
        c = ((c << 21) & M32) | (c >> 11)
        self.c = (c + t) & M32
        return t

    def uniform(self):
        """Uniform in [0, 1)."""
        return self.next32() / 4294967296.0

    def int(self, n):
        """Uniform integer in [0, n)."""
        return math.floor(self.uniform() * n)

    def normal(self):
        """Standard normal by Box-Muller; the second number of each pair is kept for the next call."""
        if self.spare is not None:
            s, self.spare = self.spare, None
            return s
        u = 0.0
        while u == 0.0:
            u = self.uniform()
        v = self.uniform()
        r = math.sqrt(-2.0 * math.log(u))
        self.spare = r * math.sin(2.0 * math.pi * v)
        return r * math.cos(2.0 * math.pi * v)


def f32(x):
    """x rounded to float32, as storing it in a JavaScript Float32Array does."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


# ---------------------------------------------------------------------------------------------------------
# Initial weights, computed in float64 on the CPU and rounded to float32, like RNN Lens does.
# A layer has W [inputs, G*H], U [H, G*H] and b [G*H], its G gate blocks side by side:
#   rnn: G = 1;  lstm: G = 4, blocks [input | forget | output | candidate];  gru: G = 3, [update | reset | candidate]
# ---------------------------------------------------------------------------------------------------------
def gate_count(cell):
    return {"rnn": 1, "lstm": 4, "gru": 3}[cell]


def glorot_uniform(rows, cols, rng):
    limit = math.sqrt(6 / (rows + cols))
    values = [(rng.uniform() * 2 - 1) * limit for _ in range(rows * cols)]
    return torch.tensor(values, dtype=torch.float64).reshape(rows, cols).float()


def orthogonal(n, rng, scale=1.0):
    """A random orthogonal matrix: modified Gram-Schmidt on Gaussian rows, signs fixed by each row's first
    number. The sums run left to right (a cumulative sum on the CPU adds in that order), as RNN Lens adds."""
    rows = []
    for _ in range(n):
        while True:
            v = torch.tensor([rng.normal() for _ in range(n)], dtype=torch.float64)
            first = v[0].item()
            for u in rows:
                dot = torch.cumsum(u * v, 0)[-1]
                v = v - dot * u
            norm = math.sqrt(torch.cumsum(v * v, 0)[-1].item())
            if norm > 1e-6:
                v = (v / norm) * (-1.0 if first < 0 else 1.0)
                break
        rows.append(v)
    return (torch.stack(rows) * scale).float()


def recurrent_block(kind, h, scale, rng):
    """One H x H recurrent block; gated cells get an independent block per gate."""
    if kind == "identity":
        return (torch.eye(h, dtype=torch.float64) * scale).float()
    if kind == "orthogonal":
        return orthogonal(h, rng, scale)
    return (glorot_uniform(h, h, rng).double() * scale).float()  # glorot, rounded twice as in RNN Lens


def stack_weights(out, stack, model, input_size, rng):
    g, h = gate_count(model["cell"]), model["hiddenSize"]
    for layer in range(model["layers"]):
        d = input_size if layer == 0 else h
        r = rng.fork(f"{stack}/{layer}")
        out[f"{stack}/{layer}/W"] = glorot_uniform(d, g * h, r.fork("W"))
        init = model["init"]
        blocks = [recurrent_block(init["recurrent"], h, init["recurrentScale"], r.fork(f"U{i}")) for i in range(g)]
        out[f"{stack}/{layer}/U"] = torch.cat(blocks, 1)
        b = torch.zeros(g * h)
        if model["cell"] == "lstm":
            b[h:2 * h] = init["forgetBias"]  # the forget gate starts open
        out[f"{stack}/{layer}/b"] = b


def initial_weights(model, task_name, seed):
    """Every weight by name ("enc/0/W", "dec/0/U", "out/W", ...), float32 on the CPU."""
    info = TASKS[task_name]
    rng = Rng(seed, "init")
    out = {}
    stack_weights(out, "enc", model, info["inputSize"], rng)
    if model["seq2seq"]:
        stack_weights(out, "dec", model, info["outputSize"] + 1, rng)  # outputs and the start token
    h = model["hiddenSize"]
    attention = (model["seq2seq"] or {}).get("attention", "none")
    if attention != "none":
        # Attention: for the additive score W_a, U_a and v; for both, the combination W_c [s; c] + b_c.
        r = rng.fork("att")
        if attention == "additive":
            out["att/Wa"] = glorot_uniform(h, h, r.fork("Wa"))
            out["att/Ua"] = glorot_uniform(h, h, r.fork("Ua"))
            out["att/v"] = glorot_uniform(h, 1, r.fork("v")).reshape(h)
        out["att/Wc"] = glorot_uniform(2 * h, h, r.fork("Wc"))
        out["att/bc"] = torch.zeros(h)
    out["out/W"] = glorot_uniform(h, info["outputSize"], rng.fork("out"))
    out["out/b"] = torch.zeros(info["outputSize"])
    return out


# ---------------------------------------------------------------------------------------------------------
# Tasks. Each sequence draws its own length from task.length, then its content, from the data stream; a batch
# is its sequences padded after their end to the longest, time-major: inputs [T, B, inputs], zeros where a
# sequence has ended. Padding is masked out of the loss, the gradients and every statistic. A seq2seq answer
# ends with the end token, which the decoder must learn to write; its inputs are the start token, then the
# true previous token (teacher forcing).
# ---------------------------------------------------------------------------------------------------------
DIGITS = 10
END_TOKEN = DIGITS  # the decoder's last output: "done"
START_TOKEN = DIGITS + 1  # the decoder's first input
PLUS_TOKEN = DIGITS  # arithmetic's "+"
TASKS = {
    # "relevant": each sequence names the input steps its answer depends on (Sequence.relevant).
    "adding": {"inputSize": 2, "outputSize": 1, "metric": "mse", "minLength": 2, "aligned": True, "answer": "last", "relevant": True},
    "copy": {"inputSize": 10, "outputSize": 9, "metric": "accuracy", "minLength": 1, "aligned": True, "answer": "every", "relevant": True},
    "temporal-order": {"inputSize": 6, "outputSize": 4, "metric": "accuracy", "minLength": 10, "aligned": True, "answer": "last",
                       "relevant": True},
    "sine": {"inputSize": 1, "outputSize": 1, "metric": "mse", "minLength": 2, "aligned": True, "answer": "every"},
    # Seq2seq: outputs are the digits and the end token; "decoderExtra" is how many more decoder steps than
    # task.length the longest answer and its end token take (free running decodes at most that many).
    "reverse": {"inputSize": DIGITS, "outputSize": DIGITS + 1, "metric": "sequenceAccuracy", "minLength": 1, "aligned": False, "answer": "every", "decoderExtra": 1},
    "sort": {"inputSize": DIGITS, "outputSize": DIGITS + 1, "metric": "sequenceAccuracy", "minLength": 1, "aligned": False, "answer": "every", "decoderExtra": 1},
    "arithmetic": {"inputSize": DIGITS + 1, "outputSize": DIGITS + 1, "metric": "sequenceAccuracy", "minLength": 1, "aligned": False, "answer": "every", "decoderExtra": 2},
}


class Sequence:
    """One sequence: inputs [steps, inputs]; target: the value or class at the end ([1]) or one per step; the
    first step accuracy counts; for seq2seq the output tokens (the answer, then END_TOKEN); the input steps the
    answer depends on (None for a task that names none)."""

    def __init__(self, inputs, target, scored_from=0, output=None, relevant=None):
        self.inputs, self.target, self.scored_from, self.output = inputs, target, scored_from, output
        self.relevant = relevant

    @property
    def steps(self):
        return self.inputs.shape[0]


def one_hot(symbols, size):
    """A list of ints (or a [T][B] list) -> one-hot float32 rows."""
    return F.one_hot(torch.tensor(symbols, dtype=torch.long), size).float()


def adding(length, rng):
    """Values uniform in [0, 1) and markers with one 1 in each half; the target is the sum of the marked values.
    Draws: the first marker, the second, then the values."""
    half = length // 2
    first = rng.int(half)
    second = half + rng.int(length - half)
    values = [rng.uniform() for _ in range(length)]
    markers = [1.0 if t in (first, second) else 0.0 for t in range(length)]
    inputs = torch.tensor([values, markers], dtype=torch.float64).t().float()
    return Sequence(inputs, [values[first] + values[second]], relevant=[first, second])


def copy_memory(length, rng):
    """10 symbols a1..a8, T-1 blanks, the delimiter a9, 10 blanks; recall the symbols at the end."""
    steps = length + 20
    symbols = [1 + rng.int(8) for _ in range(10)]
    inputs = [symbols[t] if t < 10 else 9 if t == length + 9 else 0 for t in range(steps)]
    target = [symbols[t - length - 10] if t >= length + 10 else 0 for t in range(steps)]
    return Sequence(one_hot(inputs, 10), target, length + 10, relevant=list(range(10)))


def temporal_order(length, rng):
    """A or B (0, 1) at two places among distractors 2..5; the class is 2*first + second."""
    def place(lo, hi):
        a = math.floor(lo * length)
        b = max(a + 1, math.floor(hi * length))
        return a + rng.int(b - a)

    p1, p2 = place(0.1, 0.2), place(0.5, 0.6)
    x, y = rng.int(2), rng.int(2)
    symbols = [x if t == p1 else y if t == p2 else 2 + rng.int(4) for t in range(length)]
    return Sequence(one_hot(symbols, 6), [2 * x + y], relevant=[p1, p2])


def sine(length, rng):
    """A sine wave of random frequency and phase; predict its next value."""
    omega = 0.1 + 0.5 * rng.uniform()
    phase = 2 * math.pi * rng.uniform()
    inputs = torch.tensor([math.sin(omega * t + phase) for t in range(length)], dtype=torch.float64)
    return Sequence(inputs.unsqueeze(1).float(), [math.sin(omega * (t + 1) + phase) for t in range(length)])


def seq2seq(tokens, answer, input_vocab):
    output = answer + [END_TOKEN]
    return Sequence(one_hot(tokens, input_vocab), output, 0, output)


def arithmetic(n, rng):
    """"a+b" with two n-digit numbers (no leading zero) in; the digits of the sum (no leading zero) out."""
    def operand():
        return [1 + rng.int(DIGITS - 1) if i == 0 and n > 1 else rng.int(DIGITS) for i in range(n)]

    a, c = operand(), operand()
    digits, carry = [], 0
    for i in range(n - 1, -1, -1):
        s = a[i] + c[i] + carry
        digits.insert(0, s % DIGITS)
        carry = s // DIGITS
    if carry:
        digits.insert(0, carry)
    while len(digits) > 1 and digits[0] == 0:
        digits.pop(0)
    return seq2seq(a + [PLUS_TOKEN] + c, digits, DIGITS + 1)


def generate_sequence(name, length, rng):
    if name == "adding":
        return adding(length, rng)
    if name == "copy":
        return copy_memory(length, rng)
    if name == "temporal-order":
        return temporal_order(length, rng)
    if name == "sine":
        return sine(length, rng)
    if name == "arithmetic":
        return arithmetic(length, rng)
    x = [rng.int(DIGITS) for _ in range(length)]
    return seq2seq(x, x[::-1] if name == "reverse" else sorted(x), DIGITS)


class Batch:
    """Padded sequences, time-major. inputs [T, B, D]; lengths [B]; for seq2seq dec_inputs [S, B, V+1],
    dec_lengths [B] and outputs (each sequence's output tokens). target [B] ("last") or [T, B] ("every") with
    mask [T, B] (1 at real steps) and, for classes, scored [T, B] (the steps accuracy counts). relevant: each
    sequence's input steps that its answer depends on (None for a task that names none)."""

    def __init__(self, **fields):
        self.dec_inputs = self.dec_lengths = self.outputs = self.mask = self.scored = self.relevant = None
        self.num_classes = 0
        self.__dict__.update(fields)

    @property
    def size(self):
        return self.inputs.shape[1]

    def rows(self):
        """The targets as readout rows, step-major (row t*B + b)."""
        return self.target.reshape(-1)

    def row_weights(self):
        """1 for a real row, 0 for padding (None: every row is real)."""
        return None if self.mask is None or bool(self.mask.all()) else self.mask.reshape(-1, 1)

    def count(self):
        """Real rows: the loss is their mean."""
        return self.target.shape[0] if self.mask is None else int(self.mask.sum().item())

    def slice(self, lo, hi):
        """Samples lo..hi-1 (this rank's share), padded to the whole batch's steps."""
        def cut(x, axis):
            return None if x is None else (x[lo:hi] if axis == 0 else x[:, lo:hi])
        return Batch(inputs=cut(self.inputs, 1), lengths=cut(self.lengths, 0), dec_inputs=cut(self.dec_inputs, 1),
                     dec_lengths=cut(self.dec_lengths, 0), outputs=None if self.outputs is None else self.outputs[lo:hi],
                     kind=self.kind, at=self.at, target=cut(self.target, 0 if self.at == "last" else 1),
                     mask=cut(self.mask, 1), scored=cut(self.scored, 1), num_classes=self.num_classes,
                     relevant=None if self.relevant is None else self.relevant[lo:hi])

    def to(self, device):
        moved = {k: v.to(device) if isinstance(v, torch.Tensor) and k not in ("lengths", "dec_lengths") else v
                 for k, v in self.__dict__.items()}
        return Batch(**moved)


def step_mask(lengths, steps):
    """[steps, B]: 1 where t < the sequence's length."""
    return (torch.arange(steps).unsqueeze(1) < lengths.unsqueeze(0)).float()


def assemble(name, sequences):
    """Pads sequences into one time-major batch."""
    info = TASKS[name]
    B, D = len(sequences), info["inputSize"]
    lengths = torch.tensor([s.steps for s in sequences])
    T = int(lengths.max())
    inputs = torch.zeros(T, B, D)
    for b, s in enumerate(sequences):
        inputs[:s.steps, b] = s.inputs
    if not info["aligned"]:
        outputs = [s.output for s in sequences]
        dec_lengths = torch.tensor([len(o) for o in outputs])
        S = int(dec_lengths.max())
        fed = [[START_TOKEN if t == 0 else o[t - 1] for t in range(len(o))] for o in outputs]
        dec_inputs = torch.zeros(S, B, info["outputSize"] + 1)
        classes = torch.zeros(S, B, dtype=torch.long)
        for b, o in enumerate(outputs):
            dec_inputs[:len(o), b] = one_hot(fed[b], info["outputSize"] + 1)
            classes[:len(o), b] = torch.tensor(o)
        mask = step_mask(dec_lengths, S)
        return Batch(inputs=inputs, lengths=lengths, dec_inputs=dec_inputs, dec_lengths=dec_lengths, outputs=outputs,
                     kind="classes", at="every", target=classes, mask=mask, scored=mask, num_classes=info["outputSize"])
    regression = info["metric"] == "mse"
    relevant = [s.relevant or [] for s in sequences] if info.get("relevant") else None
    if info["answer"] == "last":
        target = torch.tensor([s.target[0] for s in sequences], dtype=torch.float64).float() if regression \
            else torch.tensor([s.target[0] for s in sequences])
        return Batch(inputs=inputs, lengths=lengths, kind="regression" if regression else "classes", at="last",
                     target=target, num_classes=info["outputSize"], relevant=relevant)
    target = torch.zeros(T, B, dtype=torch.float64 if regression else torch.long)
    scored = torch.zeros(T, B)
    for b, s in enumerate(sequences):
        target[:s.steps, b] = torch.tensor(s.target, dtype=target.dtype)
        scored[s.scored_from:s.steps, b] = 1
    return Batch(inputs=inputs, lengths=lengths, kind="regression" if regression else "classes", at="every",
                 target=target.float() if regression else target, mask=step_mask(lengths, T),
                 scored=None if regression else scored, num_classes=info["outputSize"], relevant=relevant)


def draw_length(task, rng):
    lo, hi = task["minLength"], task["maxLength"]
    return hi if lo == hi else lo + rng.int(hi - lo + 1)


def generate_batch(task, batch, rng):
    """The next training batch: for each sequence in turn, its length is drawn, then its content."""
    sequences = []
    for _ in range(batch):
        sequences.append(generate_sequence(task["name"], draw_length(task, rng), rng))
    return assemble(task["name"], sequences)


EVAL_SIZE = 128


def evaluation_set(task, seed, size=EVAL_SIZE):
    """The fixed held-out set, drawn once from its own stream: sequence i has length min + floor(i K / N),
    K = max - min + 1, so every length of the range appears."""
    rng = Rng(seed, "eval")
    span = task["maxLength"] - task["minLength"] + 1
    lengths = [task["minLength"] + (i * span) // size for i in range(size)]
    return assemble(task["name"], [generate_sequence(task["name"], n, rng) for n in lengths])


# ---------------------------------------------------------------------------------------------------------
# The network: the cells written out, so that every hidden state h_t is a tensor whose gradient we can read.
# torch.nn.LSTM/GRU would hide them, and torch.nn.GRU applies its reset gate after the recurrent matmul.
# ---------------------------------------------------------------------------------------------------------
ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda a: a}


def cell_step(cell, activation, xw, h, c, U):
    """One time step. xw = x_t W + b for all gates, [B, G*H]. Returns h, c and the gate activations."""
    H = h.shape[1]
    if cell == "rnn":
        return ACTIVATIONS[activation](xw + h @ U), None, {}
    if cell == "lstm":
        z = xw + h @ U
        i, f, o = torch.sigmoid(z[:, :H]), torch.sigmoid(z[:, H:2 * H]), torch.sigmoid(z[:, 2 * H:3 * H])
        g = torch.tanh(z[:, 3 * H:])
        c = f * c + i * g
        return o * torch.tanh(c), c, {"input": i, "forget": f, "output": o, "candidate": g}
    # GRU after Cho et al., the reset applied BEFORE the recurrent matmul (as Keras does; torch.nn.GRU applies
    # it after), and h_t = (1 - z) g + z h_{t-1}: an update gate near 1 keeps the old state.
    zr = torch.sigmoid(xw[:, :2 * H] + h @ U[:, :2 * H])
    z, r = zr[:, :H], zr[:, H:]
    g = torch.tanh(xw[:, 2 * H:] + (r * h) @ U[:, 2 * H:])
    return g + z * (h - g), None, {"update": z, "reset": r, "candidate": g}


class Layer(nn.Module):
    def __init__(self, W, U, b):
        super().__init__()
        self.W, self.U, self.b = nn.Parameter(W), nn.Parameter(U), nn.Parameter(b)


class Part:
    """One stack's pass: the top layer's states [T, B, H], final states per layer, every layer's h_t (bottom
    first), the top layer's gate activations per step, per step which sequences are real ([B, 1] of 1/0,
    None where none is padded), and what the bottom layer read ([T, B, D]; when watched, its .grad is dL/dx)."""

    def __init__(self, top, finals, hidden, gates, real, inputs=None):
        self.top, self.finals, self.hidden, self.gates, self.real = top, finals, hidden, gates, real
        self.inputs = inputs


def step_masks(lengths, steps, device):
    """Per step, [B, 1] with 1 for the sequences still running and 0 for those padded; None where all run."""
    mask = step_mask(lengths, steps).to(device)
    return [None if bool(mask[t].all()) else mask[t].unsqueeze(1) for t in range(steps)]


class Network(nn.Module):
    def __init__(self, model, task_name, weights):
        super().__init__()
        self.cell, self.activation = model["cell"], model["activation"]
        self.hidden_size = model["hiddenSize"]

        def stack(name):
            return nn.ModuleList(Layer(weights[f"{name}/{l}/W"], weights[f"{name}/{l}/U"], weights[f"{name}/{l}/b"])
                                 for l in range(model["layers"]))

        self.enc = stack("enc")
        self.dec = stack("dec") if model["seq2seq"] else None
        self.attention = (model["seq2seq"] or {}).get("attention", "none")
        if self.attention != "none":
            self.att_Wc, self.att_bc = nn.Parameter(weights["att/Wc"]), nn.Parameter(weights["att/bc"])
        if self.attention == "additive":
            self.att_Wa, self.att_Ua, self.att_v = (nn.Parameter(weights[f"att/{k}"]) for k in ("Wa", "Ua", "v"))
        self.out_W, self.out_b = nn.Parameter(weights["out/W"]), nn.Parameter(weights["out/b"])
        self.last_attention = None  # the latest training pass's weights, [B, target steps, source steps]

    def zero_state(self, batch, like):
        z = like.new_zeros(batch, self.hidden_size)
        return z, (z if self.cell == "lstm" else None)

    def step(self, x_proj, h, c, layer, real, watch, hidden):
        """One layer, one step. A padded sequence's state is carried across the step unchanged, so each
        sequence ends with its own last state and its gradient passes through the padding untouched."""
        h_new, c_new, gates = cell_step(self.cell, self.activation, x_proj, h, c, layer.U)
        if real is not None:
            h_new = h_new * real + h * (1 - real)
            c_new = None if c is None else c_new * real + c * (1 - real)
        if watch:
            h_new.retain_grad()  # after backward, h.grad is the total gradient reaching h_t
        hidden.append(h_new)
        return h_new, c_new, gates

    def run_layers(self, layers, X, init, watch, masks):
        """Inputs known in advance: each layer runs over the whole sequence, then feeds the next."""
        finals, hidden, gates = [], [], []
        inp = X
        for l, layer in enumerate(layers):
            xw = inp @ layer.W + layer.b  # the input projection of every step in one matmul
            h, c = init[l] if init else self.zero_state(X.shape[1], X)
            hs, gates = [], []
            for t in range(X.shape[0]):
                h, c, g = self.step(xw[t], h, c, layer, masks[t], watch, hs)
                gates.append(g)
            finals.append((h, c))
            hidden.append(hs)
            inp = torch.stack(hs)
        return Part(inp, finals, hidden, gates, masks, X)

    def run_stepwise(self, layers, steps, init, next_input, watch, masks):
        """A decoder that may feed itself: all layers advance one step at a time."""
        states, hidden, gates, tops = list(init), [[] for _ in layers], [], []
        for t in range(steps):
            x = next_input(t, tops[-1] if tops else None)
            for l, layer in enumerate(layers):
                h, c, g = self.step(x @ layer.W + layer.b, states[l][0], states[l][1], layer, masks[t], watch, hidden[l])
                states[l] = (h, c)
                x = h
            gates.append(g)
            tops.append(x)
        return Part(torch.stack(tops), states, hidden, gates, masks)

    def readout(self, rows):
        return rows @ self.out_W + self.out_b

    def attend(self, top, keys, padded):
        """Attention of decoder states top [Tt, B, H] over the encoder's top states keys [Ts, B, H]: scores
        s_t.h_j (dot) or v.tanh(s_t W_a + h_j U_a) (additive), their softmax over the real source steps (padded
        is [B, Ts], True where a sequence has ended: weight 0), the context c_t = sum_j a_tj h_j, and
        h~_t = tanh([s_t; c_t] W_c + b_c), which the readout reads. Returns h~ [Tt, B, H] and the weights."""
        q, k = top.transpose(0, 1), keys.transpose(0, 1)
        if self.attention == "dot":
            scores = q @ k.transpose(1, 2)
        else:
            scores = torch.tanh((q @ self.att_Wa).unsqueeze(2) + (k @ self.att_Ua).unsqueeze(1)) @ self.att_v
        if padded is not None:
            scores = scores.masked_fill(padded.unsqueeze(1), float("-inf"))
        weights = torch.softmax(scores, 2)
        combined = torch.tanh(torch.cat([q, weights @ k], 2) @ self.att_Wc + self.att_bc)
        return combined.transpose(0, 1), weights

    def decoder_inputs(self, true_inputs, teacher, batch, size, read):
        """Step t's input: the start token at t = 0; then the true previous token where teacher[t, b] is 1, else
        the decoder's own guess (the argmax of its last output, which no gradient goes through). read(top) is
        what the readout reads of the decoder's state: the state itself, or with attention h~."""
        vocab = self.out_b.shape[0]
        start = F.one_hot(torch.full((batch,), START_TOKEN, dtype=torch.long, device=self.out_b.device), size).float()

        def next_input(t, top):
            if t == 0:
                return start
            with torch.no_grad():
                guess = F.one_hot(torch.argmax(self.readout(read(top)), 1), vocab).to(top.dtype)
                own = torch.cat([guess, guess.new_zeros(guess.shape[0], size - vocab)], 1)
            if teacher is None:
                return own
            m = teacher[t].unsqueeze(1)
            return m * true_inputs[t] + (1 - m) * own

        return next_input

    def forward(self, batch, feed="truth", watch=False):
        """The readout's outputs (rows step-major) and the passes. feed, for a seq2seq decoder: "truth" (the true
        previous token), a [S, B] tensor of 0/1 teacher-forcing coins, or ("free", n): its own guesses for n
        steps, never told the answer's length. watch: keep every h_t's gradient."""
        device, B = batch.inputs.device, batch.size
        # Watched, the (encoder's) input is a tensor of its own, whose gradient is dL/dx_t after backward.
        X = batch.inputs.clone().requires_grad_(True) if watch else batch.inputs
        enc = self.run_layers(self.enc, X, None, watch, step_masks(batch.lengths, batch.inputs.shape[0], device))
        enc.inputs = X
        parts = [enc]
        keys, padded = enc.top, None
        if self.attention != "none" and not bool((batch.lengths == keys.shape[0]).all()):
            padded = (torch.arange(keys.shape[0]).unsqueeze(0) >= batch.lengths.unsqueeze(1)).to(device)
        read = (lambda top: self.attend(top.unsqueeze(0), keys, padded)[0][0]) if self.attention != "none" else (lambda top: top)
        if self.dec is not None:
            size = self.out_b.shape[0] + 1
            if isinstance(feed, tuple):
                free = [None] * feed[1]
                parts.append(self.run_stepwise(self.dec, feed[1], enc.finals, self.decoder_inputs(None, None, B, size, read), watch, free))
            else:
                masks = step_masks(batch.dec_lengths, batch.dec_inputs.shape[0], device)
                if isinstance(feed, str):
                    parts.append(self.run_layers(self.dec, batch.dec_inputs, enc.finals, watch, masks))
                else:
                    parts.append(self.run_stepwise(self.dec, batch.dec_inputs.shape[0], enc.finals,
                                                   self.decoder_inputs(batch.dec_inputs, feed, B, size, read), watch, masks))
        top = parts[-1].top
        if self.dec is not None and self.attention != "none":
            top, weights = self.attend(top, keys, padded)
            self.last_attention = weights.detach()
        rows = top[-1] if batch.at == "last" else top.reshape(-1, self.hidden_size)
        return self.readout(rows), parts


def loss_sum(outputs, batch):
    """The summed loss over the real outputs (squared error, or softmax cross-entropy); divided by their count
    it is RNN Lens's loss. Padded steps weigh 0."""
    w = batch.row_weights()
    if batch.kind == "regression":
        diff = outputs - batch.rows().unsqueeze(1)
        return ((diff if w is None else diff * w) ** 2).sum()
    losses = F.cross_entropy(outputs, batch.rows(), reduction="none")
    return (losses if w is None else losses * w[:, 0]).sum()


def metric_of(outputs, batch):
    """Held-out score of an aligned task: mean squared error over the real rows, or accuracy over the scored ones."""
    if batch.kind == "regression":
        sq = (outputs - batch.rows().unsqueeze(1)) ** 2
        w = batch.row_weights()
        return ((sq if w is None else sq * w).sum() / batch.count()).item()
    hit = (torch.argmax(outputs, 1) == batch.rows()).float()
    if batch.scored is None or bool(batch.scored.all()):
        return hit.mean().item()
    scored = batch.scored.reshape(-1)
    return ((hit * scored).sum() / scored.sum()).item()


def until_end(tokens):
    """A free-running decode, cut after its first end token."""
    return tokens[:tokens.index(END_TOKEN) + 1] if END_TOKEN in tokens else tokens


def score_seq2seq(targets, forced, forced_steps, free, free_steps, source_lengths):
    """Exposure bias, measured on the held-out set, per token and per whole sequence, with the decoder fed the
    truth (teacher forced) and fed its own guesses (free), over all of it and per source length. A free decode
    ends at its first end token; it is exactly right only with every token right and the end token in its
    place. forced and free are the argmax predictions, step-major."""
    B = len(targets)
    tallies = {}  # None: the whole set; n: the sequences of source length n

    def tally(key):
        return tallies.setdefault(key, {"tokens": 0, "sequences": 0, "hits": {"teacherForced": 0, "free": 0},
                                        "exact": {"teacherForced": 0, "free": 0}})

    for b, target in enumerate(targets):
        own = {"teacherForced": [forced[t * B + b] for t in range(forced_steps)][:len(target)],
               "free": until_end([free[t * B + b] for t in range(free_steps)])}
        for t in (tally(None), tally(int(source_lengths[b]))):
            t["tokens"] += len(target)
            t["sequences"] += 1
            for key, predicted in own.items():
                right = sum(1 for j, token in enumerate(target) if j < len(predicted) and predicted[j] == token)
                t["hits"][key] += right
                if right == len(target) and (key == "teacherForced" or len(predicted) == len(target)):
                    t["exact"][key] += 1

    def scores(t):
        return {"tokenAccuracy": {k: t["hits"][k] / t["tokens"] for k in t["hits"]},
                "sequenceAccuracy": {k: t["exact"][k] / t["sequences"] for k in t["exact"]}}

    by_length = [{"length": n, "count": tallies[n]["sequences"], **scores(tallies[n])} for n in sorted(k for k in tallies if k is not None)]
    return {**scores(tallies[None]), "byLength": by_length}


# ---------------------------------------------------------------------------------------------------------
# The optimizer, written out as RNN Lens writes it (the same arithmetic as torch.optim.Adam with eps=1e-7,
# RMSprop with alpha=0.9, eps=1e-7, and SGD):
#   sgd:     w <- w - lr g
#   rmsprop: v <- rho v + (1 - rho) g^2;  w <- w - lr g / (sqrt(v) + eps)
#   adam:    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  w <- w - step m / (sqrt(v) + eps sqrt(1 - b2^t)),
#            step = lr sqrt(1 - b2^t) / (1 - b1^t)
# ---------------------------------------------------------------------------------------------------------
BETA1, BETA2, RHO, EPSILON = 0.9, 0.999, 0.9, 1e-7


class Optimizer:
    def __init__(self, name, learning_rate, params):
        self.name, self.lr, self.params, self.t = name, learning_rate, list(params), 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def apply(self):
        self.t += 1
        t, lr = self.t, self.lr
        for k, w in enumerate(self.params):
            g = w.grad
            if self.name == "sgd":
                w.sub_(g * lr)
            elif self.name == "rmsprop":
                self.v[k] = self.v[k] * RHO + g.square() * (1 - RHO)
                w.sub_((g * lr) / (self.v[k].sqrt() + EPSILON))
            else:
                self.m[k] = self.m[k] * BETA1 + g * (1 - BETA1)
                self.v[k] = self.v[k] * BETA2 + g.square() * (1 - BETA2)
                step = lr * math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t)
                w.sub_((self.m[k] * step) / (self.v[k].sqrt() + EPSILON * math.sqrt(1 - BETA2 ** t)))


def clip_scale(norm, clip_norm):
    """Clipping by global norm: every gradient times c/||g|| when ||g|| > c."""
    return clip_norm / norm if clip_norm is not None and norm > clip_norm else 1.0


# ---------------------------------------------------------------------------------------------------------
# Distributed training. Every rank draws the whole global batch from the same stream and trains on its own
# slice. Its loss is its slice's summed loss over the global count, times the number of ranks: the average
# DistributedDataParallel takes then is exactly the gradient of the global batch's mean loss.
# ---------------------------------------------------------------------------------------------------------
class Ranks:
    def __init__(self, device_arg):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local = int(os.environ.get("LOCAL_RANK", "0"))
        if device_arg == "auto":
            device_arg = "cuda" if torch.cuda.is_available() else "cpu"
        if device_arg == "cuda":
            if not torch.cuda.is_available():
                fail("--device cuda, but PyTorch sees no CUDA GPU here (torch.cuda.is_available() is False)")
            torch.cuda.set_device(self.local)
            self.device = torch.device("cuda", self.local)
        else:
            self.device = torch.device("cpu")
        if self.world > 1:
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo", rank=self.rank, world_size=self.world)

    def share(self, batch_size):
        """This rank's samples of a global batch: [lo, hi)."""
        return self.rank * batch_size // self.world, (self.rank + 1) * batch_size // self.world

    def sum(self, x):
        """Sum of a tensor over ranks."""
        if self.world > 1:
            dist.all_reduce(x)
        return x

    def wrap(self, net):
        if self.world == 1:
            return net
        ids = [self.local] if self.device.type == "cuda" else None
        return nn.parallel.DistributedDataParallel(net, device_ids=ids)

    def close(self):
        if self.world > 1:
            dist.destroy_process_group()


# ---------------------------------------------------------------------------------------------------------
# Training, one step at a time, with what `rnn-lens train --json` reports.
# ---------------------------------------------------------------------------------------------------------
class Trainer:
    """One model of the spec. Its weights and coins come from the spec's seed; its batches come from the data
    stream all models share (RNN Lens gives each model a stream of its own with the same numbers). Every report
    is scored on the same fixed held-out set."""

    def __init__(self, model, task, training, ranks, eval_set):
        self.model, self.task, self.training, self.ranks = model, task, training, ranks
        self.info = TASKS[task["name"]]
        self.net = Network(model, task["name"], initial_weights(model, task["name"], training["seed"])).to(ranks.device)
        self.train_net = ranks.wrap(self.net)
        # freezeRecurrent: every layer's recurrent matrix U keeps its initial value; it is neither updated nor
        # counted in the gradient norm or clipping, as in RNN Lens.
        frozen = model.get("freezeRecurrent", False)
        self.params = [p for name, p in self.net.named_parameters() if not (frozen and name.split(".")[-1] == "U")]
        self.optimizer = Optimizer(training["optimizer"], training["learningRate"], self.params)
        self.teacher_rng = Rng(training["seed"], "teacher")
        self.eval_set = eval_set.to(ranks.device)
        # Free running may write the longest answer and its end token.
        self.free_steps = task["maxLength"] + self.info.get("decoderExtra", 0)
        self.step, self.diverged, self.sigma_vectors = 0, None, []

    def coins(self, batch):
        """Teacher forcing p < 1: a coin per decoder step and sequence of the padded batch ([S, B], 1 = feed the
        true previous token), drawn step-major, padding and step 0 included. p = 1: "truth", no coins."""
        p = (self.model["seq2seq"] or {}).get("teacherForcing", 1)
        if batch.dec_inputs is None or p >= 1:
            return "truth"
        steps = batch.dec_inputs.shape[0]
        coins = [1.0 if self.teacher_rng.uniform() < p else 0.0 for _ in range(steps * batch.size)]
        return torch.tensor(coins).reshape(steps, batch.size)

    def train(self, batch, report):
        """One step on the global batch: forward, backward, the divergence guard, clipping, the update. Returns
        the JSON record (with the measurements when `report`), or None when the step diverged."""
        teacher = self.coins(batch)
        ranks = self.ranks
        lo, hi = ranks.share(batch.size)
        mine = batch.slice(lo, hi).to(ranks.device)
        feed = teacher if isinstance(teacher, str) else teacher[:, lo:hi].to(ranks.device)
        count = batch.count()  # real outputs in the whole global batch
        for p in self.params:
            p.grad = None
        outputs, parts = self.train_net(mine, feed, watch=report)
        summed = loss_sum(outputs, mine)
        (summed * (ranks.world / count)).backward()
        loss = (ranks.sum(summed.detach().clone()) / count).item()
        grad_norm = torch.sqrt(sum(p.grad.square().sum() for p in self.params)).item()
        step = self.step + 1
        measured = self.measure(parts, batch, teacher) if report else None
        if not math.isfinite(loss) or not math.isfinite(grad_norm):
            # A non-finite number never reaches the weights: the update is skipped and the run stops.
            self.diverged = {"step": step, "reason": divergence_reason(loss, grad_norm, step)}
            return None
        scale = clip_scale(grad_norm, self.training["clipNorm"])
        if scale != 1.0:
            with torch.no_grad():
                for p in self.params:
                    p.grad.mul_(scale)
        self.optimizer.apply()
        self.step = step
        record = {"step": step, "loss": loss, "gradNorm": grad_norm, "clippedNorm": grad_norm * scale, "clipped": scale < 1}
        return {**record, **measured} if report else record

    @torch.no_grad()
    def measure(self, parts, batch, teacher):
        """||dL/dh_t|| for every layer and step, ||dL/dx_t|| for every input step, the top layer's gates, the held-out scores and how the decoder
        was fed, as in RNN Lens. Padding counts for nothing. Sums over this rank's sequences are added across
        ranks in one all-reduce."""
        world, L, H = self.ranks.world, self.model["layers"], self.model["hiddenSize"]
        attention = self.net.last_attention  # the scores below run the network again
        # Per step (encoder, then decoder) and sequence of this rank: 1 if real, 0 if padding. [T, B]
        real = torch.cat([torch.stack([torch.ones_like(p.hidden[0][t][:, 0]) if m is None else m[:, 0] for t, m in enumerate(p.real)])
                          for p in parts])
        T = real.shape[0]
        sums = [real.sum(1) * H]  # the real entries per step, over every rank: what the means divide by
        for l in range(L):
            # Gradients here are `world` times the global loss's (see the section on distributed training); a
            # padded sequence's share is left out, as RNN Lens reports only the real part.
            hs = [(h, m) for p in parts for h, m in zip(p.hidden[l], p.real)]
            sums.append(torch.stack([h.new_zeros(()) if h.grad is None else
                                     ((h.grad if m is None else h.grad * m) / world).square().sum() for h, m in hs]))
        gates = [g for p in parts for g in p.gates]
        names = list(gates[0].keys())
        weight = real.unsqueeze(2)  # [T, B, 1]
        for name in names:
            a = torch.stack([g[name] for g in gates])  # [T, B, H]
            level = a.abs() if name == "candidate" else a
            sums += [(x * weight).sum((1, 2)) for x in (a, (level < 0.1).float(), (level > 0.9).float())]
        if self.model["cell"] == "lstm":
            # Along the cell path dc_T/dc_t = prod_{k>t} f_k over real steps (padding carried c: a factor 1).
            log_f = torch.stack([g["forget"] for g in gates]).clamp_min(1e-30).log() * weight
            after = log_f.flip(0).cumsum(0).flip(0) - log_f
            sums.append((after.exp() * weight).sum((1, 2)))
        if self.model["cell"] == "rnn":
            hs = torch.stack([h for p in parts for h in p.hidden[L - 1]])
            derivative = {"tanh": lambda: 1 - hs.square(), "relu": lambda: (hs > 0).float(), "linear": lambda: torch.ones_like(hs)}
            sums.append((derivative[self.model["activation"]]() * weight).sum((1, 2)))
        totals = self.ranks.sum(torch.cat(sums)).cpu().tolist()
        input_norms, share = self.input_gradient(parts[0].inputs, batch)
        chunks = [totals[i * T:(i + 1) * T] for i in range(len(totals) // T)]
        counts = chunks.pop(0)
        mean = lambda k: [x / n for x, n in zip(chunks[k], counts)]  # noqa: E731
        layer_norms = [[math.sqrt(x) for x in chunks[l]] for l in range(L)]
        out = {"hiddenGradNorms": layer_norms[-1], "layerGradNorms": layer_norms, "inputGradNorms": input_norms,
               "relevantInputShare": share, "segments": {"encoder": len(parts[0].hidden[0]), "decoder": len(parts[1].hidden[0])} if len(parts) == 2 else None,
               "gates": {}, "forgetProduct": None, "vanishing": None}
        k = L
        for name in names:
            out["gates"][name] = {key: mean(k + j) for j, key in enumerate(("mean", "low", "high"))}
            k += 3
        if self.model["cell"] == "lstm":
            out["forgetProduct"] = mean(k)
        if self.model["cell"] == "rnn":
            out["vanishing"] = {"meanDerivative": mean(k), "sigmaMax": self.sigma_max()}
        out.update(self.scores())
        out["teacherForcing"] = teacher_forcing_sample(batch, teacher)
        # One sequence's gates over time, null where it is padding (the global batch's first lives on rank 0).
        out["sample"] = {"index": 0, "gates": {name: [g[name][0].tolist() if real[t, 0] else [math.nan] * H for t, g in enumerate(gates)]
                                               for name in names}} if names else None
        out["attention"] = attention_sample(batch, attention) if self.net.dec is not None and attention is not None else None
        return out

    def input_gradient(self, X, batch):
        """||dL/dx_t|| per input step (the encoder's), over channels and the global batch; and the mean over the
        global batch of each sequence's share of sum_t ||dL/dx_t|| on the steps its answer depends on (None for a
        task that names none; NaN when no sequence's input has a gradient). Padded steps get no gradient."""
        world = self.ranks.world
        squares = (X.grad / world).square().sum(2)  # [T, B] of this rank
        shares = squares.new_zeros(2)  # the sum of the shares, and how many sequences have one
        if batch.relevant is not None:
            lo, hi = self.ranks.share(batch.size)
            norms, marks = squares.sqrt(), torch.zeros_like(squares)
            for b, steps in enumerate(batch.relevant[lo:hi]):
                marks[steps, b] = 1
            on, total = (norms * marks).sum(0), norms.sum(0)
            some = total > 0
            shares = torch.stack([(on[some] / total[some]).sum(), some.sum().to(squares.dtype)])
        totals = self.ranks.sum(torch.cat([squares.sum(1), shares])).cpu().tolist()
        share = None if batch.relevant is None else totals[-2] / totals[-1] if totals[-1] else math.nan
        return [math.sqrt(x) for x in totals[:-2]], share

    def sigma_max(self):
        """sigma_max(W_hh) per layer by power iteration on U^T U, warm-started from the last report's vector."""
        H, previous, self.sigma_vectors, out = self.model["hiddenSize"], self.sigma_vectors, [], []
        for l, layer in enumerate(self.net.enc):
            U = layer.U.detach()
            v = previous[l] if l < len(previous) else torch.ones(H, 1, device=U.device) / math.sqrt(H)
            for _ in range(10 if l < len(previous) else 60):
                w = U.t() @ (U @ v)
                v = w / (w.norm() + 1e-30)
            self.sigma_vectors.append(v)
            out.append((U @ v).norm().item())
        return out

    @torch.no_grad()
    def scores(self):
        """The held-out scores on the fixed evaluation set. Seq2seq: token and sequence accuracy with the decoder
        fed the truth and fed its own guesses; the metric is the free-running sequence accuracy, and the gap
        between the two is exposure bias."""
        s = self.eval_set
        if self.net.dec is None:
            return {"metric": {"name": self.info["metric"], "value": metric_of(self.net(s, "truth")[0], s)}, "seq2seq": None}
        forced = torch.argmax(self.net(s, "truth")[0], 1).tolist()
        free = torch.argmax(self.net(s, ("free", self.free_steps))[0], 1).tolist()
        scores = score_seq2seq(s.outputs, forced, s.dec_inputs.shape[0], free, self.free_steps, s.lengths.tolist())
        return {"metric": {"name": self.info["metric"], "value": scores["sequenceAccuracy"]["free"]}, "seq2seq": scores}

    def evaluate(self):
        return self.scores()


def attention_sample(batch, weights):
    """Where the decoder looked, for the batch's first sequence (on rank 0): at each target step, its weight on
    each of its source steps."""
    n, target = int(batch.lengths[0]), batch.outputs[0]
    return {"index": 0, "source": batch.inputs[:n, 0].argmax(1).tolist(), "target": list(target),
            "weights": weights[0, :len(target), :n].tolist()}


def teacher_forcing_sample(batch, teacher):
    """How the decoder was fed, for the batch's first sequence (1 = the start token or the true previous
    token, 0 = its own guess), and the share of its steps after the first fed the truth over the whole batch."""
    if batch.dec_inputs is None:
        return None
    target = batch.outputs[0]
    if isinstance(teacher, str):
        return {"index": 0, "target": list(target), "fed": [1] * len(target), "share": 1}
    after_first = step_mask(batch.dec_lengths, teacher.shape[0])
    after_first[0] = 0
    steps = after_first.sum().item()
    fed = [1] + [int(x) for x in teacher[1:len(target), 0].tolist()]
    return {"index": 0, "target": list(target), "fed": fed, "share": (teacher * after_first).sum().item() / steps if steps else 1}


def js_number(x):
    """A number as JavaScript prints it in a message (only non-finite ones are printed this way here)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)


def to_precision(x, digits):
    """JavaScript's Number.prototype.toPrecision."""
    if not math.isfinite(x):
        return js_number(x)
    if x == 0:
        return "0" if digits == 1 else "0." + "0" * (digits - 1)
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    e = int(exponent)
    if e < -6 or e >= digits:
        return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return f"{x:.{max(0, digits - 1 - e)}f}"


def divergence_reason(loss, grad_norm, step):
    """Why the run stopped, in RNN Lens's words."""
    rest = ("The update was skipped and training stopped: with nothing to limit it, the gradient grew until the "
            "numbers overflowed. Lower the learning rate or set training.clipNorm.")
    if not math.isfinite(loss):
        return f"the loss stopped being a finite number (it became {js_number(loss)} at step {step}). {rest}"
    return (f"the gradient norm stopped being a finite number (it became {js_number(grad_norm)} at step {step}, "
            f"with the loss at {to_precision(loss, 4)}). {rest}")


# ---------------------------------------------------------------------------------------------------------
# The experiment's models, --spec-override, and the command line.
# ---------------------------------------------------------------------------------------------------------
def models_of(spec):
    """The first model, then each "compare" entry applied over it."""
    base = spec["model"]
    out = [base]
    for entry in spec.get("compare") or []:
        m = copy.deepcopy(base)
        for key, value in entry.items():
            merged = key in ("init", "seq2seq") and isinstance(m.get(key), dict) and isinstance(value, dict)
            m[key] = {**m[key], **value} if merged else value
        out.append(m)
    for m in out:
        if isinstance(m.get("seq2seq"), dict):
            m["seq2seq"] = {"teacherForcing": 1, "attention": "none", **m["seq2seq"]}  # the defaults, as in a spec
    return out


def task_of(spec):
    length = spec["task"]["length"]
    lo, hi = (length, length) if isinstance(length, int) else length
    return {"name": spec["task"]["name"], "minLength": lo, "maxLength": hi}


SPEC_KEYS = {
    "": {"description", "model", "task", "training", "compare"},
    "model": {"cell", "hiddenSize", "layers", "activation", "init", "seq2seq", "freezeRecurrent"},
    "init": {"recurrent", "recurrentScale", "forgetBias"},
    "seq2seq": {"teacherForcing", "attention"},
    "task": {"name", "length"},
    "training": {"optimizer", "learningRate", "batchSize", "steps", "clipNorm", "seed"},
}


def spec_problems(spec):
    """What is wrong with the spec after --spec-override. RNN Lens's editor limits (length, width, batch, the
    cost of a step) do not apply here: that is what this script is for."""
    problems = []

    def need(ok, text):
        if not ok:
            problems.append(text)

    def whole(x, least):
        return isinstance(x, int) and not isinstance(x, bool) and x >= least

    def number(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)

    def known(obj, where, keys):
        if not isinstance(obj, dict):
            problems.append(f"{where} must be an object")
            return
        for k in obj:
            need(k in keys, f"unknown key {where + '.' if where else ''}{k} (known: {', '.join(sorted(keys))})")

    known(spec, "", SPEC_KEYS[""])
    for section in ("model", "task", "training"):
        known(spec.get(section), section, SPEC_KEYS[section])
    for i, entry in enumerate(spec.get("compare") or []):
        known(entry, f"compare.{i}", SPEC_KEYS["model"])
    for i, m in enumerate([spec.get("model")] + list(spec.get("compare") or [])):
        where = "model" if i == 0 else f"compare.{i - 1}"
        if isinstance(m, dict) and isinstance(m.get("init"), dict):
            known(m["init"], f"{where}.init", SPEC_KEYS["init"])
        if isinstance(m, dict) and isinstance(m.get("seq2seq"), dict):
            known(m["seq2seq"], f"{where}.seq2seq", SPEC_KEYS["seq2seq"])
    if problems:
        return problems

    task = spec.get("task", {})
    info = TASKS.get(task.get("name"))
    need(info is not None, f"task.name must be one of {', '.join(TASKS)}, not {task.get('name')!r}")
    length = task.get("length")
    pair = isinstance(length, list) and len(length) == 2 and all(whole(x, 1) for x in length)
    need(whole(length, 1) or pair, f"task.length must be a whole number of at least 1 or [min, max], not {length!r}")
    if info and (whole(length, 1) or pair):
        lo, hi = (length, length) if whole(length, 1) else length
        need(lo <= hi, f"task.length: the minimum {lo} is above the maximum {hi}")
        need(lo >= info["minLength"], f"task.length: the {task['name']} task needs at least {info['minLength']} steps")
    training = spec.get("training", {})
    need(training.get("optimizer") in ("adam", "sgd", "rmsprop"), "training.optimizer must be adam, sgd or rmsprop")
    need(number(training.get("learningRate")) and training["learningRate"] > 0, "training.learningRate must be a number above 0")
    need(whole(training.get("batchSize"), 1), "training.batchSize must be a whole number of at least 1")
    need(whole(training.get("steps"), 1), "training.steps must be a whole number of at least 1")
    clip = training.get("clipNorm")
    need(clip is None or (number(clip) and clip > 0), "training.clipNorm must be a number above 0, or null")
    need(whole(training.get("seed"), 0) and training["seed"] <= M32, "training.seed must be a whole number from 0 to 4294967295")
    for i, m in enumerate(models_of(spec)):
        where = "model" if i == 0 else f"compare.{i - 1}"
        need(m.get("cell") in ("rnn", "lstm", "gru"), f"{where}.cell must be rnn, lstm or gru")
        need(whole(m.get("hiddenSize"), 1), f"{where}.hiddenSize must be a whole number of at least 1")
        need(whole(m.get("layers"), 1), f"{where}.layers must be a whole number of at least 1")
        need(m.get("activation") in ACTIVATIONS, f"{where}.activation must be tanh, relu or linear")
        need(isinstance(m.get("freezeRecurrent", False), bool), f"{where}.freezeRecurrent must be true or false")
        init = m.get("init", {})
        need(init.get("recurrent") in ("orthogonal", "identity", "glorot"), f"{where}.init.recurrent must be orthogonal, identity or glorot")
        need(number(init.get("recurrentScale")) and init["recurrentScale"] > 0, f"{where}.init.recurrentScale must be a number above 0")
        need(number(init.get("forgetBias")), f"{where}.init.forgetBias must be a number")
        s2s = m.get("seq2seq")
        need(s2s is None or (isinstance(s2s, dict) and number(s2s.get("teacherForcing")) and 0 <= s2s["teacherForcing"] <= 1),
             f"{where}.seq2seq must be null or {{\"teacherForcing\": 0..1}}")
        need(s2s is None or not isinstance(s2s, dict) or s2s.get("attention") in ("none", "dot", "additive"),
             f"{where}.seq2seq.attention must be none, dot or additive")
        if info:
            need(bool(s2s) != info["aligned"], f"{where}.seq2seq: the {task['name']} task " +
                 ("needs an encoder-decoder (model.seq2seq)" if s2s is None else "lines up with its input; drop model.seq2seq"))
    return problems


def apply_override(spec, text):
    """KEY=VALUE with a dotted key (task.length=1000, compare.0.cell=gru); VALUE is JSON, else a string.
    A JSON object is merged in whole. Keys are checked afterwards, with the rest of the spec."""
    if text.lstrip().startswith("{"):
        def merge(into, new):
            for k, v in new.items():
                if isinstance(v, dict) and isinstance(into.get(k), dict):
                    merge(into[k], v)
                else:
                    into[k] = v
        try:
            new = json.loads(text)
        except json.JSONDecodeError as error:
            fail(f"--spec-override: {text!r} is not valid JSON ({error.msg})")
        if not isinstance(new, dict):
            fail(f"--spec-override: {text!r} is not a JSON object")
        merge(spec, new)
        return
    key, sep, raw = text.partition("=")
    if not sep or not key:
        fail(f"--spec-override takes KEY=VALUE, e.g. task.length=1000; got {text!r}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    path = key.split(".")
    node = spec
    for i, part in enumerate(path):
        here = ".".join(path[:i + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) > len(node):
                fail(f"--spec-override: {here}: {'.'.join(path[:i])} has {len(node)} entries")
            part = int(part)
            if part == len(node):
                node.append({})  # a new "compare" entry
        elif not isinstance(node, dict):
            fail(f"--spec-override: {'.'.join(path[:i])} is not an object, so it has no {part}")
        if i == len(path) - 1:
            node[part] = value
        else:
            if isinstance(node, dict) and node.get(part) is None:
                node[part] = {}
            node = node[part]


def fail(text):
    sys.stderr.write(f"{os.path.basename(sys.argv[0] or 'run.py')}: {text}\n")
    sys.exit(2)


def clean(x):
    """JSON as JavaScript writes it: a non-finite number becomes null."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    return x


def emit(obj):
    sys.stdout.write(json.dumps(clean(obj), allow_nan=False) + "\n")
    sys.stdout.flush()


def run_header(spec, models, labels, task, steps, ranks):
    """The first line of the --json log: the spec as trained (every model in full, --steps and --spec-override
    applied) and where it ran, in the run-log format RNN Lens reads (format 1; see docs/run-log.md)."""
    full = [{**m, "freezeRecurrent": m.get("freezeRecurrent", False)} for m in models]
    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"type": "run", "format": 1,
            "spec": {"description": spec.get("description"), "model": full[0], "task": task,
                     "training": {**spec["training"], "steps": steps},
                     "variants": [{"label": label, "model": m} for label, m in zip(labels, full)], "claim": CLAIM,
                     "sweep": None},  # a log is one run, never a sweep
            "backend": "pytorch", "device": ranks.device.type, "worldSize": ranks.world, "startedAt": started,
            "producer": "pytorch", "source": SOURCE}


def bar(done, total, loss):
    filled = round(done / total * 30)
    return f"[{'#' * filled}{'.' * (30 - filled)}] {round(done / total * 100):3d}%  step {done}/{total}  loss {to_precision(loss, 4)}"


def readable(r):
    def percent(x):
        return f"{100 * x:.1f}%"

    m, s = r["metric"], r["seq2seq"]
    if s:
        score = (f"free-running sequence accuracy {percent(s['sequenceAccuracy']['free'])} (teacher-forced "
                 f"{percent(s['sequenceAccuracy']['teacherForced'])}), token accuracy {percent(s['tokenAccuracy']['free'])} "
                 f"(teacher-forced {percent(s['tokenAccuracy']['teacherForced'])})")
    else:
        score = f"test MSE {to_precision(m['value'], 4)}" if m["name"] == "mse" else f"test accuracy {percent(m['value'])}"
    if r["diverged"]:
        return f"{r['label']}: {r['steps']} steps, diverged at step {r['diverged']['step']}: {r['diverged']['reason']}"
    return f"{r['label']}: {r['steps']} steps, loss {to_precision(r['loss'], 4)}, {score}"


# Characters a terminal must not receive as themselves (controls, C1, bidirectional overrides, zero-width and
# other invisible characters): the ones RNN Lens escapes in its own messages (src/core/messages.ts).
UNSHOWABLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
INVISIBLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2065, 0x3164, 0xFFA0}
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text):
    """A name as a terminal may show it: every control or invisible character as a visible escape (\\u202e)."""
    def escape(c):
        code = ord(c)
        if c in ESCAPES:
            return ESCAPES[c]
        if (unicodedata.category(c) in UNSHOWABLE_CATEGORIES or code in INVISIBLE
                or (0xE0000 <= code <= 0xE0FFF and not 0xE0100 <= code <= 0xE01EF)):
            return f"\\u{code:04x}" if code <= 0xFFFF else f"\\u{{{code:x}}}"
        return c
    return "".join(escape(c) for c in text)


def help_text(text):
    """Text for argparse's help, which %-formats it whenever it holds "%(prog)": then each % must be doubled."""
    return text.replace("%", "%%") if "%(prog)" in text else text


def parse_args(argv):
    # The spec's file name and this script's are the user's text: shown escaped, and never as a format.
    p = argparse.ArgumentParser(prog=shown(os.path.basename(sys.argv[0])),
                                description=help_text(f"Train the RNN Lens experiment from {shown(SOURCE)} with PyTorch."))
    p.add_argument("--steps", type=int, metavar="N", help="stop after N steps (default: the spec's training.steps)")
    p.add_argument("--every", type=int, metavar="K", help="report every K-th step (default: about 100 reports per run)")
    p.add_argument("--json", action="store_true", help='JSON lines on stdout: a "step" object per report, then a "summary"')
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                   help="where to train: auto (CUDA if PyTorch sees a GPU, else the CPU), cpu or cuda")
    p.add_argument("--spec-override", action="extend", nargs="+", default=[], metavar="KEY=VALUE",
                   help="change the spec, e.g. task.length=1000 model.hiddenSize=512 training.batchSize=256")
    p.add_argument("--variant", type=int, metavar="N",
                   help='train only model N (0 = "model", 1.. = the "compare" entries); default: all, like rnn-lens train')
    args = p.parse_args(argv)
    for flag in ("steps", "every"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            p.error(f"--{flag} needs a whole number of at least 1, not {value}")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    spec = copy.deepcopy(SPEC)
    for text in args.spec_override:
        apply_override(spec, text)
    problems = spec_problems(spec)
    if problems:
        fail("the spec has problems:\n  " + "\n  ".join(problems))
    models, task, training = models_of(spec), task_of(spec), spec["training"]
    labels = [LABELS[i] if i < len(LABELS) else m["cell"] for i, m in enumerate(models)]
    chosen = range(len(models)) if args.variant is None else [args.variant]
    if args.variant is not None and not 0 <= args.variant < len(models):
        fail(f"--variant must be from 0 to {len(models) - 1}")
    ranks = Ranks(args.device)
    if training["batchSize"] < ranks.world:
        fail(f"training.batchSize {training['batchSize']} is smaller than the {ranks.world} ranks that share it")
    lead = ranks.rank == 0
    held_out = evaluation_set(task, training["seed"])
    trainers = {i: Trainer(models[i], task, training, ranks, held_out) for i in chosen}
    data = Rng(training["seed"], "data")
    steps = args.steps or training["steps"]
    every = args.every or max(1, math.floor(steps / 100 + 0.5))
    last_loss = {i: math.nan for i in chosen}
    tty = lead and not args.json and sys.stderr.isatty()
    if lead and args.json:
        emit(run_header(spec, models, labels, task, steps, ranks))
    started = time.time()
    for step in range(1, steps + 1):
        report = step % every == 0 or step == steps
        batch = generate_batch(task, training["batchSize"], data)  # plain Python: drawn once for all models
        for i, trainer in trainers.items():
            if trainer.diverged:
                continue
            record = trainer.train(batch, report)
            if record is not None:
                last_loss[i] = record["loss"]
                if report and args.json and lead:
                    emit({"type": "step", "variant": i, "label": labels[i], **record})
        if all(t.diverged for t in trainers.values()):
            break
        if tty and (step % max(1, steps // 200) == 0 or step == steps):
            first = next(iter(chosen))
            sys.stderr.write("\r" + bar(step, steps, last_loss[first]))
    seconds = time.time() - started
    if tty:
        sys.stderr.write("\n")
    results = [{"label": labels[i], "steps": t.step, "loss": last_loss[i], **t.evaluate(), "diverged": t.diverged}
               for i, t in trainers.items()]
    first = results[0]
    steps_per_second = trainers[next(iter(chosen))].step / max(seconds, 1e-9)
    if lead and args.json:
        summary = {"type": "summary", "steps": first["steps"], "loss": first["loss"], "metric": first["metric"],
                   "seq2seq": first["seq2seq"], "stepsPerSecond": steps_per_second, "backend": "pytorch", "device": ranks.device.type,
                   "worldSize": ranks.world, "diverged": first["diverged"]}
        if len(results) > 1:
            summary["variants"] = results
        emit(summary)
    elif lead:
        for r in results:
            print(readable(r))
        print(f"{steps_per_second:.1f} steps/s with PyTorch on {ranks.device.type}" +
              (f", {ranks.world} ranks" if ranks.world > 1 else ""))
    ranks.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
