"""Results: save/load round trip, atomic writes, the summary."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import mfa
from mfa.errors import ResultsExistError


@pytest.fixture(scope="module")
def tiny_results(request):
    from tests.conftest import ROOT

    return mfa.run(ROOT / "models/examples/tiny.yaml", "reference")


def test_save_load_round_trip(tiny_results, tmp_path):
    folder = tiny_results.save(tmp_path / "out")
    back = mfa.Results.load(folder)
    assert set(back.tables) == set(tiny_results.tables)
    for name, frame in tiny_results.tables.items():
        pd.testing.assert_frame_equal(
            back[name].reset_index(drop=True), frame.reset_index(drop=True), check_dtype=False
        )
    assert back.summary["objective"] == pytest.approx(tiny_results.objective)


def test_summary_has_what_a_researcher_needs(tiny_results, tmp_path):
    folder = tiny_results.save(tmp_path / "out")
    summary = json.loads((folder / "summary.json").read_text())
    for key in (
        "model",
        "scenario",
        "status",
        "objective",
        "max_balance_residual",
        "n_variables",
        "n_constraints",
        "build_s",
        "solve_s",
        "versions",
        "data_hash",
    ):
        assert key in summary, key
    assert summary["status"] == "Optimal"
    assert summary["max_balance_residual"] < 1e-9
    assert len(summary["data_hash"]) == 64


def test_existing_folder_is_kept_without_force(tiny_results, tmp_path):
    folder = tiny_results.save(tmp_path / "out")
    (folder / "marker.txt").write_text("previous run")
    with pytest.raises(ResultsExistError, match="--force"):
        tiny_results.save(folder)
    assert (folder / "marker.txt").read_text() == "previous run"
    tiny_results.save(folder, force=True)
    assert not (folder / "marker.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_every_table_is_tidy_with_units(tiny_results):
    for name, frame in tiny_results.tables.items():
        if name in ("commodities", "processes", "regions", "sources"):
            continue
        assert "unit" in frame.columns, name
        if name == "calibration":  # a comparison: model and observed side by side, one unit
            assert {"model", "observed", "difference"} <= set(frame.columns)
            continue
        assert "value" in frame.columns, name
        assert "unit" in frame.columns, name
        assert frame["unit"].notna().all(), name


def test_report_keeps_the_saved_results_readable(tiny_results, tmp_path):
    """`mfa report DIR` adds CSVs beside the Parquet tables; the results still load, twice."""
    folder = tiny_results.save(tmp_path / "out")
    for _ in range(2):  # a second report replaces the first one's CSVs, not the results
        mfa.write_report(folder, formats=("png",), html=False)
        back = mfa.Results.load(folder)
        assert set(back.tables) == set(tiny_results.tables)
        pd.testing.assert_frame_equal(back["trade"], tiny_results["trade"], check_dtype=False)
    csv = pd.read_csv(folder / "tables" / "trade.csv")
    assert csv["value"].sum() == pytest.approx(tiny_results["trade"]["value"].sum())
    md = (folder / "summary.md").read_text(encoding="utf-8")
    assert f"**data version**: sha256 {tiny_results.summary['data_hash'][:12]}" in md
    assert "**solver**: HiGHS " in md and "**status**: Optimal" in md
    assert "(discounted to 2025)" in md and "largest relative balance residual" in md
    assert (folder / "results.xlsx").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
