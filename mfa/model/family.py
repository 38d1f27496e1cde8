"""What a constraint family declares: its rows, result tables, switch and sweep parameters.

Every constraint family is one module of :mod:`mfa.model` that defines ``FAMILY``, a
:class:`Family`, next to the code that writes its rows; :mod:`mfa.model.families` lists
them in build order. Nothing about a family is kept anywhere else: the build reads its
switch, the results read its tables and the shadow prices of its rows, the diagnosis
reads the words that name a row, and persistent sweeps read which parameter tables it
can hold as mutable ``Param`` components and at which value a table's row vanishes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from mfa.model.built import BuiltModel
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
