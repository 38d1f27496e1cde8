"""From commodity tables to tonnes of one element, and the stage of every Sankey node.

Result tables count commodities in their own unit (t of contained element for element
commodities, GWh or t for products). Reporting by element multiplies each quantity by the
element content of its commodity:

* a commodity with rows in ``commodity_content`` for the element uses that value (t element per
  unit of commodity);
* otherwise a commodity whose ``element`` is the element and whose unit is ``t`` has content 1;
* every other commodity has content 0 (it carries none of the element).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

TablesLike = Any
"""A ``Mapping[str, DataFrame]`` or an object with ``.tables`` (and optionally ``.meta``)."""

ELEMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "C": ("C", "graphite", "Gr"),
    "graphite": ("C", "graphite", "Gr"),
}

STAGE_ORDER: tuple[str, ...] = (
    "resource",
    "mining",
    "refining",
    "material",
    "component",
    "product",
    "eol",
    "secondary",
)

PRODUCER_LAYER: dict[str, int] = {
    "mining": 0,
    "refining": 1,
    "material": 2,
    "component": 3,
    "product": 4,
    "use": 5,
    "eol": 6,
    "collection": 7,
    "recycling": 8,
    "repurposing": 8,
    "secondary": 8,
    "sink": 9,
}
"""Column of the Sankey in which each stage (or the producer of each commodity stage) sits."""


def get_tables(obj: TablesLike) -> Mapping[str, pd.DataFrame]:
    """Return the mapping of table name to DataFrame of a ``Results`` or a mapping.

    Parameters
    ----------
    obj
        A ``Results`` (anything with a ``tables`` attribute) or a mapping of tables.

    Returns
    -------
    Mapping
        Table name to DataFrame.
    """
    tables = getattr(obj, "tables", obj)
    if not isinstance(tables, Mapping):
        raise TypeError(
            f"expected a Results or a mapping of table name to DataFrame, got {type(obj).__name__}"
        )
    return tables


def get_meta(obj: TablesLike) -> dict[str, Any]:
    """Return the metadata dict of a ``Results`` (an empty dict for a plain mapping)."""
    meta = getattr(obj, "meta", None)
    return dict(meta) if isinstance(meta, Mapping) else {}


def table(obj: TablesLike, name: str, required: bool = False) -> pd.DataFrame:
    """One table by name, or an empty DataFrame when absent (unless ``required``).

    Parameters
    ----------
    obj
        ``Results`` or mapping of tables.
    name
        Table name, e.g. ``"flows"``.
    required
        Raise ``KeyError`` with the available names when the table is missing.
    """
    tables = get_tables(obj)
    if name in tables and tables[name] is not None:
        return tables[name]
    if required:
        raise KeyError(f"result table {name!r} is missing; available: {sorted(tables)}")
    return pd.DataFrame()


def _element_matches(value: object, element: str) -> bool:
    return str(value) in ELEMENT_ALIASES.get(element, (element,))


def element_content(tables: TablesLike, element: str) -> pd.Series:
    """Tonnes of ``element`` per unit of each commodity.

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``commodities`` and optionally ``commodity_content``.
    element
        Element symbol as used in the ``commodities`` table, e.g. ``"Li"``.

    Returns
    -------
    pandas.Series
        Indexed by commodity; 0 for commodities without the element.
    """
    com = table(tables, "commodities", required=True)
    content = pd.Series(0.0, index=pd.Index(com["commodity"].astype(str), name="commodity"))
    units = com["unit"].astype(str) if "unit" in com else pd.Series("t", index=com.index)
    own = com["element"].map(lambda e: _element_matches(e, element)) & (units == "t")
    content.loc[com.loc[own, "commodity"].astype(str)] = 1.0
    cc = table(tables, "commodity_content")
    if not cc.empty:
        rows = cc[cc["element"].map(lambda e: _element_matches(e, element))]
        summed = rows.groupby(rows["commodity"].astype(str))["value"].sum()
        # content rows replace the default for every commodity they name
        named = cc["commodity"].astype(str).unique()
        content.loc[content.index.intersection(named)] = 0.0
        content = content.reindex(content.index.union(summed.index), fill_value=0.0)
        content.loc[summed.index] = summed.astype(float)
    return content


def to_element(
    df: pd.DataFrame, tables: TablesLike, element: str, commodity_col: str = "commodity"
) -> pd.DataFrame:
    """Convert a commodity table to tonnes of one element.

    Parameters
    ----------
    df
        Tidy table with a commodity column and ``value``.
    tables
        ``Results`` or mapping (for ``commodities`` and ``commodity_content``).
    element
        Element symbol.
    commodity_col
        Name of the commodity column.

    Returns
    -------
    pandas.DataFrame
        Rows carrying the element, ``value`` in t of element, ``unit`` = ``"t"`` and a new
        ``element`` column.
    """
    if df is None or df.empty:
        cols = (
            [
                *(c for c in df.columns if c not in ("value", "unit", "element")),
                "element",
                "value",
                "unit",
            ]
            if df is not None
            else ["element", "value", "unit"]
        )
        return pd.DataFrame(columns=cols)
    content = element_content(tables, element)
    factor = df[commodity_col].astype(str).map(content).fillna(0.0)
    out = df.assign(value=df["value"].astype(float) * factor, unit="t", element=element)
    out = out[factor.to_numpy() != 0.0]
    cols = [c for c in out.columns if c not in ("value", "unit")] + ["value", "unit"]
    return out[cols].reset_index(drop=True)


def commodity_stages(tables: TablesLike) -> pd.Series:
    """Stage of every commodity (``resource`` ... ``secondary``), indexed by commodity."""
    com = table(tables, "commodities", required=True)
    return pd.Series(com["stage"].astype(str).to_numpy(), index=com["commodity"].astype(str))


def secondary_commodities(tables: TablesLike) -> set[str]:
    """Commodities that count as secondary (recycled) material."""
    com = table(tables, "commodities", required=True)
    flag = com["secondary"].astype(bool) if "secondary" in com else False
    return set(com.loc[flag | (com["stage"] == "secondary"), "commodity"].astype(str))


def process_stages(tables: TablesLike) -> pd.Series:
    """Sankey stage of every process.

    Mining, refining, collection, recycling and repurposing processes take their ``kind``; a
    manufacturing process takes the stage of its main output (``material``, ``component`` or
    ``product``) as found in the ``flows`` table (the output with the highest-ranked stage; a
    process with no outputs there counts as ``material``).

    Returns
    -------
    pandas.Series
        Indexed by process.
    """
    proc = table(tables, "processes", required=True)
    stages = pd.Series(proc["kind"].astype(str).to_numpy(), index=proc["process"].astype(str))
    flows = table(tables, "flows")
    if not flows.empty:
        cstage = commodity_stages(tables)
        rank = {s: i for i, s in enumerate(STAGE_ORDER)}
        outs = flows[flows["direction"] == "out"][["process", "commodity"]].drop_duplicates()
        outs = outs.assign(stage=outs["commodity"].astype(str).map(cstage))
        outs = outs[outs["stage"].isin(("material", "component", "product"))]
        best = outs.assign(r=outs["stage"].map(rank)).sort_values("r").groupby("process")["stage"]
        main = best.last()
        manu = stages[stages == "manufacturing"].index
        stages.loc[manu] = [main.get(p, "material") for p in manu]
    stages = stages.replace({"manufacturing": "material"})
    return stages


def supply_table(
    tables: TablesLike, element: str, regions: str | list[str] | None = None
) -> pd.DataFrame:
    """Gross supply of an element into each region's chain, by source.

    Every tonne is counted once, where it enters the region: mined in the region
    (``source`` = the region, ``type`` = ``primary``), recovered by recycling in the region
    (``source`` = ``"recycled"``, ``type`` = ``secondary``), or imported at any stage except
    end-of-life scrap (``source`` = the origin; ``type`` = ``secondary`` for secondary
    commodities, else ``primary``). Imported scrap is counted when it is recycled. Exports are not
    subtracted.

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``flows``, ``trade``, ``processes``, ``commodities``.
    element
        Element symbol.
    regions
        One region, a list, or ``None`` for every region with a flow or import.

    Returns
    -------
    pandas.DataFrame
        Columns ``region, element, year, source, type, value, unit`` (t of element).
    """
    cols = ["region", "element", "year", "source", "type", "value", "unit"]
    proc = table(tables, "processes", required=True)
    kind = pd.Series(proc["kind"].astype(str).to_numpy(), index=proc["process"].astype(str))
    cstage = commodity_stages(tables)
    second = secondary_commodities(tables)
    parts = []
    flows = to_element(table(tables, "flows"), tables, element)
    if not flows.empty:
        out = flows[flows["direction"] == "out"]
        k = out["process"].astype(str).map(kind)
        mined = out[k == "mining"]
        parts.append(mined.assign(source=mined["region"], type="primary"))
        rec = out[k == "recycling"]
        parts.append(rec.assign(source="recycled", type="secondary"))
    trade = to_element(table(tables, "trade"), tables, element)
    if not trade.empty:
        trade = trade[trade["commodity"].astype(str).map(cstage) != "eol"]
        trade = trade[trade["origin"] != trade["destination"]]
        typ = trade["commodity"].astype(str).isin(second).map({True: "secondary", False: "primary"})
        parts.append(trade.assign(region=trade["destination"], source=trade["origin"], type=typ))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=cols)
    df = pd.concat([p[["region", "year", "source", "type", "value"]] for p in parts])
    if regions is not None:
        regs = [regions] if isinstance(regions, str) else list(regions)
        df = df[df["region"].isin(regs)]
    df = df.groupby(["region", "year", "source", "type"], as_index=False)["value"].sum()
    df = df.assign(element=element, unit="t")
    return df[cols].sort_values(["region", "year", "type", "source"]).reset_index(drop=True)
