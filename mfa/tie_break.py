r"""Tie-break: of the optimal solutions, the one that changes least from year to year.

An LP with many optimal vertices returns one of them by the path of the simplex method:
trade and activity may jump between years (an origin's share reverses, a plant runs one
year and idles the next) at no cost difference. On the default model 137 origin shares of
Canada's and Korea's battery minerals reverse by more than 5 points over 2025-2050
(:mod:`mfa.stability`). The tie-break picks, among the (near-)optimal solutions, a smooth one.

Method: a regularised second solve
----------------------------------
After the cost-optimal solve (optimal cost :math:`C^*`, solution :math:`x^*`), the same
``Highs`` object solves

.. math::

    \min_{x,\,u,\,v}\; c^\top x + c_0 + \varepsilon \sum_{(k,t)} (u_{k,t} + v_{k,t})
    \quad\text{s.t.}\quad x_{k,t} - x_{k,t-1} = u_{k,t} - v_{k,t},\quad u, v \ge 0,

plus every row of the model, where :math:`x_{k,t}` runs over the selected families
(``trade``: a route's shipments of a commodity; ``activity``: a process in a region) in
consecutive model years, so that :math:`\sum (u + v)` is the total year-to-year change
:math:`V(x) = \sum |x_{k,t} - x_{k,t-1}|` (in model units: t of element for most
commodities). The weight is

.. math:: \varepsilon = \tau\, |C^*| \,/\, V(x^*)

with :math:`\tau` the tolerance. Since :math:`x^*` is feasible for the second solve, its
solution :math:`\hat x` has :math:`c^\top \hat x + \varepsilon V(\hat x) \le C^* +
\varepsilon V(x^*)`, so the cost of the tie-break is bounded:

.. math:: c^\top \hat x + c_0 - C^* \le \varepsilon\,\bigl(V(x^*) - V(\hat x)\bigr)
          \le \tau\, |C^*|.

Between exactly equal costs (the ties) any :math:`\varepsilon > 0` prefers the smoother
solution; a smoother solution that costs more is taken only where it costs less than
:math:`\varepsilon` per unit of change it saves. The actual cost increase is reported.

The second solve runs on a copy of the ``Highs`` object: a new one with the same options
and the compiled LP, to which the columns :math:`u, v` and one row per pair of years are
added (``addVars``/``addRows``; the model is not rebuilt); the solved object keeps the
model's LP and its optimal basis (changing it in place ran for minutes on the default model:
its solver data belong to the smaller LP). The solve starts from the optimal basis extended
by one basic column per new row (:math:`u` where the series rises, :math:`v` where it
falls, the row's slack where it stays): a feasible basis, close to optimal. The duals
reported stay those of the cost-optimal solve: where the tie-break costs nothing, the
smoothed solution and those duals are an optimal pair of the same LP.

Measured on the default model (33,504 pairs of years): origin-share reversals above 5
points (:mod:`mfa.stability`) 137 before, 4 after on the reference, cost unchanged (relative
difference below 1e-15); the second solve takes about as long as the first (timings and
the variants tried in ``docs/architecture.md``, section "The tie-break").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import highspy
import numpy as np

from mfa.config import TieBreakOptions
from mfa.highs import new_highs
from mfa.model.built import BuiltModel
from mfa.solve import Solution, run_highs
from mfa.standard_form import StandardForm

FAMILIES = ("trade", "activity")
WEIGHT_UNIT = "USD (discounted) per unit of year-to-year change"


@dataclass
class TieBreak:
    """The smoothed solution.

    Attributes
    ----------
    col_value
        Values of the model's columns (the auxiliary columns left out).
    optimum
        The cost-optimal objective :math:`C^*` (first solve).
    cost
        The smoothed solution's cost :math:`c^\\top \\hat x + c_0`.
    weight
        :math:`\\varepsilon`, cost per unit of year-to-year change.
    cost_bound
        :math:`\\varepsilon V(x^*)`: the cost increase cannot exceed it
        (:math:`\\tau |C^*|` unless the weight was given).
    variation_before, variation_after
        :math:`V(x^*)` and :math:`V(\\hat x)`.
    pairs
        Consecutive-year pairs smoothed.
    status
        HiGHS' status of the second solve (``"skipped"`` where there was nothing to
        smooth); when it is not optimal, the cost-optimal solution is kept.
    iterations, seconds
        Simplex iterations and seconds of the second solve.
    row_value
        Activities of the model's rows at ``col_value`` as the second solve computed them
        (``None`` where the cost-optimal solution was kept: its own row values hold).
    """

    col_value: np.ndarray
    optimum: float
    cost: float
    weight: float
    cost_bound: float
    variation_before: float
    variation_after: float
    pairs: int
    status: str
    iterations: int
    seconds: float
    row_value: np.ndarray | None = None

    @property
    def cost_increase(self) -> float:
        """``cost - optimum`` (discounted USD)."""
        return self.cost - self.optimum

    def facts(self, options: TieBreakOptions) -> dict[str, Any]:
        """What ``summary.json`` records of the tie-break."""
        return {
            "method": "regularised second solve",
            "status": self.status,
            "tolerance": options.tolerance,
            "families": list(options.families),
            "iteration_limit": options.iteration_limit,
            "weight": self.weight,
            "weight_unit": WEIGHT_UNIT,
            "first_stage_objective": self.optimum,
            "objective": self.cost,
            "cost_increase": self.cost_increase,
            "relative_cost_increase": self.cost_increase / max(abs(self.optimum), 1e-300),
            "cost_bound": self.cost_bound,
            "variation_before": self.variation_before,
            "variation_after": self.variation_after,
            "pairs": self.pairs,
            "simplex_iterations": self.iterations,
            "seconds": self.seconds,
        }


def year_pairs(
    built: BuiltModel, form: StandardForm, families: Sequence[str] = FAMILIES
) -> tuple[np.ndarray, np.ndarray]:
    """Columns of each series in consecutive years: ``(earlier, later)`` (the years are
    those the family's variables are indexed by; the year is the last index position).

    Raises
    ------
    ValueError
        For a family other than ``trade`` and ``activity``.
    """
    bad = sorted(set(families) - set(FAMILIES))
    if bad:
        raise ValueError(f"unknown tie-break families {bad} (known: {', '.join(FAMILIES)})")
    first, second = [], []
    for family in families:
        keys = built.lp.variables[family].keys
        col = dict(zip(keys, form.layout.columns(family, keys).tolist(), strict=True))
        years = sorted({key[-1] for key in keys})
        previous = {t: years[i - 1] for i, t in enumerate(years) if i}
        for key in keys:
            t = key[-1]
            if t not in previous:
                continue
            prev_key = (*key[:-1], previous[t])
            if prev_key not in col:
                continue
            a, b = col[prev_key], col[key]
            if a >= 0 and b >= 0:
                first.append(a)
                second.append(b)
    return np.array(first, dtype=np.int32), np.array(second, dtype=np.int32)


def variation(x: np.ndarray, earlier: np.ndarray, later: np.ndarray) -> float:
    """:math:`V(x) = \\sum |x_{k,t} - x_{k,t-1}|` over the pairs of columns."""
    return float(np.abs(x[later] - x[earlier]).sum())


def tie_break(
    h: highspy.Highs,
    form: StandardForm,
    built: BuiltModel,
    optimum: float,
    tolerance: float = 1e-6,
    families: Sequence[str] = FAMILIES,
    weight: float | None = None,
    iteration_limit: int | None = None,
) -> TieBreak:
    """Re-solve the LP ``h`` holds (solved to ``optimum``; ``form`` gives its columns, and
    the numbers are read from ``h``, so a sweep's in-place changes are included) for the
    solution of least cost plus ``weight`` times its year-to-year change (see the module
    docstring).

    ``weight`` defaults to :math:`\\tau |C^*| / V(x^*)`; give it to apply the same weight to
    another LP (the frontier's points apply the reference's). ``h`` is not changed: the
    second solve runs on a copy. A second solve stopped by ``iteration_limit`` (simplex
    iterations) keeps the cost-optimal solution, and ``status`` says why.
    """
    lp = h.getLp()
    n = lp.num_col_
    cost = np.asarray(lp.col_cost_, dtype=float)
    x_opt = np.asarray(h.getSolution().col_value, dtype=float)[:n]
    earlier, later = year_pairs(built, form, families)
    k = len(earlier)
    before = variation(x_opt, earlier, later)
    if weight is None:
        weight = tolerance * abs(optimum) / before if before > 0 else 0.0
    if weight <= 0 or before == 0:
        return TieBreak(x_opt, optimum, optimum, weight, 0.0, before, before, k, "skipped", 0, 0.0)
    start = perf_counter()
    g = new_highs()  # a copy: h keeps the model's LP and its optimal basis untouched
    g.passOptions(h.getOptions())
    g.passModel(lp)
    up = np.arange(n, n + k, dtype=np.int32)
    down = up + k
    g.addVars(2 * k, np.zeros(2 * k), np.full(2 * k, highspy.kHighsInf))
    g.changeColsCost(2 * k, np.concatenate([up, down]), np.full(2 * k, weight))
    # x_later - x_earlier - up + down = 0, four entries per row
    index = np.column_stack([later, earlier, up, down]).ravel().astype(np.int32)
    values = np.tile([1.0, -1.0, -1.0, 1.0], k)
    starts = np.arange(0, 4 * k, 4, dtype=np.int32)
    g.addRows(k, np.zeros(k), np.zeros(k), 4 * k, starts, index, values)
    g.setBasis(_extended_basis(h.getBasis(), x_opt[later] - x_opt[earlier], up, down))
    g.setOptionValue("solver", "simplex")  # warm from the extended optimal basis
    if iteration_limit is not None:
        g.setOptionValue("simplex_iteration_limit", iteration_limit)
    run_highs(g)
    status = g.modelStatusToString(g.getModelStatus())
    iterations = int(g.getInfo().simplex_iteration_count)
    solved = g.getSolution()
    x = np.asarray(solved.col_value, dtype=float)[:n]
    rows: np.ndarray | None = np.asarray(solved.row_value, dtype=float)[: lp.num_row_]
    if g.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        x, rows = x_opt, None  # a failure: keep the cost-optimal solution, say so in status
    return TieBreak(
        col_value=x,
        optimum=optimum,
        cost=float(cost @ x + lp.offset_),
        weight=weight,
        cost_bound=weight * before,
        variation_before=before,
        variation_after=variation(x, earlier, later),
        pairs=k,
        status=status,
        iterations=iterations,
        seconds=perf_counter() - start,
        row_value=rows,
    )


def _extended_basis(
    basis: highspy.HighsBasis, change: np.ndarray, up: np.ndarray, down: np.ndarray
) -> highspy.HighsBasis:
    """The optimal basis with one more basic variable per added row: ``up`` where the series
    rises, ``down`` where it falls, the row's slack where it does not change (a feasible
    basis of the second solve)."""
    status = highspy.HighsBasisStatus
    cols = list(basis.col_status) + [status.kLower] * (2 * len(up))
    moves = change != 0
    rows = list(basis.row_status) + [status.kLower if m else status.kBasic for m in moves]
    for j in np.where(change > 0, up, down)[moves].tolist():
        cols[j] = status.kBasic
    out = highspy.HighsBasis()
    out.col_status = cols
    out.row_status = rows
    return out


def smooth(
    h: highspy.Highs,
    form: StandardForm,
    built: BuiltModel,
    sol: Solution,
    options: TieBreakOptions,
    weight: float | None = None,
) -> Solution:
    """The pipeline stage: ``sol`` (the cost-optimal solution ``h`` holds) replaced by the
    tie-break's solution (:func:`tie_break`); the duals stay those of the cost-optimal
    solve and ``info["tie_break"]`` records the first-stage optimum, the final cost, their
    difference and the year-to-year change before and after."""
    found = tie_break(
        h,
        form,
        built,
        sol.objective,
        options.tolerance,
        options.families,
        weight,
        options.iteration_limit,
    )
    return dataclasses.replace(
        sol,
        objective=found.cost,
        col_value=found.col_value,
        row_value=sol.row_value if found.row_value is None else found.row_value,
        info={**sol.info, "tie_break": found.facts(options)},
        solve_s=sol.solve_s + found.seconds,
    )
