"""Figures and tables of where an element was mined and processed (from :mod:`mfa.origin`).

* :func:`supplier_routes`: what one region supplies another, by route: **mined** in the
  supplier (or recycled there: under the default ``origin_rules`` recycling confers the mine
  origin), **processed** in the supplier from ore mined elsewhere, or **re-exported** (neither
  mined nor processed in the supplier); :func:`plot_supplier_routes` draws it.
* :func:`origin_sankey_links` / :func:`plot_origin_sankey`: the Sankey diagram of
  :mod:`mfa.report.sankey` with every band split and coloured by the mine (or processing)
  origin of the element it carries.

Everything reads result tables only (``supply_origin``, ``flows_by_origin``,
``trade_by_origin``, ``eol_by_origin``, ``demand_by_origin``), in t of element.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from mfa.origin import UNTRACED
from mfa.report.element import TablesLike, commodity_stages, process_stages, table
from mfa.report.sankey import Scope, plot_sankey, sankey_links
from mfa.report.style import (
    element_name,
    house_style,
    panel_grid,
    scale_unit,
)

ROUTES = ("mined", "processed", "re-exported")
"""Routes of :func:`supplier_routes`, in the order they are stacked."""
ROUTE_COLOURS = {"mined": "#1B7837", "processed": "#7FBF7B", "re-exported": "#BBBBBB"}
"""Colours of the routes: dark green mined, light green processed, grey re-exported."""
_COLUMN = {"mine": "mine_origin", "processing": "processing_origin"}


def supplier_routes(
    tables: TablesLike,
    supplier: str = "CA",
    buyer: str = "KR",
    elements: Sequence[str] | None = None,
) -> pd.DataFrame:
    """What ``supplier`` ships to ``buyer``, by route, element and year.

    Counts the buyer's supply shipped by the supplier (``supply_origin``, upstream forms in
    t of element): ``mined`` where the mine origin is the supplier; ``processed`` where the
    processing origin is the supplier and the mine origin is not; ``re-exported`` otherwise.

    Returns
    -------
    DataFrame
        ``element, year, route, value, unit`` (every route of every element and year, zeros
        included), plus ``share`` of the element-year total.
    """
    supply = table(tables, "supply_origin", required=True)
    shipped = supply[(supply["region"] == buyer) & (supply["shipper"] == supplier)]
    if elements is not None:
        shipped = shipped[shipped["element"].isin(list(elements))]
    route = np.where(
        shipped["mine_origin"] == supplier,
        "mined",
        np.where(shipped["processing_origin"] == supplier, "processed", "re-exported"),
    )
    grouped = shipped.assign(route=route).groupby(["element", "year", "route"])["value"].sum()
    keys = sorted(set(zip(shipped["element"], shipped["year"], strict=True)))
    full = pd.MultiIndex.from_tuples(
        [(e, t, r) for e, t in keys for r in ROUTES], names=["element", "year", "route"]
    )
    out = grouped.reindex(full, fill_value=0.0).rename("value").reset_index()
    total = out.groupby(["element", "year"])["value"].transform("sum")
    out["share"] = (out["value"] / total.where(total > 0)).fillna(0.0)
    out["unit"] = "t"
    return out[["element", "year", "route", "value", "unit", "share"]]


def plot_supplier_routes(
    routes: pd.DataFrame, supplier: str = "CA", buyer: str = "KR", ax: Axes | None = None
) -> Figure:
    """Stacked bars per year of :func:`supplier_routes`, one panel per element.

    Parameters
    ----------
    routes
        Output of :func:`supplier_routes`.
    ax
        Draw one element's panel into this axes (the table must hold one element).
    """
    elements = list(dict.fromkeys(routes["element"]))
    with house_style():
        if ax is not None:
            fig, axes = cast(Figure, ax.figure), [ax]
        else:
            fig, axes = panel_grid(len(elements), ncols=2, row_height=2.0, extra_height=0.6)
        for panel, element in zip(axes, elements, strict=False):
            rows = routes[routes["element"] == element]
            wide = rows.pivot_table(index="year", columns="route", values="value", aggfunc="sum")
            wide = wide.reindex(columns=list(ROUTES), fill_value=0.0).fillna(0.0)
            divisor, unit = scale_unit(float(wide.sum(axis=1).max()) if len(wide) else 0.0, "t")
            bottom = np.zeros(len(wide))
            for route in ROUTES:
                height = wide[route].to_numpy() / divisor
                panel.bar(wide.index, height, bottom=bottom, color=ROUTE_COLOURS[route])
                bottom += height
            panel.set_title(f"{element_name(element)} from {supplier} to {buyer}")
            panel.set_ylabel(f"{unit} of element")
        handles = [Patch(color=ROUTE_COLOURS[r], label=_route_label(r, supplier)) for r in ROUTES]
        fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    return fig


def _route_label(route: str, supplier: str) -> str:
    return {
        "mined": f"mined (or recycled) in {supplier}",
        "processed": f"processed in {supplier} from others' ore",
        "re-exported": f"re-exported by {supplier}",
    }[route]


def origin_sankey_links(
    tables: TablesLike, element: str, year: int, scope: Scope = "all", basis: str = "mine"
) -> pd.DataFrame:
    """The links of :func:`mfa.report.sankey.sankey_links`, each split by origin.

    A band carries the origin mix of what its source node puts out: for a process node, the
    outputs of that stage in its region of the commodity stage the band carries; for an
    import node, the exporter's shipments of that stage; for use and end-of-life nodes, the
    end-of-life arising of the region. ``color_key`` is the origin (``untraced`` where no mix
    is known, e.g. losses of a node with no output).

    Parameters
    ----------
    basis
        ``mine`` (where the element was extracted) or ``processing`` (last substantial
        transformation).
    """
    links = sankey_links(tables, element, year, scope, color_by="origin")
    mixes = _Mixes(tables, element, year, _COLUMN[basis])
    nodes = links.attrs.get("nodes", {})
    parts = []
    for row in links.itertuples(index=False):
        mix = mixes.of(nodes.get(row.source), row.stage)
        for origin, share in mix.items():
            parts.append({**row._asdict(), "value": row.value * share, "color_key": origin})
    out = pd.DataFrame(parts, columns=links.columns)
    out.attrs = dict(links.attrs)
    return out


class _Mixes:
    """Origin shares of what each kind of Sankey node puts out, for one element and year."""

    def __init__(self, tables: TablesLike, element: str, year: int, column: str) -> None:
        stage = commodity_stages(tables)
        layer = process_stages(tables)

        def pick(name: str) -> pd.DataFrame:
            frame = table(tables, name, required=True)
            return frame[(frame["element"] == element) & (frame["year"] == year)]

        flows = pick("flows_by_origin")
        flows = flows[flows["direction"] == "out"]
        flows = flows.assign(layer=flows["process"].map(layer), stage=flows["commodity"].map(stage))
        self.process = _shares(flows, ["region", "layer", "stage"], column)
        self.process_any = _shares(flows, ["region", "layer"], column)
        # nodes of all regions merged (``by_region=False``) have region None
        merged = flows.assign(region="")
        self.process.update(_shares(merged, ["region", "layer", "stage"], column, ""))
        self.process_any.update(_shares(merged, ["region", "layer"], column, ""))
        trade = pick("trade_by_origin")
        trade = trade.assign(stage=trade["commodity"].map(stage))
        self.imports = _shares(trade, ["origin", "stage"], column)
        self.imports_any = _shares(trade, ["origin"], column)
        eol = pick("eol_by_origin")
        self.eol = _shares(eol, ["region"], column)
        self.eol.update(_shares(eol.assign(region=""), ["region"], column, ""))

    def of(self, node: object, stage: str) -> dict[str, float]:
        kind = getattr(node, "type", None)
        region = getattr(node, "region", None)
        if kind == "process":
            step = getattr(node, "stage", None)
            found = self.process.get((region, step, stage))
            found = found or self.process_any.get((region, step))
        elif kind == "import":
            found = self.imports.get((region, stage)) or self.imports_any.get((region,))
        elif kind in ("use", "eol"):
            found = self.eol.get((region,))
        else:
            found = None
        return found or {UNTRACED: 1.0}


def _shares(
    frame: pd.DataFrame, keys: list[str], column: str, merged: str | None = None
) -> dict[tuple, dict[str, float]]:
    """``key tuple -> {origin: share}`` of ``frame``'s values grouped by ``keys``; with
    ``merged``, a region key equal to it is stored as ``None`` (all regions together)."""
    grouped = frame.groupby([*keys, column])["value"].sum()
    out: dict[tuple, dict[str, float]] = {}
    for key, value in grouped.items():
        *head, origin = key
        if merged is not None:
            head = [None if h == merged else h for h in head]
        out.setdefault(tuple(head), {})[origin] = float(value)
    for key, mix in out.items():
        total = sum(mix.values())
        out[key] = {o: v / total for o, v in mix.items() if total > 0}
    return out


def plot_origin_sankey(
    tables: TablesLike,
    element: str,
    year: int,
    scope: Scope = "all",
    basis: str = "mine",
    ax: Axes | None = None,
    min_share: float = 0.002,
) -> Figure:
    """Sankey diagram of one element in one year, bands coloured by mine (or processing)
    origin (the legend names the origins). See :func:`origin_sankey_links`."""
    links = origin_sankey_links(tables, element, year, scope, basis)
    fig = plot_sankey(
        tables,
        element,
        year,
        scope,
        color_by="origin",
        ax=ax,
        links=links,
        min_share=min_share,
    )
    axis = ax if ax is not None else fig.axes[0]
    legend = axis.get_legend()
    if legend is not None:
        legend.set_title(f"Flow colour: {basis} origin of the element")
    return fig
