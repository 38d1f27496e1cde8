"""Benchmark runner: the same LP three ways, each run in its own fresh process.

``python -m benchmarks [--sizes small,medium,large] [--repeats N]`` writes the
synthetic models, runs every variant in a subprocess (``worker`` mode: clean
heap, imports done before the clock starts, peak RSS from ``VmHWM``), checks
that all variants reach the same objective, and writes ``benchmarks/RESULTS.md``,
``benchmarks/results.json`` and ``benchmarks/scaling.png``.

Variants:

* ``highspy``: numpy/scipy matrix -> ``Highs.passModel`` (:mod:`benchmarks.highspy_model`);
* ``mfa``: ``mfa.model.build.build_model`` + ``mfa.pipeline.compile_form`` (the LP compiled
  from the families' arrays) + ``mfa.solve.optimise`` + ``mfa.results.extract``;
* ``linopy``: :mod:`benchmarks.linopy_model`, direct highspy interface.

Sweep modes re-solve with 20 demand scenarios: ``warm`` keeps the solver
object and changes the balance rows' bounds (dual simplex from the previous
basis), ``rebuild`` builds, hands over and solves every scenario from scratch.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
OPTIONS = {"solver": "ipm", "run_crossover": "on", "threads": 1, "random_seed": 0}
"""HiGHS options of every cold solve, in every variant."""
WARM = {"solver": "simplex"}
"""Option change before warm re-solves (dual simplex from the previous basis)."""
VARIANTS = ("highspy", "mfa", "linopy")
N_SCENARIOS = 20
now = time.perf_counter


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


# ----------------------------------------------------------------------------------------------
# one cold build + solve
# ----------------------------------------------------------------------------------------------


def cold_highspy(data: Any, keep: bool = False) -> tuple[dict, Any]:
    from benchmarks import highspy_model as hs

    t0 = now()
    hm = hs.build(data)
    t1 = now()
    h = hs.handover(hm, OPTIONS)
    t2 = now()
    h.run()
    t3 = now()
    hs.extract(hm, h)
    t4 = now()
    out = {
        "build": t1 - t0,
        "handover": t2 - t1,
        "solve": t3 - t2,
        "extract": t4 - t3,
        "objective": hs.objective(h),
        "n_cols": hm.a.shape[1],
        "n_rows": hm.a.shape[0],
        "nnz": int(hm.a.nnz),
        "status": h.modelStatusToString(h.getModelStatus()),
    }
    if not keep:
        return out, None
    rows = hm.balance_demand_rows.astype(np.int32)

    def one(d: Any) -> float:
        h.changeRowsBounds(len(rows), rows, d, d)
        h.run()
        h.getSolution()
        return hs.objective(h)

    return out, (h, hm.prep.index, one)


def _mfa_solver(data: Any) -> Any:
    """The model's solver settings with the benchmark's HiGHS options."""
    opts = {k: v for k, v in OPTIONS.items() if k != "threads"}
    return data.config.solver.model_copy(update={"options": opts, "threads": OPTIONS["threads"]})


def cold_mfa(data: Any, keep: bool = False) -> tuple[dict, Any]:
    from pyomo.common.gc_manager import PauseGC

    import mfa.solve as ms
    from mfa.model.build import build_model
    from mfa.pipeline import compile_form
    from mfa.results import check, derived_tables, extract

    solver = _mfa_solver(data)
    t0 = now()
    built = build_model(data)
    t1 = now()
    with PauseGC():  # as mfa.pipeline.compile_model
        form = compile_form(built)
        h_run = ms.hand_over(form, solver)
    sol = ms.optimise(h_run, form, now() - t1)
    t2 = now()
    tables = extract(built, sol, derived=False)
    t3 = now()
    tables.update(derived_tables(built, tables))
    t4 = now()
    check(tables, sol.objective, built.index.discount)
    t5 = now()
    # hand-over + HiGHS run + reading the solution arrays: the last part is result extraction
    read = (t2 - t1) - sol.handover_s - sol.solve_s
    out = {
        "build": t1 - t0,
        "handover": sol.handover_s,
        "solve": sol.solve_s,
        "extract": (t3 - t2) + read,
        "derive": t4 - t3,
        "check": t5 - t4,
        "objective": sol.objective,
        "n_cols": sol.n_variables,
        "n_rows": sol.n_constraints,
        "status": sol.status,
    }
    if not keep:
        return out, None
    sweeper = MfaSweep(built, sol, h_run)
    return out, (h_run, built.index, sweeper.one)


def cold_linopy(data: Any, keep: bool = False) -> tuple[dict, Any]:
    from benchmarks import linopy_model as lp

    t0 = now()
    lm = lp.build(data)
    t1 = now()
    solver = lp.handover(lm, OPTIONS, track_updates=keep)
    t2 = now()
    result = lp.solve(lm, solver)
    t3 = now()
    obj = lp.assign(lm, solver, result)
    lp.extract(lm)
    t4 = now()
    out = {
        "build": t1 - t0,
        "handover": t2 - t1,
        "solve": t3 - t2,
        "extract": t4 - t3,
        "objective": obj,
        "status": str(lm.m.termination_condition),
    }
    if not keep:
        return out, None

    def one(d: Any) -> float:
        lp.set_demand(lm, d)
        solver.solve(lm.m, assign=True)
        return float(lm.m.objective.value)

    return out, (solver.solver_model, lm.prep.index, one)


COLD = {"highspy": cold_highspy, "mfa": cold_mfa, "linopy": cold_linopy}


# ----------------------------------------------------------------------------------------------
# sweeps
# ----------------------------------------------------------------------------------------------


class MfaSweep:
    """Minimal persistent re-solve on mfa's own solve path (benchmarks only).

    Like the highspy variant, it keeps the ``Highs`` object mfa's solve path created (and
    left solved, with its basis) and changes the bounds of the balance rows that carry a
    demand, found by their place in the LP (``Solution.layout``).
    """

    def __init__(self, built: Any, sol: Any, h: Any) -> None:
        self.h = h
        keys = sorted(built.index.demand)
        const = built.terms.balance_constant
        self.rows = sol.layout.rows("balance", keys).astype(np.int32)
        self.constant = np.array([const.get(k, 0.0) for k in keys])

    def one(self, demand: Any) -> float:
        rhs = demand - self.constant
        self.h.changeRowsBounds(len(self.rows), self.rows, rhs, rhs)
        self.h.run()
        self.h.getSolution()
        return float(self.h.getInfo().objective_function_value)


def sweep_warm(variant: str, data: Any, n: int) -> dict:
    """Cold build + solve keeping the solver, then ``n`` warm re-solves."""
    from benchmarks.prepare import scenario_demand

    cold, (h, index, one) = COLD[variant](data, keep=True)
    for k, v in WARM.items():
        h.setOptionValue(k, v)
    times, objs = [], []
    for i in range(n):
        d = scenario_demand(index, i)
        t = now()
        objs.append(one(d))
        times.append(now() - t)
    first = sum(cold[p] for p in ("build", "handover", "solve", "extract"))
    return {"first": first, "cold": cold, "times": times, "objectives": objs}


def sweep_rebuild(variant: str, data: Any, n: int) -> dict:
    from benchmarks.prepare import scenario_data
    from mfa.model.index import build_index

    index = build_index(data)
    times, objs = [], []
    for i in range(n):
        d = scenario_data(data, index, i)
        t = now()
        r, _ = COLD[variant](d)
        times.append(now() - t)
        objs.append(r["objective"])
    return {"times": times, "objectives": objs}


def worker(args: argparse.Namespace) -> None:
    import gc

    import mfa
    from mfa.api import validate

    if args.variant == "linopy":
        import benchmarks.linopy_model
    elif args.variant == "highspy":
        import benchmarks.highspy_model  # noqa: F401
    else:
        import mfa.model.build
        import mfa.results
        import mfa.solve  # noqa: F401
    data = validate(args.model, args.scenario)
    gc.collect()
    if args.mode == "cold":
        out, _ = COLD[args.variant](data)
    elif args.mode == "warm":
        out = sweep_warm(args.variant, data, args.n)
    else:
        out = sweep_rebuild(args.variant, data, args.n)
    out["peak_rss_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(out))


# ----------------------------------------------------------------------------------------------
# orchestration
# ----------------------------------------------------------------------------------------------


def spawn(
    variant: str,
    mode: str,
    model: Path,
    n: int = 0,
    scenario: str | None = None,
    timeout: float = 3600,
) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "worker",
        "--variant",
        variant,
        "--mode",
        mode,
        "--model",
        str(model),
        "--n",
        str(n),
    ]
    if scenario:
        cmd += ["--scenario", scenario]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = now()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout, check=False
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            out = json.loads(line[7:])
            out["wall"] = now() - t
            return out
    raise RuntimeError(f"{variant}/{mode} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


PLAN = {
    # repeats of the cold run, warm sweep scenarios, rebuild sweep scenarios
    "tiny": {"repeats": 1, "warm": 3, "rebuild": 2},
    "small": {"repeats": 3, "warm": N_SCENARIOS, "rebuild": N_SCENARIOS},
    "medium": {"repeats": 3, "warm": N_SCENARIOS, "rebuild": 5},
    # large: one process per variant does the cold run (timed as such) and then the warm
    # sweep, to fit the whole benchmark in ~25 min on 2 cores; rebuild is projected
    "large": {"repeats": 0, "warm": 5, "rebuild": 0},
    "canada_korea": {"repeats": 3, "warm": N_SCENARIOS, "rebuild": N_SCENARIOS},
}


LOADS: list[float] = []


def log(msg: str) -> None:
    LOADS.append(os.getloadavg()[0])
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run_size(name: str, model: Path, plan: dict, scenario: str | None = None) -> dict:
    res: dict[str, Any] = {"model": str(model), "plan": plan, "cold": {v: [] for v in VARIANTS}}
    for rep in range(plan["repeats"]):
        for v in VARIANTS:
            r = spawn(v, "cold", model, scenario=scenario)
            res["cold"][v].append(r)
            log(
                f"{name} cold {v} #{rep + 1}: build {r['build']:.3f} hand-over "
                f"{r['handover']:.3f} solve {r['solve']:.3f} extract {r['extract']:.3f} "
                f"obj {r['objective']:.10g} rss {r['peak_rss_mb']:.0f} MB"
            )
    res["sweep"] = {}
    for mode in ("warm", "rebuild"):
        if not plan[mode]:
            continue
        for v in VARIANTS:
            r = spawn(v, mode, model, n=plan[mode], scenario=scenario)
            res["sweep"][f"{v}_{mode}"] = r
            log(
                f"{name} sweep {v} {mode}: median {median(r['times']):.3f} s/scenario "
                f"({len(r['times'])} scenarios)"
            )
            if mode == "warm" and not plan["repeats"]:
                cold = {**r["cold"], "peak_rss_mb": r["peak_rss_mb"], "from_warm": True}
                res["cold"][v].append(cold)
                log(
                    f"{name} cold {v} (in the warm process): build {cold['build']:.3f} "
                    f"hand-over {cold['handover']:.3f} solve {cold['solve']:.3f} extract "
                    f"{cold['extract']:.3f} obj {cold['objective']:.10g}"
                )
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = ap.add_subparsers(dest="cmd")
    w = sub.add_parser("worker")
    w.add_argument("--variant", choices=VARIANTS, required=True)
    w.add_argument("--mode", choices=("cold", "warm", "rebuild"), required=True)
    w.add_argument("--model", required=True)
    w.add_argument("--scenario", default=None)
    w.add_argument("--n", type=int, default=0)
    ap.add_argument(
        "--sizes",
        default="canada_korea,small,medium,large",
        help="comma-separated subset of canada_korea,tiny,small,medium,large",
    )
    ap.add_argument("--repeats", type=int, default=None, help="override cold repeats")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--json", default=str(HERE / "results.json"))
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite RESULTS.md and scaling.png from the saved --json, no runs",
    )
    args = ap.parse_args(argv)
    if args.cmd == "worker":
        worker(args)
        return
    from benchmarks import report

    if args.report_only:
        saved = json.loads(Path(args.json).read_text(encoding="utf-8"))
        report.write(saved, Path(args.out))
        return

    from benchmarks.synthetic import SIZES, write_model

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "sizes": {},
        "notes": [],
    }
    tmp = Path(tempfile.mkdtemp(prefix="mfa-bench-"))
    t_all = now()
    for name in sizes:
        plan = dict(PLAN[name])
        if args.repeats is not None:
            plan["repeats"] = args.repeats
        scenario = None
        if name == "canada_korea":
            model = ROOT / "models" / "canada_korea.yaml"
            note = _default_model_problem(model)
            if note:
                results["notes"].append(f"canada_korea skipped: {note}")
                log(f"canada_korea skipped: {note}")
                continue
            # the default model uses families the benchmark formulations do not cover
            # (stock, stockpile, supply, partnership, environment): time mfa alone on it
            r = spawn("mfa", "cold", model)
            results["default_model"] = r
            log(
                f"canada_korea mfa only: build {r['build']:.3f} hand-over {r['handover']:.3f} "
                f"solve {r['solve']:.3f} extract {r['extract']:.3f} ({r['n_cols']} columns)"
            )
            continue
        model = write_model(tmp / name, SIZES[name], name=f"synthetic_{name}")
        log(f"size {name}: {model}")
        results["sizes"][name] = run_size(name, model, plan, scenario)
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    results["total_s"] = now() - t_all
    results["loadavg"] = f"{min(LOADS):.1f}-{max(LOADS):.1f} (median {median(LOADS):.1f})"
    Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    report.write(results, Path(args.out))
    log(f"wrote {args.out} in {results['total_s']:.0f} s")


def _default_model_problem(model: Path) -> str | None:
    """Why the default model cannot be benchmarked, or ``None`` when it validates."""
    if not model.is_file():
        return f"{model.relative_to(ROOT)} does not exist yet"
    try:
        from mfa.api import validate

        validate(model)
    except Exception as err:
        return (
            f"{model.relative_to(ROOT)} does not validate ({type(err).__name__}: "
            f"{str(err).splitlines()[0][:200]})"
        )
    return None


if __name__ == "__main__":
    main()
