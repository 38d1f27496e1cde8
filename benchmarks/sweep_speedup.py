"""Persistent re-solve vs rebuild per sample, on the default model.

Usage::

    python -m benchmarks.sweep_speedup [--model models/canada_korea.yaml] [--samples 8]
        [--repeats 3] [--rebuilds 4] [--json out.json] [--before before.json]

For the same Monte Carlo draws (seeded), each sample is solved

* by a rebuild: build the Pyomo model, one-shot hand-off to HiGHS (standard-form
  compiler + highspy), cold solve with the model's options, extract the tables and
  check them (what ``mfa.run`` does, without its full reporting tables);
* by the persistent re-solver (:class:`mfa.sweep.Resolver`): set the mutable
  ``Param`` values, push the recorded ``Param``-dependent numbers into the live ``Highs``
  object, restore the base basis, warm dual simplex, extract and check.

and, interleaved with mfa's re-solves, by raw highspy (:class:`RawHighs`): the same
changes made by hand in a ``Highs`` object loaded with the same LP. The samples are solved
``--repeats`` times in turn (each re-solve changes the LP from the previous sample's, as in
a sweep); times are medians over samples and repeats, in wall time and in CPU time of the
process. The objectives agree (checked to 1e-6 relative, the largest difference reported).
Prints a table and appends it to ``benchmarks/SWEEP.md``; ``--json`` also writes the
numbers, and ``--before`` puts the per-sample times of another run (the same script on
the code before a change) next to this run's. When the model file has no ``uncertainty``
section, the uncertainty below (:data:`DEFAULT_UNCERTAINTY`) is added in a temporary copy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

import mfa
from mfa.model.build import build_model
from mfa.solve import make_highs
from mfa.standard_form import compile_lp
from mfa.sweep import Resolver, apply_draw, monte_carlo

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_UNCERTAINTY = """
uncertainty:
  seed: 2025
  parameters:
    demand_kr: {table: demand, where: {region: KR}, distribution: triangular,
                low: 0.8, mode: 1.0, high: 1.3}
    demand_ca: {table: demand, where: {region: CA}, distribution: triangular,
                low: 0.8, mode: 1.0, high: 1.3}
    operating_cost: {table: variable_cost, distribution: normal, mean: 1.0, std: 0.15}
    capacity: {table: capacity, distribution: uniform, low: 0.85, high: 1.1}
    freight: {table: trade_cost, distribution: lognormal, mean: 1.0, std: 0.2}
    investment: {table: investment_cost, distribution: normal, mean: 1.0, std: 0.2}
"""
"""Used when the model file has none: demand in KR and CA, operating and investment cost,
capacity and freight."""


def sweep_model(model: Path, folder: Path) -> Path:
    """``model`` itself when it has an ``uncertainty`` section, else a copy with one."""
    cfg = mfa.load_model(model)
    if cfg.uncertainty.parameters:
        return model
    text = model.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("data:"):
            line = f"data: {cfg.data}\nallow_external_paths: true"
        lines.append(line)
    out = folder / model.name
    out.write_text("\n".join(lines) + "\n" + DEFAULT_UNCERTAINTY, encoding="utf-8")
    return out


@dataclass
class Changes:
    """What differs between two LPs of the same shape (the new values at those places)."""

    entries: list[tuple[int, int, float]]
    rows: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    cols: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    cost_cols: np.ndarray
    costs: np.ndarray
    offset: float | None


class RawHighs:
    """The warm re-solve written by hand in highspy: a ``Highs`` object loaded with the base
    LP. The LP of every draw (:func:`draw_lps`) is compared with the LP the object holds
    beforehand (not timed); a re-solve passes what differs -- each changed matrix entry
    (``changeCoeff``), the changed row bounds, column bounds and costs (one call each, for the
    changed rows or columns only), the offset --, restores the base basis and runs the dual
    simplex: the same changes as mfa's re-solve, with nothing to evaluate."""

    def __init__(self, lp: highspy.HighsLp, solver: Any) -> None:
        self.h = hand_over_lp(lp, solver)
        self.h.run()
        self.basis = self.h.getBasis()
        self.h.setOptionValue("solver", "simplex")
        self.held = lp

    def changes(self, lp: highspy.HighsLp) -> Changes:
        """What a re-solve for ``lp`` passes, after the LPs passed so far."""
        old, self.held = self.held, lp
        a, b = _matrix(old), _matrix(lp)
        assert a.shape == b.shape, "the draw's LP has other rows or columns"
        diff = (a != b).tocoo()
        values = np.asarray(b[diff.row, diff.col]).ravel() if diff.nnz else np.zeros(0)
        entries = list(zip(diff.row.tolist(), diff.col.tolist(), values.tolist(), strict=True))
        lo, hi = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
        rows = np.flatnonzero(
            (lo != np.asarray(old.row_lower_)) | (hi != np.asarray(old.row_upper_))
        )
        c_lo, c_hi = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
        cols = np.flatnonzero(
            (c_lo != np.asarray(old.col_lower_)) | (c_hi != np.asarray(old.col_upper_))
        )
        cost = np.asarray(lp.col_cost_)
        cost_cols = np.flatnonzero(cost != np.asarray(old.col_cost_))
        return Changes(
            entries,
            rows.astype(np.int32),
            lo[rows],
            hi[rows],
            cols.astype(np.int32),
            c_lo[cols],
            c_hi[cols],
            cost_cols.astype(np.int32),
            cost[cost_cols],
            None if lp.offset_ == old.offset_ else float(lp.offset_),
        )

    def resolve(self, c: Changes) -> tuple[float, float, float | None]:
        """Wall and CPU seconds of the re-solve, and its objective (``None`` when HiGHS did
        not end optimal: such a re-solve is counted and left out of the comparison)."""
        h = self.h
        start, cpu = perf_counter(), process_time()
        for i, j, v in c.entries:
            h.changeCoeff(i, j, v)
        if len(c.rows):
            h.changeRowsBounds(len(c.rows), c.rows, c.row_lower, c.row_upper)
        if len(c.cols):
            h.changeColsBounds(len(c.cols), c.cols, c.col_lower, c.col_upper)
        if len(c.cost_cols):
            h.changeColsCost(len(c.cost_cols), c.cost_cols, c.costs)
        if c.offset is not None:
            h.changeObjectiveOffset(c.offset)
        h.setBasis(self.basis)
        h.run()
        wall, cpu = perf_counter() - start, process_time() - cpu
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            h.clearSolver()  # start the next sample from the base basis on a clean slate
            return wall, cpu, None
        return wall, cpu, h.getInfo().objective_function_value


def hand_over_lp(lp: highspy.HighsLp, solver: Any) -> highspy.Highs:
    h = make_highs(solver)
    h.passModel(lp)
    return h


def _matrix(lp: highspy.HighsLp) -> sp.csc_matrix:
    a = lp.a_matrix_
    assert a.format_ == highspy.MatrixFormat.kColwise
    return sp.csc_matrix(
        (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)),
        shape=(lp.num_row_, lp.num_col_),
    )


def _draw_lp(twin: Any, data: Any, mutable: list[str]) -> highspy.HighsLp:
    """The LP of a draw with the structure of the base model: the draw's values set in a
    second model built like the re-solver's, unmet demand bounded by the new demand, compiled
    from scratch."""
    for t in mutable:
        twin.values.set(t, data.param(t))
    demand = data.param("demand")
    for c, r, t in twin.index.unmet:
        twin.model.unmet[c, r, t].setub(float(demand.get((r, c, t), 0.0)))
    return compile_lp(twin.model).lp


def draw_lps(
    data: Any, mutable: list[str], draws: list
) -> tuple[highspy.HighsLp, list[highspy.HighsLp]]:
    """The base LP and each draw's LP with the numbers mfa's re-solve passes to HiGHS.

    mfa evaluates its record of ``Param``-dependent numbers as sparse products, which can
    differ from a fresh compile's sums in the last bit; a different last bit can send the
    dual simplex down another path (a few hundred more or fewer iterations). So that both
    re-solves do the same simplex work, raw highspy gets mfa's numbers: a second model's
    record is pushed into a scratch ``Highs`` object (not timed) and its LP read back, after
    checking it against a fresh compile of the draw (to 1e-12 relative; matrix entries to
    1e-9 absolute, below which HiGHS drops them).
    """
    twin = build_model(data, mutable=mutable)  # same rows and columns as the re-solver's
    form = compile_lp(twin.model)
    assert form.parametric is not None
    scratch = hand_over_lp(form.lp, data.config.solver)
    form.parametric.push(scratch)
    base = scratch.getLp()
    lps = []
    for d in draws:
        fresh = _draw_lp(twin, d, mutable)
        form.parametric.push(scratch)
        n = fresh.num_col_
        # column bounds are plain numbers (unmet demand's follow the demand)
        scratch.changeColsBounds(
            n, np.arange(n, dtype=np.int32), np.asarray(fresh.col_lower_), fresh.col_upper_
        )
        lp = scratch.getLp()
        for name in ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_"):
            np.testing.assert_allclose(getattr(lp, name), getattr(fresh, name), rtol=1e-12)
        a, b = _matrix(lp), _matrix(fresh)
        at = (abs(a) + abs(b)).tocoo()
        np.testing.assert_allclose(  # a sum that cancels may leave 1e-10 or 0: HiGHS drops
            np.asarray(a[at.row, at.col]).ravel(),  # entries below 1e-9 (small_matrix_value)
            np.asarray(b[at.row, at.col]).ravel(),
            rtol=1e-12,
            atol=1e-9,
        )
        lps.append(lp)
    return base, lps


def measure(model: Path, scenario: str | None, samples: int, repeats: int, rebuilds: int) -> dict:
    """Time set-up, mfa's and raw highspy's warm re-solves (interleaved, sample by sample,
    ``repeats`` passes over the samples), the persistent sweep's time per sample and
    ``rebuilds`` rebuilds."""
    load_start = os.getloadavg()
    data = mfa.validate(model, scenario)
    params = data.config.uncertainty.parameters
    tables = {p.table for p in params.values() if p.distribution != "choice"}
    seed = data.config.uncertainty.seed
    draws = [apply_draw(data, monte_carlo(params, seed, i)) for i in range(samples)]

    start = perf_counter()
    resolver = Resolver(data, tables)
    setup = perf_counter() - start
    base, lps = draw_lps(data, resolver.mutable, draws)
    raw = RawHighs(base, data.config.solver)
    order = [i for _ in range(repeats) for i in range(samples)]
    changes = [raw.changes(lps[i]) for i in order]
    del lps
    keys = ("mfa_wall", "mfa_cpu", "raw_wall", "raw_cpu", "sample_wall", "sample_cpu")
    times: dict[str, list[list[float]]] = {k: [[] for _ in range(samples)] for k in keys}
    objectives = [0.0] * samples
    raw_failed, worst_raw = 0, 0.0
    for n, (i, c) in enumerate(zip(order, changes, strict=True)):
        if n % 2:  # alternate which of the two goes first
            raw_out = raw.resolve(c)
        cpu = process_time()
        out = resolver.solve(draws[i])
        sample_cpu = process_time() - cpu
        if not n % 2:
            raw_out = raw.resolve(c)
        assert out.status == "optimal" and out.mode == "persistent", out.reason
        objectives[i] = out.objective
        times["sample_wall"][i].append(out.seconds)
        times["sample_cpu"][i].append(sample_cpu)
        wall, cpu, objective = raw_out
        if objective is None:
            raw_failed += 1
            continue
        worst_raw = max(worst_raw, abs(objective - out.objective) / max(1.0, abs(objective)))
        times["raw_wall"][i].append(wall)
        times["raw_cpu"][i].append(cpu)
        times["mfa_wall"][i].append(out.resolve_seconds)
        times["mfa_cpu"][i].append(getattr(out, "resolve_cpu_seconds", float("nan")))
    assert worst_raw <= 1e-6, f"mfa and raw highspy disagree: {worst_raw:.1e}"
    rebuild, worst = [], 0.0
    for d, obj in list(zip(draws, objectives, strict=True))[:rebuilds]:
        out = resolver.solve(d, rebuild=True)
        assert out.status == "optimal", out.reason
        rebuild.append(out.seconds)
        worst = max(worst, abs(out.objective - obj) / max(1.0, abs(obj)))
    per_sample = {k: [statistics.median(v) for v in vs if v] for k, vs in times.items()}
    ratios = {
        kind: [
            statistics.median(m) / statistics.median(r)
            for m, r in zip(times[f"mfa_{kind}"], times[f"raw_{kind}"], strict=True)
            if m and r
        ]
        for kind in ("wall", "cpu")
    }
    return {
        "model": str(model),
        "scenario": scenario,
        "samples": samples,
        "repeats": repeats,
        "n_variables": resolver.form.lp.num_col_,
        "n_constraints": resolver.form.lp.num_row_,
        "setup_s": setup,
        **{k: statistics.median(v) if v else float("nan") for k, v in per_sample.items()},
        **{f"ratio_{k}": statistics.median(v) if v else float("nan") for k, v in ratios.items()},
        "raw_failed": raw_failed,
        "max_rel_diff_raw": worst_raw,
        "load_start": load_start,
        "load": os.getloadavg(),
        "rebuild_s": statistics.median(rebuild) if rebuild else float("nan"),
        "rebuilds": len(rebuild),
        "max_rel_diff": worst,
        "tables": sorted(tables),
        "mutable": resolver.mutable,
    }


def report(r: dict, before: dict | None = None) -> str:
    """Markdown section for ``benchmarks/SWEEP.md`` (``before``: the same script's numbers
    on the code before a change)."""
    n, k = r["samples"], r["repeats"]

    def loads(x: list[float]) -> str:
        return ", ".join(f"{v:.1f}" for v in x)

    def row(label: str, key: str, fmt: str = "{:.3f}") -> str:
        cells = [fmt.format(r[f"{key}_wall"]), fmt.format(r[f"{key}_cpu"])]
        return f"| {label} | {' | '.join(cells)} |"

    lines = [
        f"### {r['model']} ({r['scenario'] or 'base'}), {date.today().isoformat()}: "
        "warm re-solve against raw highspy",
        "",
        f"{r['n_variables']:,} variables, {r['n_constraints']:,} rows; {n} Monte Carlo samples "
        f"changing {', '.join(r['tables'])} (mutable: {', '.join(r['mutable'])}), solved "
        f"{k} times each in turn; Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average (1, 5, 15 min) {loads(r['load_start'])} at the "
        f"start and {loads(r['load'])} at the end. Medians over samples of each sample's "
        "median over the passes.",
        "",
        "| per sample | wall (s) | CPU (s) |",
        "|---|---|---|",
        row("raw highspy: the changes by hand, base basis, dual simplex", "raw"),
        row("mfa: new values into the model and its Param vector, push, basis, simplex", "mfa"),
        f"| **mfa / raw** (median of the samples' ratios; target 1.10) | "
        f"**{r['ratio_wall']:.2f}x** | **{r['ratio_cpu']:.2f}x** |",
    ]
    if before is not None:
        lines.append(
            f"| mfa / raw before the change | {before['ratio_wall']:.2f}x | "
            f"{before['ratio_cpu']:.2f}x |"
            if not np.isnan(before["ratio_cpu"])
            else f"| mfa / raw before the change | {before['ratio_wall']:.2f}x | - |"
        )
        lines.append(
            f"| sweep per sample before (re-solve + extract + check; load "
            f"{loads(before['load_start'])} / {loads(before['load'])}) | "
            f"{before['sample_wall']:.3f} | {before['sample_cpu']:.3f} |"
        )
    lines += [
        row("sweep per sample (re-solve + index lookups + extract + check)", "sample"),
        "",
        f"Raw highspy's warm dual simplex ended without an optimum in {r['raw_failed']} of "
        f"{n * k} re-solves (left out of the ratio). Largest relative objective difference, "
        f"mfa against raw highspy: {r['max_rel_diff_raw']:.1e}; against a rebuild (build, "
        f"compile, cold solve; {r['rebuilds']} samples, median {r['rebuild_s']:.3f} s): "
        f"{r['max_rel_diff']:.1e}. One-off set-up (build + hand-off + cold solve): "
        f"{r['setup_s']:.2f} s.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "canada_korea.yaml"))
    parser.add_argument("--scenario", default="reference")
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rebuilds", type=int, default=4, help="samples also rebuilt")
    parser.add_argument("--json", help="also write the numbers here")
    parser.add_argument("--before", help="numbers (--json) of a run on the code before")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = sweep_model(Path(args.model), Path(tmp))
        scenario = args.scenario or None  # --scenario "": the model file as it is
        result = measure(model, scenario, args.samples, args.repeats, args.rebuilds)
    result["model"] = (
        str(Path(args.model).relative_to(ROOT))
        if Path(args.model).resolve().is_relative_to(ROOT)
        else args.model
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    before = json.loads(Path(args.before).read_text(encoding="utf-8")) if args.before else None
    text = report(result, before)
    print(text)
    if not args.no_write:
        path = ROOT / "benchmarks" / "SWEEP.md"
        with path.open("a", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
