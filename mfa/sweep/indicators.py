"""The compact record each sample of a sweep keeps.

One tidy table per sample, columns ``indicator, region, partner, item, year,
value, unit``:

* ``activity``: total activity by process kind (``item``) and region;
* ``imports``: shipments into each focus region (``region``, default KR) by
  origin (``partner``) and commodity (``item``);
* ``unmet``: final demand not served by region and commodity;
* ``cost``: undiscounted cost by component (``item``) and region (USD).

All rows are kept, zeros included, so that statistics across samples see every
sample. Scalars (objective, total unmet, checks) go to the sample table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from mfa.inputs.data import ModelData

COLUMNS = ["indicator", "region", "partner", "item", "year", "value", "unit"]
KEYS = ["indicator", "region", "partner", "item", "year", "unit"]


def _shape(
    frame: pd.DataFrame, indicator: str, region: str, item: str, partner: str | None = None
) -> pd.DataFrame:
    keys = [region, item, "year", "unit"] + ([partner] if partner else [])
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    g = frame.groupby(keys, as_index=False, sort=True)["value"].sum()
    out = pd.DataFrame(
        {
            "indicator": indicator,
            "region": g[region].astype(str),
            "partner": g[partner].astype(str) if partner else "",
            "item": g[item].astype(str),
            "year": g["year"].astype(int),
            "value": g["value"].astype(float),
            "unit": g["unit"].astype(str),
        }
    )
    return out[COLUMNS]


def indicators(
    tables: Mapping[str, pd.DataFrame], data: ModelData, focus: Sequence[str] = ("KR",)
) -> pd.DataFrame:
    """The per-year indicators of one solved sample (see the module docstring)."""
    act = tables["activity"].assign(
        kind=lambda f: f["process"].map(data.processes["kind"]).fillna("?")
    )
    regions = [r for r in focus if r in data.regions] or list(data.regions)
    trade = tables["trade"]
    trade = trade[trade["destination"].isin(regions)]
    parts = [
        _shape(act, "activity", "region", "kind"),
        _shape(trade, "imports", "destination", "commodity", partner="origin"),
        _shape(tables["unmet"], "unmet", "region", "commodity"),
        _shape(tables["costs"], "cost", "region", "component"),
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True)


def scalars(tables: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """Sample-level numbers besides the objective: total unmet demand (model units summed)
    and total undiscounted cost (USD)."""
    return {
        "total_unmet": float(tables["unmet"]["value"].sum()),
        "total_cost_undiscounted": float(tables["costs"]["value"].sum()),
    }


def ensemble(
    indicators: pd.DataFrame,
    samples: pd.DataFrame,
    indicator: str,
    unit: str | None = None,
    scenario: str | None = None,
    **select: str | Sequence[str],
) -> pd.DataFrame:
    """One indicator summed per sample and year (``sample, year, value, unit``), for a
    fan chart. ``select`` filters on ``region``, ``partner`` or ``item``; missing
    sample-years count as 0."""
    ok = samples[samples["status"] == "optimal"]
    if scenario is not None:
        ok = ok[ok["scenario"] == scenario]
    f = indicators[(indicators["indicator"] == indicator) & indicators["sample"].isin(ok["sample"])]
    if unit is not None:
        f = f[f["unit"] == unit]
    for col, wanted in select.items():
        f = f[f[col].isin([wanted] if isinstance(wanted, str) else list(wanted))]
    if f.empty:
        return pd.DataFrame(columns=["sample", "year", "value", "unit"])
    units = sorted(f["unit"].unique())
    if len(units) > 1:
        raise ValueError(f"indicator '{indicator}' mixes units {units}: pass unit=")
    g = f.groupby(["sample", "year"])["value"].sum().unstack("year")
    g = g.reindex(index=list(ok["sample"])).fillna(0.0)
    long = g.stack().rename("value").reset_index()
    long["unit"] = units[0]
    return long
