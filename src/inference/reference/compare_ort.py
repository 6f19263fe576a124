#!/usr/bin/env python3
"""Same-run comparison of the engine with ONNX Runtime on 32-token sequences.

Rounds alternate the two runtimes (so both see the same machine load) and the table keeps
the best round of each: CPU ms per batch (process CPU for ONNX Runtime, the benchmark
thread's for ours: comparable at 1 thread only) and wall-clock p50 ms, f32 and int8 against
ONNX Runtime's f32, with the ratio ORT / ours (of CPU at 1 thread, of wall time at more). Prints `uptime` before and after. Not part of CI.

  src/inference/reference/compare_ort.py [--build build] [--shape minilm_l6] \
      [--threads 1] [--rounds 3] [--batches 1,10,100]

Needs node and the npm package onnxruntime-node (installed into --ort-dir on first use with
`npm install --ignore-scripts onnxruntime-node`; its CPU binary ships inside the package)
and python3-torch for the ONNX export (export_onnx.py).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PRESETS = {"minilm_l6": "minilm-l6", "bert_base": "bert-base"}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def ours(args, bench, env):
    dtypes = "(/int8)?"
    filt = (f"Encoder_Tokens32_Batch({args.batches.replace(',', '|')})/{args.shape}/"
            f"threads:{args.threads}{dtypes}/real_time$")
    out = run([bench, f"--benchmark_filter={filt}", "--benchmark_format=json"], env=env)
    res = {}
    for b in json.loads(out)["benchmarks"]:
        name = b["name"]
        batch = int(name.split("_Batch")[1].split("/")[0])
        dtype = "int8" if "/int8/" in name else "f32"
        res[(dtype, batch)] = (b["cpu_time"], b["p50_us"] / 1000.0)
    return res


def ort(args, model, env):
    out = run(["node", os.path.join(HERE, "ort_bench.mjs"), model, args.batches,
               str(args.threads)], env=env)
    res = {}
    for line in out.splitlines():
        j = json.loads(line)
        res[("ort", j["batch"])] = (j["cpu_ms_per_run"], j["p50_ms"])
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--shape", default="minilm_l6", choices=sorted(PRESETS))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batches", default="1,10,100")
    ap.add_argument("--ort-dir", default="/tmp/ort")
    args = ap.parse_args()

    bench = os.path.join(args.build, "bench", "classification_bench")
    cache = os.path.join(args.build, "models")
    env = dict(os.environ, VSR_BENCH_SHAPES=args.shape, VSR_MODEL_CACHE=cache)
    model_dir = os.path.join(cache, PRESETS[args.shape] + "-category")
    if not os.path.exists(os.path.join(model_dir, ".complete")):
        run([bench, "--benchmark_filter=Encoder_Tokens32_Batch1/.*threads:1/real_time$"], env=env)
    onnx = os.path.join(cache, PRESETS[args.shape] + "-category.onnx")
    if not os.path.exists(onnx):
        run(["/usr/bin/python3", os.path.join(HERE, "export_onnx.py"), model_dir, onnx])
    modules = os.path.join(args.ort_dir, "node_modules")
    if not os.path.isdir(os.path.join(modules, "onnxruntime-node")):
        os.makedirs(args.ort_dir, exist_ok=True)
        run(["npm", "init", "-y"], cwd=args.ort_dir)
        run(["npm", "install", "--ignore-scripts", "onnxruntime-node"], cwd=args.ort_dir)
    node_env = dict(os.environ, NODE_PATH=modules)

    print("before:", run(["uptime"]).strip())
    best = {}
    for r in range(args.rounds):
        for res in (ours(args, bench, env), ort(args, onnx, node_env)):
            for key, (cpu, wall) in res.items():
                old = best.get(key, (float("inf"), float("inf")))
                best[key] = (min(old[0], cpu), min(old[1], wall))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    print("after: ", run(["uptime"]).strip())
    print(f"\n{args.shape}, 32-token sequences, {args.threads} thread(s), best of {args.rounds}"
          " rounds: CPU ms / wall p50 ms per batch (ratio = ORT / ours, "
          + ("CPU)" if args.threads == 1 else "wall)"))
    k = 0 if args.threads == 1 else 1
    print(f"{'batch':>5} | {'ORT f32':>15} | {'ours f32':>15} {'ratio':>6} | "
          f"{'ours int8':>15} {'ratio':>6}")
    for b in [int(x) for x in args.batches.split(",")]:
        o = best.get(("ort", b))
        f = best.get(("f32", b))
        i = best.get(("int8", b))
        cell = lambda v: f"{v[0]:7.2f} / {v[1]:5.1f}" if v else f"{'-':>15}"
        ratio = lambda v: f"{o[k] / v[k]:5.2f}x" if (v and o) else f"{'-':>6}"
        print(f"{b:>5} | {cell(o)} | {cell(f)} {ratio(f)} | {cell(i)} {ratio(i)}")


if __name__ == "__main__":
    main()
