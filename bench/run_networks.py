#!/usr/bin/env python3
"""Whole-network latency of the peers (ONNX Runtime CPU, OpenCV DNN CPU, OpenCV DNN OpenCL on POCL, PyTorch CPU)
and of oclnn (`oclnn-bench MODEL --json`, when built) on the networks of tools/export_networks.py. Batch 1.

Run:  bench/run_networks.sh (exports what is missing, measures the FMA peak, then calls this), or directly:
      python3 bench/run_networks.py --models DIR [--names a,b] [--runs N] [--warmup N] [--peak FILE] [--out FILE.md]
Method (after ../shared/bench/run_peers.py): one worker process per (network, backend), started one after another;
each loads the model, times its first forward (OpenCL: includes kernel compilation, POCL cache fresh per network),
runs --warmup forwards and waits; then --runs rounds ask every worker for one forward in turn (0.1 s apart), so
machine noise spreads evenly over backends. Outputs are compared with the ONNX Runtime reference NAME.output.npy
(max |diff| / max |ref|). All backends use 2 threads. oclnn-bench is run once per network as its own process.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NAMES = ["densenet121", "googlenet", "inception_v3", "fcn8s_vgg16", "resnet50", "ppocr_det"]
BACKENDS = ["ort", "ocv_cpu", "ocv_ocl", "torch"]


# ----------------------------------------------------------------------------------------------- worker side
def worker(backend, name, models, warmup):
    def say(**kw):
        print("@@" + json.dumps(kw), flush=True)  # OpenCV prints OpenCL build logs to stdout too

    info = {"backend": backend, "name": name}
    try:
        meta = json.load(open(os.path.join(models, name + ".json")))
        x = np.load(os.path.join(models, name + ".input.npy"))
        onnx_file = os.path.join(models, name + ".onnx")
        t0 = time.perf_counter()
        if backend == "ort":
            import onnxruntime as ort
            so = ort.SessionOptions()
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            so.intra_op_num_threads = 2
            sess = ort.InferenceSession(onnx_file, so, providers=["CPUExecutionProvider"])
            feeds = {meta["inputs"][0]["name"]: x}

            def forward():
                return sess.run(None, feeds)[0]
        elif backend == "torch":
            if name == "ppocr_det":
                raise RuntimeError("no PyTorch model (a PaddlePaddle network, only its ONNX export exists here)")
            import torch
            sys.path.insert(0, os.path.join(ROOT, "tools"))
            import export_networks as ex  # rebuilds exactly the exported weights (same seeds)
            torch.set_num_threads(2)
            builder, shape, _ = ex.networks()[name]
            torch.manual_seed(ex.SEED)
            model = builder()
            ex.randomise_bn(model, shape, torch.Generator().manual_seed(ex.SEED + 1))
            model.eval()
            tx = torch.from_numpy(x)

            def forward():
                with torch.inference_mode():
                    return model(tx).numpy()
        else:  # OpenCV: no torch import in this process
            import cv2
            cv2.setNumThreads(2)
            net = cv2.dnn.readNetFromONNX(onnx_file)
            net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
            if backend == "ocv_cpu":
                net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
            else:
                cv2.ocl.setUseOpenCL(True)
                net.setPreferableTarget(cv2.dnn.DNN_TARGET_OPENCL)
                info["ocl_device"] = cv2.ocl.Device_getDefault().name()

            def forward():
                net.setInput(x)
                return net.forward()
        info["load_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        y = forward()
        info["first_s"] = time.perf_counter() - t0
        for _ in range(warmup):
            forward()
        ref = np.load(os.path.join(models, name + ".output.npy"))
        info["rel_err"] = float(np.abs(y - ref).max() / np.abs(ref).max()) if y.shape == ref.shape \
            else f"shape {list(y.shape)} != {list(ref.shape)}"
    except Exception as e:  # an import / load / first-run failure is a result, not a crash
        msg = f"{type(e).__name__}: {e}".replace("\n", " ").strip()
        say(error=msg[msg.find("Node ["):][:160] if "Node [" in msg else msg[:300], **info)  # OpenCV: the node
        return
    say(ready=True, **info)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        t0 = time.perf_counter()
        forward()
        say(t=time.perf_counter() - t0)


# ----------------------------------------------------------------------------------------------- driver side
class Worker:
    def __init__(self, backend, name, models, warmup, cache_root):
        env = dict(os.environ, OMP_NUM_THREADS="2")
        if backend == "ocv_ocl":  # without both, OpenCV DNN silently falls back to its CPU path on a CPU device
            env["OPENCV_OPENCL_DEVICE"] = "Portable:CPU:"
            env["OPENCV_DNN_OPENCL_ALLOW_ALL_DEVICES"] = "1"
        for var, sub in (("POCL_CACHE_DIR", "pocl"), ("OPENCV_OPENCL_CACHE_DIR", "opencv")):
            env[var] = os.path.join(cache_root, name, sub)
            os.makedirs(env[var], exist_ok=True)
        self.log = tempfile.TemporaryFile("w+")
        self.p = subprocess.Popen([sys.executable, __file__, "--worker", backend, name, "--models", models,
                                   "--warmup", str(warmup)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.log, text=True, env=env)
        self.info = self.recv()
        self.times = []

    def recv(self):
        for line in self.p.stdout:
            if line.startswith("@@"):
                return json.loads(line[2:])
        return {"error": f"worker died (rc {self.p.wait()})"}

    def run_once(self):
        self.p.stdin.write("run\n")
        self.p.stdin.flush()
        r = self.recv()
        if "t" in r:
            self.times.append(r["t"])

    def finish(self):
        if self.p.poll() is None:
            try:
                self.p.stdin.write("quit\n")
                self.p.stdin.flush()
            except BrokenPipeError:
                pass
        self.p.wait()
        self.log.seek(0)
        self.info["warnings"] = [l.strip()[:200] for l in self.log if "switching to CPU" in l][:2]  # a fallback
        r = dict(self.info)
        if self.times:
            t = np.array(self.times) * 1e3
            r.update(median_ms=float(np.median(t)), min_ms=float(t.min()), max_ms=float(t.max()), runs=len(t))
        return r


def run_oclnn(exe, name, models, runs, warmup):
    """oclnn-bench MODEL --json FILE -n RUNS -w WARMUP (its own process; it also times cold and warm first runs in
    fresh child processes). Keys read: median_ms, min_ms, max_ms, iterations, cold_first_ms, warm_first_ms."""
    meta = json.load(open(os.path.join(models, name + ".json")))
    onnx_file = os.path.join(models, name + ".onnx")
    with tempfile.TemporaryDirectory() as tmp:
        jf = os.path.join(tmp, "bench.json")
        cmd = [exe, onnx_file, "--json", jf, "-n", str(runs), "-w", str(warmup)]
        if name == "ppocr_det":  # dynamic H, W: fix them to the reference input's
            cmd += ["--shape", meta["inputs"][0]["name"] + "=" + ",".join(map(str, meta["inputs"][0]["shape"]))]
        t0 = time.perf_counter()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        except subprocess.TimeoutExpired:
            return {"backend": "oclnn", "name": name, "error": "timed out after 1800 s"}
        r = {"backend": "oclnn", "name": name, "wall_s": time.perf_counter() - t0}
        if p.returncode != 0 or not os.path.exists(jf):
            r["error"] = f"rc {p.returncode}: {(p.stderr or p.stdout).strip()[-200:]}"
            return r
        try:
            j = json.load(open(jf))
        except ValueError as e:
            r["error"] = f"bad JSON from oclnn-bench: {e}"
            return r
    r["raw"] = j
    r.update({k: j[k] for k in ("median_ms", "min_ms", "max_ms") if k in j})
    if j.get("cold_first_ms", -1) >= 0:
        r["first_s"] = j["cold_first_ms"] / 1e3
    if j.get("warm_first_ms", -1) >= 0:
        r["note"] = f"warm first run {j['warm_first_ms']:.0f} ms"
    return r


def find_oclnn_bench():
    exe = os.environ.get("OCLNN_BENCH")
    if exe:
        return exe if os.access(exe, os.X_OK) else None
    cands = sorted((os.path.join(ROOT, d, "tools", "oclnn-bench") for d in os.listdir(ROOT) if d.startswith("build")),
                   key=lambda p: os.path.getmtime(p) if os.path.exists(p) else 0, reverse=True)
    return next((c for c in cands if os.access(c, os.X_OK)), None) or shutil.which("oclnn-bench")


def fmt(v, f="{:.1f}"):
    return "-" if v is None else f.format(v) if isinstance(v, (int, float)) else str(v)


LABEL = {"ort": "ONNX Runtime CPU", "ocv_cpu": "OpenCV DNN CPU", "ocv_ocl": "OpenCV DNN OpenCL (POCL)",
         "torch": "PyTorch CPU", "oclnn": "oclnn (oclnn-bench)"}


def markdown(results, a, peak, oclnn_note, started, wall):
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    import onnxruntime
    import cv2
    try:
        import torch
        tv = torch.__version__
    except ImportError:
        tv = "-"
    out = [f"# Networks benchmark, {started:%Y-%m-%d %H:%M} UTC", "",
           f"Generated by `bench/run_networks.sh` (bench/run_networks.py) in {wall / 60:.1f} min. Batch 1, 2 threads "
           f"everywhere, {a.runs} timed rounds after {a.warmup} warm-up forwards; backends interleaved round by round. "
           "\"first\" = the first forward in a fresh process (OpenCL: with an empty POCL/OpenCV kernel cache, so it "
           "includes kernel compilation; oclnn: oclnn-bench's cold first run, empty oclnn and POCL caches). "
           "\"rel err\" = max |y - ref| / max |ref| against the ONNX Runtime reference "
           "(NAME.output.npy). The machine is shared (2 cores, other jobs running): compare ratios within this run, "
           "not absolute numbers across runs.", "",
           f"Machine: {cpu}, {os.cpu_count()} CPUs. ONNX Runtime {onnxruntime.__version__}, OpenCV {cv2.__version__}, "
           f"PyTorch {tv}, Python {platform.python_version()}. Models: `{a.models}`.", "",
           "FMA peak (" + peak.get("source", "-") + "):", "", "```", peak.get("text", "not measured").strip(), "```",
           "",
           "| network | input | backend | median ms | min ms | max ms | first s | rel err | notes |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        shape = "x".join(map(str, r.get("shape", []))) or "-"
        note = r.get("error", r.get("note", ""))
        if r["backend"] == "ocv_ocl" and "error" not in r:
            note = f"device {r.get('ocl_device', '?')}" + ("; " + " ".join(r["warnings"]) if r.get("warnings") else "")
        out.append(f"| {r['name']} | {shape} | {LABEL.get(r['backend'], r['backend'])} | {fmt(r.get('median_ms'))} | "
                   f"{fmt(r.get('min_ms'))} | {fmt(r.get('max_ms'))} | {fmt(r.get('first_s'), '{:.2f}')} | "
                   f"{fmt(r.get('rel_err'), '{:.1e}')} | {note.replace('|', '/')} |")
    out += ["", "oclnn: " + oclnn_note, ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", nargs=2, metavar=("BACKEND", "NAME"), help=argparse.SUPPRESS)
    ap.add_argument("--models", default=os.environ.get("OCLNN_MODELS_DIR") or
                    os.path.expanduser("~/.cache/oclnn/models"))
    ap.add_argument("--names", default=",".join(NAMES))
    ap.add_argument("--backends", default=",".join(BACKENDS))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--peak", help="file with the FMA peak program's output, copied into the report")
    ap.add_argument("--peak-source", default="peak.c")
    ap.add_argument("--out", help="markdown report (default bench/results/networks-<date>.md)")
    a = ap.parse_args()
    if a.worker:
        return worker(*a.worker, a.models, a.warmup)
    started, t_start = datetime.datetime.utcnow(), time.perf_counter()
    load0 = os.getloadavg()  # the machine is shared: say how busy it was
    cache_root = tempfile.mkdtemp(prefix="oclnn_bench_cache_")
    results = []
    exe = find_oclnn_bench()
    oclnn_note = f"`{exe}`" if exe else ("skipped: no oclnn-bench binary found (build*/tools/oclnn-bench, "
                                         "$OCLNN_BENCH, PATH); it is being written on another branch")
    for name in a.names.split(","):
        shape = json.load(open(os.path.join(a.models, name + ".json")))["inputs"][0]["shape"]
        ws = []
        for b in a.backends.split(","):
            print(f"[{name}] starting {b} ...", file=sys.stderr, flush=True)
            ws.append(Worker(b, name, a.models, a.warmup, cache_root))
            print(f"[{name}] {b}: {ws[-1].info}", file=sys.stderr, flush=True)
        live = [w for w in ws if "error" not in w.info]
        for _ in range(a.runs):
            for w in live:
                time.sleep(0.1)
                w.run_once()
        for w in ws:
            results.append(dict(w.finish(), shape=shape))
        if exe:
            results.append(dict(run_oclnn(exe, name, a.models, a.runs, a.warmup), shape=shape))
        for r in results[-len(ws) - (1 if exe else 0):]:
            print(f"[{name}] {r['backend']}: median {fmt(r.get('median_ms'))} ms, "
                  f"first {fmt(r.get('first_s'), '{:.2f}')} s {r.get('error', '')}", file=sys.stderr, flush=True)
    shutil.rmtree(cache_root, ignore_errors=True)
    peak = {"source": a.peak_source, "text": open(a.peak).read()} if a.peak else {}
    load = f"load average (1/5/15 min) {'/'.join(f'{v:.1f}' for v in load0)} at the start, " \
           f"{'/'.join(f'{v:.1f}' for v in os.getloadavg())} at the end"
    md = markdown(results, a, peak, oclnn_note + "\n\nMachine load: " + load, started, time.perf_counter() - t_start)
    out = a.out or os.path.join(HERE, "results", f"networks-{started:%Y%m%d-%H%M}.md")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write(md)
    with open(out[:-3] + ".json", "w") as f:
        json.dump({"argv": sys.argv, "results": results}, f, indent=1)
    print(md)
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
