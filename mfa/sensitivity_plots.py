"""Figures of a global sensitivity analysis; they take the index tables of
:mod:`mfa.sensitivity`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mfa.report.style import OKABE_ITO, figsize, house_style

COLOURS = {"S1": OKABE_ITO["sky_blue"], "ST": OKABE_ITO["vermillion"], "mu_star": OKABE_ITO["blue"]}
LABELS = {"S1": "first order $S_i$", "ST": "total $S_{Ti}$", "mu_star": r"$\mu^*_i$"}


def plot_indices(indices: pd.DataFrame, method: str, output: str) -> Figure:
    """Sobol: first-order and total indices per parameter with their confidence
    intervals. Morris: :math:`\\mu^*` against :math:`\\sigma` (non-linearity or
    interaction), with the :math:`\\mu^*` interval."""
    with house_style():
        fig = plt.figure(figsize=figsize("single", 0.75), layout="constrained")
        ax = fig.add_subplot()
        if method == "sobol":
            t = indices.sort_values("ST", ascending=True)
            y = np.arange(len(t))
            for k, col in enumerate(("S1", "ST")):
                ax.barh(
                    y + (k - 0.5) * 0.38,
                    t[col],
                    height=0.38,
                    xerr=t[f"{col}_conf"],
                    color=COLOURS[col],
                    label=LABELS[col],
                    error_kw={"elinewidth": 0.7, "capsize": 1.5},
                )
            ax.set_yticks(y, t["parameter"])
            ax.set_xlabel("Share of the output's variance")
            ax.legend(fontsize=6.5)
        else:
            ax.errorbar(
                indices["mu_star"],
                indices["sigma"],
                xerr=indices["mu_star_conf"],
                fmt="o",
                color=COLOURS["mu_star"],
                markersize=3,
                elinewidth=0.7,
            )
            for row in indices.itertuples():
                ax.annotate(str(row.parameter), (row.mu_star, row.sigma), fontsize=6)
            ax.set_xlabel(r"$\mu^*$ (mean |elementary effect| over the quantile range)")
            ax.set_ylabel(r"$\sigma$ (spread of the effects)")
        ax.set_title(f"{'Sobol indices' if method == 'sobol' else 'Morris screening'}: {output}")
    return fig


def plot_convergence(conv: pd.DataFrame, method: str, output: str) -> Figure:
    """Each index against the number of base samples (Sobol) or trajectories (Morris),
    with its confidence band."""
    kinds = list(dict.fromkeys(conv["index"]))
    with house_style():
        fig, axes = plt.subplots(
            1,
            len(kinds),
            figsize=figsize("double" if len(kinds) > 1 else "single", 0.4),
            layout="constrained",
            squeeze=False,
        )
        params = list(dict.fromkeys(conv["parameter"]))
        cmap = plt.get_cmap("tab10")
        for ax, kind in zip(axes.flat, kinds, strict=True):
            for j, p in enumerate(params):
                t = conv[(conv["index"] == kind) & (conv["parameter"] == p)].sort_values("n")
                colour = cmap(j % 10)
                ax.plot(t["n"], t["value"], "o-", color=colour, markersize=2.5, label=p)
                ax.fill_between(
                    t["n"], t["value"] - t["conf"], t["value"] + t["conf"], color=colour, alpha=0.15
                )
            ax.set_xscale("log", base=2)
            ax.set_xlabel("base samples" if method == "sobol" else "trajectories")
            ax.set_title(LABELS.get(kind, kind))
        axes.flat[0].legend(fontsize=6)
        fig.suptitle(f"Convergence of the indices: {output}")
    return fig
