"""Persistent re-solves: build once, change parameters in place, re-solve warm.

A :class:`Resolver` builds the model once with the uncertain tables as mutable
``Param`` components (:mod:`mfa.model.values`), compiles it into mfa's own standard form
(:func:`mfa.pipeline.compile_model`; the compiler records every matrix entry, row bound,
column bound and cost that depends on a ``Param``, :class:`mfa.standard_form.Parametric`),
hands it to a ``highspy.Highs`` object and solves it once (cold, with the model's solver
options). Each sample then

1. sets the new values of the tables it changes (``Values.set``: one array per table,
   aligned to the ``Param`` entries once; only changed entries are written) and copies
   them into the vector :math:`p` of the compiled form's ``Param`` entries (positions found
   once, :meth:`~mfa.standard_form.Parametric.slots`), and into unmet demand's bounds;
2. evaluates the recorded numbers at :math:`p` (one sparse product per kind) and changes
   those that differ from the previous sample in the live ``Highs`` object (one
   ``changeRowsBounds``, ``changeColsBounds``, ``changeColsCost`` each; ``changeCoeff`` per
   changed matrix entry);
3. restores the base solution's simplex basis, so that a sample's result
   depends only on the sample, not on which samples the worker solved before;
4. re-solves with the dual simplex from that basis (warm start);
5. refreshes the plain-number lookups of the index that the result tables read, reads the
   solution arrays into a :class:`mfa.solve.Solution` and runs the same
   :func:`mfa.pipeline.tables` (extract and check) as a normal run.

A sample that would change the structure of the model (a zero becoming
non-zero where rows or variables exist only for non-zeros, a table the model
cannot hold mutable, or a different ``choice`` file) is solved by a rebuild
through :func:`mfa.pipeline.build_and_solve` instead, as is a sample that is not optimal
(so its reason comes from the same diagnosis as a normal run).
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from time import perf_counter, process_time

import highspy
import numpy as np
import pandas as pd
from pyomo.common.gc_manager import PauseGC

from mfa import pipeline
from mfa.errors import CheckError, SolveError
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel
from mfa.model.families import neutral_values, sweep_parameters
from mfa.model.index import group_process_io
from mfa.model.stock import series_on
from mfa.model.values import StructureChanged
from mfa.solve import Solution, raise_for_status, read_solution, run_highs
from mfa.standard_form import StandardForm
from mfa.tie_break import smooth

MUTABLE_AWARE = sweep_parameters()
"""Tables the constraint families read through ``BuiltModel.values`` (they can be mutable).
Uncertainty in any other table is solved by a rebuild per sample."""

NEUTRAL = neutral_values()
"""Value at which a table's row does not exist (default 0)."""


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
    resolve_seconds
        Of these, the persistent re-solve itself: new values into the model and into HiGHS,
        basis restored, warm simplex (NaN for a rebuild).
    resolve_cpu_seconds
        The same span in CPU time of this process (``time.process_time``), which a busy
        machine inflates less than wall time.
    """

    status: str
    reason: str = ""
    mode: str = "persistent"
    objective: float = math.nan
    tables: dict[str, pd.DataFrame] | None = None
    checks: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    resolve_seconds: float = math.nan
    resolve_cpu_seconds: float = math.nan


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
        self.built = pipeline.build(data, mutable=self.mutable)
        self.m = self.built.model
        self.indexed = {t: data.param(t) for t in INDEXED if t in self.mutable}
        self.stocks = list(self.built.state("stock") or [])
        self.compiled = pipeline.compile_model(self.built)
        self.form = self.compiled.form
        self.h: highspy.Highs = self.compiled.highs
        parametric = self.form.parametric
        values = self.built.values
        self.p = parametric.read() if parametric is not None else np.zeros(0)
        # where each table's entries sit in p (none without a record: nothing is mutable)
        self.slots = (
            {t: parametric.slots(values.entries(t)) for t in self.mutable}
            if parametric is not None
            else {}
        )
        self.unmet = _UnmetBounds(self.built, self.form) if "demand" in self.mutable else None
        if parametric is not None:  # the record of what the Highs object holds starts here
            parametric.push(self.h, self.p)
        self.basis = None
        with PauseGC():
            run_highs(self.h)
        if self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal and self.h.getBasis().valid:
            self.basis = self.h.getBasis()
        self.h.setOptionValue("solver", "simplex")  # warm re-solves: dual simplex
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
        start, cpu = perf_counter(), process_time()
        if rebuild:
            out = rebuild_solve(data)
        else:
            try:
                self._update(data)
            except StructureChanged:
                out = rebuild_solve(data)
            else:
                out = self._resolve(data, start, cpu)
        out.seconds = perf_counter() - start
        return out

    # ----------------------------------------------------------------- helpers
    def _update(self, data: ModelData) -> None:
        """Set the changed tables' values in the model, in :math:`p` and in the unmet-demand
        bounds, or raise :class:`StructureChanged`."""
        for t in self.fixed:
            if data.param(t) is not self.base.param(t):
                raise StructureChanged(f"table '{t}' cannot be changed in place")
        changed = [t for t in self.mutable if data.param(t) is not self.current[t]]
        for t in changed:
            if _grows(t, self.base.param(t), data.param(t)):
                raise StructureChanged(f"table '{t}' gains entries that have no rows yet")
        values = self.built.values
        for t in changed:
            values.set(t, data.param(t))  # raises StructureChanged on new keys
            self.current[t] = data.param(t)
            slots = self.slots.get(t)
            if slots is not None:
                used = slots >= 0
                self.p[slots[used]] = values.array(t)[used]
        if "demand" in changed and self.unmet is not None:
            self.unmet.update(values.array("demand"))

    def _sync_index(self, data: ModelData) -> None:
        """Refresh the plain-number lookups that :func:`extract` reads (demand, process
        coefficients, capacity) to the values of ``data``, where they changed since the last
        refresh; the index lists stay."""
        changed = {t for t, s in self.indexed.items() if data.param(t) is not s}
        if not changed:
            return
        index = copy.copy(self.built.index)
        if "demand" in changed:
            assert self.unmet is not None  # made whenever demand is mutable
            index.demand = self.unmet.demand(self.built.values.array("demand"))
            years = list(index.years)
            for ps in self.stocks:
                ps.demand = series_on(data.param("demand"), ps.region, ps.product, years)
        if "process_io" in changed:
            index.io = group_process_io(data.param("process_io"))
        if "capacity" in changed:
            cap = data.param("capacity")
            index.capacity = dict(zip(cap.index, cap.to_numpy(dtype=float).tolist(), strict=True))
        self.built.index = index
        self.indexed.update({t: data.param(t) for t in changed})

    def _resolve(self, data: ModelData, start: float, cpu: float) -> Outcome:
        h = self.h
        if self.form.parametric is not None:
            self.form.parametric.push(h, self.p)
        if self.unmet is not None:
            self.unmet.push(h)
        if self.basis is not None:
            h.setBasis(self.basis)
        with PauseGC():
            run_highs(h)
        resolve_s, resolve_cpu = perf_counter() - start, process_time() - cpu
        status = h.getModelStatus()
        try:
            raise_for_status(status, h.modelStatusToString(status))
        except SolveError:
            out = rebuild_solve(data)  # the normal path explains the failure
            out.mode = "persistent"
            return out
        self._sync_index(data)
        sol = read_solution(h, self.form)
        if data.config.solver.tie_break is not None:  # the same answer a rebuild gives
            sol = smooth(h, self.form, self.built, sol, data.config.solver.tie_break)
        out = _finish(self.built, data, sol, "persistent")
        out.resolve_seconds, out.resolve_cpu_seconds = resolve_s, resolve_cpu
        return out


INDEXED = ("demand", "process_io", "capacity")
"""Tables of which :class:`~mfa.model.index.ModelIndex` holds plain-number lookups that the
result tables read."""


class _UnmetBounds:
    r"""Unmet demand's upper bounds, which follow the demand table.

    Unmet demand is bounded by the demand, :math:`0 \le u_{c,r,t} \le D_{r,c,t}`, a plain
    number at build time (not a ``Param``, so not in the compiled form's record). The
    positions of each bound's demand entry (in ``Values.array("demand")``) and of its
    column are found once; a sample's bounds are then one indexed read of the demand values,
    written into the variables and into HiGHS where they changed.
    """

    def __init__(self, built: BuiltModel, form: StandardForm) -> None:
        values = built.values
        position = {id(e): i for i, e in enumerate(values.entries("demand"))}
        entry = built.model.param_demand  # (region, commodity, year) -> ParamData

        def where(keys: list) -> np.ndarray:
            return np.fromiter(
                (position[id(entry[r, c, t])] if (r, c, t) in entry else -1 for c, r, t in keys),
                dtype=np.int64,
                count=len(keys),
            )

        self.demand_keys = list(built.index.demand)
        self.demand_at = where(self.demand_keys)
        self.vars = [built.model.unmet[k] for k in built.index.unmet]
        self.at = where(list(built.index.unmet))
        cols = np.fromiter(
            (form.column_of.get(id(v), -1) for v in self.vars), dtype=np.int32, count=len(self.vars)
        )
        self.present = cols >= 0
        self.cols = cols[self.present]
        self.upper = self._read(values.array("demand"), self.at)
        self.pushed = self.upper[self.present].copy()

    @staticmethod
    def _read(demand: np.ndarray, at: np.ndarray) -> np.ndarray:
        out = np.zeros(len(at))
        found = at >= 0
        out[found] = demand[at[found]]
        return out

    def demand(self, demand: np.ndarray) -> dict:
        """``ModelIndex.demand`` (``(commodity, region, year) -> t``) for these values."""
        return dict(zip(self.demand_keys, self._read(demand, self.demand_at).tolist(), strict=True))

    def update(self, demand: np.ndarray) -> None:
        """New bounds into the variables (where they changed)."""
        upper = self._read(demand, self.at)
        for k in np.flatnonzero(upper != self.upper).tolist():
            self.vars[k].setub(float(upper[k]))
        self.upper = upper

    def push(self, h: highspy.Highs) -> None:
        """The bounds that changed since the last push into HiGHS."""
        upper = self.upper[self.present]
        k = np.flatnonzero(upper != self.pushed)
        if len(k):
            h.changeColsBounds(len(k), self.cols[k], np.zeros(len(k)), upper[k])
        self.pushed = upper


def _finish(built: BuiltModel, data: ModelData, sol: Solution, mode: str) -> Outcome:
    """Tables and checks of a solved sample (``data``: the sample's values)."""
    try:
        tables, checks = pipeline.tables(dataclasses.replace(built, data=data), sol, full=False)
    except CheckError as err:
        return Outcome("check_failed", str(err), mode, sol.objective)
    return Outcome("optimal", "", mode, sol.objective, tables, checks)


def rebuild_solve(data: ModelData) -> Outcome:
    """Build, solve, extract and check ``data`` from scratch, as :func:`mfa.run` does
    (one-shot hand-off to HiGHS; a failure is explained by the same diagnosis)."""
    try:
        compiled, sol = pipeline.build_and_solve(data)
    except SolveError as err:
        d = err.diagnosis
        found = "; ".join(str(x.get("message", x)) for x in d.details[:5])
        return Outcome(d.status, d.summary + (f" ({found})" if found else ""), "rebuild")
    return _finish(compiled.built, data, sol, "rebuild")
