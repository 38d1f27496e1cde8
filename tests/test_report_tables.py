"""Report tables: headline summary numbers, CSV export, and the Excel workbook round trip."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from mfa.report import (
    discounted_cost,
    element_content,
    export_csv,
    headline_summary,
    read_workbook,
    scale_unit,
    unit_label,
    write_report,
    write_workbook,
)
from mfa.report.example import CAM_LI, CELL_LI, example_tables
from mfa.report.style import region_colour


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return example_tables()


def test_workbook_reads_back_to_identical_tables(tables, tmp_path):
    sources = pd.DataFrame({"source": ["usgs2025"], "citation": ["USGS (2025) MCS"]})
    path = write_workbook(
        tables, tmp_path / "results.xlsx", sources=sources, meta={"scenario": "baseline"}
    )
    back = read_workbook(path, include_sources=True)
    for name, df in tables.items():
        pd.testing.assert_frame_equal(back[name], df.reset_index(drop=True), obj=name)
    pd.testing.assert_frame_equal(back["sources"], sources)


def test_workbook_edge_cases(tmp_path):
    odd = {
        "duals_a_very_long_constraint_family_name_1": pd.DataFrame(
            {"region": ["KR"], "year": [2030], "value": [1.5], "unit": ["USD/t"]}
        ),
        "duals_a_very_long_constraint_family_name_2": pd.DataFrame(
            {"region": ["CA"], "year": [2031], "value": [2.5], "unit": ["USD/t"]}
        ),
        "empty": pd.DataFrame(
            {"region": pd.Series([], dtype=object), "value": pd.Series([], dtype=float)}
        ),
        "with_gaps": pd.DataFrame(
            {"name": ["a", None], "flag": [True, False], "value": [1.0, float("nan")]}
        ),
    }
    back = read_workbook(write_workbook(odd, tmp_path / "odd.xlsx"))
    assert set(back) == set(odd)
    for name, df in odd.items():
        pd.testing.assert_frame_equal(back[name], df, obj=name)


def test_csv_export(tables, tmp_path):
    paths = export_csv(tables, tmp_path / "tables")
    assert {p.stem for p in paths} == set(tables)
    flows = pd.read_csv(tmp_path / "tables" / "flows.csv")
    assert flows["value"].sum() == pytest.approx(tables["flows"]["value"].sum())


def test_discounted_cost(tables):
    pv, rate, base = discounted_cost(tables, 0.05)
    c = tables["costs"]
    expected = (c["value"] / 1.05 ** (c["year"] - 2025)).sum()
    assert (pv, rate, base) == (pytest.approx(expected), 0.05, 2025)


def test_headline_summary(tables):
    s = headline_summary(tables)
    assert list(s.columns) == ["indicator", "region", "element", "period", "value", "unit"]
    row = s[(s["indicator"] == "emissions") & (s["period"] == "2040")]
    em = tables["emissions"]
    assert row["value"].iloc[0] == pytest.approx(em[em["year"] == 2040]["value"].sum())
    dep = s[
        (s["indicator"] == "import_dependency") & (s["region"] == "KR") & (s["period"] == "2050")
    ]["value"].iloc[0]
    ind = tables["indicators"]
    ref = ind[
        (ind["indicator"] == "import_dependency") & (ind["region"] == "KR") & (ind["year"] == 2050)
    ]["value"].iloc[0]
    assert dep == pytest.approx(ref)
    rec = s[(s["indicator"] == "recycled_share") & (s["region"] == "KR")]
    assert ((rec["value"] > 0) & (rec["value"] < 0.2)).all()
    assert set(s["period"]) >= {"2030", "2040", "2050", "2025-2050"}


def test_element_content(tables):
    li = element_content(tables, "Li")
    assert li["Li.hydroxide"] == 1.0
    assert li["CAM.NMC811"] == pytest.approx(CAM_LI)
    assert li["battery.EV"] == pytest.approx(CELL_LI)
    ni = element_content(tables, "Ni")
    assert ni["Li.hydroxide"] == 0.0 and ni["CAM.NMC811"] > 0.4


def test_units_and_colours():
    assert scale_unit(25_000, "t") == (1000.0, "kt")
    assert scale_unit(3.2e6, "t Li") == (1e6, "Mt Li")
    assert scale_unit(5e6, "tCO2e") == (1e6, "Mt CO2e")
    assert scale_unit(3.2e9, "USD") == (1e9, "billion USD")
    assert scale_unit(12.0, "t") == (1.0, "t")
    assert scale_unit(5.0, "fraction") == (1.0, "fraction")
    assert unit_label("Supply", "kt Li") == "Supply (kt Li)"
    assert region_colour("KR") != region_colour("CA")
    assert region_colour("XX") == region_colour("XX")  # stable fallback


def test_write_report(tables, tmp_path):
    res = SimpleNamespace(tables=tables, meta={"scenario": "baseline", "data_version": "test-1"})
    out = write_report(res, tmp_path / "report", years=[2040], formats=("png",), html=False)
    assert not out["failed"]
    figs = {p.name for p in out["figures"]}
    assert "sankey_Li_2040_partnership.png" in figs
    assert {"supply_mix_KR.png", "supply_mix_CA.png", "footprint_per_tonne_2030.png"} <= figs
    assert (tmp_path / "report" / "results.xlsx").exists()
    md = (tmp_path / "report" / "summary.md").read_text(encoding="utf-8")
    assert "baseline" in md and "test-1" in md and "import dependency" in md
    assert (tmp_path / "report" / "tables" / "summary.csv").exists()
