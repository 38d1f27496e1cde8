"""The certified-sourcing figure: certified shares of supply and audited plant capacity.

It draws the results' certification tables (made by :mod:`mfa.certified`), never recomputing
the attribution:

* one panel per focus region: the certified share of the supply of each element,
  :math:`S^{cert}_{ert} / (S^{cert}_{ert} + S^{uncert}_{ert})` from
  ``supply_by_certified_status`` (region, element, status, year), a line per element;
* one panel: the audited share of plant capacity by region and stage (mining, refining,
  recycling) in one year, from ``certified_capacity_share`` (region, stage, year); a region
  without plants of a stage is an empty cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mfa.report.element import TablesLike, table
from mfa.report.style import (
    DARK_GREY,
    element_colour,
    element_name,
    house_style,
    panel_grid,
    sequential_cmap,
)
from mfa.stability import BATTERY_ELEMENTS

STAGES = ("mining", "refining", "recycling")
"""Stages of ``certified_capacity_share``, in the order of the chain."""


def certified_supply_share(tables: TablesLike, region: str) -> pd.DataFrame:
    """Certified share (0-1) of the supply of each element to ``region``, wide (year x
    element), from ``supply_by_certified_status``; years without supply are left out."""
    status = table(tables, "supply_by_certified_status")
    if status.empty:
        return pd.DataFrame(index=pd.Index([], name="year"))
    own = status[status["region"] == region]
    wide = own.pivot_table(
        index=["year", "element"], columns="status", values="value", aggfunc="sum", fill_value=0.0
    )
    certified = wide.get("certified", pd.Series(0.0, index=wide.index))
    total = wide.sum(axis=1)
    share = (certified / total)[total > 0].unstack("element")
    share.index = share.index.astype(int)
    return share.sort_index()


def audited_capacity_share(tables: TablesLike, year: int) -> pd.DataFrame:
    """Audited share (0-1) of plant capacity in ``year``, wide (region x stage), NaN where a
    region has no plants of a stage (``certified_capacity_share``)."""
    cap = table(tables, "certified_capacity_share")
    if cap.empty:
        return pd.DataFrame()
    sel = cap[cap["year"].astype(int) == year]
    wide = sel.pivot_table(index="region", columns="stage", values="value", aggfunc="sum")
    return wide.reindex(columns=[s for s in STAGES if s in wide.columns])


def plot_certified_sourcing(
    tables: TablesLike, regions: list[str], year: int, elements: list[str] | None = None
) -> Figure:
    """Certified share of each focus region's supply over time, and the audited share of plant
    capacity by region and stage in ``year``.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables with ``supply_by_certified_status`` and
        ``certified_capacity_share``.
    regions
        Focus regions, one panel each.
    year
        Year of the capacity panel.
    elements
        Elements drawn (default: every element with supply).

    Returns
    -------
    matplotlib.figure.Figure
    """
    shares = {r: certified_supply_share(tables, r) for r in regions}
    drawn = sorted({e for wide in shares.values() for e in wide.columns})
    if elements is not None:
        drawn = [e for e in elements if e in drawn]
    with house_style():
        n = len(regions) + 1
        fig, axs = panel_grid(
            n, n, row_height=2.4, extra_height=0.3, legend_rows=max(1, -(-len(drawn) // 6))
        )
        for ax, r in zip(axs, regions, strict=False):
            wide = shares[r]
            for e in drawn:
                if e in wide.columns:
                    s = wide[e].dropna()
                    ax.plot(
                        s.index,
                        s.to_numpy(),
                        color=element_colour(e),
                        linestyle="-" if e in BATTERY_ELEMENTS else "--",  # magnets, chips dashed
                        label=element_name(e),
                    )
            ax.set_ylim(0.0, 1.02)
            ax.set_title(f"Supply to {r}")
            ax.set_ylabel("Certified share (0-1)")
            ax.set_xlabel("Year")
        _draw_capacity(axs[-1], audited_capacity_share(tables, year), year)
        handles: dict[str, object] = {}
        for ax in axs[:-1]:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                handles.setdefault(lab, h)
        if handles:
            fig.axes[n].legend(
                list(handles.values()),
                list(handles),
                loc="upper center",
                ncol=min(len(handles), 6),
                fontsize=6.5,
                frameon=False,
            )
        fig.suptitle(
            "Certified sourcing: share of supply from audited plants, and audited share of capacity"
        )
    return fig


def _draw_capacity(ax: Axes, wide: pd.DataFrame, year: int) -> None:
    """Heatmap of the audited capacity share (regions x stages), the value in each cell."""
    ax.set_title(f"Plant capacity, {year}")
    if wide.empty:
        ax.text(0.5, 0.5, "No certification data", ha="center", va="center")
        return
    values = np.ma.masked_invalid(wide.to_numpy(dtype=float))
    image = ax.imshow(values, cmap=sequential_cmap(), vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(wide.shape[1]), list(wide.columns), fontsize=6.5)
    ax.set_yticks(range(wide.shape[0]), list(wide.index), fontsize=6.5)
    for (i, j), v in np.ndenumerate(wide.to_numpy(dtype=float)):
        if not np.isnan(v):
            colour = "white" if v > 0.6 else DARK_GREY
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=5.5, color=colour)
    ax.figure.colorbar(image, ax=ax, label="Audited share (0-1)", shrink=0.8)
