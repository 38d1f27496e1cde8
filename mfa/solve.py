"""Solve the LP with HiGHS and read the solution back as arrays.

The model is handed to HiGHS as a sparse matrix compiled by
:mod:`mfa.standard_form` and passed with ``highspy`` (no Pyomo solver interface,
no symbolic labels): :func:`hand_over` passes a compiled form to a new ``Highs`` object,
:func:`optimise` runs it and reads the solution. The ``Highs`` object stays alive with
the caller (:mod:`mfa.pipeline`), so that an explanation, an irreducible infeasible subset
or a warm re-solve works on the LP already solved. The solution stays in numpy arrays;
:mod:`mfa.results` reads variable families by their column positions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
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
from mfa.highs import new_highs
from mfa.standard_form import Layout, StandardForm, compile_lp


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
    layout
        Where each variable and row block is in the LP: how :meth:`values` and
        :meth:`duals` read a block by name without the Pyomo model.
    col_dual, row_value
        Reduced costs and row activities (empty when not read).
    status, info
        HiGHS model status text and solver information (iterations,
        tolerances, gaps) recorded in ``summary.json``.
    handover_s, solve_s
        Seconds to compile and pass the model, and seconds HiGHS ran.
    """

    objective: float
    col_value: np.ndarray
    row_dual: np.ndarray
    column_of: Mapping[int, int]
    row_of: Mapping[int, int]
    status: str
    info: dict[str, Any] = field(default_factory=dict)
    handover_s: float = 0.0
    solve_s: float = 0.0
    n_variables: int = 0
    n_constraints: int = 0
    col_dual: np.ndarray = field(default_factory=lambda: np.zeros(0))
    row_value: np.ndarray = field(default_factory=lambda: np.zeros(0))
    layout: Layout | None = None

    def values(self, var: pyo.Var | str, keys: list) -> np.ndarray:
        """Values of ``var[k]`` for ``keys`` (0 for variables absent from the LP).

        ``var`` is a variable block's name (read by its place in the LP, :attr:`layout`) or
        a Pyomo ``Var``. When ``keys`` is the variable's own index in order (the usual
        case: families build their variables over the index lists of
        :class:`~mfa.model.index.ModelIndex`), the variables are read in order instead of
        looked up key by key.
        """
        if isinstance(var, str):
            assert self.layout is not None, "a solution without a layout is read by Var"
            cols = self.layout.columns(var, keys)
        else:
            get = self.column_of.get
            if len(keys) == len(var) and list(var.keys()) == keys:
                data = var.values()
            else:
                data = (var[k] for k in keys)
            cols = np.fromiter(map(get, map(id, data), repeat(-1)), dtype=np.int64, count=len(keys))
        out = np.zeros(len(keys))
        present = cols >= 0
        out[present] = self.col_value[cols[present]]
        return out

    def duals(self, con: pyo.Constraint | str, keys: list) -> np.ndarray:
        """Duals of ``con[k]`` for ``keys`` (NaN where the row was skipped); ``con`` is a row
        block's name (read by its place in the LP, :attr:`layout`) or a Pyomo
        ``Constraint``."""
        out = np.full(len(keys), np.nan)
        if isinstance(con, str):
            assert self.layout is not None, "a solution without a layout is read by Constraint"
            rows = self.layout.rows(con, keys)
            present = rows >= 0
            out[present] = self.row_dual[rows[present]]
            return out
        for i, k in enumerate(keys):
            if k in con:
                row = self.row_of.get(id(con[k]))
                if row is not None:
                    out[i] = self.row_dual[row]
        return out


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
        if key == "solver" and value == "auto":
            continue  # chosen by hand_over, which sees the LP
        status = h.setOptionValue(key, value)
        if status != highspy.HighsStatus.kOk:
            raise SolveError(Diagnosis("error", f"HiGHS rejected option {key}={value!r}"))
    return h


IPM_FROM_NONZEROS = 4_000_000
"""Matrix non-zeros from which :func:`choose_method` picks the interior-point method."""


def choose_method(n_rows: int, n_cols: int, nnz: int) -> str:
    """HiGHS' method for an LP of this size when the model file asks for ``solver: auto``
    (the default).

    The rule, from ``benchmarks/ALGORITHM.md`` (``python -m benchmarks.algorithm``, simplex
    and interior point alternately on the same LP): the dual simplex was faster on every LP
    measured, by 1.7-4.1x on the default model's scenarios (about 0.16 M non-zeros) and
    1.9x on the small benchmark size, 1.13x on the medium size (0.21 M non-zeros), and on
    the largest, ``ira_compliance`` (origin tracing; 3.0 M non-zeros): the simplex solves
    it in about 20 s where the interior-point method, penalised unmet demand costing up to
    5e8 USD per unit against operating costs of about 10 USD, was still 10 % from optimal
    after 300 s (and, run to its end, stopped with a numerical error). So the simplex up to
    :data:`IPM_FROM_NONZEROS` non-zeros, beyond the largest LP measured; above it, not
    measured, mfa keeps the interior-point method with crossover (the method of the large
    benchmark size). Either way a simplex that stops with an error is retried with the
    interior-point method (:func:`run_highs`).
    """
    return "ipm" if nnz >= IPM_FROM_NONZEROS else "simplex"


LARGE_COST = 1e6
"""HiGHS' threshold of an excessively large cost coefficient (``assessLp`` in HiGHS 1.16):
:func:`objective_scale` brings the largest cost below it."""


def objective_scale(cost: np.ndarray) -> int:
    r"""HiGHS' ``user_objective_scale`` for an LP with costs ``cost``: the exponent :math:`k
    \le 0` of the power of two by which HiGHS multiplies every cost before it solves,

    .. math:: k = \min\Bigl(0,\ \bigl\lfloor \log_2 (L / \max_j |c_j|) \bigr\rfloor\Bigr)

    with :math:`L` = :data:`LARGE_COST`: the rule by which HiGHS itself suggests a value
    when it warns of large costs. The costs of mfa's LPs are discounted USD per model unit
    and span about 9 (freight of a tonne) to 5e8 (the unmet-demand penalty of a GWh of
    cells): with :math:`k = -9` they span 0.017 to 9.8e5, and the largest cost no longer
    dwarfs the dual feasibility tolerance (1e-7) by 5e15. HiGHS scales the costs, solves and
    scales back (a power of two is exact in floating point): the objective, column values,
    row values and duals it returns are in USD and model units. The reduced-cost tolerance
    widens, to :math:`2^{-k}` times 1e-7 USD per unit (5e-5 USD at :math:`k = -9`).
    Measured in ``benchmarks/ALGORITHM.md`` ("Scaling").

    Bounds are not scaled (``user_bound_scale``): that would widen the primal feasibility
    tolerance in model units by the same factor, beyond the 1e-6 of mfa's post-solve checks
    (:mod:`mfa.results`).
    """
    largest = float(np.max(np.abs(cost), initial=0.0))
    if not np.isfinite(largest) or largest <= LARGE_COST:
        return 0
    return int(np.floor(np.log2(LARGE_COST / largest)))


def hand_over(form: StandardForm, solver: Solver) -> highspy.Highs:
    """A ``Highs`` object with mfa's settings holding the compiled LP ``form`` (with
    ``solver: auto``, the method :func:`choose_method` picks for its size; unless the model
    file sets ``user_objective_scale``, the scale :func:`objective_scale` picks)."""
    h = make_highs(solver)
    lp = form.lp
    if solver.options.get("solver") == "auto":
        method = choose_method(lp.num_row_, lp.num_col_, len(lp.a_matrix_.value_))
        h.setOptionValue("solver", method)
        if method == "ipm":
            h.setOptionValue("run_crossover", "on")
    if "user_objective_scale" not in solver.options:
        h.setOptionValue("user_objective_scale", objective_scale(np.asarray(lp.col_cost_)))
    h.passModel(lp)
    return h


def optimise(h: highspy.Highs, form: StandardForm, handover_s: float = 0.0) -> Solution:
    """Run HiGHS on the LP it holds and return the optimal solution.

    Raises
    ------
    InfeasibleError, UnboundedError, SolverLimitError, SolveError
        When HiGHS does not report an optimum; the diagnosis says what status
        was reached (the explanation is added by :mod:`mfa.pipeline`, which knows
        the data and keeps ``h`` for it).
    """
    start = perf_counter()
    method = _option_value(h, "solver")
    run_highs(h)
    solve_s = perf_counter() - start
    status = h.getModelStatus()
    raise_for_status(status, h.modelStatusToString(status))
    info = _info_dict(h, h.getInfo())
    if info["solver"] != method:
        info["fallback"] = (
            f"HiGHS' {method} solver stopped with an error; re-solved with "
            f"{info['solver']} and crossover"
        )
    sol = read_solution(h, form)
    sol.info, sol.handover_s, sol.solve_s = info, handover_s, solve_s
    return sol


def read_solution(h: highspy.Highs, form: StandardForm) -> Solution:
    """The solution HiGHS holds for ``form``, as arrays."""
    sol = h.getSolution()
    return Solution(
        objective=float(h.getInfo().objective_function_value),
        col_value=np.asarray(sol.col_value, dtype=float),
        row_dual=np.asarray(sol.row_dual, dtype=float),
        column_of=form.column_of,
        row_of=form.row_of,
        status=h.modelStatusToString(h.getModelStatus()),
        n_variables=form.lp.num_col_,
        n_constraints=form.lp.num_row_,
        col_dual=np.asarray(sol.col_dual, dtype=float),
        row_value=np.asarray(sol.row_value, dtype=float),
        layout=form.layout,
    )


def solve(m: pyo.ConcreteModel, solver: Solver) -> Solution:
    """Compile ``m``, hand it to HiGHS and return its optimal solution (one shot).

    Raises
    ------
    InfeasibleError, UnboundedError, SolverLimitError, SolveError
        As :func:`optimise`.
    """
    start = perf_counter()
    with PauseGC():
        form = compile_lp(m)
        h = hand_over(form, solver)
    return optimise(h, form, perf_counter() - start)


def raise_for_status(status: highspy.HighsModelStatus, text: str) -> None:
    """Raise the error of a HiGHS model status other than optimal."""
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
        "user_objective_scale",
        "solver",
        "time_limit",
    ):
        out[name] = _option_value(h, name)
    return out


def _option_value(h: highspy.Highs, name: str) -> Any:
    """A HiGHS option's value (highspy >= 1.10 returns ``(status, value)``)."""
    got = h.getOptionValue(name)
    return got[1] if isinstance(got, tuple) else got
