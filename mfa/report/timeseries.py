"""Figures over time: supply mix, indicators, commodity prices and shadow prices of limits."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mfa.report.element import TablesLike, get_meta, get_tables, table
from mfa.report.style import (
    DARK_GREY,
    OTHER,
    add_lce_axis,
    category_colours,
    element_name,
    figsize,
    figure_of,
    format_value,
    group_small,
    house_style,
    other_colour,
    panel_grid,
    pretty_unit,
    region_colour,
    scale_unit,
    unit_label,
)

INDICATOR_LABELS: dict[str, str] = {
    "import_dependency": "Import dependency",
    "largest_supplier_share": "Largest-supplier share",
    "hhi": "Supplier concentration (HHI)",
    "recycled_input_rate": "Recycled input rate",
    "eol_recycling_rate": "End-of-life recycling rate",
    "self_sufficiency": "Self-sufficiency",
    "share_from_CA": "Share of supply from Canada",
    "share_from_KR": "Share of supply from Korea",
    "secondary_supply_share": "Recycled share of supply",
    "partnership_self_sufficiency": "Partnership self-sufficiency",
    "collection_rate": "Collection rate",
}


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig = plt.figure(figsize=size, layout="constrained")
        return fig, fig.add_subplot()
    return figure_of(ax), ax


def _recycled_tonnes(
    tables: TablesLike, element: str, region: str, years: pd.Index, total: pd.Series
) -> pd.Series:
    """Domestic recycled output of an element (t): the ``secondary_supply_share`` indicator
    times the total supply."""
    ind = table(tables, "indicators")
    if ind.empty:
        return pd.Series(0.0, index=years)
    share = ind[
        (ind["indicator"] == "secondary_supply_share")
        & (ind["region"] == region)
        & (ind["element"] == element)
    ]
    sh = share.groupby(share["year"].astype(int))["value"].sum()
    return (sh.reindex(years, fill_value=0.0) * total).fillna(0.0)


WORLD_MARKET = "market"
"""Column of purchases from the rest-of-world market in :func:`supply_mix` (the origin the
indicators give them)."""


def _market_purchases(tables: TablesLike, element: str, region: str) -> pd.Series:
    """Purchases of an element by a region from the rest-of-world market by year (t), from the
    results' ``market_element`` table (empty when the results have none)."""
    bought = table(tables, "market_element")
    if bought.empty:
        return pd.Series(dtype=float)
    sel = bought[
        (bought["direction"] == "buy")
        & (bought["region"] == region)
        & (bought["element"] == element)
    ]
    return sel.groupby(sel["year"].astype(int))["value"].sum()


def supply_mix(tables: TablesLike, element: str, region: str, by: str = "origin") -> pd.DataFrame:
    """Supply of an element to a region over time, wide (year x source), in t of element.

    Read from the results' own ``supply`` table (region, element, origin, year): ``domestic``
    is split into the region's own primary output (column = the region) and ``recycled``
    (the ``secondary_supply_share`` indicator times the total), so that figures and
    indicators agree. Purchases from the rest-of-world market (``market_element``, which the
    ``supply`` table leaves out) are the column ``market`` (:data:`WORLD_MARKET`), as the
    supply-security indicators count them.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables with ``supply`` and ``indicators``.
    element
        Element symbol.
    region
        Region code.
    by
        ``"origin"`` (domestic primary, each import origin, recycled) or ``"type"``
        (``primary``: everything but recycled; ``secondary``: recycled).

    Returns
    -------
    pandas.DataFrame
        Index ``year``, one column per source, values in t of element.
    """
    if by not in ("origin", "type"):
        raise ValueError(f"by must be 'origin' or 'type', got {by!r}")
    res = table(tables, "supply", required=True)
    s = res[(res["region"] == region) & (res["element"] == element)]
    bought = _market_purchases(tables, element, region)
    if s.empty and not (bought > 0).any():
        return pd.DataFrame(index=pd.Index([], name="year"))
    wide = s.pivot_table(
        index=s["year"].astype(int),
        columns="origin",
        values="value",
        aggfunc="sum",
        fill_value=0.0,
    )
    wide.columns = wide.columns.astype(str)
    wide.index.name = "year"
    if "domestic" in wide.columns:
        dom = wide.pop("domestic")
        rec = _recycled_tonnes(tables, element, region, wide.index, wide.sum(axis=1) + dom)
        rec = rec.clip(upper=dom)
        wide[region] = wide.get(region, 0.0) + (dom - rec).clip(lower=0.0)
        wide["recycled"] = rec
    if (bought > 0).any():
        wide = wide.reindex(wide.index.union(bought.index), fill_value=0.0)
        wide.index.name = "year"
        wide[WORLD_MARKET] = bought.reindex(wide.index, fill_value=0.0)
    wide = wide.loc[:, (wide != 0).any(axis=0)]
    if by == "type":
        rec = [c for c in wide.columns if c == "recycled"]
        typed = pd.DataFrame(
            {"primary": wide.drop(columns=rec).sum(axis=1), "secondary": wide[rec].sum(axis=1)}
        )
        wide = typed.loc[:, (typed != 0).any(axis=0)]
    else:
        own = [c for c in wide.columns if c == region]
        rec = [c for c in wide.columns if c == "recycled"]
        market = [c for c in wide.columns if c == WORLD_MARKET]
        rest = wide.drop(columns=own + rec + market).sum().sort_values(ascending=False)
        wide = wide[own + rest.index.tolist() + market + rec]
    wide.columns.name = by
    return wide


RECYCLED_FILL = "#CCEBC5"
RECYCLED_HATCH = "#009E73"
"""Recycled supply in origin charts: light green with green hatching."""
MARKET_FILL = "#FFFFFF"
MARKET_HATCH = DARK_GREY
"""World-market purchases in origin charts: white with dark-grey dots (no country)."""


def _source_names(region: str) -> dict[str, str]:
    return {
        "recycled": "Recycled (domestic)",
        region: f"Primary in {region}",
        OTHER: "Imports from others",
        WORLD_MARKET: "World market (purchases)",
    }


def _draw_supply(
    ax: Axes, wide: pd.DataFrame, region: str, by: str, divisor: float, legend: bool = True
) -> None:
    if by == "origin":
        names = {c: _source_names(region).get(c, f"Imports from {c}") for c in wide.columns}
        colours = {
            c: (
                RECYCLED_FILL
                if c == "recycled"
                else MARKET_FILL
                if c == WORLD_MARKET
                else other_colour()
                if c == OTHER
                else region_colour(c)
            )
            for c in wide.columns
        }
    else:
        names = {"primary": "Primary", "secondary": "Secondary (recycled)"}
        colours = category_colours(list(wide.columns), "supply_type")
    if len(wide):
        areas = ax.stackplot(
            wide.index.to_numpy(),
            *(wide[c].to_numpy() / divisor for c in wide.columns),
            labels=[names.get(c, c) for c in wide.columns],
            colors=[colours[c] for c in wide.columns],
            alpha=0.9,
            edgecolor="white",
            linewidth=0.3,
        )
        for area, c in zip(areas, wide.columns, strict=True):
            if by == "origin" and c == "recycled":  # hatched: no region shares its look
                area.set_hatch("////")
                area.set_edgecolor(RECYCLED_HATCH)
            if by == "origin" and c == WORLD_MARKET:
                area.set_hatch("....")
                area.set_edgecolor(MARKET_HATCH)
        ax.set_xlim(wide.index.min(), wide.index.max())
        if legend:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6.5, reverse=True)
    ax.set_ylim(bottom=0)


def plot_supply_mix(
    tables: TablesLike,
    element: str,
    region: str,
    by: str = "origin",
    ax: Axes | None = None,
    max_sources: int | None = None,
) -> Figure:
    """Stacked areas of a region's supply of an element over time.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    element
        Element symbol, e.g. ``"Li"``.
    region
        Region code, e.g. ``"KR"``.
    by
        ``"origin"`` (the region's own mines, each import origin, domestic recycling) or
        ``"type"`` (primary / secondary).
    ax
        Axes to draw in; a new single-column figure when ``None``.
    max_sources
        Import origins shown separately (the rest become ``Imports from others``); default
        all when there are at most 7, else the 6 largest.

    Returns
    -------
    matplotlib.figure.Figure
    """
    wide = supply_mix(tables, element, region, by)
    if by == "origin" and wide.shape[1]:
        n = max_sources if max_sources is not None else (7 if wide.shape[1] <= 9 else 6)
        keep = tuple(c for c in (region, WORLD_MARKET, "recycled") if c in wide.columns)
        wide = group_small(
            wide,
            max_n=n,
            min_share=0.0 if max_sources is None and wide.shape[1] <= 9 else 0.01,
            keep=keep,
        )
        own = [c for c in wide.columns if c == region]
        ends = [c for c in (OTHER, WORLD_MARKET, "recycled") if c in wide.columns]
        rest = [c for c in wide.columns if c not in own + ends]
        wide = wide[own + rest + ends]
    with house_style():
        fig, ax = _new_axes(ax, figsize("single", 0.62))
        divisor, unit = scale_unit(float(wide.sum(axis=1).max()) if len(wide) else 0.0, "t")
        _draw_supply(ax, wide, region, by, divisor)
        ax.set_xlabel("Year")
        ax.set_ylabel(unit_label(f"{element} supply", f"{unit} {element}"))
        kind = "by origin" if by == "origin" else "primary and secondary"
        ax.set_title(f"{element_name(element)} supply to {region}, {kind}")
        if not len(wide):
            ax.text(
                0.5,
                0.5,
                f"No {element} supply to {region}",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
    return fig


def plot_supply_grid(
    tables: TablesLike,
    region: str,
    elements: Sequence[str],
    max_sources: int = 5,
) -> Figure:
    """Supply mix by origin of several elements to one region (one panel per element).

    Each panel keeps the region's own mining, domestic recycling and the ``max_sources``
    largest import origins over the period; the rest is ``Imports from others``. Colours are
    fixed per region, so one legend serves every panel.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    region
        Region code.
    elements
        Elements, one panel each (those without supply are left out).
    max_sources
        Import origins shown separately per panel.

    Returns
    -------
    matplotlib.figure.Figure
    """
    panels = []
    for el in elements:
        wide = supply_mix(tables, el, region)
        if wide.shape[1] and float(wide.to_numpy().sum()) > 0:
            keep = tuple(c for c in (region, WORLD_MARKET, "recycled") if c in wide.columns)
            panels.append((el, group_small(wide, max_n=max_sources, min_share=0.01, keep=keep)))
    with house_style():
        n = len(panels)
        origins = {c for _, wide in panels for c in wide.columns}
        fig, axs = panel_grid(
            n,
            3 if n > 4 else 2 if n > 1 else 1,
            row_height=1.75,
            extra_height=0.3,
            legend_rows=max(1, math.ceil(len(origins) / 6)),
        )
        handles: dict[str, object] = {}
        for ax, (el, wide) in zip(axs, panels, strict=False):
            divisor, unit = scale_unit(float(wide.sum(axis=1).max()), "t")
            _draw_supply(ax, wide, region, "origin", divisor, legend=False)
            ax.set_title(element_name(el))
            ax.set_ylabel(unit_label("Supply", f"{unit} {el}"))
            ax.set_xlabel("Year")
            if el == "Li":
                add_lce_axis(ax, unit_label("Supply", f"{unit} LCE"))
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                handles.setdefault(lab, h)
        if not panels:
            axs[0].set_title(f"Supply to {region}")
            axs[0].set_xlabel("Year")
            axs[0].set_ylabel(unit_label("Supply", "t"))
            axs[0].text(0.5, 0.5, "No supply", ha="center", va="center", transform=axs[0].transAxes)
        order = sorted(
            handles,
            key=lambda k: (
                k.startswith("Imports from others"),
                k.startswith("Recycled"),
                not k.startswith("Mined"),
                k,
            ),
        )
        if handles:
            fig.axes[n].legend(
                [handles[k] for k in order],
                order,
                loc="upper center",
                ncol=min(len(order), 6),
                fontsize=6.5,
                frameon=False,
            )
        fig.suptitle(f"Supply to {region} by origin (domestic primary output, imports, recycling)")
    return fig


DEFAULT_INDICATORS: tuple[str, ...] = (
    "import_dependency",
    "largest_supplier_share",
    "hhi",
    "secondary_supply_share",
    "recycled_input_rate",
    "eol_recycling_rate",
    "share_from_CA",
    "partnership_self_sufficiency",
)
"""Indicators drawn by default (those present), in panel order."""

_SHARE_UNITS = ("fraction", "share", "-", "")


def plot_indicators(
    indicators: pd.DataFrame | TablesLike,
    element: str,
    regions: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Indicators over time, one panel per indicator, one line per region.

    Parameters
    ----------
    indicators
        Table with columns ``indicator, region, element, year, value, unit`` (or ``Results`` /
        tables holding it as ``indicators``).
    element
        Element symbol.
    regions
        Regions to draw (default: ``meta["focus_regions"]`` or CA and KR when present, plus
        the partnership row such as ``CA+KR``; else every region of the table).
    names
        Indicators to draw, in panel order (default: those of :data:`DEFAULT_INDICATORS`
        present with non-zero values, else all).
    axes
        One axes per indicator; a new figure (two panels per row) when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ind = indicators if isinstance(indicators, pd.DataFrame) else table(indicators, "indicators")
    ind = ind[ind["element"] == element] if not ind.empty else ind
    if regions is None and not ind.empty:
        meta = {} if isinstance(indicators, pd.DataFrame) else get_meta(indicators)
        focus = list(
            meta.get("focus_regions") or [r for r in ("CA", "KR") if r in set(ind["region"])]
        )
        if focus:
            regions = [*focus, "+".join(focus)]
    if regions is not None and not ind.empty:
        ind = ind[ind["region"].isin(list(regions))]
    if names is None:
        present = (
            ind.groupby("indicator")["value"].apply(lambda v: bool((v.abs() > 1e-9).any()))
            if not ind.empty
            else pd.Series(dtype=bool)
        )
        names = [n for n in DEFAULT_INDICATORS if present.get(n, False)]
        if not names:
            names = list(dict.fromkeys(ind.get("indicator", [])))
    names = list(names)
    order = {r: i for i, r in enumerate(regions or [])}
    with house_style():
        if axes is None:
            ncols = 3 if len(names) > 4 else 2 if len(names) > 1 else 1
            fig, axs = panel_grid(
                len(names),
                ncols,
                row_height=1.7,
                extra_height=0.6,
                width="double" if ncols > 1 else "single",
            )
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        handles: dict[str, object] = {}
        for ax, name in zip(axs, names, strict=False):
            sub = ind[ind["indicator"] == name]
            unit = str(sub["unit"].iloc[0]) if len(sub) else ""
            if unit in _SHARE_UNITS:
                scale, shown = 100.0, "%"
            elif unit.startswith("index (0-1)"):
                scale, shown = 1.0, "index, 0–1"
            elif unit.startswith("index"):
                scale, shown = 1.0, "index, 0–10 000"
            else:
                scale, shown = 1.0, unit
            groups = sorted(
                sub.groupby("region", sort=False), key=lambda kv: order.get(str(kv[0]), len(order))
            )
            for r, g in groups:
                g = g.sort_values("year")
                partnership = "+" in str(r)
                (line,) = ax.plot(
                    g["year"],
                    g["value"] * scale,
                    color="#333333" if partnership else region_colour(str(r)),
                    linestyle="--" if partnership else "-",
                    label=str(r),
                )
                handles.setdefault(str(r), line)
            if shown == "%":
                top = float((sub["value"] * scale).max()) if len(sub) else 100.0
                ax.set_ylim(0, max(105.0, top * 1.05) if top > 100.0 else 102.0)
            elif shown.startswith("index, 0–1"):
                ax.set_ylim(0, 1.02)
            label = INDICATOR_LABELS.get(name, name.replace("_", " ").capitalize())
            ax.set_title(label)
            short = "HHI" if name == "hhi" else label.split(" (")[0]
            ax.set_ylabel(unit_label(short if len(short) < 22 else "Share", pretty_unit(shown)))
            ax.set_xlabel("Year")
            ax.grid(axis="y")
        if not names:
            axs[0].set_title(f"Indicators, {element}")
            axs[0].set_xlabel("Year")
            axs[0].set_ylabel(unit_label("Indicator", "-"))
            axs[0].text(
                0.5, 0.5, "No indicators", ha="center", va="center", transform=axs[0].transAxes
            )
        if handles and axes is None:
            fig.legend(
                list(handles.values()),
                list(handles),
                loc="outside lower center",
                ncol=len(handles),
                title="Region",
                fontsize=6.5,
            )
            fig.suptitle(f"{element_name(element)}: supply-security and circularity indicators")
        elif handles:
            axs[0].legend(fontsize=6.5, title="Region")
    return fig


def plot_prices(
    tables: TablesLike,
    commodities: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Commodity prices (duals of the balances) over time, one line per commodity and region.

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``prices`` (commodity, region, year, value, unit).
    commodities, regions
        Subsets to draw (default: all).
    ax
        Axes to draw in.

    Returns
    -------
    matplotlib.figure.Figure
    """
    pr = table(tables, "prices")
    if commodities is not None and not pr.empty:
        pr = pr[pr["commodity"].isin(list(commodities))]
    if regions is not None and not pr.empty:
        pr = pr[pr["region"].isin(list(regions))]
    with house_style():
        fig, ax = _new_axes(ax, figsize("single", 0.72))
        unit = str(pr["unit"].iloc[0]) if len(pr) else "USD/t"
        divisor, shown = scale_unit(float(pr["value"].abs().max()) if len(pr) else 0.0, unit)
        styles = ["-", "--", ":", "-."]
        for i, ((c, r), g) in enumerate(pr.groupby(["commodity", "region"], sort=False)):
            g = g.sort_values("year")
            ax.plot(
                g["year"],
                g["value"] / divisor,
                color=region_colour(str(r)),
                linestyle=styles[i % len(styles)],
                label=f"{c} ({r})",
            )
        ax.set_xlabel("Year")
        ax.set_ylabel(unit_label("Marginal price", pretty_unit(shown)))
        ax.set_title("Commodity prices (duals of the balances)")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=6)
    return fig


PRICE_STAGES: tuple[str, ...] = ("refining", "material")
"""Commodity stages whose prices :func:`plot_key_prices` draws (the traded refined forms)."""


def plot_key_prices(
    tables: TablesLike,
    elements: Sequence[str],
    regions: Sequence[str] = ("KR", "CA"),
    stages: Sequence[str] = PRICE_STAGES,
) -> Figure:
    """Marginal prices of the key refined commodities of each element, one panel per element.

    The price is the dual of the commodity balance, undiscounted (USD per unit in the
    year; USD per t of contained element for element commodities). Colour gives the region,
    line style the commodity; a grey line of the same style is the commodity's market
    reference price where the results carry a ``reference_price`` table.

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``prices`` and ``commodities``.
    elements
        Elements, one panel each (those without prices are left out).
    regions
        Regions drawn.
    stages
        Commodity stages drawn.

    Returns
    -------
    matplotlib.figure.Figure
    """
    pr = table(tables, "prices")
    com = table(tables, "commodities")
    from mfa.report.element import element_matches

    panels = []
    for el in elements:
        if pr.empty or com.empty:
            break
        cs = (
            com[
                com["element"].map(lambda e, el=el: element_matches(e, el))
                & com["stage"].isin(list(stages))
            ]["commodity"]
            .astype(str)
            .tolist()
        )
        sub = pr[pr["commodity"].isin(cs) & pr["region"].isin(list(regions))]
        if len(sub) and float(sub["value"].abs().max()) > 0:
            panels.append((el, sub))
    styles = ["-", "--", ":", "-."]
    with house_style():
        n = len(panels)
        fig, axs = panel_grid(
            n, 3 if n > 4 else 2 if n > 1 else 1, row_height=1.75, extra_height=0.6
        )
        for ax, (el, sub) in zip(axs, panels, strict=False):
            unit = str(sub["unit"].iloc[0])
            divisor, shown = scale_unit(float(sub["value"].abs().max()), unit)
            cs = list(dict.fromkeys(sub["commodity"]))
            for (c, r), g in sub.groupby(["commodity", "region"], sort=False):
                g = g.sort_values("year")
                ax.plot(
                    g["year"],
                    g["value"] / divisor,
                    color=region_colour(str(r)),
                    linestyle=styles[cs.index(c) % len(styles)],
                    label=f"{c}, {r}",
                )
            ref = table(tables, "reference_price")
            if not ref.empty:
                for c in cs:
                    row = ref[ref["commodity"].astype(str) == c]
                    if len(row) and str(row["unit"].iloc[0]) == unit:
                        ax.axhline(
                            float(row["value"].iloc[0]) / divisor,
                            color=DARK_GREY,
                            linewidth=0.8,
                            linestyle=styles[cs.index(c) % len(styles)],
                            alpha=0.6,
                            label=f"{c}, market reference",
                        )
            ax.set_title(element_name(el))
            ax.set_xlabel("Year")
            per = f"{shown} {el}" if unit == "USD/t" else shown
            ax.set_ylabel(unit_label("Price", pretty_unit(per)))
            ax.set_ylim(bottom=0)
            if el == "Li" and unit == "USD/t":
                add_lce_axis(ax, unit_label("Price", f"{shown} LCE"), per_tonne=True)
            ax.legend(fontsize=5.5, handlelength=1.8)
        if not panels:
            axs[0].set_title("Commodity prices")
            axs[0].set_xlabel("Year")
            axs[0].set_ylabel(unit_label("Price", "USD/t"))
            axs[0].text(0.5, 0.5, "No prices", ha="center", va="center", transform=axs[0].transAxes)
        fig.suptitle(
            "Marginal prices of refined commodities, USD per t of contained element "
            "(duals of the balances, undiscounted)"
            + (
                "; grey: market reference price"
                if not table(tables, "reference_price").empty
                else ""
            )
        )
    return fig


def duals_tables(tables: TablesLike) -> dict[str, pd.DataFrame]:
    """The ``duals_<family>`` tables present, by family name."""
    return {
        k[len("duals_") :]: v
        for k, v in get_tables(tables).items()
        if k.startswith("duals_") and isinstance(v, pd.DataFrame)
    }


BINDING_TOLERANCE = 1e-6
"""Shadow prices smaller than this (in their unit) count as zero: the limit does not bind."""


def binding_duals(tables: TablesLike, tol: float = BINDING_TOLERANCE) -> dict[str, pd.DataFrame]:
    """The ``duals_<family>`` tables with at least one non-zero shadow price (limits that bind).

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    tol
        Absolute value below which a shadow price is zero.

    Returns
    -------
    dict
        Family name to its table, rows with zero shadow price dropped.
    """
    out = {}
    for fam, d in duals_tables(tables).items():
        if d.empty or "value" not in d:
            continue
        nz = d[d["value"].astype(float).abs() > tol]
        if len(nz):
            out[fam] = nz
    return out


def _dual_units(tables: TablesLike, d: pd.DataFrame) -> pd.Series:
    """Unit of each shadow price, ``USD/unit`` resolved to the limited quantity's unit.

    Capacity limits are per unit of activity (t, GWh, ...) and collection limits per unit
    of the commodity collected, so one family can hold several units.
    """
    unit = d["unit"].astype(str) if len(d) else pd.Series(dtype=str)
    generic = unit.str.endswith("/unit")
    if not generic.any():
        return unit
    limited: pd.Series | None = None
    if "process" in d:
        proc = table(tables, "processes")
        if "activity_unit" in proc:
            limited = d["process"].map(
                dict(zip(proc["process"], proc["activity_unit"], strict=True))
            )
    elif "commodity" in d:
        com = table(tables, "commodities")
        if "unit" in com:
            limited = d["commodity"].map(dict(zip(com["commodity"], com["unit"], strict=True)))
    if limited is None:
        return unit
    resolved = unit.str[: -len("unit")] + limited.fillna("unit").astype(str)
    return unit.where(~generic, resolved)


def plot_shadow_prices(
    tables: TablesLike,
    families: Sequence[str] | None = None,
    axes: Sequence[Axes] | None = None,
    max_series: int = 6,
) -> Figure:
    """Shadow prices of the limits that bind, one panel per constraint family.

    Families whose shadow prices are all (about) zero are left out and named in a note under
    the figure; in each panel the ``max_series`` series with the largest mean shadow price
    are drawn (the figure says how many more bind). A family without a ``year`` dimension
    (e.g. cumulative reserves) is drawn as horizontal bars.

    Parameters
    ----------
    tables
        ``Results`` or mapping holding ``duals_<family>`` tables (dims..., ``value``,
        ``unit``).
    families
        Families to draw (default: every family with a non-zero shadow price).
    axes
        One axes per family; a new figure when ``None``.
    max_series
        Most lines per panel.

    Returns
    -------
    matplotlib.figure.Figure
    """
    everything = duals_tables(tables)
    binding = binding_duals(tables)
    fams = list(families) if families is not None else list(binding)
    zero = [f for f in everything if f not in binding]
    # a limit on the whole horizon that binds for a few items is a sentence, not a panel
    few = {
        f: binding[f]
        for f in fams
        if axes is None
        and f in binding
        and "year" not in binding[f]
        and len(binding[f]) <= FEW_BINDING
        and len(fams) > 1
    }
    fams = [f for f in fams if f not in few]
    notes = [_whole_horizon_note(tables, f, d) for f, d in few.items()]
    if zero:
        notes.append(
            "Limits that never bind (all shadow prices zero): "
            + ", ".join(z.replace("_", " ") for z in zero)
            + "."
        )
    with house_style():
        if axes is None:
            ncols = 2 if len(fams) > 1 else 1
            text = "\n".join(textwrap.fill(n, 150 if ncols == 2 else 70) for n in notes)
            fig, axs = panel_grid(
                len(fams),
                ncols,
                row_height=2.2,
                width="double" if ncols == 2 else "single",
                footer=text,
            )
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        if not fams:
            axs[0].text(
                0.5,
                0.5,
                "No limit binds: every shadow price is zero",
                ha="center",
                va="center",
                transform=axs[0].transAxes,
            )
            axs[0].set_xlabel("Year")
            axs[0].set_ylabel(unit_label("Shadow price", "USD per unit of limit"))
            axs[0].set_title("Shadow prices of limits")
        for ax, fam in zip(axs, fams, strict=False):
            _draw_shadow_panel(
                ax,
                fam,
                binding.get(fam, everything.get(fam, pd.DataFrame())),
                everything.get(fam),
                tables,
                max_series,
            )
        if axes is None:
            fig.suptitle("Shadow prices of the limits that bind: cost saved per unit of relief")
    return fig


FEW_BINDING = 3
"""A whole-horizon limit binding for at most this many items is written under the figure."""


def _whole_horizon_note(tables: TablesLike, fam: str, d: pd.DataFrame) -> str:
    """One sentence for a limit without years: the items it binds and their shadow prices."""
    dims = [c for c in d.columns if c not in ("value", "unit")]
    units = _dual_units(tables, d)
    items = [
        f"{', '.join(str(row[c]) for c in dims)}: {format_value(float(row['value']), u)}"
        for (_, row), u in zip(d.iterrows(), units, strict=True)
    ]
    return f"{_family_name(fam)} (whole horizon) binds for {'; '.join(items)}."


def _family_name(fam: str) -> str:
    """A constraint family as words: ``capacity_limit`` becomes ``Capacity limit``."""
    return fam.replace("_", " ").capitalize()


def _draw_shadow_panel(
    ax: Axes,
    fam: str,
    d: pd.DataFrame,
    full: pd.DataFrame | None,
    tables: TablesLike,
    max_series: int,
) -> None:
    """One family's binding shadow prices: the largest series of its main unit."""
    dims = [c for c in d.columns if c not in ("year", "value", "unit")]
    units = _dual_units(tables, d)
    by_unit = d["value"].abs().groupby(units).sum()
    unit = str(by_unit.idxmax()) if len(by_unit) else "USD"
    other_units = len(by_unit) - 1
    d = d[units == unit]
    divisor, shown = scale_unit(float(d["value"].abs().max()) if len(d) else 0.0, unit)
    title = _family_name(fam)
    notes = []
    if "year" not in d.columns:
        lab = (
            d[dims].astype(str).agg(", ".join, axis=1)
            if dims
            else pd.Series([fam] * len(d), index=d.index)
        )
        top = d.assign(_l=lab).sort_values("value", key=abs).tail(max_series)
        ax.barh(top["_l"], top["value"] / divisor, color="#0072B2", height=0.5)
        pad = max(0.6, (3 - len(top)) / 2 + 0.4)
        ax.set_ylim(-pad, len(top) - 1 + pad)
        ax.set_xlabel(unit_label("Shadow price", pretty_unit(shown)))
        ax.set_ylabel(" × ".join(dims) if dims else "Limit")
        notes.append("whole horizon")
    else:
        keys = (
            (
                d.groupby(dims, sort=False)["value"]
                .apply(lambda v: v.abs().sum())
                .sort_values(ascending=False)
            )
            if dims
            else pd.Series([1.0], index=[fam])
        )
        shown_keys = list(keys.index[:max_series])
        source = full if full is not None else d
        for key in shown_keys:
            kt = key if isinstance(key, tuple) else (key,)
            g = source
            for c, k in zip(dims, kt, strict=False):
                g = g[g[c] == k]
            g = g.sort_values("year")
            label = ", ".join(str(k) for k in kt) if dims else fam
            ax.plot(g["year"], g["value"] / divisor, label=label, marker="o", markersize=2.0)
        ax.axhline(0, color="#999999", linewidth=0.5)
        ax.set_xlabel("Year")
        ax.set_ylabel(unit_label("Shadow price", pretty_unit(shown)))
        if len(keys) > len(shown_keys):
            notes.append(f"{len(shown_keys)} largest of {len(keys)} that bind")
        ax.legend(
            fontsize=5.5,
            title=" × ".join(dims) if dims else None,
            title_fontsize=6,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.32),
            ncol=2,
            borderaxespad=0.0,
        )
    if other_units:
        notes.append(f"{other_units} more in other units")
    ax.set_title(title + ("\n(" + "; ".join(notes) + ")" if notes else ""), fontsize=7.5)


def stacked_totals(fig: Figure) -> pd.Series:
    """Top line of the stacked areas in a supply-mix figure (for checks), indexed by year."""
    ax = fig.axes[0]
    pts = [coll.get_paths()[0].vertices for coll in ax.collections if coll.get_paths()]
    if not pts:
        return pd.Series(dtype=float)
    v = np.concatenate(pts)
    df = pd.DataFrame({"year": np.round(v[:, 0]).astype(int), "y": v[:, 1]})
    return df.groupby("year")["y"].max()
