"""The registry of constraint families, in build order.

Each family is declared once, as ``FAMILY`` in its own module (:class:`~mfa.model.built.Family`):
its rows, result tables, switch and sweep parameters. The build, the results, the
diagnosis and persistent sweeps read everything about the families from here.
The commodity balance (:mod:`mfa.model.balance`) and the objective
(:mod:`mfa.model.objective`) are not families: they are assembled after the families
from the terms the families collected.

A new family is one module with ``add`` and ``FAMILY``, listed here (``docs/architecture.md``);
:func:`register` adds one at run time (a test, a plug-in).
"""

from __future__ import annotations

from mfa.model import (
    capacity,
    certified,
    corridor,
    demand,
    economics,
    environment,
    market,
    origin,
    partnership,
    process,
    readiness,
    resources,
    second_life,
    stock,
    stockpile,
    supply,
    trade,
    treatment,
)
from mfa.model.built import Family, Row

FAMILIES: list[Family] = [
    process.FAMILY,
    capacity.FAMILY,
    resources.FAMILY,
    trade.FAMILY,
    demand.FAMILY,
    stock.FAMILY,
    stockpile.FAMILY,
    supply.FAMILY,
    partnership.FAMILY,
    environment.FAMILY,
    market.FAMILY,
    economics.FAMILY,
    treatment.FAMILY,
    readiness.FAMILY,
    second_life.FAMILY,
    corridor.FAMILY,
    origin.FAMILY,
    certified.FAMILY,
]
"""Every family, in build order (a family may use the variables of those before it)."""


def register(family: Family) -> None:
    """Add ``family`` to the registry (built after the others).

    Raises
    ------
    ValueError
        If a family of that name is registered already, or one of its rows has the name
        of another family's row.
    """
    if any(f.name == family.name for f in FAMILIES):
        raise ValueError(f"a constraint family named '{family.name}' is registered already")
    taken = {row.name for f in FAMILIES for row in f.rows}
    clash = sorted(taken & {row.name for row in family.rows})
    if clash:
        raise ValueError(f"family '{family.name}' reuses the row name(s) {clash}")
    FAMILIES.append(family)


def unregister(name: str) -> None:
    """Remove the family named ``name`` (a family added by :func:`register`)."""
    FAMILIES[:] = [f for f in FAMILIES if f.name != name]


def rows() -> dict[str, Row]:
    """Row name -> its declaration, over every family."""
    return {row.name: row for f in FAMILIES for row in f.rows}


def physical_rows() -> tuple[str, ...]:
    """Rows that describe plants and deposits: the diagnosis never proposes to relax them."""
    return tuple(row.name for f in FAMILIES for row in f.rows if row.physical)


def row_words() -> dict[str, tuple[str, str, tuple[int, ...], str]]:
    """Row name -> (words with index positions, parameter table, its key order, how to show
    the value), for every row that declares words."""
    return {
        row.name: (row.words, row.table, row.order, row.shown)
        for f in FAMILIES
        for row in f.rows
        if row.words
    }


def sweep_parameters() -> frozenset[str]:
    """Parameter tables every family reads through :class:`~mfa.model.values.Values`: a
    sweep can hold them as mutable ``Param`` components and change them in place."""
    return frozenset().union(*(f.parameters for f in FAMILIES))


def neutral_values() -> dict[str, float]:
    """Parameter table -> the value at which its row does not exist (tables not named: 0)."""
    return {table: value for f in FAMILIES for table, value in f.neutral.items()}
