r"""Market family: a rest-of-world market where regions sell surplus and buy, at reference prices.

The model covers the demand of a few regions only. What their mines and refineries make
beyond it (a by-product such as the copper of copper-cobalt mines, or a mine's output
that is sold on the world market) would otherwise have nowhere to go but ``excess``, at
no cost. With this family region :math:`r` may sell :math:`q^{sell}_{crt}` of commodity
:math:`c` to the world outside the model, and buy :math:`q^{buy}_{crt}` from it, at the
reference price :math:`P_c` (``reference_price``). The reference prices are delivered
prices (LME, CIF Asia): a purchase costs :math:`P_c`, a sale earns the netback
:math:`P_c - f_{cr}`, :math:`f_{cr}` the freight to the buyer:

.. math::

    \text{balance of } (c, r, t):\ \dots + q^{buy}_{crt} - q^{sell}_{crt}, \qquad
    0 \le q^{sell}_{crt} \le \min\Bigl(\bar q^{sell}_{crt},\ \sum_p K_{prt}\,\beta_{pc}\Bigr),
    \quad 0 \le q^{buy}_{crt} \le \bar q^{buy}_{crt}

.. math:: C^{market}_{rt} = \sum_c P_c\,q^{buy}_{crt} - (P_c - f_{cr})\,q^{sell}_{crt}

:math:`\bar q` are the limits of ``market_limit`` (no row, no trade). :math:`f_{cr}` is the
mean ``trade_cost`` of :math:`c` over the routes that leave :math:`r` (0 where the table has
none). :math:`\sum_p K_{prt}\beta_{pc}` is what the region's existing and announced plants
(``capacity.csv``, :math:`K`, with output coefficient :math:`\beta_{pc}`) can make of
:math:`c`: the world market takes the output of the plants that stand, not of capacity
the LP builds to sell at the reference price (with the capacity family off, no such
bound). The freight keeps a region from buying and selling the same commodity in the same
year (it loses :math:`f_{cr}` a tonne), which at one price for both directions cost nothing
and filled both totals.

A sale is a negative cost (a revenue). Where a sale limit does not bind, the shadow price
of :math:`(c, r, t)` cannot fall below :math:`P_c - f_{cr}`; where a purchase limit does not
bind, it cannot exceed :math:`P_c`. Result tables ``market`` (commodity, region, year,
``direction`` (``sell`` or ``buy``), the quantity) and ``market_element`` (region, element,
direction, year, t of element, over the upstream forms that the ``supply`` table counts,
:data:`mfa.model.supply.UPSTREAM_STAGES`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Family, tidy
from mfa.model.index import ModelIndex
from mfa.model.supply import UPSTREAM_STAGES, content_table
from mfa.model.values import Values
from mfa.solve import Solution

DIRECTIONS = ("sell", "buy")
MARKET_ORIGIN = "market"
"""Origin of purchases from the rest-of-world market, whose mine or refinery the model does not
know (in the origin family's balances and the supply-security indicators)."""

Key = tuple[str, str, int]


def market_freight(values: Values) -> dict[tuple[str, str], Any]:
    r"""``(commodity, region) -> freight`` :math:`f_{cr}` (USD per unit): the mean
    ``trade_cost`` of the commodity on the routes that leave the region (routes within a
    region left out); a ``Param`` expression where a sweep holds ``trade_cost`` mutable."""
    legs: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for c, o, d in values.floats("trade_cost"):
        if o != d:
            legs[(c, o)].append((c, o, d))
    return {key: sum(values.get_many("trade_cost", rows)) / len(rows) for key, rows in legs.items()}


def existing_output(index: ModelIndex) -> dict[Key, float]:
    r""":math:`\sum_p K_{prt}\beta_{pc}`: what the existing and announced plants of each region
    can make of each commodity in each year (``capacity.csv``)."""
    out: dict[Key, float] = defaultdict(float)
    for (p, r, t), k in index.capacity.items():
        if k > 0 and p in index.io:
            for c, beta in index.io[p].outputs:
                out[(c, r, t)] += k * beta
    return out


def add(built: BuiltModel) -> dict[str, list[Key]]:
    """Add the sale and purchase variables, their balance terms and their revenue and cost."""
    terms, values = built.terms, built.values
    limits = values.floats("market_limit")
    price = values.floats("reference_price")
    freight = market_freight(values)
    years = set(built.index.years)
    regions = set(built.data.regions)
    bounded = built.data.config.constraints.capacity
    output = existing_output(built.index)
    bound: dict[str, dict[Key, float]] = {d: {} for d in DIRECTIONS}
    for (c, r, direction, t), limit in limits.items():
        if direction == "sell" and bounded:
            limit = min(limit, output.get((c, r, t), 0.0))
        if limit > 0 and t in years and r in regions and price.get(c, 0.0) > 0:
            bound[direction][(c, r, t)] = limit
    keys = {d: sorted(bound[d]) for d in DIRECTIONS}
    sell = built.add_variables(
        "market_sell",
        keys["sell"],
        lower=0.0,
        upper=[bound["sell"][k] for k in keys["sell"]],
        doc="sale to the rest-of-world market",
    )
    buy = built.add_variables(
        "market_buy",
        keys["buy"],
        lower=0.0,
        upper=[bound["buy"][k] for k in keys["buy"]],
        doc="purchase from the rest-of-world market",
    )
    for (c, r, t), q in zip(keys["sell"], sell.tolist(), strict=True):
        terms.add_balance((c, r, t), -1.0, q)
        earned = values.get("reference_price", c) - freight.get((c, r), 0.0)
        terms.add_cost(("market_sales", r, t), -earned, q)
    for (c, r, t), q in zip(keys["buy"], buy.tolist(), strict=True):
        terms.add_balance((c, r, t), 1.0, q)
        terms.add_cost(("market_purchases", r, t), values.get("reference_price", c), q)
    return keys


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    """``market``: quantities sold to and bought from the rest-of-world market, by commodity;
    ``market_element``: the same in t of element, upstream forms only."""
    keys = built.state("market")
    unit = built.data.commodities["unit"].to_dict()
    rows, values = [], []
    for direction, var in (("sell", "market_sell"), ("buy", "market_buy")):
        rows += [(c, r, t, direction) for c, r, t in keys[direction]]
        values.append(sol.values(var, keys[direction]))
    flat = np.concatenate(values) if values else np.zeros(0)
    market = tidy(
        rows, ["commodity", "region", "year", "direction"], flat, [unit[c] for c, *_ in rows]
    )
    return {"market": market, "market_element": by_element(market, built.data)}


def by_element(market: pd.DataFrame, data: ModelData) -> pd.DataFrame:
    r"""The ``market`` table in t of element: :math:`\sum_c k_{ce}\,q_{crt}` by region,
    element, direction and year over the upstream forms :math:`c` (the stages whose trade
    the ``supply`` table counts), :math:`k_{ce}` the content of element :math:`e` in
    :math:`c`."""
    columns = ["region", "element", "direction", "year"]
    stage = data.commodities["stage"].to_dict()
    content = content_table(data)
    rows: dict[tuple[str, str, str, int], float] = defaultdict(float)
    for c, r, t, d, q in zip(
        market["commodity"],
        market["region"],
        market["year"],
        market["direction"],
        market["value"],
        strict=True,
    ):
        if stage.get(c) in UPSTREAM_STAGES:
            for e, k in content.get(c, {}).items():
                if k > 0:
                    rows[(r, e, d, int(t))] += k * float(q)
    keys = sorted(rows)
    return tidy(keys, columns, np.array([rows[k] for k in keys]), ["t"] * len(keys))


FAMILY = Family(
    name="market",
    add=add,
    tables=tables,
    parameters=frozenset({"reference_price", "trade_cost"}),
)
