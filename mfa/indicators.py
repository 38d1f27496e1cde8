r"""Indicators computed from result tables: supply security and circularity.

Everything here is pandas on the tidy tables of :class:`~mfa.results.Results`
(no model needed), in tonnes of contained element. For region :math:`r`,
element :math:`e` and year :math:`t`:

* supply :math:`S = \sum_o I_o + D`, with imports :math:`I_o` of every upstream
  form (mining, refining, material, component and secondary stages, weighted by
  element content) from origin :math:`o`, and domestic output :math:`D` where the
  element enters the modelled system in the region: recycling, and processes that
  take no input holding the element (mining; recovery from an unmodelled feed): the
  ``supply`` table, which the supply-share family :mod:`mfa.model.supply` defines and
  its constraints bound;
* purchases from the rest-of-world market (the ``market`` table's ``buy`` rows, weighted
  by element content) count as imports from origin ``market`` in :math:`S` and
  :math:`I_o` of the supply-security and partnership indicators: bought abroad, they are
  imports whatever country they come from. The ``supply`` table and the sourcing-risk
  indicators leave them out, as the supply-share family's rows do (the market has no
  country, so no risk value);
* ``import_dependency`` :math:`\sum_o I_o / S`; ``largest_supplier_share``
  :math:`\max_o I_o / S`; ``hhi`` :math:`\sum_o (I_o/S)^2 + (D/S)^2` (0-1);
* ``secondary_supply_share``: recycled output / :math:`S`;
* ``eol_arising``, ``landfill`` and ``recycled`` (t: recycled output from end-of-life
  products, manufacturing scrap excluded), ``collection_rate`` (collected / arising),
  ``eol_recycling_rate`` (``recycled`` / arising);
* ``recycled_input_rate``: secondary inputs / all inputs of the element into
  manufacturing processes;
* ``in_use_stock`` (t of element in products in use);
* ``share_from_<partner>``: imports from a partnership region / :math:`S`, and
  ``partnership_self_sufficiency`` for the partnership as one region (``CA+KR``):
  :math:`\sum_{r \in P} D_r / \sum_{r \in P} (D_r + \sum_{o \notin P} I_{or})`, trade
  between members counting on neither side;
* ``supply_risk_<k>`` for every sourcing-risk indicator :math:`k` of the ``origin_risk``
  table (region x indicator -> :math:`\rho_{ok}`, dimensionless), when the results carry
  one: :math:`(\sum_o \rho_{ok} I_o + \rho_{rk} D) / S`, the supply-weighted risk that the
  ``sourcing_limit`` constraint of :mod:`mfa.model.supply` bounds (an origin without a
  value counts as 0, as there). An indicator named ``<name>_<element>`` (e.g.
  ``artisanal_Co``) describes one element and is reported for that element only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mfa.model.market import MARKET_ORIGIN
from mfa.model.supply import UPSTREAM_STAGES, content_long, in_element, supply_table

KEYS = ["region", "element", "year"]


def compute(
    tables: Mapping[str, pd.DataFrame],
    partnership: Sequence[str] = ("CA", "KR"),
    supply: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every indicator as a tidy table: ``indicator, region, element, year, value, unit``.

    ``supply`` is :func:`mfa.model.supply.supply_table` of ``tables`` when the caller has it
    already.
    """
    if supply is None:
        supply = supply_table(tables)
    with_market = pd.concat([supply, market_purchases(tables)], ignore_index=True)
    parts = [
        _security(with_market),
        _circularity(tables, supply),
        _sourcing_risk(supply, tables.get("origin_risk")),
    ]
    members = [r for r in partnership if r in set(tables["regions"]["region"])]
    parts.append(_partnership(with_market, members))
    kept = [p for p in parts if not p.empty]  # none when no demand is served at all
    frame = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()
    if frame.empty:
        return pd.DataFrame(columns=["indicator", *KEYS, "value", "unit"])
    return (
        frame[["indicator", *KEYS, "value", "unit"]]
        .sort_values(["indicator", *KEYS])
        .reset_index(drop=True)
    )


def market_purchases(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Purchases from the rest-of-world market as supply rows of origin ``market``
    (``region, element, origin, year, value, unit``, t of element), from the market family's
    ``market_element`` table (upstream stages only, as in
    :func:`mfa.model.supply.supply_table`)."""
    columns = ["region", "element", "origin", "year", "value", "unit"]
    market = tables.get("market_element")
    if market is None or market.empty:  # typed, so that concatenating keeps floats
        typed = {c: pd.Series(dtype=float if c == "value" else object) for c in columns}
        return pd.DataFrame(typed)
    bought = market[market["direction"] == "buy"]
    bought = bought.groupby(["region", "element", "year"], as_index=False)["value"].sum()
    bought["origin"] = MARKET_ORIGIN
    bought["unit"] = "t"
    return bought[columns]


def security_indicators(supply: pd.DataFrame) -> pd.DataFrame:
    """``supply``, ``import_dependency``, ``largest_supplier_share`` and ``hhi`` of a supply
    table by origin (``domestic`` for own supply), on whatever basis its origins are."""
    return _security(supply)


def _tidy(series: pd.Series, indicator: str, unit: str) -> pd.DataFrame:
    frame = series.rename("value").reset_index()
    frame["indicator"] = indicator
    frame["unit"] = unit
    return frame.replace([np.inf, -np.inf], np.nan).dropna(subset=["value"])


def _security(supply: pd.DataFrame) -> pd.DataFrame:
    total = supply.groupby(KEYS)["value"].sum()
    total = total[total > 1e-9]
    imports = supply[supply["origin"] != "domestic"]
    shares = supply.merge(total.rename("total").reset_index(), on=KEYS)
    hhi = (
        ((shares["value"] / shares["total"]) ** 2)
        .groupby([shares[k] for k in KEYS])
        .sum()
        .reindex(total.index)
    )
    imported = imports.groupby(KEYS)["value"].sum().reindex(total.index, fill_value=0.0)
    largest = imports.groupby(KEYS)["value"].max().reindex(total.index, fill_value=0.0)
    return pd.concat(
        [
            _tidy(total, "supply", "t"),
            _tidy(imported / total, "import_dependency", "share"),
            _tidy(largest / total, "largest_supplier_share", "share"),
            _tidy(hhi, "hhi", "index (0-1)"),
        ],
        ignore_index=True,
    )


def _sourcing_risk(supply: pd.DataFrame, risk: pd.DataFrame | None) -> pd.DataFrame:
    r"""``supply_risk_<k>``: :math:`(\sum_o \rho_{ok} I_o + \rho_{rk} D) / S` by region,
    element and year (``domestic`` supply takes the value of the receiving region)."""
    if risk is None or risk.empty:
        return pd.DataFrame()
    total = supply.groupby(KEYS)["value"].sum()
    total = total[total > 1e-9]
    origin = supply["origin"].where(supply["origin"] != "domestic", supply["region"])
    elements = set(supply["element"])
    parts = []
    for k, rows in risk.groupby("indicator"):
        rho = rows.set_index("region")["value"].astype(float)
        weighted = supply.assign(value=supply["value"] * origin.map(rho).fillna(0.0))
        share = weighted.groupby(KEYS)["value"].sum().reindex(total.index) / total
        suffix = str(k).rsplit("_", 1)[-1] if "_" in str(k) else None
        if suffix in elements:
            share = share[share.index.get_level_values("element") == suffix]
        parts.append(_tidy(share, f"supply_risk_{k}", "index (0-1)"))
    return pd.concat(parts, ignore_index=True)


def _circularity(tables: Mapping[str, pd.DataFrame], supply: pd.DataFrame) -> pd.DataFrame:
    content = content_long(tables)
    kind = tables["processes"].set_index("process")["kind"]
    com = tables["commodities"].set_index("commodity")
    flows = tables["flows"]
    recycled = flows[(flows["direction"] == "out") & (flows["process"].map(kind) == "recycling")]
    recycled = in_element(recycled, content).groupby(KEYS)["value"].sum()
    parts = []
    total = supply.groupby(KEYS)["value"].sum()
    parts.append(
        _tidy((recycled / total[total > 1e-9]).dropna(), "secondary_supply_share", "share")
    )
    eol = tables.get("eol")
    if eol is not None and len(eol):
        arising = in_element(eol, content).groupby(KEYS)["value"].sum()
        arising = arising[arising > 1e-9]
        landfill = tables.get("landfill", eol.iloc[0:0])
        lost = (
            in_element(landfill, content)
            .groupby(KEYS)["value"]
            .sum()
            .reindex(arising.index, fill_value=0.0)
        )
        from_eol = _recycled_from_end_of_life(flows, kind, set(eol["commodity"]), content)
        from_eol = from_eol.reindex(arising.index, fill_value=0.0)
        parts += [
            _tidy(arising, "eol_arising", "t"),
            _tidy(lost, "landfill", "t"),
            _tidy(from_eol, "recycled", "t"),
            _tidy((arising - lost) / arising, "collection_rate", "share"),
            _tidy(from_eol / arising, "eol_recycling_rate", "share"),
        ]
    inputs = flows[(flows["direction"] == "in") & (flows["process"].map(kind) == "manufacturing")]
    inputs = inputs[inputs["commodity"].map(com["stage"]).isin(UPSTREAM_STAGES)]
    inputs = in_element(inputs, content)
    if len(inputs):
        secondary = inputs["commodity"].map(com["secondary"]).astype(bool)
        all_in = inputs.groupby(KEYS)["value"].sum()
        all_in = all_in[all_in > 1e-9]
        sec_in = (
            inputs[secondary].groupby(KEYS)["value"].sum().reindex(all_in.index, fill_value=0.0)
        )
        parts.append(_tidy(sec_in / all_in, "recycled_input_rate", "share"))
    stock = tables.get("stock")
    if stock is not None and len(stock):
        held = in_element(stock, content).groupby(KEYS)["value"].sum()
        parts.append(_tidy(held, "in_use_stock", "t"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _recycled_from_end_of_life(
    flows: pd.DataFrame, kind: pd.Series, eol_products: set[str], content: pd.DataFrame
) -> pd.Series:
    r"""Recycled output (t of element) that comes from end-of-life products, not scrap.

    A recycling process fed a mix of spent products and manufacturing scrap is credited
    with end-of-life recycling in proportion to its feed:
    :math:`R^{eol}_{prt} = R_{prt}\, F^{eol}_{prt} / F_{prt}` (feed in its own unit, e.g. GWh).
    A feed made by pre-treatment (``collection`` processes, e.g. black mass) counts with the
    end-of-life share of what was pre-treated, pooled over regions in the year (it may be
    traded).
    """
    unit_keys = ["process", "region", "year"]

    def eol_share(feed: pd.DataFrame, weight: pd.Series) -> pd.Series:
        total = feed.groupby(unit_keys)["value"].sum()
        eol = (feed["value"] * weight).groupby([feed[k] for k in unit_keys]).sum()
        return (eol.reindex(total.index, fill_value=0.0) / total.where(total > 0)).fillna(0.0)

    def by_unit(frame: pd.DataFrame, share: pd.Series) -> np.ndarray:
        keys = pd.MultiIndex.from_frame(frame[unit_keys])
        return keys.map(share.to_dict()).fillna(0.0).to_numpy()

    pre = flows[flows["process"].map(kind) == "collection"]
    pre_in = pre[pre["direction"] == "in"]
    pre_share = eol_share(pre_in, pre_in["commodity"].isin(eol_products).astype(float))
    made = pre[pre["direction"] == "out"]
    made = made.assign(eol=made["value"] * by_unit(made, pre_share))
    made = made.groupby(["commodity", "year"])[["eol", "value"]].sum()
    made_share = (made["eol"] / made["value"].where(made["value"] > 0)).fillna(0.0)
    rec = flows[flows["process"].map(kind) == "recycling"]
    feed = rec[rec["direction"] == "in"]
    weight = (
        pd.MultiIndex.from_frame(feed[["commodity", "year"]])
        .map(made_share.to_dict())
        .fillna(0.0)
        .to_numpy()
    )
    weight = np.where(feed["commodity"].isin(eol_products), 1.0, weight)
    share = eol_share(feed, pd.Series(weight, index=feed.index))
    out = in_element(rec[rec["direction"] == "out"], content)
    out = out.assign(value=out["value"] * by_unit(out, share))
    return out.groupby(KEYS)["value"].sum()


def _partnership(supply: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    if len(members) < 2:
        return pd.DataFrame()
    inside = supply[supply["region"].isin(members)]
    total = inside.groupby(KEYS)["value"].sum()
    total = total[total > 1e-9]
    parts = []
    for partner in members:
        from_partner = inside[inside["origin"] == partner].groupby(KEYS)["value"].sum()
        share = from_partner.reindex(total.index, fill_value=0.0) / total
        share = share[share.index.get_level_values("region") != partner]
        parts.append(_tidy(share, f"share_from_{partner}", "share"))
    # the partnership as one region: trade between members is neither supply nor own output
    external = inside[~inside["origin"].isin(members)]
    own = external[external["origin"] == "domestic"].groupby(["element", "year"])["value"].sum()
    available = external.groupby(["element", "year"])["value"].sum()
    available = available[available > 1e-9]
    both = own.reindex(available.index, fill_value=0.0) / available
    frame = both.rename("value").reset_index()
    frame["region"] = "+".join(members)
    frame["indicator"] = "partnership_self_sufficiency"
    frame["unit"] = "share"
    parts.append(frame.dropna(subset=["value"]))
    return pd.concat(parts, ignore_index=True)
