r"""Readiness family: installed capacity of an immature technology within a ceiling.

A technology that is still at pilot scale (direct recycling) cannot grow as fast as the
build limit alone would let it: its installed capacity stays within a ceiling
:math:`\bar K_{prt}` that rises as the technology matures (``max_capacity``; no row, no
ceiling):

.. math:: K_{prt} + \sum_{\tau \le t,\ t - \tau < L_p} n_{pr\tau} \le \max(\bar K_{prt}, K_{prt})

Existing capacity :math:`K_{prt}` above the ceiling is kept; only new building is held.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.model.built import BuiltModel, Family, Row
from mfa.model.capacity import alive_new_capacity


def add(built: BuiltModel) -> None:
    """Add a capacity ceiling per process, region and year that has one and new capacity."""
    m, index, values = built.model, built.index, built.values
    ceiling = values.floats("max_capacity")
    if not ceiling:
        return
    alive = alive_new_capacity(m, index)
    keys = sorted(k for k in ceiling if alive.get(k))

    def rule(_m: pyo.ConcreteModel, p: str, r: str, t: int) -> object:
        new = alive[(p, r, t)]
        existing = values.get("capacity", (p, r, t))
        body = LinearExpression(linear_coefs=[1.0] * len(new), linear_vars=new)
        return body <= max(ceiling[(p, r, t)] - existing, 0.0)

    m.capacity_ceiling = pyo.Constraint(keys, rule=rule)


FAMILY = Family(
    name="readiness",
    add=add,
    switch="capacity",
    rows=(
        Row(
            "capacity_ceiling",
            ("process", "region", "year"),
            "USD/unit",
            "<=",
            words="installed {0} in {1} in {2} within the readiness ceiling",
            table="max_capacity",
            order=(0, 1, 2),
            shown="value",
            physical=True,
        ),
    ),
)
