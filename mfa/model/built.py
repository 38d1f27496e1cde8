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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from mfa.inputs.data import ModelData
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

    Attributes
    ----------
    model
        The Pyomo model: variables, rows and objective only.
    data
        The validated data it was built from.
    index
        Sparse index lists and lookups (:class:`~mfa.model.index.ModelIndex`).
    terms
        Balance and cost terms and the reported duals (:class:`~mfa.model.terms.Terms`).
    values
        Parameter values as the families read them (floats, or mutable ``Param``).
    families
        Family name -> the state its ``add`` returned (``None`` for a family that keeps
        none); only the families that were switched on.
    declared
        The :class:`~mfa.model.built.Family` records of those families, in build order.
    build_seconds
        Wall time of the build.
    """

    model: pyo.ConcreteModel
    data: ModelData
    index: ModelIndex
    terms: Terms
    values: Values
    families: dict[str, Any] = field(default_factory=dict)
    declared: list[Family] = field(default_factory=list)
    build_seconds: float = 0.0

    def state(self, family: str) -> Any:
        """The state family ``family`` recorded, or ``None`` (switched off, or keeps none)."""
        return self.families.get(family)

    def rows(self) -> list[Row]:
        """The rows whose shadow prices are reported: those the families that were built
        declare and actually wrote (a family may skip a component it has nothing for)."""
        return [row for f in self.declared for row in f.rows if hasattr(self.model, row.name)]
