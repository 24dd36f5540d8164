"""Runs the PyTorch export's own random numbers, initializers, task generators and teacher-forcing coins on
the requests it reads from stdin (JSON), and writes the raw results to stdout, for test/unit/pytorch.test.ts
to compare with the TypeScript engine number for number. Usage: python3 pytorch_probe.py RUN_PY < request.json
"""
import importlib.util
import json
import sys

import torch

spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)
request = json.load(sys.stdin)


def flat(x):
    return None if x is None else x.reshape(-1).tolist()


def batch_json(b):
    """The fields of the engine's Batch, flattened as it lays them out (time-major)."""
    seq2seq = b.dec_inputs is not None
    return {"steps": b.inputs.shape[0], "inputSize": b.inputs.shape[2], "inputs": flat(b.inputs), "lengths": b.lengths.tolist(),
            "kind": b.kind, "at": b.at, "target": flat(b.target), "numClasses": b.num_classes if b.kind == "classes" else None,
            "mask": flat(b.mask), "scored": flat(b.scored) if b.kind == "classes" else None,
            "decoder": {"steps": b.dec_inputs.shape[0], "inputSize": b.dec_inputs.shape[2], "inputs": flat(b.dec_inputs),
                        "lengths": b.dec_lengths.tolist()} if seq2seq else None,
            "outputs": b.outputs, "relevant": b.relevant}


out = {"tasks": run.TASKS, "rng": [], "weights": [], "batches": [], "evaluation": [], "coins": []}
for r in request["rng"]:
    rng = run.Rng(r["seed"], r["stream"])
    ints = [rng.next32() for _ in range(r["count"])]
    out["rng"].append({"next32": ints, "int": [rng.int(r["n"]) for _ in range(r["count"])],
                       "normal": [rng.normal() for _ in range(r["count"])]})
for w in request["weights"]:
    weights = run.initial_weights(w["model"], w["task"], w["seed"])
    out["weights"].append({name: {"shape": list(t.shape), "values": flat(t)} for name, t in weights.items()})
for b in request["batches"]:
    rng = run.Rng(b["seed"], "data")
    out["batches"].append([batch_json(run.generate_batch(b["task"], b["batchSize"], rng)) for _ in range(b["count"])])
for e in request["evaluation"]:
    out["evaluation"].append(batch_json(run.evaluation_set(e["task"], e["seed"])))
ranks = run.Ranks("cpu")
for c in request["coins"]:
    trainer = run.Trainer(c["model"], c["task"], c["training"], ranks, run.evaluation_set(c["task"], c["training"]["seed"], 2))
    data = run.Rng(c["training"]["seed"], "data")
    batches = [run.generate_batch(c["task"], c["training"]["batchSize"], data) for _ in range(c["count"])]
    out["coins"].append([{"batch": batch_json(b), "teacher": flat(t) if isinstance(t, torch.Tensor) else None}
                         for b, t in ((b, trainer.coins(b)) for b in batches)])
json.dump(out, sys.stdout)
