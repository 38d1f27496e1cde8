"""Report figures on the solved report model (tests/report_model.py)."""

from __future__ import annotations

import pytest

from mfa.report import production_concentration, report_figures
from mfa.report.style import COLOUR_MAPS, colour
from tests.report_model import YEAR, solve_report_model


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return solve_report_model(tmp_path_factory.mktemp("report_model"))


def test_every_figure_draws_with_units_on_its_axes(results):
    jobs = report_figures(results, all_figures=True)
    assert f"sankey_Li_{YEAR}_CA+KR" in jobs and f"concentration_{YEAR}" in jobs
    for stem, job in jobs.items():
        fig = job.draw()
        assert job.caption, stem
        for ax in fig.axes:
            if ax.axison and ax.get_ylabel():
                assert "(" in ax.get_ylabel(), f"{stem}: {ax.get_ylabel()!r} has no unit"
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is not None:  # no empty legend categories
                assert all(t.get_text() for t in legend.get_texts()), stem


def test_concentration_by_stage_is_the_hand_solved_one(results):
    """2028: all 12 t mined and 9.6 t refined in CA, all materials and cells in KR."""
    c = production_concentration(results, "Li", YEAR).set_index("stage")
    assert c.loc["Mining", "production"] == pytest.approx(12.0)
    assert c.loc["Refining", "production"] == pytest.approx(9.6)
    assert c.loc["Materials", "production"] == pytest.approx(9.6 + 20.0)
    assert c.loc["Mining", "top3"] == "CA"
    assert c["hhi"].to_numpy() == pytest.approx(1.0)


def test_one_colour_map_per_kind_and_stages_apart_from_regions():
    assert set(COLOUR_MAPS) == {"region", "stage", "scenario", "element"}
    assert not set(COLOUR_MAPS["stage"].values()) & set(COLOUR_MAPS["region"].values())
    assert colour("region", "CA") == COLOUR_MAPS["region"]["CA"]
    with pytest.raises(ValueError, match="unknown colour kind"):
        colour("planet", "Mars")
