"""Figures over time: supply mix, indicators, commodity prices and shadow prices of limits."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mfa.report.element import TablesLike, get_tables, supply_table, table
from mfa.report.style import (
    category_colours,
    element_name,
    figsize,
    house_style,
    pretty_unit,
    region_colour,
    scale_unit,
    unit_label,
)

INDICATOR_LABELS: dict[str, str] = {
    "import_dependency": "Import dependency",
    "largest_supplier_share": "Largest-supplier share",
    "hhi": "Supplier concentration (HHI)",
    "recycled_input_share": "Recycled input share",
    "recycled_input_rate": "Recycled input rate",
    "eol_recycling_rate": "End-of-life recycling rate",
    "self_sufficiency": "Self-sufficiency",
    "share_from_CA": "Share of supply from Canada",
}


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig = plt.figure(figsize=size, layout="constrained")
        return fig, fig.add_subplot()
    return ax.get_figure(), ax


def supply_mix(
    tables: TablesLike, element: str, region: str, by: str = "origin"
) -> pd.DataFrame:
    """Supply of an element to a region over time, wide (year x source), in t of element.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    element
        Element symbol.
    region
        Region code.
    by
        ``"origin"`` (domestic mining, each import origin, recycled) or ``"type"``
        (primary / secondary).

    Returns
    -------
    pandas.DataFrame
        Index ``year``, one column per source, values in t of element. See
        :func:`mfa.report.element.supply_table` for what counts as supply.
    """
    sup = supply_table(tables, element, region)
    col = {"origin": "source", "type": "type"}.get(by)
    if col is None:
        raise ValueError(f"by must be 'origin' or 'type', got {by!r}")
    if sup.empty:
        return pd.DataFrame(index=pd.Index([], name="year"))
    wide = sup.pivot_table(index="year", columns=col, values="value", aggfunc="sum",
                           fill_value=0.0)
    wide.columns = wide.columns.astype(str)
    if by == "origin":
        own = [c for c in wide.columns if c == region]
        rec = [c for c in wide.columns if c == "recycled"]
        rest = wide.drop(columns=own + rec).sum().sort_values(ascending=False).index.tolist()
        wide = wide[own + rest + rec]
    else:
        wide = wide[[c for c in ("primary", "secondary") if c in wide.columns]]
    wide.columns.name = by
    return wide


def plot_supply_mix(
    tables: TablesLike,
    element: str,
    region: str,
    by: str = "origin",
    ax: Axes | None = None,
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

    Returns
    -------
    matplotlib.figure.Figure
    """
    wide = supply_mix(tables, element, region, by)
    with house_style():
        fig, ax = _new_axes(ax, figsize("single", 0.72))
        divisor, unit = scale_unit(float(wide.sum(axis=1).max()) if len(wide) else 0.0, "t")
        if by == "origin":
            names = {c: ("Recycled (domestic)" if c == "recycled" else
                         f"Mined in {c}" if c == region else f"Imports from {c}")
                     for c in wide.columns}
            colours = {c: ("#009E73" if c == "recycled" else region_colour(c))
                       for c in wide.columns}
            if "recycled" in wide.columns and "AU" in wide.columns:
                colours["recycled"] = "#44AA99"
        else:
            names = {"primary": "Primary", "secondary": "Secondary (recycled)"}
            colours = category_colours(list(wide.columns), "supply_type")
        if len(wide):
            ax.stackplot(wide.index.to_numpy(), *(wide[c].to_numpy() / divisor
                                                  for c in wide.columns),
                         labels=[names.get(c, c) for c in wide.columns],
                         colors=[colours[c] for c in wide.columns], alpha=0.9,
                         edgecolor="white", linewidth=0.3)
            ax.set_xlim(wide.index.min(), wide.index.max())
            ax.legend(loc="upper left", fontsize=6.5, ncol=1 if wide.shape[1] <= 4 else 2,
                      reverse=True)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("Year")
        ax.set_ylabel(unit_label(f"{element} supply", f"{unit} {element}"))
        kind = "by origin" if by == "origin" else "primary and secondary"
        ax.set_title(f"{element_name(element)} supply to {region}, {kind}")
    return fig


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
        Regions to draw (default: all in the table for the element).
    names
        Indicators to draw, in panel order (default: all).
    axes
        One axes per indicator; a new figure (two panels per row) when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ind = indicators if isinstance(indicators, pd.DataFrame) else table(indicators,
                                                                          "indicators")
    ind = ind[ind["element"] == element] if not ind.empty else ind
    if regions is not None:
        ind = ind[ind["region"].isin(list(regions))]
    names = list(names) if names is not None else list(dict.fromkeys(ind.get("indicator", [])))
    with house_style():
        if axes is None:
            ncols = 2 if len(names) > 1 else 1
            nrows = max(math.ceil(len(names) / ncols), 1)
            w, _ = figsize("double" if ncols == 2 else "single")
            fig, grid = plt.subplots(nrows, ncols, figsize=(w, 2.0 * nrows + 0.4),
                                     layout="constrained", squeeze=False)
            axs = list(grid.ravel())
            for extra in axs[len(names):]:
                extra.remove()
            axs = axs[:len(names)]
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        for i, (ax, name) in enumerate(zip(axs, names, strict=False)):
            sub = ind[ind["indicator"] == name]
            unit = str(sub["unit"].iloc[0]) if len(sub) else ""
            scale, shown = (100.0, "%") if unit in ("fraction", "share", "-", "") else (1.0,
                                                                                    unit)
            if shown.startswith("index"):
                shown = "index, 0–10 000"
            for r, g in sub.groupby("region", sort=False):
                g = g.sort_values("year")
                ax.plot(g["year"], g["value"] * scale, color=region_colour(str(r)), label=r)
            if shown == "%":
                ax.set_ylim(0, 100)
            ax.set_title(f"{INDICATOR_LABELS.get(name, name.replace('_', ' ').capitalize())}, "
                         f"{element}")
            short = "HHI" if name == "hhi" else INDICATOR_LABELS.get(name, name).split(" (")[0]
            ax.set_ylabel(unit_label(short, pretty_unit(shown)))
            ax.set_xlabel("Year")
            ax.grid(axis="y")
            if i == 0:
                ax.legend(fontsize=6.5, title="Region")
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
            ax.plot(g["year"], g["value"] / divisor, color=region_colour(str(r)),
                    linestyle=styles[i % len(styles)], label=f"{c} ({r})")
        ax.set_xlabel("Year")
        ax.set_ylabel(unit_label("Marginal price", pretty_unit(shown)))
        ax.set_title("Commodity prices (duals of the balances)")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=6)
    return fig


def duals_tables(tables: TablesLike) -> dict[str, pd.DataFrame]:
    """The ``duals_<family>`` tables present, by family name."""
    return {k[len("duals_"):]: v for k, v in get_tables(tables).items()
            if k.startswith("duals_") and isinstance(v, pd.DataFrame)}


def plot_shadow_prices(
    tables: TablesLike,
    families: Sequence[str] | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Shadow prices of policy limits over time, one panel per constraint family.

    Parameters
    ----------
    tables
        ``Results`` or mapping holding ``duals_<family>`` tables (dims..., ``year``, ``value``,
        ``unit``).
    families
        Families to draw (default: all present).
    axes
        One axes per family; a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    duals = duals_tables(tables)
    fams = list(families) if families is not None else list(duals)
    with house_style():
        if axes is None:
            n = max(len(fams), 1)
            ncols = 2 if n > 1 else 1
            nrows = math.ceil(n / ncols)
            w, _ = figsize("double" if ncols == 2 else "single")
            fig, grid = plt.subplots(nrows, ncols, figsize=(w, 2.1 * nrows + 0.3),
                                     layout="constrained", squeeze=False)
            axs = list(grid.ravel())
            for extra in axs[n:]:
                extra.remove()
            axs = axs[:n]
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        if not fams:
            axs[0].text(0.5, 0.5, "No policy limits bind (no duals tables)", ha="center",
                        va="center", transform=axs[0].transAxes)
            axs[0].set_xlabel("Year")
            axs[0].set_ylabel(unit_label("Shadow price", "USD per unit of limit"))
            axs[0].set_title("Shadow prices of policy limits")
        for ax, fam in zip(axs, fams, strict=False):
            d = duals.get(fam, pd.DataFrame())
            dims = [c for c in d.columns if c not in ("year", "value", "unit")]
            unit = str(d["unit"].iloc[0]) if len(d) else "USD"
            divisor, shown = scale_unit(float(d["value"].abs().max()) if len(d) else 0.0, unit)
            groups = d.groupby(dims, sort=False) if dims else [((), d)]
            for i, (key, g) in enumerate(groups):
                key = key if isinstance(key, tuple) else (key,)
                g = g.sort_values("year")
                label = ", ".join(str(k) for k in key) or fam
                reg = next((str(k) for k in key if str(k) in _regions_known()), None)
                colour = region_colour(reg) if reg and i == 0 else None
                ax.plot(g["year"], g["value"] / divisor, label=label, color=colour,
                        marker="o", markersize=2.5)
            ax.axhline(0, color="#999999", linewidth=0.5)
            ax.set_xlabel("Year")
            ax.set_ylabel(unit_label("Shadow price", pretty_unit(shown)))
            ax.set_title(f"Shadow price: {fam.replace('_', ' ')}")
            ax.legend(fontsize=6, title=" × ".join(dims) if dims else None)
    return fig


def _regions_known() -> set[str]:
    from mfa.report.style import REGION_COLOURS

    return set(REGION_COLOURS)


def stacked_totals(fig: Figure) -> pd.Series:
    """Top line of the stacked areas in a supply-mix figure (for checks), indexed by year."""
    ax = fig.axes[0]
    pts = [coll.get_paths()[0].vertices for coll in ax.collections if coll.get_paths()]
    if not pts:
        return pd.Series(dtype=float)
    v = np.concatenate(pts)
    df = pd.DataFrame({"year": np.round(v[:, 0]).astype(int), "y": v[:, 1]})
    return df.groupby("year")["y"].max()
