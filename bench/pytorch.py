"""PyTorch's training step for `npm run bench`: the same step as RNN Lens's row (one recurrent layer, a linear
readout of the last state, mean squared error on the adding problem, Adam 0.01, clip_grad_norm_ at 1), on one
CPU thread.

It serves the benchmark, which interleaves it with its own steps: it first prints one JSON line saying what runs
({"torch": version, "threads": 1, "blas": {...}}), then answers each request line
{"cell", "hidden", "length", "batch", "steps", "warmup"} with {"ms": [ms of each timed step], "cpuMs": [the
process's CPU ms in each]}. A model, its data
and its optimizer are kept per configuration, so a later request continues where the last one stopped.

Usage: python3 bench/pytorch.py   (requests on stdin, answers on stdout)
"""
import json
import sys
import time

import torch

from blas import classify, loaded_libraries


def sgemm_gflops(size=256, repeats=40):
    """One-thread float32 matrix product throughput, best of a few rounds."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    for _ in range(5):
        a @ b
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(repeats):
            a @ b
        best = max(best, 2 * size**3 * repeats / (time.perf_counter() - t0) / 1e9)
    return best


def blas_info():
    """The BLAS behind PyTorch's products in this process, found once a product has run (it loads lazily)."""
    gflops = sgemm_gflops()
    return classify(loaded_libraries(), torch.__config__.show(), gflops)


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


def make_step(cell, hidden, length, batch):
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

    return step


def main():
    torch.set_num_threads(1)
    # The benchmark compares one thread with one thread; an OpenBLAS built with pthreads reads this too.
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_info()}
    print(json.dumps(info), flush=True)
    steps = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        key = tuple(request[k] for k in ("cell", "hidden", "length", "batch"))
        if key not in steps:
            steps[key] = make_step(*key)
        step = steps[key]
        for _ in range(request["warmup"]):
            step()
        wall, cpu = [], []
        for _ in range(request["steps"]):
            t0, c0 = time.perf_counter(), time.process_time()
            step()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        print(json.dumps({"ms": wall, "cpuMs": cpu}), flush=True)


if __name__ == "__main__":
    main()
