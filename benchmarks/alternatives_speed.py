"""Time per near-optimal solve and the speed-up of ``mfa alternatives`` on the available cores.

Runs the default model's reference scenario with a subset of its aggregates, once in this
process (``workers=0``) and once on a local Dask cluster with one worker per core; then,
on one compiled model, compares the two warm starts of a direction's later slacks (the
cost-optimal basis with the primal simplex, as ``mfa alternatives`` does, against the
previous slack's basis with the dual simplex). Writes ``benchmarks/alternatives_speed.json``
and ``benchmarks/ALTERNATIVES.md``.

Usage::

    python -m benchmarks.alternatives_speed [--aggregates A B ...] [--slacks 0.01 0.05]
                                            [--workers K]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from pathlib import Path
from time import perf_counter

import mfa
from mfa.config import load_model

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "canada_korea.yaml"
HERE = Path(__file__).resolve().parent


DEFAULT_NAMES = ["ca_mining_Li", "kr_imports_from_CN", "emissions_CA_KR"]
"""Aggregates timed by default: a mining, an import and an emission aggregate."""


def _subset_model(folder: Path, names: list[str]) -> Path:
    """The default model with only the aggregates ``names``."""
    spec = load_model(MODEL).alternatives.aggregates
    chosen = {n: spec[n].model_dump(exclude_none=True) for n in names}
    return mfa.extend_model(
        MODEL,
        folder / "model.yaml",
        replace=("alternatives.aggregates",),
        alternatives={"aggregates": chosen},
    )


def measure(names: list[str], slacks: list[float], workers: int) -> dict:
    """Run serially and on ``workers`` Dask workers; return the timings."""
    with tempfile.TemporaryDirectory() as tmp:
        model = _subset_model(Path(tmp), names)
        runs = {}
        for label, w in (("serial", 0), ("dask", workers)):
            start = perf_counter()
            result = mfa.alternatives(
                model,
                "reference",
                slacks=slacks,
                random_directions=0,
                workers=w,
                save_solutions=False,
                figures=False,
            )
            wall = perf_counter() - start
            pts = result.points
            moved = pts[pts["kind"] != "optimum"]
            first = moved[moved["slack"] == min(slacks)]
            later = moved[moved["slack"] != min(slacks)]
            runs[label] = {
                "workers": w,
                "wall_s": wall,
                "points": len(moved),
                "not_optimal": int((moved["status"] != "optimal").sum()),
                "setup_s_total": float(pts["setup_seconds"].fillna(0).sum()),
                "solve_s_total": float(moved["seconds"].sum()),
                "solve_s_mean_first_slack": float(first["seconds"].mean()),
                "solve_s_mean_later_slacks": float(later["seconds"].mean()) if len(later) else None,
                "iterations_mean_first_slack": float(first["iterations"].mean()),
                "iterations_mean_later_slacks": float(later["iterations"].mean())
                if len(later)
                else None,
                "ranges": result.ranges.to_dict(orient="records"),
            }
        runs["speedup"] = runs["serial"]["wall_s"] / runs["dask"]["wall_s"]
        runs["aggregates"] = names
        runs["slacks"] = slacks
        runs["cores"] = os.cpu_count()
        runs["machine"] = platform.platform()
        return runs


def compare_starts(names: list[str], slacks: list[float]) -> list[dict]:
    """HiGHS time and iterations per slack of each min/max direction, both warm starts."""
    from mfa.mga import NearOptimal

    cfg = load_model(MODEL, "reference")
    spec = cfg.alternatives.aggregates
    engine = NearOptimal(mfa.load_data(cfg), {n: spec[n] for n in names})
    rows = []
    for name in names:
        for sense, sign in (("min", 1.0), ("max", -1.0)):
            objective = engine.direction({name: sign})
            for chain in (False, True):
                for p in engine.explore(objective, slacks, keep_x=False, chain=chain):
                    rows.append(
                        {
                            "aggregate": name,
                            "sense": sense,
                            "start": "previous slack, dual" if chain else "cost basis, primal",
                            "slack": p.slack,
                            "status": p.status,
                            "seconds": p.seconds,
                            "iterations": p.iterations,
                        }
                    )
    return rows


def report(res: dict) -> str:
    """The markdown summary of a measurement."""
    s, d = res["serial"], res["dask"]
    lines = [
        "# Near-optimal alternatives: time per solve and speed-up",
        "",
        f"Default model, reference scenario, aggregates {', '.join(res['aggregates'])} (min "
        f"and max of each), slacks {res['slacks']}, no random directions: {s['points']} "
        f"near-optimal solves. Machine: {res['machine']}, {res['cores']} cores (shared "
        "with other jobs when measured, so timings are upper bounds). Written by "
        "`python -m benchmarks.alternatives_speed`.",
        "",
        f"| | serial (`workers=0`) | Dask, {d['workers']} workers |",
        "|---|---:|---:|",
        f"| wall time (s) | {s['wall_s']:.1f} | {d['wall_s']:.1f} |",
        f"| setup: build, compile, first solve (s, summed over processes) | "
        f"{s['setup_s_total']:.1f} | {d['setup_s_total']:.1f} |",
        f"| mean HiGHS time, first slack of a direction (s) | "
        f"{s['solve_s_mean_first_slack']:.2f} | {d['solve_s_mean_first_slack']:.2f} |",
        f"| mean simplex iterations, first slack | {s['iterations_mean_first_slack']:.0f} | "
        f"{d['iterations_mean_first_slack']:.0f} |",
    ]
    if s["solve_s_mean_later_slacks"] is not None:
        lines += [
            f"| mean HiGHS time, each further slack (s) | "
            f"{s['solve_s_mean_later_slacks']:.2f} | {d['solve_s_mean_later_slacks']:.2f} |",
            f"| mean simplex iterations, further slacks | "
            f"{s['iterations_mean_later_slacks']:.0f} | "
            f"{d['iterations_mean_later_slacks']:.0f} |",
        ]
    lines += [
        f"| points not optimal | {s['not_optimal']} | {d['not_optimal']} |",
        "",
        f"Speed-up on {d['workers']} workers: **{res['speedup']:.2f}x**. Each worker "
        "process builds, compiles and solves the model once before its first direction: "
        f"{d['setup_s_total']:.1f} s of setup summed over the processes against "
        f"{d['solve_s_total']:.1f} s of near-optimal re-solves, so on this machine the "
        "parallel run pays only when each worker gets many directions (and free cores).",
        "",
    ]
    starts = res.get("starts")
    if starts:
        import pandas as pd

        t = pd.DataFrame(starts)
        first = min(t["slack"])
        later = t[t["slack"] != first]
        g = later.groupby("start").agg(
            solves=("seconds", "size"), seconds=("seconds", "sum"), iterations=("iterations", "sum")
        )
        lines += [
            "## Warm start of a direction's later slacks",
            "",
            f"Same directions, slacks after the first ({first:g}) only, one compiled model in "
            "one process:",
            "",
            "| start | solves | HiGHS time (s) | simplex iterations |",
            "|---|---:|---:|---:|",
        ]
        for start, row in g.iterrows():
            lines.append(
                f"| {start} | {row['solves']} | {row['seconds']:.1f} | {row['iterations']:.0f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--aggregates", nargs="+", default=DEFAULT_NAMES)
    parser.add_argument("--slacks", type=float, nargs="+", default=[0.01, 0.05])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--report-only", action="store_true", help="re-render the markdown from the JSON"
    )
    args = parser.parse_args()
    path = HERE / "alternatives_speed.json"
    if args.report_only:
        res = json.loads(path.read_text(encoding="utf-8"))
    else:
        res = measure(args.aggregates, args.slacks, args.workers)
        res["starts"] = compare_starts(args.aggregates, args.slacks)
        path.write_text(json.dumps(res, indent=1), encoding="utf-8")
    (HERE / "ALTERNATIVES.md").write_text(report(res), encoding="utf-8")
    print(report(res))


if __name__ == "__main__":
    main()
