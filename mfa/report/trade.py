"""Trade between regions in one year: an origin x destination matrix and an arc diagram."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from mfa.report.element import TablesLike, commodity_stages, table, to_element
from mfa.report.style import (
    element_name,
    figsize,
    figure_of,
    format_value,
    house_style,
    region_colour,
    scale_unit,
    sequential_cmap,
    unit_label,
)


def trade_matrix(
    tables: TablesLike,
    element: str,
    year: int,
    stages: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Shipments of an element between regions in one year (t of element).

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``trade``, ``commodities`` and ``commodity_content``.
    element
        Element symbol.
    year
        Model year.
    stages
        Only commodities of these stages (e.g. ``["mining", "refining"]``); default all.

    Returns
    -------
    pandas.DataFrame
        Origins as rows, destinations as columns (the same ordered list of regions), t of
        element; zero where nothing moves.
    """
    tr = table(tables, "trade")
    if not tr.empty:
        tr = tr[tr["year"].astype(int) == int(year)]
        if stages is not None:
            st = commodity_stages(tables)
            tr = tr[tr["commodity"].astype(str).map(st).isin(list(stages))]
    tr = to_element(tr, tables, element)
    regions = sorted(set(tr.get("origin", [])) | set(tr.get("destination", [])))
    if tr.empty:
        return pd.DataFrame(
            index=pd.Index([], name="origin"), columns=pd.Index([], name="destination"), dtype=float
        )
    mat = tr.pivot_table(
        index="origin", columns="destination", values="value", aggfunc="sum", fill_value=0.0
    )
    mat = mat.reindex(index=regions, columns=regions, fill_value=0.0)
    mat.index.name, mat.columns.name = "origin", "destination"
    return mat


def plot_trade_matrix(
    tables: TablesLike,
    element: str,
    year: int,
    stages: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Heatmap of shipments between regions (origin rows, destination columns), annotated.

    Parameters
    ----------
    tables, element, year, stages
        As for :func:`trade_matrix`.
    ax
        Axes to draw in; a new single-column figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    mat = trade_matrix(tables, element, year, stages)
    with house_style():
        if ax is None:
            n = max(len(mat), 2)
            side = min(2.2 + 0.32 * n, 7.0)
            fig = plt.figure(figsize=(side + 0.9, side), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        vmax = float(mat.to_numpy().max()) if mat.size else 0.0
        divisor, unit = scale_unit(vmax, "t")
        unit = f"{unit} {element}"
        data = mat.to_numpy() / divisor if mat.size else np.zeros((1, 1))
        shown = np.ma.masked_where(data <= 0, data)
        cmap = sequential_cmap()
        im = ax.imshow(shown, cmap=cmap, vmin=0, vmax=max(data.max(), 1e-12), aspect="equal")
        ax.set_xticks(range(mat.shape[1]), mat.columns, rotation=0)
        ax.set_yticks(range(mat.shape[0]), mat.index)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                if data[i, j] > 0:
                    light = data[i, j] > 0.55 * data.max()
                    ax.text(
                        j,
                        i,
                        format_value(data[i, j]),
                        ha="center",
                        va="center",
                        fontsize=6.5,
                        color="white" if light else "black",
                    )
        ax.set_xlabel("Destination (importing region)")
        ax.set_ylabel("Origin (exporting region)")
        cbar = fig.colorbar(im, ax=ax, shrink=0.8, pad=0.02)
        cbar.set_label(unit_label(f"{element} shipped", unit))
        # matplotlib's colorbar.pyi types the outline as a Spines mapping; at runtime
        # it is a single Spine (an Artist), so set_visible exists.
        cbar.outline.set_visible(False)  # type: ignore[operator]
        which = "" if stages is None else f" ({', '.join(stages)})"
        ax.set_title(f"{element_name(element)} trade{which}, {year}")
    return fig


def _arc(x0: float, x1: float, h: float, w: float) -> MplPath:
    """Band from x0 to x1 on the axis line, bulging to height ``h`` (signed), ``w`` thick at
    its origin and tapering to a point at its destination."""
    k = 4.0 / 3.0
    verts = [
        (x0 - w / 2, 0.0),
        (x0 - w / 2, k * (h + w / 2)),
        (x1, k * (h + w / 2)),
        (x1, 0.0),
        (x1, k * (h - w / 2)),
        (x0 + w / 2, k * (h - w / 2)),
        (x0 + w / 2, 0.0),
        (x0 - w / 2, 0.0),
    ]
    codes = [
        MplPath.MOVETO,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CLOSEPOLY,
    ]
    return MplPath(verts, codes)


def plot_trade_arcs(
    tables: TablesLike,
    element: str,
    year: int,
    stages: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Arc diagram of shipments: regions on a line, one arc per origin-destination pair.

    Arcs above the line run left to right, arcs below run right to left, so direction is
    read from the side; arc width is proportional to the tonnes of element and arcs take the
    colour of the exporting region.

    Parameters
    ----------
    tables, element, year, stages
        As for :func:`trade_matrix`.
    ax
        Axes to draw in; a new double-column figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    mat = trade_matrix(tables, element, year, stages)
    with house_style():
        if ax is None:
            fig = plt.figure(figsize=figsize("double", 0.45), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        regions = list(mat.index)
        exports = mat.sum(axis=1)
        imports = mat.sum(axis=0)
        order = sorted(regions, key=lambda r: -(exports.get(r, 0) - imports.get(r, 0)))
        xpos = {r: i for i, r in enumerate(order)}
        vmax = float(mat.to_numpy().max()) if mat.size else 0.0
        divisor, unit = scale_unit(vmax, "t")
        unit = f"{unit} {element}"
        max_w = 0.18  # arc width (data units) of the largest flow
        pairs = [
            (o, d, float(mat.loc[o, d]))
            for o in regions
            for d in regions
            if o != d and mat.loc[o, d] > 0
        ]
        ymax = 0.5
        for o, d, v in sorted(pairs, key=lambda p: -p[2]):
            x0, x1 = xpos[o], xpos[d]
            w = max(max_w * v / vmax, 0.006)
            sign = 1.0 if x1 > x0 else -1.0
            path = _arc(x0, x1, 0.33 * abs(x1 - x0) * sign, w * sign)
            h = 0.33 * abs(x1 - x0) * sign
            ax.add_patch(PathPatch(path, facecolor=region_colour(o), edgecolor="none", alpha=0.6))
            ax.plot(
                [x1],
                [0.0],
                marker="v" if sign > 0 else "^",
                color=region_colour(o),
                markersize=3,
                zorder=3,
            )
            peak = h + w / 2 * sign + 0.02 * sign
            ax.text(
                (x0 + x1) / 2,
                peak,
                format_value(v / divisor, unit),
                ha="center",
                va="bottom" if sign > 0 else "top",
                fontsize=6,
            )
            ymax = max(ymax, abs(peak) + 0.15)
        for r in order:
            ax.plot(
                [xpos[r]],
                [0],
                "o",
                color=region_colour(r),
                markersize=6,
                zorder=4,
                markeredgecolor="white",
                markeredgewidth=0.8,
            )
        ax.axhline(0, color="#BBBBBB", linewidth=0.5, zorder=0)
        ax.set_xlim(-0.6, max(len(order) - 0.4, 0.6))
        ax.set_ylim(-ymax, ymax)
        ax.set_xticks(range(len(order)), order)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("Region (ordered from net exporter to net importer)")
        ax.set_ylabel(f"Shipments ({unit})\n↑ to the right · to the left ↓", fontsize=7)
        which = "" if stages is None else f" ({', '.join(stages)})"
        ax.set_title(
            f"{element_name(element)} trade flows{which}, {year} "
            f"(arc width ∝ {unit}; colour = exporter)"
        )
    return fig


def plot_trade_matrices(
    tables: TablesLike,
    element: str,
    years: Sequence[int],
    stages: Sequence[str] | None = None,
) -> Figure:
    """Trade matrices of one element for several years side by side, on one colour scale.

    Only regions that ship or receive the element in one of the years are shown; rows are
    exporters, columns importers; cells give t of element in every traded form (ores,
    refined chemicals, materials, cells, scrap: an atom shipped twice is counted twice).

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    element
        Element symbol.
    years
        Model years, one panel each.
    stages
        Only commodities of these stages (default all).

    Returns
    -------
    matplotlib.figure.Figure
    """
    mats = {y: trade_matrix(tables, element, y, stages) for y in years}
    regions = sorted(
        {r for m in mats.values() for r in m.index[(m.sum(axis=1) > 0)]}
        | {r for m in mats.values() for r in m.columns[(m.sum(axis=0) > 0)]}
    )
    mats = {y: m.reindex(index=regions, columns=regions, fill_value=0.0) for y, m in mats.items()}
    vmax = max([float(m.to_numpy().max()) for m in mats.values() if m.size] or [0.0])
    divisor, unit = scale_unit(vmax, "t")
    unit = f"{unit} {element}"
    with house_style():
        n = max(len(regions), 2)
        w, _ = figsize("double")
        panel = min(w / max(len(years), 1), 2.2 + 0.3 * n)
        fig, axs = plt.subplots(
            1,
            max(len(years), 1),
            figsize=(w, panel * 0.92 + 0.5),
            layout="constrained",
            squeeze=False,
        )
        cmap = sequential_cmap()
        im = None
        font = 5.5 if n <= 10 else 4.5
        for ax, y in zip(axs[0], years, strict=False):
            data = mats[y].to_numpy() / divisor if regions else np.zeros((1, 1))
            shown = np.ma.masked_where(data <= 0, data)
            im = ax.imshow(
                shown, cmap=cmap, vmin=0, vmax=max(vmax / divisor, 1e-12), aspect="equal"
            )
            ax.set_xticks(range(len(regions)), regions, rotation=90, fontsize=6)
            ax.set_yticks(range(len(regions)), regions, fontsize=6)
            ax.tick_params(length=0)
            for spine in ax.spines.values():
                spine.set_visible(False)
            for i in range(data.shape[0]):
                for j in range(data.shape[1]):
                    if data[i, j] > 0.005 * vmax / divisor:
                        light = data[i, j] > 0.55 * vmax / divisor
                        ax.text(
                            j,
                            i,
                            format_value(data[i, j]),
                            ha="center",
                            va="center",
                            fontsize=font,
                            color="white" if light else "black",
                        )
            ax.set_title(str(y))
            ax.set_xlabel("Destination (importer)")
            ax.set_ylabel("Origin (exporter)")
        if im is not None:
            cbar = fig.colorbar(im, ax=list(axs[0]), shrink=0.8, pad=0.01)
            cbar.set_label(unit_label(f"{element} shipped", unit))
            # matplotlib's colorbar.pyi types the outline as a Spines mapping; at runtime
            # it is a single Spine (an Artist), so set_visible exists.
            cbar.outline.set_visible(False)  # type: ignore[operator]
        which = "" if stages is None else f" ({', '.join(stages)})"
        fig.suptitle(
            f"{element_name(element)} trade{which} between regions, all traded forms ({unit})"
        )
    return fig
