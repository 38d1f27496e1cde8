"""Headline summary, summary.md, workbook and report folder on the solved report model.

Every number is the model's (tests/report_model.py, solved by hand there): Korea's Li supply
in 2028 is 20 t, import dependency 0.48, secondary supply share 0.52.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image

from mfa.report import headline_summary, summary_markdown, write_report, write_workbook
from tests.report_model import YEAR, solve_report_model


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return solve_report_model(tmp_path_factory.mktemp("report_model"))


def _value(summary: pd.DataFrame, indicator: str, region: str = "KR") -> float:
    row = summary[
        (summary["indicator"] == indicator)
        & (summary["region"] == region)
        & (summary["element"] == "Li")
        & (summary["period"] == str(YEAR))
    ]
    assert len(row) == 1, indicator
    return float(row["value"].iloc[0])


def test_headline_numbers_are_the_model_indicators(results):
    summary = headline_summary(results)
    assert _value(summary, "supply") == pytest.approx(20.0)
    assert _value(summary, "import_dependency") == pytest.approx(0.48)
    assert _value(summary, "secondary_supply_share") == pytest.approx(0.52)
    assert _value(summary, "supply", "CA") == pytest.approx(12.0)
    shares = summary[summary["indicator"] == "import_dependency"]
    assert set(shares["unit"]) == {"share"}


def test_headline_reads_the_indicators_table_and_recomputes_nothing(results):
    tables = dict(results.tables)
    ind = tables["indicators"].copy()
    hit = (ind["indicator"] == "import_dependency") & (ind["region"] == "KR")
    ind.loc[hit, "value"] = 0.31
    tables["indicators"] = ind
    assert _value(headline_summary(tables), "import_dependency") == pytest.approx(0.31)


def test_summary_md_opens_with_findings(results):
    md = summary_markdown(headline_summary(results), results.meta, {"figures/a.png": "A"})
    assert md.index("## Findings") < md.index("## Figures") < md.index("## Run")
    assert f"In {YEAR}, KR draws 20 t Li (import dependency 0.48" in md
    assert "recycled within the region 0.52" in md
    assert "[A](figures/a.png)" in md


def test_workbook_for_people(results, tmp_path):
    path = write_workbook(results, tmp_path / "results.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["README", "headline"]
    assert wb.sheetnames.count("sources") == 1
    head = wb["headline"]
    assert head.freeze_panes == "A2" and head.auto_filter.ref
    rows = list(head.iter_rows(values_only=True))
    cols = rows[0]
    found = [
        r
        for r in rows[1:]
        if r[cols.index("indicator")] == "import_dependency"
        and r[cols.index("region")] == "KR"
        and r[cols.index("period")] == str(YEAR)
    ]
    assert found[0][cols.index("value")] == pytest.approx(0.48)
    assert head.cell(2, cols.index("value") + 1).number_format == "#,##0.###"
    excess = list(wb["excess"].iter_rows(values_only=True))
    value = excess[0].index("value")
    assert all(r[value] != 0 for r in excess[1:])  # no zero rows
    assert len(excess) - 1 == int((results["excess"]["value"] != 0).sum())


def test_report_folder_on_the_solved_model(results, tmp_path):
    out = write_report(results, tmp_path / "report", html=False, workers=1)
    assert not out["failed"]
    stems = {p.stem for p in out["figures"]}
    assert f"sankey_Li_{YEAR}_CA+KR" in stems
    page = out["page"].read_text(encoding="utf-8")
    assert page.index("Findings") < page.index("<img")
    assert "data:image/png;base64," in page and 'src="figures' not in page
    png = tmp_path / "report" / "figures" / f"sankey_Li_{YEAR}_CA+KR.png"
    with Image.open(png) as im:
        assert im.size[0] == round(7.2 * 200)
        assert im.size[1] <= 9 * 200
        assert "Scenario reference" in im.info["Description"]
        assert "model report_test" in im.info["Description"]


def test_pdf_fonts_are_truetype_and_carry_the_run(results, tmp_path):
    out = write_report(
        results, tmp_path / "report", html=False, workers=1, formats=("pdf",), all_figures=False
    )
    pdf = next(p for p in out["figures"] if p.suffix == ".pdf").read_bytes()
    assert b"/Type3" not in pdf
    assert b"/TrueType" in pdf or b"/CIDFontType2" in pdf
    caption = "Scenario reference"
    assert caption.encode() in pdf or caption.encode("utf-16-be") in pdf  # in /Info
