r"""The near-optimal LP: compiled once, re-solved for many objectives and cost slacks.

With the model's LP :math:`\min\{c^\top x + c_0 : \ell \le Ax \le u,\ x \in X\}` and its
optimal cost :math:`C^*`, one row is added once, before the first solve,

.. math:: c^\top x \le (1 + s)\, C^* + \epsilon |C^*| - c_0
          \qquad(\text{the cost row; } s \text{ the slack})

(:math:`\epsilon` = :data:`COST_TOLERANCE` keeps slack 0 feasible against round-off;
its bound is infinite for the first solve). A *direction* :math:`w` (coefficients over
the columns, e.g. one aggregate or a weighted sum of aggregates) is then explored by
replacing the objective vector with :math:`w` and re-solving at each slack, smallest
first, each from the cost-optimal basis: that basis stays primal feasible when only the
objective and the cost row's bound change, so HiGHS' primal simplex (``simplex_strategy``
4) starts from a feasible vertex. (Starting a later slack from the previous slack's basis
with the dual simplex, ``chain=True``, took 5.6-7.5x the HiGHS time on the default model:
``benchmarks/ALTERNATIVES.md``.)

The model is never rebuilt, and the basis restored for each direction makes a
direction's result independent of which directions the process solved before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import highspy
import numpy as np
from pyomo.common.gc_manager import PauseGC

from mfa.config import Aggregate
from mfa.inputs.data import ModelData
from mfa.model.build import build_model
from mfa.solve import Solution, hand_over, objective_scale, raise_for_status, run_highs
from mfa.standard_form import StandardForm, compile_lp

COST_TOLERANCE = 1e-9
"""Relative room added to the cost row's bound (slack 0 stays feasible)."""

PRIMAL, DUAL = 4, 1
"""HiGHS ``simplex_strategy`` values: primal and dual simplex."""


@dataclass
class Point:
    """One near-optimal solution: a direction solved at one slack.

    Attributes
    ----------
    slack
        The cost slack it was solved at.
    status
        ``optimal`` or HiGHS' status text in lower case.
    cost
        The model's objective (discounted USD) at this solution.
    objective
        The direction's objective value.
    aggregates
        Value of every aggregate.
    seconds, iterations
        HiGHS time and simplex iterations of this re-solve.
    x
        Column values (``None`` when not optimal).
    """

    slack: float
    status: str
    cost: float = math.nan
    objective: float = math.nan
    aggregates: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    iterations: int = 0
    x: np.ndarray | None = None


class NearOptimal:
    """A model compiled once and kept in HiGHS with its cost row.

    Parameters
    ----------
    data
        Validated model data (scenario applied).
    aggregates
        Aggregates to evaluate at every solution (and to build directions from).

    Attributes
    ----------
    optimum
        The optimal cost :math:`C^*` (discounted USD).
    x_opt
        The cost-optimal column values.
    matrix
        Aggregate coefficients over the columns (one row per aggregate).
    setup_seconds
        Build, compile and first solve.

    Raises
    ------
    SolveError
        When the model has no optimum (with the same diagnosis as :func:`mfa.run`).
    """

    def __init__(
        self,
        data: ModelData,
        aggregates: Mapping[str, Aggregate] | None = None,
        hold_excess: bool = True,
    ) -> None:
        from mfa.mga.aggregates import aggregate_matrix

        start = perf_counter()
        self.data = data
        self.built = build_model(data)
        with PauseGC():
            self.form: StandardForm = compile_lp(self.built.model)
        lp = self.form.lp
        self.n_col = lp.num_col_
        self.cost = np.asarray(lp.col_cost_, dtype=float).copy()
        self.offset = float(lp.offset_)
        self.names = list(aggregates or {})
        self.matrix = (
            aggregate_matrix(self.built, self.form, aggregates)
            if aggregates
            else np.zeros((0, self.n_col))
        )
        self.h = hand_over(self.form, data.config.solver)
        self.cost_row = lp.num_row_
        nz = np.flatnonzero(self.cost)
        self.h.addRow(
            -highspy.kHighsInf, highspy.kHighsInf, len(nz), nz.astype(np.int32), self.cost[nz]
        )
        self._run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            self._explain()
        self.optimum = float(self.h.getInfo().objective_function_value)
        self.x_opt = np.asarray(self.h.getSolution().col_value, dtype=float)
        if hold_excess:
            self._hold_excess()
        self.basis = self.h.getBasis()
        self._all = np.arange(self.n_col, dtype=np.int32)
        self.setup_seconds = perf_counter() - start

    def _hold_excess(self) -> None:
        r"""One row per commodity: its unused output and landfill, summed over regions and
        years, at most what the least-cost solution leaves,
        :math:`\sum_{r,t} e_{crt} \le (1 + \epsilon) \sum_{r,t} e^*_{crt} + \epsilon`.

        Unused output costs nothing in the model (``options.excess_cost`` 0), so without
        these rows the largest "imports" or "production" within a cost slack are shipped
        or mined only to be dumped.
        """
        col = self.form.column_of
        by_commodity: dict[str, list[int]] = {}
        for key in self.built.index.excess:
            j = col.get(id(self.built.model.excess[key]))
            if j is not None:
                by_commodity.setdefault(key[0], []).append(j)
        inf = highspy.kHighsInf
        for cols in by_commodity.values():
            idx = np.array(cols, dtype=np.int32)
            held = float(self.x_opt[idx].sum())
            upper = held * (1 + COST_TOLERANCE) + COST_TOLERANCE
            self.h.addRow(-inf, upper, len(idx), idx, np.ones(len(idx)))

    def _explain(self) -> None:
        """Raise the error a normal run raises for this model."""
        from mfa.pipeline import compile_model, solve

        solve(compile_model(self.built))
        status = self.h.getModelStatus()
        raise_for_status(status, self.h.modelStatusToString(status))

    def _run(self) -> None:
        limit = self.data.config.solver.time_limit_s
        if limit is not None:  # HiGHS' run clock keeps counting across runs
            self.h.setOptionValue("time_limit", self.h.getRunTime() + float(limit))
        run_highs(self.h)

    def cost_bound(self, slack: float) -> float:
        """Upper bound of :math:`c^\\top x` at ``slack``."""
        return self.optimum + (slack + COST_TOLERANCE) * abs(self.optimum) - self.offset

    def values(self, x: np.ndarray) -> dict[str, float]:
        """Every aggregate at column values ``x``."""
        return dict(zip(self.names, (self.matrix @ x).tolist(), strict=True))

    def direction(self, weights: Mapping[str, float]) -> np.ndarray:
        """The objective vector :math:`\\sum_i w_i a_i` of aggregate weights."""
        w = np.array([weights.get(n, 0.0) for n in self.names], dtype=float)
        return w @ self.matrix

    def explore(
        self,
        objective: np.ndarray,
        slacks: Sequence[float],
        keep_x: bool = True,
        chain: bool = False,
    ) -> list[Point]:
        """Minimise ``objective`` over the near-optimal space at each slack (ascending).

        Every slack starts from the cost-optimal basis with the primal simplex; with
        ``chain`` a later slack starts from the previous slack's basis with the dual
        simplex instead (compared in ``benchmarks/alternatives_speed.py``).

        Returns
        -------
        list[Point]
            One point per slack, in the order of ``slacks`` sorted ascending.
        """
        h = self.h
        h.setOptionValue("solver", "simplex")  # warm starts need the simplex method
        h.changeColsCost(self.n_col, self._all, np.asarray(objective, dtype=float))
        h.changeObjectiveOffset(0.0)
        self._scale_objective(np.asarray(objective, dtype=float))
        h.setBasis(self.basis)
        points = []
        for k, slack in enumerate(sorted(slacks)):
            if k and not chain:
                h.setBasis(self.basis)
            h.changeRowBounds(self.cost_row, -highspy.kHighsInf, self.cost_bound(slack))
            h.setOptionValue("simplex_strategy", DUAL if k and chain else PRIMAL)
            start = perf_counter()
            self._run()
            seconds = perf_counter() - start
            status = h.getModelStatus()
            iterations = int(h.getInfo().simplex_iteration_count)  # of this run
            if status != highspy.HighsModelStatus.kOptimal:
                text = h.modelStatusToString(status).lower()
                points.append(Point(slack, text, seconds=seconds, iterations=iterations))
                h.setBasis(self.basis)
                continue
            x = np.asarray(h.getSolution().col_value, dtype=float)
            points.append(
                Point(
                    slack,
                    "optimal",
                    cost=float(self.cost @ x + self.offset),
                    objective=float(objective @ x),
                    aggregates=self.values(x),
                    seconds=seconds,
                    iterations=iterations,
                    x=x if keep_x else None,
                )
            )
        h.changeColsCost(self.n_col, self._all, self.cost)
        h.changeObjectiveOffset(self.offset)
        self._scale_objective(self.cost)
        return points

    def _scale_objective(self, objective: np.ndarray) -> None:
        """HiGHS' objective scale for ``objective`` (:func:`mfa.solve.objective_scale`: a
        direction's weights are not costs), unless the model file sets it."""
        if "user_objective_scale" not in self.data.config.solver.options:
            self.h.setOptionValue("user_objective_scale", objective_scale(objective))

    def solution(self, x: np.ndarray) -> Solution:
        """Column values as a :class:`mfa.solve.Solution` for result extraction (no duals:
        the duals of a near-optimal solve price the direction, not the cost)."""
        return Solution(
            objective=float(self.cost @ x + self.offset),
            col_value=x,
            row_dual=np.full(self.cost_row + 1, np.nan),
            column_of=self.form.column_of,
            row_of=self.form.row_of,
            layout=self.form.layout,
            status="Optimal",
            n_variables=self.n_col,
            n_constraints=self.cost_row,
        )


def result_tables(engine: NearOptimal, x: np.ndarray) -> dict[str, Any]:
    """Result tables of a near-optimal solution (as :func:`mfa.results.extract`), with
    prices and shadow prices left empty (they would price the direction, not the cost).

    Raises
    ------
    CheckError
        When a balance does not close or costs do not add up (as for any run).
    """
    from mfa.results import check, extract

    sol = engine.solution(x)
    tables = extract(engine.built, sol)
    for name in list(tables):
        if name == "prices" or name.startswith("duals_"):
            tables[name] = tables[name].iloc[0:0]
    checks = check(tables, sol.objective, engine.built.index.discount)
    return {"tables": tables, "checks": checks}
