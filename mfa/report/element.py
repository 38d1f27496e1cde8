"""From commodity tables to tonnes of one element, and the stage of every Sankey node.

Result tables count commodities in their own unit (t of contained element for element
commodities, GWh or t for products). Reporting by element multiplies each quantity by the
element content of its commodity as the model defines it (:func:`mfa.indicators.content_long`);
supply and indicators are the model's own ``supply`` and ``indicators`` tables, never
recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from mfa.indicators import content_long

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
    """Tonnes of ``element`` per unit of each commodity, as the model counts it
    (:func:`mfa.indicators.content_long`: ``commodity_content`` rows, else 1 for a commodity
    of the element measured in t).

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
    long = content_long(get_tables(tables))
    rows = long[long["element"].map(lambda e: _element_matches(e, element))]
    summed = rows.groupby(rows["commodity"].astype(str))["content"].sum().astype(float)
    index = pd.Index(com["commodity"].astype(str), name="commodity").union(summed.index)
    return summed.reindex(index, fill_value=0.0).rename_axis("commodity")


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
