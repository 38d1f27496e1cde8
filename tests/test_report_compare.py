"""Scenario differences and the trade matrix on the solved report model (tests/report_model.py).

Korea's 2028 import dependency for Li is 0.48 in the solved model; a second run is the same
tables with that indicator set to 0.31 (the report reads indicators, never recomputes them),
so the difference the comparison must show is 0.31 - 0.48 = -0.17. The 2028 trade is 9.6 t
of refined Li from Canada to Korea (solved by hand in tests/report_model.py).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import rgb_to_hsv, to_rgb

from mfa.report import (
    compare_differences,
    compare_table,
    plot_scenario_differences,
    plot_trade_matrix,
    trade_matrix,
    write_comparison,
)
from mfa.results import Results
from tests.report_model import YEAR, solve_report_model


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return solve_report_model(tmp_path_factory.mktemp("report_model"))


@pytest.fixture(scope="module")
def runs(results):
    tables = dict(results.tables)
    ind = tables["indicators"].copy()
    hit = (
        (ind["indicator"] == "import_dependency")
        & (ind["region"] == "KR")
        & (ind["element"] == "Li")
        & (ind["year"] == YEAR)
    )
    ind.loc[hit, "value"] = 0.31
    tables["indicators"] = ind
    policy = Results(tables, {**results.summary, "scenario": "policy"})
    return {"reference": results, "policy": policy}


def test_differences_are_scenario_minus_reference(runs):
    diff = compare_differences(compare_table(runs))
    assert set(diff["scenario"]) == {"policy"}
    row = diff[
        (diff["indicator"] == "import_dependency")
        & (diff["region"] == "KR")
        & (diff["period"] == str(YEAR))
    ]
    assert float(row["value"].iloc[0]) == pytest.approx(0.31 - 0.48)
    assert float(row["reference_value"].iloc[0]) == pytest.approx(0.48)
    same = diff[diff["indicator"] == "total_cost_discounted"]
    assert float(same["value"].iloc[0]) == pytest.approx(0.0, abs=1e-9)


def test_difference_figure_draws_the_differences(runs):
    df = compare_table(runs)
    fig = plot_scenario_differences(df, indicators=["import_dependency"], period=YEAR)
    ax = fig.axes[0]
    assert ax.get_ylabel().startswith("Δ")
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([0.31 - 0.48])
    plt.close(fig)


def test_write_comparison_leads_with_differences(runs, tmp_path):
    out = write_comparison(runs, tmp_path, formats=("png",))
    names = {p.name for p in out["figures"]}
    assert {"comparison.png", "comparison_levels.png"} <= names
    diff = pd.read_csv(tmp_path / "comparison_differences.csv")
    assert (diff["scenario"] == "policy").all()


def test_trade_matrix_is_the_hand_solved_shipment(results):
    mat = trade_matrix(results, "Li", YEAR)
    assert mat.loc["CA", "KR"] == pytest.approx(9.6)
    assert mat.loc["KR", "CA"] == pytest.approx(0.0)
    assert float(mat.to_numpy().sum()) == pytest.approx(9.6)


def test_trade_matrix_colours_small_flows_lightly(results):
    fig = plot_trade_matrix(results, "Li", YEAR)
    im = fig.axes[0].images[0]
    shown = im.get_array()
    assert float(shown.max()) == pytest.approx(9.6)  # t Li, not rescaled

    def hsv(v: float) -> np.ndarray:
        return rgb_to_hsv(to_rgb(im.cmap(im.norm(v))))

    small, mid, large = hsv(0.05 * 9.6), hsv(0.5 * 9.6), hsv(9.6)
    assert small[2] > mid[2] > large[2]  # lighter (HSV value) for smaller flows
    assert small[1] < 0.4 < large[1]  # the smallest pale, the largest saturated
    plt.close(fig)
