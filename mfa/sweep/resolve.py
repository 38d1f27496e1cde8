"""Persistent re-solves: build once, change parameters in place, re-solve warm.

A :class:`Resolver` builds the model once with the uncertain tables as mutable
``Param`` components (:mod:`mfa.model.values`), hands it to Pyomo's persistent
HiGHS interface (``pyomo.contrib.solver`` ``highs``, with ``auto_updates``
reduced to parameter updates as in research/perf.md §7.4) and solves it once
(cold, with the model's solver options). Each sample then

1. sets the new values of the tables it changes (``built.values.set``);
2. restores the base solution's simplex basis, so that a sample's result
   depends only on the sample, not on which samples the worker solved before;
3. re-solves with the dual simplex from that basis (warm start);
4. reads the solution arrays into a :class:`mfa.solve.Solution` and runs the
   same :func:`mfa.results.extract` and :func:`mfa.results.check` as a normal run.

A sample that would change the structure of the model (a zero becoming
non-zero where rows or variables exist only for non-zeros, a table the model
cannot hold mutable, or a different ``choice`` file) is solved by a rebuild
through :func:`mfa.api.run` instead, as is a sample that is not optimal (so its
reason comes from the same diagnosis as a normal run).
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import numpy as np
import pandas as pd
from pyomo.common.gc_manager import PauseGC
from pyomo.contrib.solver.common.factory import SolverFactory

from mfa.errors import CheckError, SolveError
from mfa.inputs.data import ModelData
from mfa.model.build import build_model
from mfa.model.built import BuiltModel
from mfa.model.index import _process_io
from mfa.model.stock import _series_on
from mfa.model.values import StructureChanged, number
from mfa.results import check, extract
from mfa.solve import Solution, _raise_for_status

MUTABLE_AWARE = frozenset(
    {
        "demand",
        "process_io",
        "variable_cost",
        "investment_cost",
        "capacity",
        "reserves",
        "trade_cost",
        "tariff",
        "reference_price",
        "collection_rate",
        "recycled_content",
        "supplier_cap",
        "offtake_share",
        "sourcing_limit",
        "holding_cost",
        "stockpile_days",
    }
)
"""Tables the constraint families read through ``built.values`` (they can be mutable).
Uncertainty in any other table is solved by a rebuild per sample."""

NEUTRAL = {"collection_rate": 1.0, "supplier_cap": 1.0}
"""Value at which a table's row does not exist (default 0)."""

_AUTO_UPDATES_OFF = (
    "check_for_new_or_removed_constraints",
    "check_for_new_or_removed_vars",
    "check_for_new_or_removed_params",
    "check_for_new_objective",
    "update_constraints",
    "update_vars",
    "update_named_expressions",
)


@dataclass
class Outcome:
    """What one sample gave.

    Attributes
    ----------
    status
        ``optimal``, or ``infeasible``, ``unbounded``, ``time_limit``, ``numerical``,
        ``check_failed``, ``error``.
    reason
        Why it is not optimal (the diagnosis summary and its findings), else ``""``.
    mode
        ``persistent`` (warm re-solve) or ``rebuild``.
    objective
        Discounted total cost (USD); NaN unless optimal.
    tables
        Result tables (as :func:`mfa.results.extract`), ``None`` unless optimal.
    checks
        ``max_balance_residual``, ``min_value``, ``cost_reconciliation``.
    seconds
        Wall time of the sample (update + solve + extract + check).
    """

    status: str
    reason: str = ""
    mode: str = "persistent"
    objective: float = math.nan
    tables: dict[str, pd.DataFrame] | None = None
    checks: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


class _Push:
    """Push the current values of every ``Param``-dependent coefficient to HiGHS in a few
    vectorised calls.

    Replaces the persistent interface's ``update_parameters`` (one Python call and one
    generic expression walk per coefficient: 2.4 s per sample on the default model) with
    :func:`mfa.model.values.number` and ``changeColsCost``/``changeRowsBounds``. It reads
    the interface's record of mutable coefficients (attributes of Pyomo 6.10's
    ``pyomo.contrib.solver.solvers.highs.Highs``); :meth:`available` is false when they
    are missing, and the interface's own update is used instead.
    """

    def __init__(self, opt: Any) -> None:
        self.h = opt._solver_model
        var_map = opt._pyomo_var_to_solver_var_map
        con_map = opt._pyomo_con_to_solver_con_map
        rows, lowers, uppers, coefs = [], [], [], []
        for con, helpers in opt._mutable_helpers.items():
            for hp in helpers:
                if hasattr(hp, "lower_expr"):
                    rows.append(con_map[con])
                    lowers.append(hp.lower_expr)
                    uppers.append(hp.upper_expr)
                else:
                    coefs.append((con_map[hp.pyomo_con], var_map[hp.pyomo_var_id], hp.expr))
        self.rows = np.array(rows, dtype=np.int32)
        self.lowers, self.uppers, self.coefs = lowers, uppers, coefs
        self.var_bounds = [hp for _, hp in opt._mutable_bounds.values()]
        obj = opt._mutable_objective
        self.cost_cols = np.array(
            [var_map[c.pyomo_var_id] for c in obj.linear_coefs], dtype=np.int32
        )
        self.cost_exprs = [c.expr for c in obj.linear_coefs]
        self.offset = obj.constant.expr
        if obj.quadratic_coefs:
            raise AttributeError("quadratic objective")

        self.params: dict[int, Any] = {}
        self.lowers_f = _Linear(lowers, self.params)
        self.uppers_f = _Linear(uppers, self.params)
        self.costs_f = _Linear(self.cost_exprs, self.params)
        self.param_list = list(self.params.values())

    def push(self) -> None:
        """Evaluate and pass every mutable coefficient, bound and cost."""
        h = self.h
        p = np.array([x.value for x in self.param_list], dtype=float)
        if len(self.rows):
            lo, up = self.lowers_f(p), self.uppers_f(p)
            h.changeRowsBounds(len(self.rows), self.rows, lo, up)
        for row, col, expr in self.coefs:
            h.changeCoeff(row, col, number(expr))
        for hp in self.var_bounds:
            hp.update()
        if len(self.cost_cols):
            h.changeColsCost(len(self.cost_cols), self.cost_cols, self.costs_f(p))
        h.changeObjectiveOffset(number(self.offset))


def _linear_terms(
    expr: Any, out: dict[int, float], scale: float, params: dict[int, Any]
) -> float | None:
    """Add ``scale * expr`` to ``out`` (``id(ParamData) -> coefficient``); return its
    constant part, or ``None`` when ``expr`` is not linear in the ``Param`` entries."""
    from pyomo.core.base.param import ParamData
    from pyomo.core.expr import numeric_expr as ne

    if expr.__class__ in (float, int):
        return scale * expr
    if isinstance(expr, ParamData):
        params.setdefault(id(expr), expr)
        out[id(expr)] = out.get(id(expr), 0.0) + scale
        return 0.0
    if isinstance(expr, ne.SumExpression):
        total = 0.0
        for a in expr.args:
            c = _linear_terms(a, out, scale, params)
            if c is None:
                return None
            total += c
        return total
    if isinstance(expr, ne.NegationExpression):
        return _linear_terms(expr.args[0], out, -scale, params)
    if isinstance(expr, ne.ProductExpression):
        a, b = expr.args
        for const, other in ((a, b), (b, a)):
            if const.__class__ in (float, int):
                return _linear_terms(other, out, scale * const, params)
        return None
    if isinstance(expr, ne.DivisionExpression):
        a, b = expr.args
        if b.__class__ in (float, int):
            return _linear_terms(a, out, scale / b, params)
        return None
    return None


class _Linear:
    """Many expressions of ``Param`` entries evaluated at once: ``A @ p + c`` for those
    linear in the entries, :func:`number` for the others (products of two tables)."""

    def __init__(self, exprs: list[Any], params: dict[int, Any]) -> None:
        from scipy.sparse import csr_matrix

        self.exprs = exprs
        self.const = np.zeros(len(exprs))
        self.other: list[int] = []
        rows, pids, vals = [], [], []
        for i, e in enumerate(exprs):
            terms: dict[int, float] = {}
            c = _linear_terms(e, terms, 1.0, params)
            if c is None:
                self.other.append(i)
                continue
            self.const[i] = c
            rows += [i] * len(terms)
            pids += list(terms)
            vals += list(terms.values())
        # columns follow the order of ``params``, which only ever grows at its end
        position = {k: j for j, k in enumerate(params)}
        cols = [position[k] for k in pids]
        self.matrix = csr_matrix((vals, (rows, cols)), shape=(len(exprs), max(len(position), 1)))
        self.other_idx = np.array(self.other, dtype=np.int64)

    def __call__(self, p: np.ndarray) -> np.ndarray:
        """Values of every expression for Param values ``p`` (in ``params`` order)."""
        width = self.matrix.shape[1]
        q = np.zeros(width)
        q[: min(width, len(p))] = p[:width]
        out = self.matrix @ q + self.const
        if self.other:
            out[self.other_idx] = [number(self.exprs[i]) for i in self.other]
        return out


def _nonneutral(name: str, series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype=float) != NEUTRAL.get(name, 0.0)


def _grows(name: str, base: pd.Series, new: pd.Series) -> bool:
    """Whether ``new`` has a non-neutral value where ``base`` has none (new rows needed)."""
    if new.index is base.index or new.index.equals(base.index):
        return bool((_nonneutral(name, new) & ~_nonneutral(name, base)).any())
    old = set(base.index[_nonneutral(name, base)])
    return any(k not in old for k in new.index[_nonneutral(name, new)])


class Resolver:
    """One model, built once, re-solved for many parameter values.

    Parameters
    ----------
    data
        The base data (scenario and ``choice`` files applied, no draw).
    tables
        Tables the samples may change.
    """

    def __init__(self, data: ModelData, tables: Collection[str]) -> None:
        start = perf_counter()
        self.base = data
        self.tables = sorted(set(tables))
        aware = set(MUTABLE_AWARE)
        days = data.params.get("stockpile_days")
        if days is not None and bool((days > 0).any()):
            aware.discard("process_io")  # stockpile rows read input coefficients as numbers
        self.mutable = [t for t in self.tables if t in aware]
        self.fixed = [t for t in self.tables if t not in MUTABLE_AWARE]
        self.current = {t: data.param(t) for t in self.mutable}
        self.built = build_model(data, mutable=self.mutable)
        self.m = self.built.model
        self.base_index = self.built.index
        self.stocks = list(self.built.state("stock") or [])
        solver = data.config.solver
        self.opt = SolverFactory("highs")
        for flag in _AUTO_UPDATES_OFF:
            setattr(self.opt.config.auto_updates, flag, False)
        self._common: dict[str, Any] = {"threads": solver.threads}
        if solver.time_limit_s is not None:
            self._common["time_limit"] = float(solver.time_limit_s)
        self.cold_options = dict(solver.options)
        self.warm_options = {**solver.options, "solver": "simplex"}
        self.basis = None
        with PauseGC():
            self.opt.solve(
                self.m,
                load_solutions=False,
                raise_exception_on_nonoptimal_result=False,
                solver_options=self.cold_options,
                **self._common,
            )
        h = self.opt._solver_model
        if h.getModelStatus() == h.getModelStatus().kOptimal and h.getBasis().valid:
            self.basis = h.getBasis()
        try:
            self._push: _Push | None = _Push(self.opt)
            self.opt.config.auto_updates.update_parameters = False
        except (AttributeError, KeyError):  # another Pyomo version: its own update
            self._push = None
        self.setup_seconds = perf_counter() - start

    # ------------------------------------------------------------------ public
    def solve(self, data: ModelData, rebuild: bool = False) -> Outcome:
        """Solve the model for ``data`` (the base data with a draw applied).

        Parameters
        ----------
        data
            Same structure as the base; values may differ in :attr:`tables`.
        rebuild
            Force a rebuild (for benchmarks).
        """
        start = perf_counter()
        if rebuild:
            out = rebuild_solve(data)
        else:
            try:
                self._update(data)
            except StructureChanged:
                out = rebuild_solve(data)
            else:
                out = self._resolve(data)
        out.seconds = perf_counter() - start
        return out

    # ----------------------------------------------------------------- helpers
    def _update(self, data: ModelData) -> None:
        """Push the changed tables into the model, or raise :class:`StructureChanged`."""
        for t in self.fixed:
            if data.param(t) is not self.base.param(t):
                raise StructureChanged(f"table '{t}' cannot be changed in place")
        changed = [t for t in self.mutable if data.param(t) is not self.current[t]]
        for t in changed:
            if _grows(t, self.base.param(t), data.param(t)):
                raise StructureChanged(f"table '{t}' gains entries that have no rows yet")
        for t in changed:
            self.built.values.set(t, data.param(t))  # raises StructureChanged on new keys
            self.current[t] = data.param(t)
        if changed:
            self._sync_index(data)

    def _sync_index(self, data: ModelData) -> None:
        """Refresh the plain-number lookups that :func:`extract` reads (demand, process
        coefficients, capacity) to the values of ``data``; the index lists stay."""
        base = self.base_index
        index = copy.copy(base)
        if "demand" in self.mutable:
            new = {(c, r, t): v for (r, c, t), v in data.param("demand").items()}
            index.demand = {k: float(new.get(k, 0.0)) for k in base.demand}
            years = list(index.years)
            for ps in self.stocks:
                ps.demand = _series_on(data.param("demand"), ps.region, ps.product, years)
        if "process_io" in self.mutable:
            index.io = _process_io(data.param("process_io"))
        if "capacity" in self.mutable:
            cap = data.param("capacity")
            index.capacity = dict(zip(cap.index, cap.to_numpy(dtype=float).tolist(), strict=True))
        self.built.index = index
        if "demand" in self.mutable and base.unmet:
            self._unmet_bounds(index)

    def _unmet_bounds(self, index: Any) -> None:
        """Unmet demand is bounded by the demand (a plain number at build time): pass the
        new bounds to HiGHS and to the variables."""
        keys = self.base_index.unmet
        upper = np.array([index.demand[k] for k in keys], dtype=float)
        for k, ub in zip(keys, upper.tolist(), strict=True):
            self.m.unmet[k].setub(ub)
        var_map = self.opt._pyomo_var_to_solver_var_map
        cols = np.array([var_map.get(id(self.m.unmet[k]), -1) for k in keys], dtype=np.int32)
        present = cols >= 0
        h = self.opt._solver_model
        h.changeColsBounds(
            int(present.sum()), cols[present], np.zeros(int(present.sum())), upper[present]
        )

    def _resolve(self, data: ModelData) -> Outcome:
        h = self.opt._solver_model
        if self._push is not None:
            self._push.push()
        if self.basis is not None:
            h.setBasis(self.basis)
        with PauseGC():
            res = self.opt.solve(
                self.m,
                load_solutions=False,
                raise_exception_on_nonoptimal_result=False,
                solver_options=self.warm_options,
                **self._common,
            )
        status = h.getModelStatus()
        try:
            _raise_for_status(status, h.modelStatusToString(status))
        except SolveError:
            out = rebuild_solve(data)  # the normal path explains the failure
            out.mode = "persistent"
            return out
        sol = self._solution(float(res.incumbent_objective))
        return _finish(self.built, data, sol, "persistent")

    def _solution(self, objective: float) -> Solution:
        h = self.opt._solver_model
        s = h.getSolution()
        return Solution(
            objective=objective,
            col_value=np.asarray(s.col_value, dtype=float),
            row_dual=np.asarray(s.row_dual, dtype=float),
            column_of=self.opt._pyomo_var_to_solver_var_map,
            row_of={id(con): row for con, row in self.opt._pyomo_con_to_solver_con_map.items()},
            status="Optimal",
        )


def _finish(built: BuiltModel, data: ModelData, sol: Solution, mode: str) -> Outcome:
    tables = extract(dataclasses.replace(built, data=data), sol, full=False)
    try:
        checks = check(tables, sol.objective, built.index.discount)
    except CheckError as err:
        return Outcome("check_failed", str(err), mode, sol.objective)
    return Outcome("optimal", "", mode, sol.objective, tables, checks)


def rebuild_solve(data: ModelData) -> Outcome:
    """Build, solve, extract and check ``data`` from scratch, as :func:`mfa.run` does
    (one-shot hand-off to HiGHS; a failure is explained by the same diagnosis)."""
    from mfa.api import _solve_or_explain

    built = build_model(data)
    try:
        sol = _solve_or_explain(built)
    except SolveError as err:
        d = err.diagnosis
        found = "; ".join(str(x.get("message", x)) for x in d.details[:5])
        return Outcome(d.status, d.summary + (f" ({found})" if found else ""), "rebuild")
    return _finish(built, data, sol, "rebuild")
