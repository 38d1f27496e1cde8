"""Solve the LP with HiGHS and read the solution back as arrays.

The model is handed to HiGHS as a sparse matrix compiled by
:mod:`mfa.standard_form` and passed with ``highspy`` (no Pyomo solver interface,
no symbolic labels). The solution stays in numpy arrays; :mod:`mfa.results`
reads variable families by their column positions.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from mfa.config import Solver
from mfa.errors import (
    Diagnosis,
    InfeasibleError,
    SolveError,
    SolverLimitError,
    UnboundedError,
)
from mfa.standard_form import compile_lp


@dataclass
class Solution:
    """An optimal solution in array form.

    Attributes
    ----------
    objective
        Objective value (discounted USD).
    col_value, row_dual
        HiGHS primal column values and row duals.
    column_of
        ``id(VarData) -> column`` for variables that appear in the LP.
    row_of
        ``id(ConstraintData) -> row``.
    status, info
        HiGHS model status text and solver information (iterations,
        tolerances, gaps) recorded in ``summary.json``.
    handover_s, solve_s
        Seconds to compile and pass the model, and seconds HiGHS ran.
    """

    objective: float
    col_value: np.ndarray
    row_dual: np.ndarray
    column_of: dict[int, int]
    row_of: dict[int, int]
    status: str
    info: dict[str, Any] = field(default_factory=dict)
    handover_s: float = 0.0
    solve_s: float = 0.0
    n_variables: int = 0
    n_constraints: int = 0

    def values(self, var: pyo.Var, keys: list) -> np.ndarray:
        """Values of ``var[k]`` for ``keys`` (0 for variables absent from the LP).

        When ``keys`` is the variable's own index in order (the usual case: families
        build their variables over the index lists of :class:`~mfa.model.index.ModelIndex`),
        the variable data are read in order instead of looked up key by key.
        """
        get = self.column_of.get
        if len(keys) == len(var) and list(var.keys()) == keys:
            data = var.values()
        else:
            data = (var[k] for k in keys)
        cols = np.fromiter((get(id(v), -1) for v in data), dtype=np.int64, count=len(keys))
        out = np.zeros(len(keys))
        present = cols >= 0
        out[present] = self.col_value[cols[present]]
        return out

    def duals(self, con: pyo.Constraint, keys: list) -> np.ndarray:
        """Duals of ``con[k]`` for ``keys`` (NaN where the row was skipped)."""
        out = np.full(len(keys), np.nan)
        for i, k in enumerate(keys):
            if k in con:
                row = self.row_of.get(id(con[k]))
                if row is not None:
                    out[i] = self.row_dual[row]
        return out


def new_highs() -> highspy.Highs:
    """A silent ``Highs`` object (HiGHS prints its banner on the first construction)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def run_highs(h: highspy.Highs) -> highspy.HighsStatus:
    """``h.run()``, retried when HiGHS stops with an error before reaching a status.

    Two causes are known, both leaving model status "Not Set":

    * HiGHS keeps one thread scheduler per process, sized by the first solve; a later
      solve asking for another ``threads`` value (e.g. after a solve by highspy with its
      defaults in the same notebook) fails at once. Retried with a fresh scheduler.
    * Dual simplex can break down on a badly scaled LP ("ratio test failed due to
      excessive dual values") where the interior-point method with crossover still finds
      the optimum. Retried with ``solver=ipm`` (the option stays set, so the solver
      facts in ``summary.json`` show the method that answered).
    """
    status = h.run()
    if _not_set(status, h):
        highspy.Highs.resetGlobalScheduler(True)
        status = h.run()
    if _not_set(status, h) and _option_value(h, "solver") != "ipm":
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
        h.clearSolver()
        status = h.run()
    return status


def _not_set(status: highspy.HighsStatus, h: highspy.Highs) -> bool:
    return (
        status == highspy.HighsStatus.kError
        and h.getModelStatus() == highspy.HighsModelStatus.kNotset
    )


def make_highs(solver: Solver) -> highspy.Highs:
    """A ``Highs`` object with mfa's settings and the model file's options."""
    h = new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", solver.threads)
    if solver.time_limit_s is not None:
        h.setOptionValue("time_limit", float(solver.time_limit_s))
    for key, value in solver.options.items():
        status = h.setOptionValue(key, value)
        if status != highspy.HighsStatus.kOk:
            raise SolveError(Diagnosis("error", f"HiGHS rejected option {key}={value!r}"))
    return h


def solve(m: pyo.ConcreteModel, solver: Solver) -> Solution:
    """Solve ``m`` and return its optimal solution.

    With ``solver.tie_break`` set, a second solve picks, among the solutions within its
    tolerance of the optimal cost, the one with the least year-to-year change of trade and
    activity (:mod:`mfa.tie_break`); the duals stay those of the cost-optimal solve and
    ``info["tie_break"]`` records the cost increase.

    Raises
    ------
    InfeasibleError, UnboundedError, SolverLimitError, SolveError
        When HiGHS does not report an optimum; the diagnosis says what status
        was reached (the explanation of infeasibility is added by the caller,
        which knows the data).
    """
    start = perf_counter()
    with PauseGC():
        form = compile_lp(m)
        h = make_highs(solver)
        h.passModel(form.lp)
    handover = perf_counter() - start
    start = perf_counter()
    method = _option_value(h, "solver")
    run_highs(h)
    solve_s = perf_counter() - start
    status = h.getModelStatus()
    text = h.modelStatusToString(status)
    _raise_for_status(status, text)
    sol = h.getSolution()
    hinfo = h.getInfo()
    info = _info_dict(h, hinfo)
    objective = float(hinfo.objective_function_value)
    col_value = np.asarray(sol.col_value, dtype=float)
    row_dual = np.asarray(sol.row_dual, dtype=float)
    if solver.tie_break is not None:
        from mfa.tie_break import tie_break

        smooth = tie_break(
            h, form, m, objective, solver.tie_break.tolerance, solver.tie_break.families
        )
        col_value, objective = smooth.col_value, smooth.cost
        solve_s += smooth.seconds
        info["tie_break"] = {
            "tolerance": solver.tie_break.tolerance,
            "cost_increase": smooth.cost_increase,
            "variation_before": smooth.variation_before,
            "variation_after": smooth.variation_after,
            "pairs": smooth.pairs,
            "seconds": smooth.seconds,
        }
    if info["solver"] != method:
        info["fallback"] = (
            f"HiGHS' {method} solver stopped with an error; re-solved with "
            f"{info['solver']} and crossover"
        )
    return Solution(
        objective=objective,
        col_value=col_value,
        row_dual=row_dual,
        column_of=form.column_of,
        row_of=form.row_of,
        status=text,
        info=info,
        handover_s=handover,
        solve_s=solve_s,
        n_variables=form.lp.num_col_,
        n_constraints=form.lp.num_row_,
    )


def _raise_for_status(status: highspy.HighsModelStatus, text: str) -> None:
    ms = highspy.HighsModelStatus
    if status == ms.kOptimal:
        return
    if status == ms.kInfeasible:
        raise InfeasibleError(Diagnosis("infeasible", "no solution satisfies every constraint"))
    if status in (ms.kUnbounded, ms.kUnboundedOrInfeasible):
        raise UnboundedError(
            Diagnosis(
                "unbounded",
                "the cost can fall without limit: some activity earns money or costs nothing "
                "while it frees something of value; check for negative costs or a missing bound",
            )
        )
    if status in (ms.kTimeLimit, ms.kIterationLimit):
        raise SolverLimitError(Diagnosis("time_limit", f"HiGHS stopped early: {text}"))
    raise SolverLimitError(Diagnosis("numerical", f"HiGHS ended with status '{text}'"))


def _info_dict(h: highspy.Highs, info: Any) -> dict[str, Any]:
    """Solver facts worth keeping with the results."""
    out: dict[str, Any] = {
        "highs_version": f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}",
        "simplex_iterations": int(info.simplex_iteration_count),
        "ipm_iterations": int(info.ipm_iteration_count),
        "crossover_iterations": int(info.crossover_iteration_count),
        "max_primal_infeasibility": float(info.max_primal_infeasibility),
        "max_dual_infeasibility": float(info.max_dual_infeasibility),
    }
    for name in (
        "primal_feasibility_tolerance",
        "dual_feasibility_tolerance",
        "ipm_optimality_tolerance",
        "solver",
        "time_limit",
    ):
        out[name] = _option_value(h, name)
    return out


def _option_value(h: highspy.Highs, name: str) -> Any:
    """A HiGHS option's value (highspy >= 1.10 returns ``(status, value)``)."""
    got = h.getOptionValue(name)
    return got[1] if isinstance(got, tuple) else got
