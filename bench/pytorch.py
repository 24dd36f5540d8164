"""PyTorch's training step for `npm run bench`: the same step as RNN Lens's row (one recurrent layer, a linear
readout of the last state, mean squared error on the adding problem, Adam 0.01, clip_grad_norm_ at 1), on one
CPU thread. Prints one JSON line: {"torch": version, "cells": {cell: {"ms": median, "cpuMs": median}}}.

Usage: python3 bench/pytorch.py HIDDEN LENGTH BATCH STEPS WARMUP CELL...
"""
import json
import sys
import time

import torch


def adding_batch(length, batch, generator):
    values = torch.rand(batch, length, generator=generator)
    markers = torch.zeros(batch, length)
    half = length // 2
    first = torch.randint(0, half, (batch,), generator=generator)
    second = torch.randint(half, length, (batch,), generator=generator)
    markers[torch.arange(batch), first] = 1
    markers[torch.arange(batch), second] = 1
    x = torch.stack([values, markers], dim=2)
    y = (values * markers).sum(dim=1, keepdim=True)
    return x, y


class Model(torch.nn.Module):
    def __init__(self, cell, hidden):
        super().__init__()
        kinds = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}
        self.rnn = kinds[cell](input_size=2, hidden_size=hidden, batch_first=True)
        self.out = torch.nn.Linear(hidden, 1)

    def forward(self, x):
        states, _ = self.rnn(x)
        return self.out(states[:, -1, :])


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def measure(cell, hidden, length, batch, steps, warmup):
    torch.manual_seed(1)
    generator = torch.Generator().manual_seed(1)
    x, y = adding_batch(length, batch, generator)
    model = Model(cell, hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.MSELoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    for _ in range(warmup):
        step()
    wall, cpu = [], []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {"ms": median(wall), "minMs": min(wall), "cpuMs": median(cpu)}


def main():
    hidden, length, batch, steps, warmup = (int(a) for a in sys.argv[1:6])
    torch.set_num_threads(1)
    cells = {cell: measure(cell, hidden, length, batch, steps, warmup) for cell in sys.argv[6:]}
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "cells": cells}))


if __name__ == "__main__":
    main()
