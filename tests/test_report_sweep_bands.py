"""Monte Carlo bands around a run's headline numbers (mfa.sweep.plots.headline_bands).

The run is the solved report model (tests/report_model.py): its annual cost in 2028 is read
from its ``costs`` table and must be the dashed line. The ensemble is five samples whose 2028
cost is 100, 200, 300, 400 and 500 USD: median 300, quartiles 200 and 400, 5-95 % 120 and 480
(linear interpolation between order statistics).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from mfa.report import fan_bands, report_figures
from mfa.sweep.plots import headline_bands
from tests.report_model import YEAR, solve_report_model


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return solve_report_model(tmp_path_factory.mktemp("report_model"))


@pytest.fixture(scope="module")
def sweep():
    samples = pd.DataFrame({"sample": range(5), "status": "optimal", "scenario": "reference"})
    rows = [("cost", "KR", "", "variable", YEAR, 100.0 * (s + 1), "USD") for s in range(5)]
    rows += [("imports", "KR", "CA", "li", YEAR, 9.0 + s, "t") for s in range(5)]
    cols = ["indicator", "region", "partner", "item", "year", "value", "unit"]
    ind = pd.DataFrame(rows, columns=cols).assign(sample=[*range(5), *range(5)])
    return ind, samples


def test_fan_bands_are_the_percentiles(sweep):
    ind, _ = sweep
    cost = ind[ind["indicator"] == "cost"]
    bands = fan_bands(cost).loc[YEAR]
    assert bands.to_numpy() == pytest.approx([120.0, 200.0, 300.0, 400.0, 480.0])


def test_headline_bands_draw_the_ensemble_around_the_run(results, sweep):
    ind, samples = sweep
    fig = headline_bands(ind, samples, results, regions=["KR"])
    cost_ax, imports_ax = fig.axes[:2]
    lines = {line.get_label(): line for line in cost_ax.get_lines()}
    costs = results["costs"]
    run_cost = float(costs.loc[costs["year"] == YEAR, "value"].sum())
    assert run_cost > 0
    median = lines["Median"]
    assert np.asarray(median.get_ydata())[list(median.get_xdata()).index(YEAR)] == 300.0
    run = lines["Reference run"]
    x = list(run.get_xdata())
    assert np.asarray(run.get_ydata())[x.index(YEAR)] == pytest.approx(run_cost)
    imports = {line.get_label(): line for line in imports_ax.get_lines()}
    shipped = np.asarray(imports["Reference run"].get_ydata())
    assert shipped[list(imports["Reference run"].get_xdata()).index(YEAR)] == pytest.approx(9.6)
    plt.close(fig)


def test_report_adds_the_bands_for_a_sweep_folder(results, sweep, tmp_path):
    ind, samples = sweep
    ind.to_parquet(tmp_path / "indicators.parquet")
    samples.to_parquet(tmp_path / "samples.parquet")
    jobs = report_figures(results, sweep=tmp_path)
    assert "uncertainty" in jobs and "uncertainty" not in report_figures(results)
    fig = jobs["uncertainty"].draw()
    assert "5 optimal samples" in fig.get_suptitle()
    plt.close(fig)
