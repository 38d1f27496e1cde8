"""The built model, and what a constraint family declares.

:func:`mfa.model.build.build_model` returns a :class:`BuiltModel`. Nothing is hung on
the Pyomo model itself: the index lists, the collected terms, the parameter values
and each constraint family's own record (its ``state``: what it needs to report what
it wrote) travel beside it, in this object.

Every constraint family is one module of :mod:`mfa.model` that defines ``FAMILY``, a
:class:`Family`, next to the code that writes its rows; :mod:`mfa.model.families` lists
them in build order. Nothing about a family is kept anywhere else: the build reads its
switch, the results read its tables and the shadow prices of its rows (:class:`Row`),
the diagnosis reads the words that name a row, and persistent sweeps read which
parameter tables it can hold as mutable ``Param`` components and at which value a
table's row vanishes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from mfa.inputs.data import ModelData
from mfa.model.blocks import ArrayLP, RowBlock, add_constraint, add_objective, add_var
from mfa.model.index import ModelIndex
from mfa.model.terms import Terms
from mfa.model.values import Values

if TYPE_CHECKING:
    from mfa.solve import Solution


Tables = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Row:
    """A constraint component a family writes, as results and diagnosis name it.

    Attributes
    ----------
    name
        The constraint component on the Pyomo model (also the dual table
        ``duals_<name>``).
    dims
        Names of its index positions (a ``year`` dim is undiscounted in the dual table).
    unit
        Unit of the shadow price, e.g. ``USD/t``; the part after ``USD/`` is the unit of
        the row's left-hand side.
    sense
        ``<=`` or ``>=``: the shadow price is the cost saved per unit the limit is
        relaxed, so it is non-negative for a binding limit.
    words
        How the diagnosis names one row, with ``{i}`` for index position ``i``
        (empty: by component name and index).
    table
        The parameter table whose value the words show (empty: none).
    order
        Index positions, in the order of ``table``'s key, that pick the value.
    shown
        How to show the value: ``share`` (a percentage), ``value`` (a number), or a unit.
    physical
        A limit of plants or deposits: the diagnosis names it but never proposes to
        relax it (policy limits are relaxed at a price).
    """

    name: str
    dims: tuple[str, ...]
    unit: str
    sense: str
    words: str = ""
    table: str = ""
    order: tuple[int, ...] = ()
    shown: str = ""
    physical: bool = False


@dataclass(frozen=True)
class Family:
    """One constraint family.

    Attributes
    ----------
    name
        Its name (the key of :attr:`BuiltModel.families <mfa.model.built.BuiltModel>`).
    add
        ``add(built) -> state``: adds the family's variables, rows and terms to the model
        being built and returns what its tables need later (or ``None``).
    switch
        The ``constraints`` switch of the model file that turns it off
        (:class:`mfa.config.Families`), or ``None`` for a family that is always on.
    rows
        The constraint components it writes whose shadow prices are reported.
    tables
        ``tables(built, sol, done) -> {name: table}``: the result tables of what it wrote,
        read from the solution (``done``: the tables read before it, in build order).
    derived
        ``derived(built, tables) -> {name: table}``: tables it computes from the solution
        tables (footprints); left out of sweeps, which need only the quantities.
    parameters
        Parameter tables it reads through :class:`~mfa.model.values.Values`: each can be a
        mutable ``Param``, so a sweep can change it in place.
    neutral
        Parameter table -> value at which the table's row does not exist (default 0): a
        sample that moves a value away from it needs a rebuild.
    """

    name: str
    add: Callable[[BuiltModel], Any]
    switch: str | None = None
    rows: tuple[Row, ...] = ()
    tables: Callable[[BuiltModel, Solution, Mapping[str, pd.DataFrame]], Tables] | None = None
    derived: Callable[[BuiltModel, Mapping[str, pd.DataFrame]], Tables] | None = None
    parameters: frozenset[str] = frozenset()
    neutral: Mapping[str, float] = field(default_factory=dict)


def tidy(keys: list[tuple], names: list[str], values: Any, unit: Any) -> pd.DataFrame:
    """A tidy result table: one column per dimension, then ``value`` and ``unit``.

    ``unit`` is one string or one per row; a ``year`` column is made integer.
    """

    frame = pd.DataFrame(keys, columns=names) if keys else pd.DataFrame(columns=names)
    frame["value"] = values if len(keys) else np.zeros(0)
    frame["unit"] = unit if len(keys) else pd.Series([], dtype=str)
    if "year" in frame:
        frame["year"] = frame["year"].astype(int)
    return frame


@dataclass
class BuiltModel:
    """A built LP and what it was built from.

    The LP is held as arrays (:attr:`lp`, :mod:`mfa.model.blocks`); the Pyomo model is made
    from them on first access of :attr:`model` (a user inspecting it or adding a row, a
    family written in Pyomo, the diagnosis). From then on every block declared is added to
    the Pyomo model at once, and the LP is compiled from the Pyomo model as it stands
    (:func:`mfa.pipeline.compile_model`).

    Attributes
    ----------
    data
        The validated data it was built from.
    index
        Sparse index lists and lookups (:class:`~mfa.model.index.ModelIndex`).
    terms
        Balance and cost terms (:class:`~mfa.model.terms.Terms`): a term's variable is its
        global column (an ``int``), or a ``VarData`` of a family written in Pyomo.
    values
        Parameter values as the families read them (floats, or mutable ``Param``).
    lp
        The variable and row blocks and the objective (:class:`~mfa.model.blocks.ArrayLP`).
    families
        Family name -> the state its ``add`` returned (``None`` for a family that keeps
        none); only the families that were switched on.
    declared
        The :class:`~mfa.model.built.Family` records of those families, in build order.
    build_seconds
        Wall time of the build.
    """

    data: ModelData
    index: ModelIndex
    terms: Terms
    values: Values
    lp: ArrayLP = field(default_factory=ArrayLP)
    families: dict[str, Any] = field(default_factory=dict)
    declared: list[Family] = field(default_factory=list)
    build_seconds: float = 0.0
    _model: pyo.ConcreteModel | None = None
    _vardata: list = field(default_factory=list)
    _written: dict[str, set] = field(default_factory=dict)

    @property
    def model(self) -> pyo.ConcreteModel:
        """The Pyomo model: variables, rows and objective only (made on first access)."""
        if self._model is None:
            with PauseGC():
                m = pyo.ConcreteModel(name=self.data.name)
                self._vardata = self.lp.materialise(m)
                self._model = m
        return self._model

    @property
    def materialised(self) -> bool:
        """Whether the Pyomo model has been made."""
        return self._model is not None

    def add_variables(
        self,
        name: str,
        keys: list,
        lower: Any = None,
        upper: Any = None,
        domain: Any = pyo.NonNegativeReals,
        doc: str = "",
    ) -> np.ndarray:
        """Declare the variables ``name[k]`` for ``keys`` with bounds ``lower``, ``upper``
        (one per key, one for all, or ``None``) in ``domain``; returns their columns."""
        block = self.lp.add_variables(name, keys, lower, upper, domain, doc)
        if self._model is not None:
            self._vardata += add_var(self._model, block)
        return self.lp.columns(name)

    def add_rows(
        self,
        name: str,
        keys: list,
        sense: str,
        rhs: Sequence,
        terms: tuple[Any, Any, Any],
        index: list | None = None,
    ) -> None:
        r"""Declare the rows ``name[k]`` for ``keys``: :math:`\sum a x \; sense \; rhs`.

        ``terms`` is ``(row, column, coefficient)`` per term (row: position in ``keys``;
        column: a global column, or a ``VarData`` of a family written in Pyomo); ``index``
        the component's index when rows of it are skipped.
        """
        row, cols, coefs = terms
        if self._model is None:
            self.lp.add_rows(name, keys, sense, rhs, row, cols, coefs, index)
            return
        data = self._vardata
        xs = [data[c] if isinstance(c, int | np.integer) else c for c in cols]
        block = RowBlock(
            name,
            keys if index is None else index,
            keys,
            sense,
            rhs,
            np.asarray(row, dtype=np.int64),
            np.arange(len(xs)),
            coefs,
            0,
        )
        add_constraint(self._model, block, xs)

    def add_rows_from_pairs(
        self,
        name: str,
        keys: list,
        sense: str,
        rhs: Sequence,
        pairs: Sequence[Sequence[tuple[Any, Any]]],
        index: list | None = None,
    ) -> None:
        """:meth:`add_rows` with each row's terms as ``[(coefficient, column), ...]``."""
        counts = [len(p) for p in pairs]
        flat = [t for p in pairs for t in p]
        coefs = [c for c, _ in flat]
        cols = [x for _, x in flat]
        row = np.repeat(np.arange(len(keys)), counts)
        self.add_rows(name, keys, sense, rhs, (row, cols, coefs), index)

    def set_objective(self, xs: Any, coefs: Any) -> None:
        """The objective ``total_cost``: minimise :math:`\\sum_k c_k x_k` (``xs``: columns,
        or ``VarData`` once the Pyomo model is made)."""
        if self._model is None:
            self.lp.set_objective(xs, coefs)
            return
        xs = [self.resolve(x) for x in xs]
        add_objective(self._model, "total_cost", (np.arange(len(xs)), coefs), xs)

    def set_upper(self, name: str, key: Any, bound: float) -> None:
        """Set the upper bound of ``name[key]``."""
        block = self.lp.variables[name]
        k = block.position(key)
        if self._model is not None:
            self._vardata[block.offset + k].setub(bound)
            return
        if block.upper is None or np.isscalar(block.upper):
            block.upper = [block.upper] * len(block.keys)
        block.upper[k] = bound

    def column(self, name: str, key: Any) -> int:
        """The global column of ``name[key]``."""
        return self.lp.column(name, key)

    def columns(self, name: str) -> list[int]:
        """The global columns of ``name``, in the order of its keys."""
        return self.lp.columns(name).tolist()

    def has(self, name: str, key: Any) -> bool:
        """Whether the variable block ``name`` has ``key``."""
        return key in self.lp.variables[name]

    def resolve(self, col: Any) -> Any:
        """The ``VarData`` of a global column (a ``VarData`` is returned as it is); makes
        the Pyomo model."""
        self.model  # noqa: B018  # made on first access
        return self._vardata[col] if isinstance(col, int | np.integer) else col

    def pyomo_objects(self) -> tuple[list, list]:
        """The ``VarData`` of every global column and the ``ConstraintData`` of every row of
        the row blocks, in order (makes the Pyomo model)."""
        m = self.model
        rows = []
        for block in self.lp.constraints.values():
            con = getattr(m, block.name)
            rows += [con[k] for k in block.keys]
        return self._vardata, rows

    def has_rows(self, name: str) -> bool:
        """Whether the model has a constraint component ``name`` (possibly empty)."""
        if name in self.lp.constraints:
            return True
        return self._model is not None and hasattr(self._model, name)

    def row_keys(self, name: str) -> list:
        """The keys of the rows of ``name`` that were written, in order."""
        block = self.lp.constraints.get(name)
        if block is not None and self._model is None:
            return block.keys
        return list(getattr(self.model, name))

    def has_row(self, name: str, key: Any) -> bool:
        """Whether the row ``name[key]`` was written."""
        block = self.lp.constraints.get(name)
        if block is not None and self._model is None:
            written = self._written.get(name)
            if written is None:
                written = self._written[name] = set(block.keys)
            return key in written
        return key in getattr(self.model, name)

    def state(self, family: str) -> Any:
        """The state family ``family`` recorded, or ``None`` (switched off, or keeps none)."""
        return self.families.get(family)

    def rows(self) -> list[Row]:
        """The rows whose shadow prices are reported: those the families that were built
        declare and actually wrote (a family may skip a component it has nothing for)."""
        return [row for f in self.declared for row in f.rows if self.has_rows(row.name)]
