r"""Trade family: shipments between regions, with freight cost and tariffs.

A shipment :math:`s_{cod t}` of commodity :math:`c` from origin :math:`o` to
destination :math:`d` leaves the balance of :math:`(c, o, t)` and enters that
of :math:`(c, d, t)`. It costs freight :math:`f_{cod}` plus the ad-valorem
tariff :math:`\tau_{codt}` on the reference price :math:`P_c` (USD):

.. math:: (f_{cod} + \tau_{codt} P_c)\, s_{codt}
"""

from __future__ import annotations

from mfa.model.built import BuiltModel, Family
from mfa.model.values import is_zero


def add(built: BuiltModel) -> None:
    """Add trade terms to the balances of origin and destination, and their costs."""
    m, index, terms = built.model, built.index, built.terms
    get = built.values.get
    for (c, o, d, t), s in zip(index.trade, m.trade.values(), strict=True):
        terms.add_balance((c, o, t), -1.0, s)
        terms.add_balance((c, d, t), 1.0, s)
        terms.add_cost(("transport", d, t), get("trade_cost", (c, o, d)), s)
        rate = get("tariff", (c, o, d, t))
        if not is_zero(rate):
            terms.add_cost(("tariff", d, t), rate * get("reference_price", c), s)


FAMILY = Family(
    name="trade",
    add=add,
    switch="trade",
    parameters=frozenset({"trade_cost", "tariff", "reference_price"}),
)
