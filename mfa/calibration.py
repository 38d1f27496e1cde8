r"""Calibration: the first model year against observed figures of the years before it.

The table compares result tables (never the optimisation model) with the observed
tables ``observed`` (volumes: output, imports, exports, sales) and ``observed_share``
(shares of a region's imports by origin). For each observed key the latest observed
year is used and compared with the first model year :math:`y_0`.

Volumes, with :math:`M` the model's and :math:`O` the observed quantity:

* mine or refinery output of commodity :math:`c` in region :math:`r`:
  :math:`M = \sum_p \mathrm{out}_{p,r,c,y_0}` over the region's mining, refining and
  manufacturing processes (recycling and collection are left out);
* imports of :math:`c` into :math:`r` from partner :math:`o`: :math:`M = x_{c,o,r,y_0}`;
  exports to partner :math:`d`: :math:`M = x_{c,r,d,y_0}`;
* sales: demand of :math:`c` served in :math:`r`.

The difference is :math:`M - O` and the relative difference :math:`M / O - 1`; the target
is :math:`|M / O - 1| \le 15\,\%`. For imports and exports the target applies to the
total over partners (a row with partner ``all``; the observed rows of one year must cover
every partner), while each origin is held to its share (below) and its volume is reported.

Shares: the share of origin :math:`o` in region :math:`r`'s imports of item :math:`i`
(a commodity, or an element: then every commodity of that element measured in t) is
:math:`s_o = \sum_{c \in i} x_{c,o,r,y_0} / (\sum_{c \in i} \sum_{o'} x_{c,o',r,y_0} + b_{i,r,y_0})`
with :math:`b` the purchases from the rest-of-world market (:mod:`mfa.model.market`).
The difference is :math:`s^M_o - s^O_o` (a fraction: 0.10 is 10 percentage points) and the
target :math:`|s^M_o - s^O_o| \le 0.10`. Observed shares by value are compared with the
model's shares by volume (prices per tonne differ little between origins of one form).

Prices: the shadow price of a commodity's balance in region :math:`r` and year
:math:`y_0` (the ``prices`` table) against its ``reference_price`` :math:`P`; the difference is
:math:`M - P`, the relative difference :math:`M / P - 1` and the target
:math:`1/2 \le M / P \le 2` for the refined and material forms of Li, Ni, Co, Cu and
graphite (:data:`PRICE_ELEMENTS`) in CA and KR; other priced commodities are reported.

Only rows of scope ``model`` (figures the model is meant to reproduce) carry a target;
rows of scope ``wider`` include markets or uses outside the model and are reported only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

VOLUME_TOLERANCE = 0.15
"""Largest relative difference of a volume in the first model year (15 %)."""
SHARE_TOLERANCE = 0.10
"""Largest difference of an origin's share, as a fraction (10 percentage points)."""
PRICE_FACTOR = 2.0
"""Largest factor between a shadow price and the reference price, either way."""
PRICE_ELEMENTS = ("Li", "Ni", "Co", "Cu", "C")
"""Elements whose refined and material forms carry the price target."""
PRICE_REGIONS = ("CA", "KR")
"""Regions whose shadow prices are compared with reference prices."""

COLUMNS = [
    "measure",
    "region",
    "partner",
    "item",
    "scope",
    "basis",
    "observed_year",
    "year",
    "observed",
    "model",
    "difference",
    "relative",
    "unit",
    "tolerance",
    "target",
    "within",
]
_PRODUCING_KINDS = ("mining", "refining", "manufacturing")
_ROUNDING = 1e-9
"""Slack for floating-point rounding when a difference lies on its tolerance."""
ALL = "all"
"""Partner of the rows that total imports or exports over every partner."""


def compute(
    tables: Mapping[str, pd.DataFrame],
    observed: pd.Series,
    observed_share: pd.Series,
    reference_price: pd.Series | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """The calibration table: model, observed and their difference per observed figure.

    Parameters
    ----------
    tables
        Result tables; uses ``trade``, ``flows``, ``demand``, ``processes`` and
        ``commodities``.
    observed
        Parameter ``observed`` indexed by quantity, region, partner, commodity, year and
        scope (units of the commodity).
    observed_share
        Parameter ``observed_share`` indexed by region, item, partner, year and basis.
    reference_price
        Parameter ``reference_price`` indexed by commodity (USD per unit); no price rows
        when omitted or when the results have no ``prices`` table.
    year
        Model year compared; the first year of the results when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per observed key (its latest observed year), columns :data:`COLUMNS`.
        ``difference`` is model minus observed; ``relative`` is model / observed - 1
        (volumes only); ``within`` says whether ``|relative|`` (volumes) or
        ``|difference|`` (shares) is at most ``tolerance``; ``target`` marks the rows the
        targets apply to (scope ``model``).
    """
    prices = reference_price if reference_price is not None else pd.Series([], dtype=float)
    if observed.empty and observed_share.empty and (prices.empty or "prices" not in tables):
        return pd.DataFrame(columns=COLUMNS)
    if year is None:
        years = [tables[n]["year"] for n in ("activity", "trade") if n in tables]
        years = [y for y in years if not y.empty]
        if not years:
            return pd.DataFrame(columns=COLUMNS)
        year = int(min(y.min() for y in years))
    rows = _volumes(tables, observed, year) + _shares(tables, observed_share, year)
    if "prices" in tables:
        rows += _prices(tables, prices, year)
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"target": bool, "within": bool, "year": int, "observed_year": int})


def _latest(series: pd.Series, keys: list[str]) -> pd.DataFrame:
    """Rows of ``series`` at the latest year of each key."""
    frame = series.reset_index()
    latest = frame.groupby(keys)["year"].transform("max")
    return frame[frame["year"] == latest]


def _volumes(tables: Mapping[str, pd.DataFrame], observed: pd.Series, year: int) -> list[list]:
    if observed.empty:
        return []
    units = tables["commodities"].set_index("commodity")["unit"]
    obs = _latest(observed, ["quantity", "region", "commodity", "scope"])
    traded = obs["quantity"].isin(["imports", "exports"])
    totals = (
        obs[traded]
        .groupby(["quantity", "region", "commodity", "year", "scope"], as_index=False)["value"]
        .sum()
        .assign(partner=ALL)
    )
    rows = []
    for r in pd.concat([obs, totals], ignore_index=True).itertuples(index=False):
        model = _model_volume(tables, r.quantity, r.region, r.partner, r.commodity, year)
        relative = model / r.value - 1.0 if r.value > 0 else np.nan
        target = r.scope == "model" and (
            r.quantity not in ("imports", "exports") or r.partner == ALL
        )
        within = (
            bool(abs(relative) <= VOLUME_TOLERANCE + _ROUNDING) if np.isfinite(relative) else False
        )
        rows.append(
            [
                r.quantity,
                r.region,
                r.partner,
                r.commodity,
                r.scope,
                "volume",
                r.year,
                year,
                r.value,
                model,
                model - r.value,
                relative,
                str(units.get(r.commodity, "")),
                VOLUME_TOLERANCE if target else np.nan,
                target,
                within,
            ]
        )
    return rows


def _model_volume(
    tables: Mapping[str, pd.DataFrame],
    quantity: str,
    region: str,
    partner: str,
    commodity: str,
    year: int,
) -> float:
    if quantity in ("imports", "exports"):
        tr = tables["trade"]
        here, there = (
            ("destination", "origin") if quantity == "imports" else ("origin", "destination")
        )
        sel = (tr["commodity"] == commodity) & (tr[here] == region) & (tr["year"] == year)
        sel &= tr[there] != region
        if partner != ALL:
            sel &= tr[there] == partner
        return float(tr.loc[sel, "value"].sum())
    if quantity == "sales":
        dem = tables["demand"]
        sel = (dem["region"] == region) & (dem["commodity"] == commodity) & (dem["year"] == year)
        return float(dem.loc[sel, "value"].sum())
    kinds = tables["processes"].set_index("process")["kind"]
    producing = set(kinds.index[kinds.isin(_PRODUCING_KINDS)])
    fl = tables["flows"]
    sel = (
        (fl["direction"] == "out")
        & (fl["commodity"] == commodity)
        & (fl["region"] == region)
        & (fl["year"] == year)
        & fl["process"].isin(producing)
    )
    return float(fl.loc[sel, "value"].sum())


def _shares(tables: Mapping[str, pd.DataFrame], observed_share: pd.Series, year: int) -> list[list]:
    if observed_share.empty:
        return []
    com = tables["commodities"].set_index("commodity")
    tr = tables["trade"]
    tr = tr[tr["year"] == year]
    rows = []
    obs = _latest(observed_share, ["region", "item", "partner", "basis"])
    for r in obs.itertuples(index=False):
        if r.item in com.index:
            members = [r.item]
        else:
            members = list(com.index[(com["element"] == r.item) & (com["unit"] == "t")])
        into = tr[tr["commodity"].isin(members) & (tr["destination"] == r.region)]
        into = into[into["origin"] != r.region]
        total = float(into["value"].clip(lower=0.0).sum())
        total += _bought(tables, members, r.region, year)
        from_partner = float(into.loc[into["origin"] == r.partner, "value"].clip(lower=0.0).sum())
        model = from_partner / total if total > 0 else np.nan
        difference = model - r.value
        within = (
            bool(abs(difference) <= SHARE_TOLERANCE + _ROUNDING)
            if np.isfinite(difference)
            else False
        )
        rows.append(
            [
                "import_share",
                r.region,
                r.partner,
                r.item,
                "model",
                r.basis,
                r.year,
                year,
                r.value,
                model,
                difference,
                np.nan,
                "dimensionless",
                SHARE_TOLERANCE,
                True,
                within,
            ]
        )
    return rows


def _bought(
    tables: Mapping[str, pd.DataFrame], members: list[str], region: str, year: int
) -> float:
    """Purchases from the rest-of-world market (``market`` table): imports from outside the
    model, counted in the denominator of an origin's share."""
    if "market" not in tables:
        return 0.0
    mk = tables["market"]
    sel = (
        (mk["direction"] == "buy")
        & mk["commodity"].isin(members)
        & (mk["region"] == region)
        & (mk["year"] == year)
    )
    return float(mk.loc[sel, "value"].sum())


def _prices(tables: Mapping[str, pd.DataFrame], reference: pd.Series, year: int) -> list[list]:
    if reference.empty:
        return []
    com = tables["commodities"].set_index("commodity")
    pr = tables["prices"]
    pr = pr[(pr["year"] == year) & pr["region"].isin(PRICE_REGIONS)]
    rows = []
    for (commodity, region), model in pr.groupby(["commodity", "region"])["value"].sum().items():
        if commodity not in reference.index or reference[commodity] <= 0:
            continue
        ref = float(reference[commodity])
        attrs = com.loc[commodity]
        target = (
            attrs["element"] in PRICE_ELEMENTS
            and attrs["stage"] in ("refining", "material")
            and not bool(attrs["secondary"])
        )
        ratio = model / ref
        within = bool(1.0 / PRICE_FACTOR - _ROUNDING <= ratio <= PRICE_FACTOR + _ROUNDING)
        rows.append(
            [
                "price",
                region,
                region,
                commodity,
                "model",
                "price",
                year,
                year,
                ref,
                float(model),
                float(model) - ref,
                ratio - 1.0,
                f"USD/{attrs['unit']}",
                PRICE_FACTOR if target else np.nan,
                target,
                within,
            ]
        )
    return rows
