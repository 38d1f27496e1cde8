r"""Supply-share family: single-supplier caps, offtake shares and sourcing limits.

The supply of an item :math:`i` (a commodity, or every form of an element) to
region :math:`r` in year :math:`t` is its imports by origin plus domestic output:

.. math::

    I_{oirt} = \sum_{c} k_{ci}\, s_{cort}, \qquad
    S_{irt} = \sum_o I_{oirt} + \sum_{p, c} k_{ci}\, a^{out}_{pc}\, x_{prt}

with :math:`k_{ci}` the content of :math:`i` in :math:`c` (1 for the commodity
itself; element content for element items, counting the upstream forms ``mining``,
``refining``, ``material``, ``component`` and ``secondary``). For an element, domestic
output counts the processes where the element enters the modelled system in
:math:`r`: recycling, and every process that takes no input holding the element
(mining, and recovery from a feed the model does not carry, e.g. gallium from
alumina liquor or synthetic graphite from coke), so that refining imported or
domestic ore is not counted twice. Then, per table row:

* ``supplier_cap`` :math:`\sigma`: :math:`I_{oirt} \le \sigma\, S_{irt}` for every origin;
* ``offtake_share`` :math:`\omega` for origin :math:`o`: :math:`I_{oirt} \ge \omega\, S_{irt}`;
* ``sourcing_limit`` :math:`\theta` on indicator :math:`k` with origin values
  :math:`\rho_{ok}` (``origin_risk``):
  :math:`\sum_o \rho_{ok} I_{oirt} + \rho_{rk} D_{irt} \le \theta\, S_{irt}`
  (supply-weighted risk; with ``uncertified`` in {0, 1} and :math:`\theta = 0`,
  no supply from uncertified origins).

Shadow prices are in USD per unit of the item (t of element, or the commodity's unit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import pandas as pd

from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Family, Row
from mfa.model.index import ModelIndex, ProcessIO

UPSTREAM_STAGES = ("mining", "refining", "material", "component", "secondary")
"""Stages whose trade counts towards an element's supply."""
SECONDARY_KINDS = ("recycling",)
"""Process kinds whose output counts as domestic (secondary) supply of an element."""

Pairs = list[tuple[float, Any]]


def content_table(data: ModelData) -> dict[str, dict[str, float]]:
    """``commodity -> {element: t per unit}`` for every commodity."""
    explicit: dict[str, dict[str, float]] = defaultdict(dict)
    for (c, e), v in data.param("commodity_content").to_dict().items():
        explicit[c][e] = v
    out = {}
    for c, row in data.commodities.iterrows():
        if c in explicit:
            out[c] = dict(explicit[c])
        elif row["unit"] == "t":
            out[c] = {row["element"]: 1.0}
        else:
            out[c] = {}
    return out


def elements_taken(spec: ProcessIO, content: dict[str, dict[str, float]]) -> set[str]:
    """Elements held by any input of a process (fixed inputs and substitute members)."""
    inputs = [c for c, _ in spec.inputs] + [c for _, ms in spec.groups.values() for c in ms]
    return {e for c in inputs for e, k in content.get(c, {}).items() if k > 0}


class SupplyTerms:
    """Imports by origin and domestic output of items, built on demand and cached."""

    def __init__(self, built: BuiltModel, index: ModelIndex, data: ModelData) -> None:
        self.built = built
        self.index = index
        self.content = content_table(data)
        self.stage = data.commodities["stage"].to_dict()
        self.kind = data.processes["kind"].to_dict()
        self.elements = set(data.commodities["element"])
        self._imports: dict[tuple[str, str, int], dict[str, Pairs]] = {}
        self._domestic: dict[tuple[str, str, int], Pairs] = {}

    @cached_property
    def _trade_into(self) -> dict[tuple[str, int], list[tuple[str, str]]]:
        """(destination, year) -> [(commodity, origin)] of every route (made on first use:
        a model without supply rows never needs it)."""
        into: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
        for c, o, d, t in self.index.trade:
            into[(d, t)].append((c, o))
        return into

    @cached_property
    def _activity_in(self) -> dict[tuple[str, int], list[str]]:
        """(region, year) -> processes with activity there."""
        active: dict[tuple[str, int], list[str]] = defaultdict(list)
        for p, r, t in self.index.activity:
            active[(r, t)].append(p)
        return active

    @cached_property
    def _takes(self) -> dict[str, set[str]]:
        return {p: elements_taken(spec, self.content) for p, spec in self.index.io.items()}

    def weight(self, commodity: str, item: str) -> float:
        """Units of ``item`` per unit of ``commodity``."""
        if item not in self.elements:
            return 1.0 if commodity == item else 0.0
        if self.stage[commodity] not in UPSTREAM_STAGES:
            return 0.0
        return self.content[commodity].get(item, 0.0)

    def imports(self, region: str, item: str, year: int) -> dict[str, Pairs]:
        """``origin -> [(coef, trade var)]`` of ``item`` into ``region``."""
        key = (region, item, year)
        if key not in self._imports:
            by_origin: dict[str, Pairs] = defaultdict(list)
            for c, o in self._trade_into[(region, year)]:
                w = self.weight(c, item)
                if w:
                    by_origin[o].append((w, self.built.column("trade", (c, o, region, year))))
            self._imports[key] = dict(by_origin)
        return self._imports[key]

    def domestic(self, region: str, item: str, year: int) -> Pairs:
        """``[(coef, activity var)]`` of domestic output of ``item``."""
        key = (region, item, year)
        if key not in self._domestic:
            pairs: Pairs = []
            is_element = item in self.elements
            for p in self._activity_in[(region, year)]:
                if is_element and self.kind[p] not in SECONDARY_KINDS and item in self._takes[p]:
                    continue
                w = sum(coef * self.weight(c, item) for c, coef in self.index.io[p].outputs)
                if w:
                    pairs.append((w, self.built.column("activity", (p, region, year))))
            self._domestic[key] = pairs
        return self._domestic[key]

    def total(self, region: str, item: str, year: int) -> Pairs:
        """All supply terms: every origin's imports plus domestic output."""
        pairs = [pair for ps in self.imports(region, item, year).values() for pair in ps]
        return pairs + self.domestic(region, item, year)


def add(built: BuiltModel) -> SupplyTerms:
    """Add supplier caps, offtake shares and sourcing limits with their shadow prices."""
    index, data = built.index, built.data
    supply = SupplyTerms(built, index, data)
    get = built.values.get

    caps: list[Any] = [k for k, v in built.values.floats("supplier_cap").items() if v < 1.0]
    cap_keys = [
        (r, i, t, o) for r, i, t in caps if t in index.discount for o in supply.imports(r, i, t)
    ]
    cap_rows = []
    for r, i, t, o in cap_keys:
        share = get("supplier_cap", (r, i, t))
        cap_rows.append(
            supply.imports(r, i, t)[o] + [(-share * a, v) for a, v in supply.total(r, i, t)]
        )
    built.add_rows_from_pairs("supplier_cap", cap_keys, "<=", [0.0] * len(cap_keys), cap_rows)

    offtake = [k for k, v in built.values.floats("offtake_share").items() if v > 0.0]
    offtake_keys, offtake_rows = [], []
    for r, i, o, t in offtake:
        share = get("offtake_share", (r, i, o, t))
        pairs = supply.imports(r, i, t).get(o, []) + [
            (-share * a, v) for a, v in supply.total(r, i, t)
        ]
        if pairs:
            offtake_keys.append((r, i, o, t))
            offtake_rows.append(pairs)
    built.add_rows_from_pairs(
        "offtake_share", offtake_keys, ">=", [0.0] * len(offtake_keys), offtake_rows, offtake
    )

    risk = built.values.floats("origin_risk")
    limits = list(built.values.floats("sourcing_limit"))
    limit_keys, limit_rows = [], []
    for r, i, k, t in limits:
        theta = get("sourcing_limit", (r, i, k, t))
        terms: Pairs = []
        for o, ps in supply.imports(r, i, t).items():
            terms += [(risk.get((o, k), 0.0) * a, v) for a, v in ps]
        terms += [(risk.get((r, k), 0.0) * a, v) for a, v in supply.domestic(r, i, t)]
        terms += [(-theta * a, v) for a, v in supply.total(r, i, t)]
        if terms:
            limit_keys.append((r, i, k, t))
            limit_rows.append(terms)
    built.add_rows_from_pairs(
        "sourcing_limit", limit_keys, "<=", [0.0] * len(limit_keys), limit_rows, limits
    )
    return supply


def content_long(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``commodity, element, content`` (t of element per unit) from the set tables of
    results, as :func:`content_table` reads it from the data."""
    com = tables["commodities"]
    explicit = tables.get(
        "commodity_content", pd.DataFrame(columns=["commodity", "element", "value"])
    )
    explicit = explicit.rename(columns={"value": "content"})[["commodity", "element", "content"]]
    simple = com[(com["unit"] == "t") & ~com["commodity"].isin(explicit["commodity"])]
    simple = simple.assign(content=1.0)[["commodity", "element", "content"]]
    return pd.concat([explicit, simple], ignore_index=True)


def in_element(frame: pd.DataFrame, content: pd.DataFrame) -> pd.DataFrame:
    """A commodity table in tonnes of element (one row per element the commodity holds)."""
    out = frame.merge(content, on="commodity", how="inner")
    out["value"] = out["value"] * out["content"]
    return out.drop(columns=["content"])


def supply_table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The supply :math:`I_{oirt}` and :math:`D_{irt}` of every element, by origin, as the
    rows of this family count it, evaluated on the solution tables.

    ``origin`` is the exporting region, or ``domestic`` for the region's own output where
    the element enters the modelled system (:class:`SupplyTerms`). Computed whether or not
    the family's rows are on: the indicators (:mod:`mfa.indicators`) and the report read it.

    Returns
    -------
    DataFrame
        ``region, element, origin, year, value, unit`` in t of element.
    """
    content = content_long(tables)
    stage = tables["commodities"].set_index("commodity")["stage"]
    upstream = content[content["commodity"].map(stage).isin(UPSTREAM_STAGES)]
    trade = tables["trade"]
    imports = in_element(trade, upstream).rename(columns={"destination": "region"})
    imports = imports.groupby(["region", "element", "origin", "year"], as_index=False)[
        "value"
    ].sum()
    kind = tables["processes"].set_index("process")["kind"]
    flows = tables["flows"]
    out = in_element(flows[flows["direction"] == "out"], upstream)
    taken = in_element(flows[flows["direction"] == "in"], content[content["content"] > 0])
    taken = set(zip(taken["process"], taken["element"], strict=True))
    enters = out["process"].map(kind).isin(SECONDARY_KINDS) | ~pd.Series(
        [(p, e) in taken for p, e in zip(out["process"], out["element"], strict=True)],
        index=out.index,
        dtype=bool,
    )
    keys = ["region", "element", "year"]
    domestic = out[enters].groupby(keys, as_index=False)["value"].sum()
    domestic["origin"] = "domestic"
    frame = pd.concat([imports, domestic], ignore_index=True)
    frame["unit"] = "t"
    return frame[["region", "element", "origin", "year", "value", "unit"]]


FAMILY = Family(
    name="supply",
    add=add,
    switch="security",
    rows=(
        Row(
            "supplier_cap",
            ("region", "item", "year", "origin"),
            "USD/t",
            "<=",
            words="the single-supplier cap on {1} into {0} from {3} in {2}",
            table="supplier_cap",
            order=(0, 1, 2),
            shown="share",
        ),
        Row(
            "offtake_share",
            ("region", "item", "origin", "year"),
            "USD/t",
            ">=",
            words="the offtake share of {1} into {0} from {2} in {3}",
            table="offtake_share",
            order=(0, 1, 2, 3),
            shown="share",
        ),
        Row(
            "sourcing_limit",
            ("region", "item", "indicator", "year"),
            "USD/t",
            "<=",
            words="the sourcing limit on {1} into {0} ({2}) in {3}",
            table="sourcing_limit",
            order=(0, 1, 2, 3),
            shown="value",
        ),
    ),
    parameters=frozenset({"supplier_cap", "offtake_share", "sourcing_limit"}),
    neutral={"supplier_cap": 1.0},
)
