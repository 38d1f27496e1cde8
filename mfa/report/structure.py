r"""Figures of the chain's structure: where production concentrates, and what sits in use.

Concentration of production at stage :math:`s` of element :math:`e` in year :math:`t`, over the
regions :math:`r` of the model, from the element in the outputs of the stage's processes
(``flows``, t of contained element, the same basis at every stage):

.. math::

    q_r = \frac{x_{r}}{\sum_{r'} x_{r'}}, \qquad
    \text{top-3 share} = \sum_{r \in \text{3 largest}} q_r, \qquad
    \text{HHI} = \sum_r q_r^2 .
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mfa.indicators import content_long
from mfa.report.element import TablesLike, get_tables, process_stages, table, to_element
from mfa.report.style import (
    DARK_GREY,
    OKABE_ITO,
    element_name,
    figsize,
    house_style,
    panel_grid,
    scale_unit,
    unit_label,
)

CONCENTRATION_STAGES: dict[str, str] = {
    "mining": "Mining",
    "refining": "Refining",
    "material": "Materials",
    "component": "Cells",
}
"""Stages of the concentration figure (process stage to label); ``component`` is cells."""


def production_concentration(tables: TablesLike, element: str, year: int) -> pd.DataFrame:
    """Top-3 share and HHI of production by region at each stage (see module docstring).

    Returns
    -------
    pandas.DataFrame
        ``stage, production, top3_share, hhi, top3`` (production in t of element; shares
        0-1; ``top3`` names the three largest regions).
    """
    flows = table(tables, "flows")
    cols = ["stage", "production", "top3_share", "hhi", "top3"]
    if flows.empty:
        return pd.DataFrame(columns=cols)
    out = flows[(flows["direction"] == "out") & (flows["year"].astype(int) == int(year))]
    out = to_element(out, tables, element)
    stage = out["process"].astype(str).map(process_stages(tables))
    rows = []
    for st, label in CONCENTRATION_STAGES.items():
        by_region = out[stage == st].groupby("region")["value"].sum()
        by_region = by_region[by_region > 0].sort_values(ascending=False)
        total = float(by_region.sum())
        if total <= 0:
            continue
        share = by_region / total
        rows.append(
            (
                label,
                total,
                float(share.iloc[:3].sum()),
                float((share**2).sum()),
                ", ".join(share.index[:3].astype(str)),
            )
        )
    return pd.DataFrame(rows, columns=cols)


def plot_concentration(tables: TablesLike, elements: Sequence[str], year: int) -> Figure:
    """Top-3 share and HHI of production by stage (mining, refining, materials, cells), one
    panel per element, all on the basis of t of contained element."""
    data = {el: production_concentration(tables, el, year) for el in elements}
    data = {el: d for el, d in data.items() if len(d)}
    with house_style():
        n = max(len(data), 1)
        fig, axs = panel_grid(
            n, 3 if n > 4 else 2 if n > 1 else 1, row_height=1.7, extra_height=0.5
        )
        for ax, (el, d) in zip(axs, data.items(), strict=False):
            x = np.arange(len(d))
            ax.bar(x - 0.2, d["top3_share"], 0.4, color=OKABE_ITO["blue"], label="Top-3 share")
            ax.bar(x + 0.2, d["hhi"], 0.4, color=OKABE_ITO["orange"], label="HHI")
            for xi, names in zip(x, d["top3"], strict=True):
                ax.text(xi, 1.02, names, ha="center", va="bottom", fontsize=5, color=DARK_GREY)
            ax.set_xticks(x, d["stage"])
            ax.set_ylim(0, 1.15)
            ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
            ax.set_ylabel(unit_label("Share or HHI", "0-1"))
            ax.set_title(element_name(el))
        if data:
            handles, labels = axs[0].get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=6)
        else:
            axs[0].set_axis_off()
            axs[0].text(
                0.5, 0.5, f"No production in {year}", ha="center", transform=axs[0].transAxes
            )
        fig.suptitle(
            f"Concentration of production by stage, {year} (regions' shares of contained element;"
            " top three named)"
        )
    return fig


def _product_element(tables: TablesLike, frame: pd.DataFrame, element: str) -> pd.DataFrame:
    """A product or end-of-life table in t of element, by commodity (the model's contents)."""
    content = content_long(get_tables(tables))
    content = content[content["element"].astype(str) == element]
    out = frame.merge(content[["commodity", "content"]], on="commodity", how="inner")
    return out.assign(value=out["value"] * out["content"])


def plot_stocks_and_outflows(tables: TablesLike, element: str, regions: Sequence[str]) -> Figure:
    """In-use stock by product (``stock`` table) and end-of-life outflows by stream (``eol``
    table) of one element in the given regions, over time, in t of contained element."""
    stock = table(tables, "stock")
    eol = table(tables, "eol")
    regs = list(regions)
    with house_style():
        fig, axs = plt.subplots(1, 2, figsize=figsize("double", 0.38), layout="constrained")
        for ax, frame, what in (
            (axs[0], stock, "In-use stock"),
            (axs[1], eol, "End-of-life outflow"),
        ):
            if frame.empty:
                ax.set_axis_off()
                continue
            sub = _product_element(tables, frame[frame["region"].isin(regs)], element)
            wide = sub.pivot_table(index="year", columns="commodity", values="value", aggfunc="sum")
            wide = wide.loc[:, wide.sum() > 0].fillna(0.0)
            if wide.empty:
                ax.text(
                    0.5, 0.5, f"No {element} {what.lower()}", ha="center", transform=ax.transAxes
                )
                ax.set_axis_off()
                continue
            divisor, unit = scale_unit(float(wide.sum(axis=1).max()), "t")
            ax.stackplot(
                wide.index, (wide / divisor).T.to_numpy(), labels=list(wide.columns), alpha=0.85
            )
            ax.set_xlabel("Year")
            ax.set_ylabel(unit_label(what, f"{unit} {element}"))
            ax.set_title(f"{what} by {'product' if frame is stock else 'stream'}")
            ax.legend(fontsize=5.5, loc="upper left")
        fig.suptitle(f"{element_name(element)} in use and at end of life, {' + '.join(regs)}")
    return fig
