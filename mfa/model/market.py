r"""Market family: a rest-of-world market where regions sell surplus and buy, at reference prices.

The model covers the demand of a few regions only. What their mines and refineries make
beyond it (a by-product such as the copper of copper-cobalt mines, or a mine's output
that is sold on the world market) would otherwise have nowhere to go but ``excess``, at
no cost. With this family region :math:`r` may sell :math:`q^{sell}_{crt}` of commodity
:math:`c` to the world outside the model, and buy :math:`q^{buy}_{crt}` from it, both at
the reference price :math:`P_c` (``reference_price``) and within the limits
:math:`\bar q^{sell}_{crt}, \bar q^{buy}_{crt}` (``market_limit``; no row, no trade):

.. math::

    \text{balance of } (c, r, t):\ \dots + q^{buy}_{crt} - q^{sell}_{crt}, \qquad
    0 \le q^{sell}_{crt} \le \bar q^{sell}_{crt}, \quad 0 \le q^{buy}_{crt} \le \bar q^{buy}_{crt}

.. math:: C^{market}_{rt} = \sum_c P_c\,(q^{buy}_{crt} - q^{sell}_{crt})

A sale is a negative cost (a revenue). Where a sale limit does not bind, the shadow price
of :math:`(c, r, t)` cannot fall below :math:`P_c`; where a purchase limit does not bind,
it cannot exceed :math:`P_c`. Result table ``market``: commodity, region, year,
``direction`` (``sell`` or ``buy``) and the quantity.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mfa.model.built import BuiltModel, Family, tidy
from mfa.solve import Solution

DIRECTIONS = ("sell", "buy")
MARKET_ORIGIN = "market"
"""Origin of purchases from the rest-of-world market, whose mine or refinery the model does not
know (in the origin family's balances and the supply-security indicators)."""


def add(built: BuiltModel) -> dict[str, list[tuple[str, str, int]]]:
    """Add the sale and purchase variables, their balance terms and their revenue and cost."""
    terms = built.terms
    limits = built.values.floats("market_limit")
    price = built.values.floats("reference_price")
    years = set(built.index.years)
    regions = set(built.data.regions)
    keys: dict[str, list[tuple[str, str, int]]] = {d: [] for d in DIRECTIONS}
    for (c, r, direction, t), bound in limits.items():
        if bound > 0 and t in years and r in regions and price.get(c, 0.0) > 0:
            keys[direction].append((c, r, t))
    for direction in DIRECTIONS:
        keys[direction].sort()
    sell = built.add_variables(
        "market_sell",
        keys["sell"],
        lower=0.0,
        upper=[limits[(c, r, "sell", t)] for c, r, t in keys["sell"]],
        doc="sale to the rest-of-world market",
    )
    buy = built.add_variables(
        "market_buy",
        keys["buy"],
        lower=0.0,
        upper=[limits[(c, r, "buy", t)] for c, r, t in keys["buy"]],
        doc="purchase from the rest-of-world market",
    )
    for (c, r, t), q in zip(keys["sell"], sell.tolist(), strict=True):
        terms.add_balance((c, r, t), -1.0, q)
        terms.add_cost(("market_sales", r, t), -price[c], q)
    for (c, r, t), q in zip(keys["buy"], buy.tolist(), strict=True):
        terms.add_balance((c, r, t), 1.0, q)
        terms.add_cost(("market_purchases", r, t), price[c], q)
    return keys


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    """``market``: quantities sold to and bought from the rest-of-world market."""
    keys = built.state("market")
    unit = built.data.commodities["unit"].to_dict()
    rows, values = [], []
    for direction, var in (("sell", "market_sell"), ("buy", "market_buy")):
        rows += [(c, r, t, direction) for c, r, t in keys[direction]]
        values.append(sol.values(var, keys[direction]))
    flat = np.concatenate(values) if values else np.zeros(0)
    return {
        "market": tidy(
            rows, ["commodity", "region", "year", "direction"], flat, [unit[c] for c, *_ in rows]
        )
    }


FAMILY = Family(name="market", add=add, tables=tables)
