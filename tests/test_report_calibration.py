"""The calibration figure on a calibration table of the solved report model.

The model's numbers are read from its tables (tests/report_model.py): the refined Li shipped
to Korea and the ore mined in Canada in 2025. The observed figures are set here so that one
volume is inside its 15 % band and one outside: imports observed at the model's value / 1.1
(relative +0.10, within), output observed at the model's value / 1.5 (relative +0.5, outside).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from mfa.report import report_figures
from mfa.report.calibration import OUTSIDE_COLOUR, WITHIN_COLOUR, plot_calibration
from mfa.results import Results
from tests.report_model import solve_report_model

FIRST = 2025


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return solve_report_model(tmp_path_factory.mktemp("report_model"))


def _row(measure, region, partner, item, observed, model, tol, unit="t"):
    rel = model / observed - 1.0
    return {
        "measure": measure,
        "region": region,
        "partner": partner,
        "item": item,
        "scope": "model",
        "basis": "volume",
        "observed_year": FIRST - 1,
        "year": FIRST,
        "observed": observed,
        "model": model,
        "difference": model - observed,
        "relative": rel,
        "unit": unit,
        "tolerance": tol,
        "target": True,
        "within": abs(rel) <= tol,
    }


@pytest.fixture(scope="module")
def calibrated(results):
    tr = results["trade"]
    imports = float(
        tr[(tr["commodity"] == "li") & (tr["destination"] == "KR") & (tr["year"] == FIRST)][
            "value"
        ].sum()
    )
    fl = results["flows"]
    mined = float(
        fl[(fl["process"] == "mine") & (fl["direction"] == "out") & (fl["year"] == FIRST)][
            "value"
        ].sum()
    )
    assert imports > 0 and mined > 0
    cal = pd.DataFrame(
        [
            _row("imports", "KR", "all", "li", imports / 1.1, imports, 0.15),
            _row("output", "CA", "CA", "ore", mined / 1.5, mined, 0.15),
        ]
    )
    return Results({**results.tables, "calibration": cal}, dict(results.summary)), cal


def test_report_draws_calibration_when_the_table_is_there(results, calibrated):
    assert "calibration" not in report_figures(results)
    jobs = report_figures(calibrated[0])
    assert "calibration" in jobs and "observed" in jobs["calibration"].caption


def test_calibration_dots_are_the_relative_differences(calibrated):
    fig = plot_calibration(calibrated[0])
    ax = fig.axes[0]
    dots = ax.collections[0]
    x = [float(v) for v in dots.get_offsets()[:, 0]]
    assert sorted(x) == pytest.approx([0.1, 0.5])
    colours = {round(xi, 6): to_hex(c) for xi, c in zip(x, dots.get_facecolors(), strict=True)}
    assert colours[0.1] == WITHIN_COLOUR.lower()
    assert colours[0.5] == OUTSIDE_COLOUR.lower()
    assert "1 of 2 outside" in ax.get_title()
    lo, hi = ax.patches[0].get_x(), ax.patches[0].get_x() + ax.patches[0].get_width()
    assert (lo, hi) == pytest.approx((-0.15, 0.15))
    plt.close(fig)


def test_a_row_without_a_model_value_is_named_not_dropped(calibrated):
    """An observed figure the model has no value for (no imports of that commodity) counts
    as outside and is named under its panel."""
    table = calibrated[1]
    absent = _row("imports", "KR", "all", "ore", 5.0, float("nan"), 0.15) | {"within": False}
    results = Results(
        {**calibrated[0].tables, "calibration": pd.concat([table, pd.DataFrame([absent])])},
        dict(calibrated[0].summary),
    )
    fig = plot_calibration(results)
    title = fig.axes[0].get_title()
    assert "2 of 3 outside" in title
    assert "none in the model (not drawn)" in title and "ore" in title.split("not drawn")[-1]
    plt.close(fig)
