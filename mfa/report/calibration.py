"""The calibration figure: the first model year against observed figures.

It draws the model's ``calibration`` table (made by the data pipeline; columns ``measure,
region, partner, item, scope, basis, observed_year, year, observed, model, difference,
relative, unit, tolerance, target, within``), never recomputing it. Three panels, for the rows
that carry a target:

* volumes (output, imports, exports, sales): :math:`M / O - 1` with the band
  :math:`\\pm` ``tolerance`` (15 %);
* import shares by origin: :math:`s^M_o - s^O_o` (share 0-1) with the band :math:`\\pm`
  ``tolerance`` (0.10);
* prices: the shadow price over the reference price, :math:`M / P` on a log axis, with the
  band :math:`[1/f, f]` (``tolerance`` is :math:`f`, 2).

A dot outside its band is drawn in vermillion; the figure says how many rows miss.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from mfa.report.element import TablesLike, table
from mfa.report.style import DARK_GREY, DOUBLE_WIDTH_IN, MAX_HEIGHT_IN, OKABE_ITO, house_style

WITHIN_COLOUR = OKABE_ITO["blue"]
OUTSIDE_COLOUR = OKABE_ITO["vermillion"]


def _label(row: pd.Series) -> str:
    partner = str(row["partner"])
    where = (
        str(row["region"])
        if partner in ("", "nan", str(row["region"]))
        else (
            f"{row['region']} ← {partner}"
            if row["measure"] != "exports"
            else f"{row['region']} → {partner}"
        )
    )
    return f"{str(row['measure']).replace('_', ' ')} {row['item']}, {where}"


def calibration_panels(calibration: pd.DataFrame) -> list[tuple[str, pd.DataFrame, str]]:
    """The rows with a target, by panel: (title, rows with ``x`` and ``label``, scale).

    ``x`` is what the panel's axis shows: the relative difference (volumes), the difference
    (shares) or the ratio model / reference (prices); ``scale`` is ``linear`` or ``log``.
    """
    cal = calibration[calibration["target"].astype(bool)].copy()
    if cal.empty:
        return []
    cal["label"] = cal.apply(_label, axis=1)
    share = cal["measure"] == "import_share"
    price = cal["measure"] == "price"
    volume = ~share & ~price
    out = []
    if volume.any():
        v = cal[volume].assign(x=cal.loc[volume, "relative"].astype(float))
        out.append(("Volumes: model / observed − 1", v, "linear"))
    if share.any():
        s = cal[share].assign(x=cal.loc[share, "difference"].astype(float))
        out.append(("Import shares by origin: model − observed (share 0-1)", s, "linear"))
    if price.any():
        p = cal[price].assign(x=cal.loc[price, "relative"].astype(float) + 1.0)
        out.append(("Prices: shadow price / reference price", p, "log"))
    return out


def plot_calibration(tables: TablesLike, max_rows: int = 18) -> Figure:
    """Model against observed figures of the first model year, one panel per kind of figure.

    Parameters
    ----------
    tables
        ``Results`` or mapping with the ``calibration`` table.
    max_rows
        Most rows per panel: those furthest from their target are drawn (the panel says how
        many are not).

    Returns
    -------
    matplotlib.figure.Figure
    """
    panels = calibration_panels(table(tables, "calibration"))
    with house_style():
        rows = [min(len(g), max_rows) for _, g, _ in panels] or [1]
        height = min(sum(0.16 * n + 0.75 for n in rows) + 0.5, MAX_HEIGHT_IN - 0.3)
        fig, axs = plt.subplots(
            max(len(panels), 1),
            1,
            figsize=(DOUBLE_WIDTH_IN, height),
            layout="constrained",
            squeeze=False,
            gridspec_kw={"height_ratios": rows},
        )
        axes = list(axs[:, 0])
        if not panels:
            axes[0].set_axis_off()
            axes[0].set_title("Calibration: no observed figures with a target")
        missed_total = 0
        for ax, (title, g, scale) in zip(axes, panels, strict=True):
            missed_total += _draw_panel(ax, title, g, scale, max_rows)
        fig.suptitle(
            "Calibration of the first model year against observed figures"
            + (f" ({missed_total} outside their band)" if missed_total else "")
        )
    return fig


def _draw_panel(ax: plt.Axes, title: str, g: pd.DataFrame, scale: str, max_rows: int) -> int:
    """Dots for one kind of figure with its tolerance band; returns how many miss."""
    tol = float(g["tolerance"].dropna().iloc[0]) if g["tolerance"].notna().any() else math.nan
    centre = 1.0 if scale == "log" else 0.0
    missed = int((~g["within"].astype(bool)).sum())
    total = len(g)
    absent = g[g["x"].isna()]  # no model value: e.g. a share of imports the model has none of
    g = g.drop(absent.index)
    zero = g[g["x"] <= 0] if scale == "log" else g.iloc[:0]  # a log axis cannot show them
    g = g.drop(zero.index)
    distance = np.abs(np.log(g["x"]) if scale == "log" else g["x"])
    g = g.assign(_d=distance.to_numpy()).sort_values("_d", ascending=False)
    shown = g.head(max_rows).iloc[::-1]
    y = np.arange(len(shown))
    within = shown["within"].astype(bool).to_numpy()
    if math.isfinite(tol):
        lo, hi = (1.0 / tol, tol) if scale == "log" else (-tol, tol)
        ax.axvspan(lo, hi, color="#E6E6E6", zorder=0, label="target band")
    ax.axvline(centre, color=DARK_GREY, linewidth=0.6)
    ax.scatter(
        shown["x"],
        y,
        c=[WITHIN_COLOUR if w else OUTSIDE_COLOUR for w in within],
        s=14,
        zorder=3,
    )
    ax.set_yticks(y, shown["label"], fontsize=6)
    if scale == "log":
        ax.set_xscale("log", base=2)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xlabel("Model / reference (-)")
    elif "share" in title:
        ax.set_xlabel("Difference (share, 0-1)")
    else:
        ax.set_xlabel("Relative difference (-)")
    big = float(np.nanmax(np.abs(np.log(shown["x"]) if scale == "log" else shown["x"])))
    reach = max(big, math.log(tol) if scale == "log" and math.isfinite(tol) else tol or 0) * 1.15
    if math.isfinite(reach) and reach > 0:
        ax.set_xlim(*((math.exp(-reach), math.exp(reach)) if scale == "log" else (-reach, reach)))
    hidden = len(g) - len(shown)
    notes = [f"{hidden} closer row{'s' if hidden > 1 else ''} not drawn"] if hidden else []
    if len(zero):
        notes.append("model price 0 (not drawn): " + ", ".join(map(str, zero["label"])))
    if len(absent):
        notes.append("none in the model (not drawn): " + ", ".join(map(str, absent["label"])))
    more = "".join("\n" + textwrap.fill(note, width=110) for note in notes)
    ax.set_title(f"{title}: {missed} of {total} outside{more}", fontsize=7.5)
    return missed
