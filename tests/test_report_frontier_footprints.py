"""The frontier figure and the footprint tables on the two-mine model solved by hand.

Mine A: 10 USD/t at 2 tCO2e/t; mine B: 20 USD/t at 0.5 tCO2e/t; demand 100 t
(tests/test_policy_lp.py). Frontier ends: 200 tCO2e at 1000 USD (all A) and 50 tCO2e at
2000 USD (all B), linear in between. Under a 100 tCO2e cap, A makes 33.3 t (66.7 tCO2e) and
B 66.7 t (33.3 tCO2e): the mining stage emits 100 tCO2e, 1 tCO2e per t delivered.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import mfa
from mfa.frontier import compute_frontier
from mfa.report import footprint_by_stage, plot_frontier
from tests.test_policy_lp import _two_mines


def test_frontier_figure_draws_the_hand_solved_points(tmp_path):
    f = compute_frontier(mfa.validate(_two_mines(tmp_path, {})), points=4)
    fig = plot_frontier(f)
    ax = fig.axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "Pareto frontier")
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    assert x == pytest.approx([50.0, 100.0, 150.0, 200.0], rel=1e-6)  # t CO2e, ascending
    cost = [2000.0, 1000 + 100 / 1.5 * 10, 1000 + 50 / 1.5 * 10, 1000.0]  # USD
    assert "(thousand USD)" in ax.get_ylabel()  # the axis is scaled to its unit
    assert y * 1000.0 == pytest.approx(cost, rel=1e-6)
    assert "t CO₂e" in ax.get_xlabel()
    plt.close(fig)


def test_footprint_by_stage_is_the_hand_solved_split(tmp_path):
    r = mfa.run(_two_mines(tmp_path, {"emission_cap": ["R,2025,100,tCO2e"]}))
    by_region = footprint_by_stage(r, 2025)
    assert by_region.attrs["unit"] == "tCO2e"
    assert list(by_region.columns) == ["R"]
    assert float(by_region.to_numpy().sum()) == pytest.approx(100.0)
    assert len(by_region) == 1  # both mines are the mining stage
    emissions = r["emissions"]
    per_mine = emissions.groupby("process")["value"].sum()
    assert per_mine["mineA"] == pytest.approx(200.0 / 3.0)
    assert per_mine["mineB"] == pytest.approx(100.0 / 3.0)
