"""Run the benchmark suite on pynn_spinnaker2 and pyNN.nest and tabulate ours / NEST.

Each case (a benchmark script with its arguments) runs --repeats times per backend, every run in
its own process, one after the other (never in parallel); repeat i uses seed 4242 + i, so the
firing rates are means over network realisations. The medians go to
benchmarks/results.json, merged by case and backend (a later run of some cases replaces only
those), and the whole table is rewritten into docs/benchmarks.md between the markers
<!-- run_all:begin --> and <!-- run_all:end -->. A run that fails (the script reports the
exception) or times out is recorded as a failure with its reason; the suite carries on.

Usage: python benchmarks/run_all.py [--quick] [--repeats 3] [--only brunel micro_s0.1]
       [--backends spinnaker2 nest] [--timeout 3600] [--no-docs] [--list] [--table]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
DOCS = HERE.parent / "docs" / "benchmarks.md"
BEGIN, END = "<!-- run_all:begin -->", "<!-- run_all:end -->"
TAG = "BENCH_RESULT "
SEED = 4242


def _case(cid: str, script: str, title: str, *args: str, quick: bool = False) -> dict:
    return {"id": cid, "script": script, "title": title, "args": list(args), "quick": quick}


CASES = [
    _case("va_cuba_dt0.1", "vogels_abbott.py", "Vogels-Abbott CUBA, dt 0.1",
          "--model", "cuba", "--timestep", "0.1", quick=True),
    _case("va_cuba_dt1.0", "vogels_abbott.py", "Vogels-Abbott CUBA, dt 1.0",
          "--model", "cuba", "--timestep", "1.0", quick=True),
    _case("va_coba_dt0.1", "vogels_abbott.py", "Vogels-Abbott COBA, dt 0.1",
          "--model", "coba", "--timestep", "0.1", quick=True),
    _case("va_coba_dt1.0", "vogels_abbott.py", "Vogels-Abbott COBA, dt 1.0",
          "--model", "coba", "--timestep", "1.0"),
    *[_case(f"brunel_s{s}", "brunel.py", f"Brunel, scale {s}", "--scale", s,
            quick=s == "0.1") for s in ("0.1", "0.25", "0.5", "1.0")],
    _case("micro_s0.1", "microcircuit.py", "Microcircuit, scale 0.1, Poisson",
          "--scale", "0.1", "--drive", "poisson", quick=True),
    _case("micro_s0.1_dc", "microcircuit.py", "Microcircuit, scale 0.1, DC",
          "--scale", "0.1", "--drive", "dc"),
    _case("micro_s0.25", "microcircuit.py", "Microcircuit, scale 0.25, Poisson",
          "--scale", "0.25", "--drive", "poisson"),
    _case("micro_s1.0", "microcircuit.py", "Microcircuit, scale 1.0, Poisson",
          "--scale", "1.0", "--drive", "poisson"),
]
BACKENDS = ("spinnaker2", "nest")


def run_once(case: dict, backend: str, timeout: float, seed: int) -> dict:
    cmd = [sys.executable, str(HERE / case["script"]), "--backend", backend, *case["args"],
           "--seed", str(seed)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(TAG)]
    if lines:
        result = json.loads(lines[-1][len(TAG):])
        if "error" in result:
            result["stderr_tail"] = proc.stderr.strip().splitlines()[-12:]
    else:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        result = {"error": f"exit status {proc.returncode}: {tail}"}
    result["process_wall_s"] = time.perf_counter() - start
    return result


def median_of(runs: list[dict]) -> dict:
    """Medians of the numeric fields over successful runs; rates are means over the runs (each
    run is another network realisation: repeat i uses seed 4242 + i on both backends)."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return {"error": runs[-1]["error"], "repeats": 0}
    out = {"repeats": len(ok)}
    for key, value in ok[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in ok)
        elif key == "rates_hz":
            out[key] = {p: statistics.fmean(r[key][p] for r in ok) for p in value}
    if len(ok) < len(runs):
        out["failed_runs"] = [r["error"] for r in runs if "error" in r]
    return out


def load() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def _pair(ours: dict, nest: dict, key: str, fmt: str = "{:.2f}") -> str:
    a = fmt.format(ours[key]) if key in ours else "-"
    b = fmt.format(nest[key]) if key in nest else "-"
    return f"{a} / {b}"


def _ratio(ours: dict, nest: dict, key: str) -> str:
    if key in ours and nest.get(key):
        return f"{ours[key] / nest[key]:.2f}"
    return "-"


def table(results: dict) -> str:
    order = [c["id"] for c in CASES]
    rows = [
        "| case | neurons | synapses | build CPU s ours / NEST | run() wall s ours / NEST | "
        "run() CPU s ours / NEST | CPU ratio | M events / CPU s ours / NEST | "
        "peak MiB ours / NEST | rate ratio ours / NEST by population | runs |",
        "|---|---|---|---|---|---|---|---|---|---|---|"]
    failures = []
    for cid in sorted(results, key=lambda c: order.index(c) if c in order else len(order)):
        entry = results[cid]
        ours = entry["backends"].get("spinnaker2", {})
        nest = entry["backends"].get("nest", {})
        for backend, r in entry["backends"].items():
            if "error" in r:
                failures.append(f"- {entry['title']} on {backend}: {r['error']}")
            for err in r.get("failed_runs", []):
                failures.append(f"- {entry['title']} on {backend} (one run): {err}")
        first = ours if "neurons" in ours else nest
        neurons = f"{int(first['neurons']):,}" if "neurons" in first else "-"
        synapses = f"{int(first['synapses']):,}" if "synapses" in first else "-"
        ev_ours = {"x": ours["events_per_cpu_s"] / 1e6} if "events_per_cpu_s" in ours else {}
        ev_nest = {"x": nest["events_per_cpu_s"] / 1e6} if "events_per_cpu_s" in nest else {}
        rates = "-"
        if "rates_hz" in ours and "rates_hz" in nest:
            rates = ", ".join(
                f"{p} {ours['rates_hz'][p] / nest['rates_hz'][p]:.2f}"
                if nest["rates_hz"].get(p) else f"{p} -" for p in ours["rates_hz"])
        elif "rates_hz" in ours:
            rates = "ours: " + ", ".join(f"{p} {v:.2f} Hz" for p, v in ours["rates_hz"].items())
        runs = f"{ours.get('repeats', 0)} / {nest.get('repeats', 0)}"
        rows.append(
            f"| {entry['title']} | {neurons} | {synapses} | "
            f"{_pair(ours, nest, 'build_cpu_s')} | {_pair(ours, nest, 'run_wall_s')} | "
            f"{_pair(ours, nest, 'run_cpu_s')} | {_ratio(ours, nest, 'run_cpu_s')} | "
            f"{_pair(ev_ours, ev_nest, 'x')} | "
            f"{_pair(ours, nest, 'peak_rss_mib', '{:.0f}')} | {rates} | {runs} |")
    text = "\n".join(rows)
    if failures:
        text += "\n\nFailures:\n\n" + "\n".join(failures)
    return text


def write_docs(results: dict) -> None:
    doc = DOCS.read_text()
    block = (f"{BEGIN}\n<!-- written by benchmarks/run_all.py from benchmarks/results.json; "
             f"edits here are replaced -->\n{table(results)}\n{END}")
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        doc = head + block + rest.split(END, 1)[1]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(doc)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="the small cases only")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--only", nargs="+", default=None,
                   help="case ids, or prefixes of them (see --list)")
    p.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds per run")
    p.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    p.add_argument("--list", action="store_true", help="print the cases and exit")
    p.add_argument("--table", action="store_true",
                   help="run nothing: rewrite the table from benchmarks/results.json")
    args = p.parse_args()
    if args.table:
        write_docs(load())
        print(table(load()))
        return
    cases = [c for c in CASES if c["quick"] or not args.quick]
    if args.only:
        cases = [c for c in cases if any(c["id"].startswith(o) for o in args.only)]
    if args.list:
        for c in cases:
            print(f"{c['id']:<16} {c['script']} {' '.join(c['args'])}")
        return
    results = load()
    for case in cases:
        entry = results.setdefault(case["id"], {"title": case["title"], "script": case["script"],
                                                "args": case["args"], "backends": {}})
        for backend in args.backends:
            runs = []
            for i in range(args.repeats):
                r = run_once(case, backend, args.timeout, SEED + i)
                runs.append(r)
                status = r.get("error") or (f"build {r['build_wall_s']:.2f} s, run() "
                                            f"{r['run_wall_s']:.2f} s wall / "
                                            f"{r['run_cpu_s']:.2f} s CPU")
                print(f"{case['id']:<16} {backend:<10} run {i + 1}/{args.repeats}: {status}",
                      flush=True)
                if "error" in r:          # a model that fails once fails every time
                    break
            entry["backends"][backend] = {**median_of(runs), "runs": runs,
                                          "date": time.strftime("%Y-%m-%d")}
            RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(table({c["id"]: results[c["id"]] for c in cases}))
    if not args.no_docs:
        write_docs(results)
        print(f"wrote {RESULTS} and the table in {DOCS}")


if __name__ == "__main__":
    main()
