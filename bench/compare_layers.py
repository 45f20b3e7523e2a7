#!/usr/bin/env python3
"""Joins oclnn-bench-conv's JSON with ../shared/bench/layer_bench.py's results into one markdown table.
Usage: compare_layers.py OCLNN.json PEERS.json PEAK_GFLOPS"""
import json
import sys

# oclnn-bench-conv's default set, in order, and the peers' names for the same layers.
NAMES = ["conv3x3_256_256_56", "conv3x3_64_64_224", "conv1x1_256_64_56", "conv3x3d2_512_512_28", "convT_21_k16s8_28"]


def main():
    ours = json.load(open(sys.argv[1]))
    peers = json.load(open(sys.argv[2]))["results"]
    peak = float(sys.argv[3])
    specs = list(dict.fromkeys(r["layer"] for r in ours))
    print(f"FMA peak measured in this run: {peak:.1f} GFLOP/s\n")
    print("| layer | oclnn algorithm | ms | GFLOP/s | % of peak | " +
          " | ".join(f"{b} ms" for b in ("ort", "ocv_cpu", "torch", "ocv_ocl")) + " | best oclnn vs ORT |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for spec, name in zip(specs, NAMES):
        rows = [r for r in ours if r["layer"] == spec]
        best = min(rows, key=lambda r: r["median_ms"])
        pm = {p["backend"]: p.get("median_ms") for p in peers if p["name"] == name}
        cells = [f"{pm[b]:.2f}" if pm.get(b) else "–" for b in ("ort", "ocv_cpu", "torch", "ocv_ocl")]
        for r in rows:
            tag = r["algo"] + (" (chosen)" if r["chosen"] else "")
            ratio = f"{pm['ort'] / best['median_ms']:.2f}x" if r is best and pm.get("ort") else ""
            print(f"| {name} | {tag} | {r['median_ms']:.2f} | {r['gflops']:.1f} | {100 * r['gflops'] / peak:.0f}% | " +
                  " | ".join(cells if r is rows[0] else [""] * 4) + f" | {ratio} |")


if __name__ == "__main__":
    main()
