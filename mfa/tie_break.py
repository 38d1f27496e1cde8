r"""Tie-break: of the (near-)optimal solutions, the one that changes least from year to year.

An LP with many optimal vertices returns one of them by the path of the simplex method:
trade and activity may jump between years (an origin's share reverses, a plant runs one
year and idles the next) at no cost difference. The tie-break is a second solve on the
same HiGHS object, after the cost-optimal one (optimal cost :math:`C^*`):

.. math::

    \min \sum_{(k,t)} d_{k,t} \quad\text{s.t.}\quad
    d_{k,t} \ge x_{k,t} - x_{k,t-1},\quad d_{k,t} \ge x_{k,t-1} - x_{k,t},\quad
    c^\top x + c_0 \le C^* + \tau\, |C^*|,

plus every row of the model, then, with :math:`\sum d` held at its minimum, the cheapest
such solution (so that the tolerance is not spent where it buys no smoothness); here
:math:`x_{k,t}` runs over the selected families
(``trade``: a route's shipments of a commodity; ``activity``: a process in a region) in
consecutive model years, and :math:`\tau` is the tolerance. The auxiliary columns
:math:`d \ge 0` and their rows are added with ``addCols``/``addRows``; the model itself is
not rebuilt. The result is the smoothest solution whose cost is within :math:`\tau` of the
optimum; its cost increase is reported. Changes are summed in model units (t of element
for most commodities), so the tie-break weighs a tonne the same in every series.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from time import perf_counter

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp

from mfa.config import TieBreakOptions
from mfa.errors import Diagnosis, SolveError
from mfa.solve import Solution, run_highs
from mfa.standard_form import StandardForm

FAMILIES = ("trade", "activity")
HOLD = 1e-9
"""Relative room on the minimal variation in the last step."""


@dataclass
class TieBreak:
    """The smoothed solution.

    Attributes
    ----------
    col_value
        Values of the model's columns (the auxiliary columns left out).
    cost
        Its cost :math:`c^\\top x + c_0`.
    cost_increase
        ``cost - optimum`` (USD, discounted), at most ``tolerance * |optimum|``.
    variation_before, variation_after
        :math:`\\sum |x_{k,t} - x_{k,t-1}|` at the optimum and at the smoothed solution.
    pairs
        Consecutive-year pairs smoothed.
    seconds
        Time of the second solve.
    """

    col_value: np.ndarray
    cost: float
    cost_increase: float
    variation_before: float
    variation_after: float
    pairs: int
    seconds: float


def year_pairs(
    m: pyo.ConcreteModel, form: StandardForm, families: Sequence[str] = FAMILIES
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
    col = form.column_of
    first, second = [], []
    for family in families:
        var = getattr(m, family)
        years = sorted({key[-1] for key in var})
        previous = {t: years[i - 1] for i, t in enumerate(years) if i}
        for key in var:
            t = key[-1]
            if t not in previous:
                continue
            prev_key = (*key[:-1], previous[t])
            if prev_key not in var:
                continue
            a, b = col.get(id(var[prev_key])), col.get(id(var[key]))
            if a is not None and b is not None:
                first.append(a)
                second.append(b)
    return np.array(first, dtype=np.int32), np.array(second, dtype=np.int32)


def tie_break(
    h: highspy.Highs,
    form: StandardForm,
    m: pyo.ConcreteModel,
    optimum: float,
    tolerance: float = 1e-6,
    families: Sequence[str] = FAMILIES,
) -> TieBreak:
    """Re-solve ``h`` (holding ``form.lp`` solved to ``optimum``) for the smoothest solution
    within ``tolerance`` of the optimal cost (see the module docstring).

    ``h`` is changed: the auxiliary columns, rows and the cost row stay in it and the
    objective is the total variation.

    Raises
    ------
    SolveError
        When the second solve does not end optimal (it cannot be infeasible: the optimum
        itself satisfies it, so this signals a numerical failure).
    """
    lp = form.lp
    n = lp.num_col_
    cost = np.asarray(lp.col_cost_, dtype=float)
    x_opt = np.asarray(h.getSolution().col_value, dtype=float)[:n]
    earlier, later = year_pairs(m, form, families)
    k = len(earlier)
    before = float(np.abs(x_opt[later] - x_opt[earlier]).sum())
    start = perf_counter()
    inf = highspy.kHighsInf
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
    h.changeObjectiveOffset(0.0)
    h.addVars(k, np.zeros(k), np.full(k, inf))
    h.changeColsCost(k, np.arange(n, n + k, dtype=np.int32), np.ones(k))
    d = np.arange(n, n + k, dtype=np.int32)
    # d - x_t + x_{t-1} >= 0 and d + x_t - x_{t-1} >= 0, three entries per row
    index = np.concatenate(
        [np.column_stack([d, later, earlier]).ravel(), np.column_stack([d, later, earlier]).ravel()]
    )
    values = np.concatenate([np.tile([1.0, -1.0, 1.0], k), np.tile([1.0, 1.0, -1.0], k)])
    starts = np.arange(0, 6 * k, 3, dtype=np.int32)
    h.addRows(
        2 * k, np.zeros(2 * k), np.full(2 * k, inf), 6 * k, starts, index.astype(np.int32), values
    )
    nz = np.flatnonzero(cost).astype(np.int32)
    bound = optimum + tolerance * abs(optimum) - float(lp.offset_)
    h.addRow(-inf, bound, len(nz), nz, cost[nz])
    h.setOptionValue("solver", "simplex")  # warm from the optimal basis, rows and columns added
    _run(h)
    least = float(h.getInfo().objective_function_value)
    # then the cheapest of the smoothest: the variation held at its minimum
    h.addRow(-inf, max(least, 0.0) * (1 + HOLD), k, d, np.ones(k))
    h.changeColsCost(k, d, np.zeros(k))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.changeObjectiveOffset(float(lp.offset_))
    _run(h)
    x = np.asarray(h.getSolution().col_value, dtype=float)[:n]
    new_cost = float(cost @ x + lp.offset_)
    return TieBreak(
        col_value=x,
        cost=new_cost,
        cost_increase=new_cost - optimum,
        variation_before=before,
        variation_after=float(np.abs(x[later] - x[earlier]).sum()),
        pairs=k,
        seconds=perf_counter() - start,
    )


def _run(h: highspy.Highs) -> None:
    run_highs(h)
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        text = h.modelStatusToString(status)
        raise SolveError(Diagnosis("numerical", f"the tie-break solve ended '{text}'"))


def smooth(
    h: highspy.Highs,
    form: StandardForm,
    m: pyo.ConcreteModel,
    sol: Solution,
    options: TieBreakOptions,
) -> Solution:
    """The pipeline stage: ``sol`` (the cost-optimal solution ``h`` holds) replaced by the
    smoothest solution within ``options.tolerance`` of its cost; the duals stay those of
    the cost-optimal solve and ``info["tie_break"]`` records the cost increase and the
    year-to-year change before and after. ``h`` keeps the tie-break's rows and columns."""
    found = tie_break(h, form, m, sol.objective, options.tolerance, options.families)
    info = {
        **sol.info,
        "tie_break": {
            "tolerance": options.tolerance,
            "cost_increase": found.cost_increase,
            "variation_before": found.variation_before,
            "variation_after": found.variation_after,
            "pairs": found.pairs,
            "seconds": found.seconds,
        },
    }
    lp = form.lp
    a = sp.csc_matrix(
        (lp.a_matrix_.value_, lp.a_matrix_.index_, lp.a_matrix_.start_),
        shape=(lp.num_row_, lp.num_col_),
    )
    return dataclasses.replace(
        sol,
        objective=found.cost,
        col_value=found.col_value,
        row_value=a @ found.col_value,
        info=info,
        solve_s=sol.solve_s + found.seconds,
    )
