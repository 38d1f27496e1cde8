"""Dual simplex against the interior-point method (with crossover) on the same LPs.

Usage::

    python -m benchmarks.algorithm [--scenarios reference,net_zero] [--sizes small,medium]
                                   [--repeats 2] [--no-write]

Each LP (a scenario of the default model, or a synthetic benchmark size of
:mod:`benchmarks.synthetic`) is built and compiled once; then HiGHS solves it with
``solver=simplex`` and with ``solver=ipm, run_crossover=on`` (``threads=1``, the model's other
options dropped), alternately, ``repeats`` times each, every solve in a fresh ``Highs`` object.
The medians, the objectives (which must agree to 1e-9 relative) and the machine's load average
are appended to ``benchmarks/ALGORITHM.md``; :func:`mfa.solve.choose_method` is the rule drawn
from them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter

import highspy

import mfa
from mfa.config import Solver
from mfa.model.build import build_model
from mfa.solve import choose_method, make_highs, run_highs
from mfa.standard_form import compile_lp

ROOT = Path(__file__).resolve().parents[1]
METHODS = {
    "simplex": {"solver": "simplex"},
    "ipm": {"solver": "ipm", "run_crossover": "on"},
}


def time_methods(lp: highspy.HighsLp, repeats: int) -> dict[str, dict[str, float]]:
    """Median seconds of ``Highs.run()`` and the objective for each method."""
    seconds: dict[str, list[float]] = {m: [] for m in METHODS}
    objective: dict[str, float] = {}
    for _ in range(repeats):
        for method, options in METHODS.items():
            h = make_highs(Solver(options=dict(options)))
            h.passModel(lp)
            start = perf_counter()
            run_highs(h)
            seconds[method].append(perf_counter() - start)
            assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, method
            objective[method] = h.getInfo().objective_function_value
    gap = abs(objective["simplex"] - objective["ipm"]) / max(1.0, abs(objective["simplex"]))
    return {
        **{m: {"median_s": statistics.median(s), "runs": len(s)} for m, s in seconds.items()},
        "objective_rel_diff": {"value": gap},
    }


def measure(name: str, model: Path, scenario: str | None, repeats: int) -> dict:
    data = mfa.validate(model, scenario)
    lp = compile_lp(build_model(data).model).lp
    times = time_methods(lp, repeats)
    nnz = len(lp.a_matrix_.value_)
    return {
        "name": name,
        "cols": lp.num_col_,
        "rows": lp.num_row_,
        "nnz": nnz,
        "simplex_s": times["simplex"]["median_s"],
        "ipm_s": times["ipm"]["median_s"],
        "repeats": repeats,
        "rel_diff": times["objective_rel_diff"]["value"],
        "rule": choose_method(lp.num_row_, lp.num_col_, nnz),
        "load": os.getloadavg(),
    }


def report(rows: list[dict]) -> str:
    lines = [
        f"### {date.today().isoformat()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores",
        "",
        "| LP | columns | rows | non-zeros | simplex (s) | IPM + crossover (s) | "
        "IPM / simplex | objective rel. diff | rule picks | load (1 min) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['cols']:,} | {r['rows']:,} | {r['nnz']:,} | "
            f"{r['simplex_s']:.3f} | {r['ipm_s']:.3f} | {r['ipm_s'] / r['simplex_s']:.2f} | "
            f"{r['rel_diff']:.1e} | {r['rule']} | {r['load'][0]:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "canada_korea.yaml"))
    parser.add_argument("--scenarios", default="reference,partnership,supply_shock,net_zero")
    parser.add_argument("--sizes", default="small,medium")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    from benchmarks.synthetic import SIZES, write_model

    rows = []
    for scenario in [s for s in args.scenarios.split(",") if s]:
        rows.append(measure(f"default model, {scenario}", Path(args.model), scenario, args.repeats))
        print(rows[-1], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for size in [s for s in args.sizes.split(",") if s]:
            model = write_model(Path(tmp) / size, SIZES[size], name=f"synthetic_{size}")
            rows.append(measure(f"synthetic {size}", model, None, args.repeats))
            print(rows[-1], flush=True)
    text = report(rows)
    print(text)
    if not args.no_write:
        path = ROOT / "benchmarks" / "ALGORITHM.md"
        head = "" if path.exists() else "# Dual simplex or interior point\n\n" + __doc__ + "\n"
        with path.open("a", encoding="utf-8") as f:
            f.write(head + text + "\n")


if __name__ == "__main__":
    main()
