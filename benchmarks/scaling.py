"""Coefficient ranges of an LP by constraint and variable family, and its solve with and without
HiGHS' objective scaling (:func:`mfa.solve.objective_scale`), on a grid of one table's factor.

Usage::

    python -m benchmarks.scaling [MODEL] [--scenario reference] [--table fixed_cost_share]
                                 [--factors 1.0,1.2] [--repeats 3]

For each factor the model is built with ``table`` scaled by it (an ``adjust`` entry), compiled
once and solved by a fresh ``Highs`` object (the model file's options, ``threads=1``) with
``user_objective_scale`` 0 (no scaling) and with mfa's choice, alternately, ``repeats`` times
each; it prints HiGHS' status, the objective and the median CPU seconds
(``time.process_time``) of each, and the load average. The ranges (smallest and largest
non-zero magnitude) are printed for the first factor. The results and the reproduction of the
failure on earlier data are in ``benchmarks/ALGORITHM.md`` ("Scaling").
"""

from __future__ import annotations

import argparse
import os
import statistics
from collections import defaultdict
from pathlib import Path
from time import process_time

import numpy as np

import mfa
from mfa.config import Adjustment, Solver
from mfa.pipeline import build, data_of
from mfa.solve import hand_over, objective_scale
from mfa.standard_form import StandardForm, compile_lp

ROOT = Path(__file__).resolve().parents[1]


def ranges(form: StandardForm) -> dict[str, dict[str, tuple[float, float]]]:
    """Smallest and largest non-zero magnitude of the matrix by row family and by column
    family, of the costs by column family, and of the row and column bounds."""
    lp = form.lp
    values = np.abs(np.asarray(lp.a_matrix_.value_, dtype=float))
    starts = np.asarray(lp.a_matrix_.start_)
    cols = np.repeat(np.arange(lp.num_col_), np.diff(starts))
    rows = np.asarray(lp.a_matrix_.index_)
    row_family = np.array([r.parent_component().name for r in form.rows])
    col_family = np.array([v.parent_component().name for v in form.columns])
    out: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    for what, family in (("rows", row_family[rows]), ("columns", col_family[cols])):
        for name in np.unique(family):
            part = values[(family == name) & (values > 0)]
            out[what][str(name)] = (float(part.min()), float(part.max()))
    cost = np.abs(np.asarray(lp.col_cost_, dtype=float))
    for name in np.unique(col_family):
        part = cost[(col_family == name) & (cost > 0)]
        if len(part):
            out["costs"][str(name)] = (float(part.min()), float(part.max()))
    for name, arrays in (
        ("rows", (lp.row_lower_, lp.row_upper_)),
        ("columns", (lp.col_lower_, lp.col_upper_)),
    ):
        both = np.abs(np.concatenate([np.asarray(a, dtype=float) for a in arrays]))
        both = both[np.isfinite(both) & (both > 0)]
        out["bounds"][name] = (float(both.min()), float(both.max()))
    return out


def solve(form: StandardForm, solver: Solver, scale: int) -> tuple[str, float, float]:
    """HiGHS' status, objective and CPU seconds of one solve with ``user_objective_scale``."""
    h = hand_over(form, solver)
    h.setOptionValue("user_objective_scale", scale)
    start = process_time()
    h.run()
    seconds = process_time() - start
    return h.modelStatusToString(h.getModelStatus()), h.getInfo().objective_function_value, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", nargs="?", default=str(ROOT / "models" / "canada_korea.yaml"))
    ap.add_argument("--scenario", default="reference")
    ap.add_argument("--table", default="fixed_cost_share")
    ap.add_argument("--factors", default="1.0,1.2")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    base = mfa.load_model(args.model, args.scenario)
    for k, factor in enumerate(float(f) for f in args.factors.split(",")):
        change = Adjustment(table=args.table, where={}, scale=factor)
        data = data_of(base.model_copy(update={"adjust": [*base.adjust, change]}))
        built = build(data)
        form = compile_lp(built.model)
        chosen = objective_scale(np.asarray(form.lp.col_cost_))
        if k == 0:
            for what, found in ranges(form).items():
                for name, (lo, hi) in sorted(found.items(), key=lambda kv: kv[1][0]):
                    print(f"{what:8s} {name:28s} {lo:9.2e} {hi:9.2e}")
        runs: dict[int, list[tuple[str, float, float]]] = {0: [], chosen: []}
        for _ in range(args.repeats):
            for scale in runs:
                runs[scale].append(solve(form, data.config.solver, scale))
        for scale, got in runs.items():
            statuses = sorted({s for s, _, _ in got})
            median = statistics.median(s for _, _, s in got)
            print(
                f"{args.table} x{factor:g}  user_objective_scale {scale:4d}: {'/'.join(statuses)}"
                f"  objective {got[-1][1]:.12e}  median CPU {median:.3f} s"
            )
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
