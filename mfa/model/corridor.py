r"""Corridor family: import shares by origin start at their observed level and move gradually.

A cost-minimising LP buys all of an item from its cheapest origin and can switch origins
from one year to the next; real buyers are held by contracts, qualified materials and
plants tuned to a feedstock. For every observed share :math:`s_{dio}` of region
:math:`d`'s imports of item :math:`i` from origin :math:`o` (``observed_share``, the latest
year, by volume where both bases exist), the model's share stays in a corridor around it
that starts :math:`w_{di}` wide in the first model year :math:`t_0` and widens by
:math:`\delta_{di}` a year (``share_corridor``: ``width`` and ``drift``):

.. math::

    (s_{dio} - w_{dit}) \sum_{c \in i, o'} q_{co'dt} \;\le\; \sum_{c \in i} q_{codt}
    \;\le\; (s_{dio} + w_{dit}) \sum_{c \in i, o'} q_{co'dt},
    \qquad w_{dit} = w_{di} + \delta_{di}\,(t - t_0)

with :math:`q` the shipments into :math:`d` (an item is a commodity, or an element: every
commodity of it measured in t). A bound at 0 or above 1 is left out. From the first year
in which ``supply_shock`` cuts the origin's exports of a commodity of the item, its rows
are left out too: a shock is an event the corridor does not describe.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from mfa.model.built import BuiltModel, Family, Row


def observed_shares(observed: pd.Series) -> dict[tuple[str, str, str], float]:
    """(region, item, origin) -> the share of the latest observed year, by volume if given."""
    if observed.empty:
        return {}
    frame = observed.reset_index()
    frame["by_value"] = frame["basis"] != "volume"
    frame = frame.sort_values(["year", "by_value"], ascending=[False, True])
    first = frame.drop_duplicates(["region", "item", "partner"], keep="first")
    return {(r.region, r.item, r.partner): float(r.value) for r in first.itertuples()}


def add(built: BuiltModel) -> None:
    """Add the lower and upper share rows of every observed origin share with a corridor."""
    index, data, values = built.index, built.data, built.values
    corridor = values.floats("share_corridor")
    shares = observed_shares(data.param("observed_share"))
    if not corridor or not shares:
        return
    com = data.commodities
    members = {
        i: [i] if i in com.index else list(com.index[(com["element"] == i) & (com["unit"] == "t")])
        for _, i, _ in shares
    }
    into: dict[tuple[str, str, int], list[tuple[str, int]]] = defaultdict(list)
    for (c, o, d, t), q in zip(index.trade, built.columns("trade"), strict=True):
        into[(c, d, t)].append((o, q))
    shocked: defaultdict[tuple[Any, ...], float] = defaultdict(lambda: float("inf"))
    for (o, c, t), cut in values.floats("supply_shock").items():
        if cut > 0:
            shocked[(o, c)] = min(shocked[(o, c)], t)
    t0 = index.years[0]
    lower, upper = {}, {}
    for (d, i, o), s in shares.items():
        width, drift = corridor.get((d, i, "width")), corridor.get((d, i, "drift"))
        if width is None or drift is None:
            continue
        start = min(shocked[(o, c)] for c in members[i])
        for t in index.years:
            pairs = [(oo, q) for c in members[i] for oo, q in into[(c, d, t)] if oo != d]
            if t >= start or not any(oo == o for oo, _ in pairs):
                continue
            w = width + drift * (t - t0)
            if s - w > 0:
                lower[(d, i, o, t)] = (s - w, pairs)
            if s + w < 1:
                upper[(d, i, o, t)] = (s + w, pairs)

    def pairs_of(bound: float, o: str, pairs: list) -> list[tuple[float, int]]:
        return [((1.0 if oo == o else 0.0) - bound, q) for oo, q in pairs]

    for name, sense, rows in (("share_floor", ">=", lower), ("share_ceiling", "<=", upper)):
        keys = sorted(rows)
        terms = [pairs_of(rows[k][0], k[2], rows[k][1]) for k in keys]
        built.add_rows_from_pairs(name, keys, sense, [0.0] * len(keys), terms)


_DIMS = ("region", "item", "origin", "year")
FAMILY = Family(
    name="corridor",
    add=add,
    switch="security",
    rows=(
        Row(
            "share_floor",
            _DIMS,
            "USD/t",
            ">=",
            words="{2}'s share of {0}'s {1} imports in {3} at least its corridor",
        ),
        Row(
            "share_ceiling",
            _DIMS,
            "USD/t",
            "<=",
            words="{2}'s share of {0}'s {1} imports in {3} at most its corridor",
        ),
    ),
)
