r"""Trade family: shipments between regions, with freight cost and tariffs.

A shipment :math:`s_{cod t}` of commodity :math:`c` from origin :math:`o` to
destination :math:`d` leaves the balance of :math:`(c, o, t)` and enters that
of :math:`(c, d, t)`. It costs freight :math:`f_{cod}` plus the ad-valorem
tariff :math:`\tau_{codt}` on the reference price :math:`P_c` (USD):

.. math:: (f_{cod} + \tau_{codt} P_c)\, s_{codt}
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from mfa.model.built import BuiltModel, Family
from mfa.model.values import is_zero


def add(built: BuiltModel) -> None:
    """Add trade terms to the balances of origin and destination, and their costs."""
    index, terms, values = built.index, built.terms, built.values
    routes = index.trade
    shipments = built.columns("trade")
    terms.add_balance_many(
        [(c, o, t) for c, o, _, t in routes], repeat(-1.0, len(routes)), shipments
    )
    terms.add_balance_many(
        [(c, d, t) for c, _, d, t in routes], repeat(1.0, len(routes)), shipments
    )
    where = [("transport", d, t) for _, _, d, t in routes]
    freight = values.get_many("trade_cost", [(c, o, d) for c, o, d, _ in routes])
    terms.add_cost_many(where, freight, shipments)
    rates = values.get_many("tariff", routes)
    if {*map(type, rates)} <= {float, int}:
        taxed = np.flatnonzero(np.asarray(rates, dtype=float) != 0.0).tolist()
    else:  # a Param entry is never treated as zero
        taxed = [k for k, rate in enumerate(rates) if not is_zero(rate)]
    if taxed:
        price = values.get_many("reference_price", [routes[k][0] for k in taxed])
        terms.add_cost_many(
            [("tariff", where[k][1], where[k][2]) for k in taxed],
            [rates[k] * p for k, p in zip(taxed, price, strict=True)],
            [shipments[k] for k in taxed],
        )


FAMILY = Family(
    name="trade",
    add=add,
    switch="trade",
    parameters=frozenset({"trade_cost", "tariff", "reference_price"}),
)
