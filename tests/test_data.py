"""The default dataset in data/: provenance of every number, and calibration.

* Every row of every CSV under ``data/`` (including ``data/policy`` and the
  alternative tables such as ``demand_aps.csv``) names a source that resolves in
  ``data/sources.csv``, or ``assumption`` with a non-empty note.
* Every row of ``sources.csv`` has a publisher, title, year and a link/DOI or a
  table/page.
* Calibration: the reference scenario's first year (2025) against observed
  2023-2024 figures, with the tolerances and differences documented in
  ``data/README.md`` (section *Calibration*).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from tests.scenario_runs import imports_by_origin, solve

DATA = Path(__file__).resolve().parents[1] / "data"
# derived helper output of data/scripts/build_dataset.py (not an input table: the
# requirements are recomputed from the sourced demand rows every run)
NOT_TABLES = {DATA / "scripts" / "requirements_2025.csv"}
CSVS = sorted(p for p in DATA.rglob("*.csv") if p.name != "sources.csv" and p not in NOT_TABLES)


def _sources() -> pd.DataFrame:
    return pd.read_csv(DATA / "sources.csv", dtype=str, keep_default_na=False)


def test_data_folder_has_tables():
    names = {p.relative_to(DATA).as_posix() for p in CSVS}
    assert "demand.csv" in names and "demand_aps.csv" in names
    assert any(n.startswith("policy/") for n in names)


@pytest.mark.parametrize("path", CSVS, ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_row_has_a_resolvable_source(path: Path):
    ids = set(_sources()["id"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert "source" in df.columns, f"{path.name}: no 'source' column"
    bad = []
    for i, row in df.iterrows():
        src = row["source"].strip()
        line = i + 2  # header is line 1
        if src == "assumption":
            if not row.get("note", "").strip():
                bad.append(f"line {line}: assumption without a note")
        elif src not in ids:
            bad.append(f"line {line}: source {src!r} not in sources.csv")
    assert not bad, f"{path.relative_to(DATA)}: " + "; ".join(bad[:10])


@pytest.mark.parametrize("path", CSVS, ids=lambda p: p.relative_to(DATA).as_posix())
def test_values_are_finite_numbers(path: Path):
    df = pd.read_csv(path, keep_default_na=False)
    if "value" not in df.columns:
        return
    values = pd.to_numeric(df["value"], errors="coerce")
    bad_lines = list(df.index[values.isna()] + 2)
    assert values.notna().all(), f"{path.name}: non-numeric value in lines {bad_lines}"
    assert all(math.isfinite(v) for v in values)
    assert "unit" in df.columns, f"{path.name}: no unit column"
    assert (df["unit"].str.strip() != "").all(), f"{path.name}: missing unit"


def test_sources_are_complete():
    src = _sources()
    assert src["id"].is_unique
    assert "assumption" not in set(src["id"])
    for col in ("publisher", "title", "year"):
        empty = src.loc[src[col].str.strip() == "", "id"].tolist()
        assert not empty, f"sources.csv: empty {col} for {empty}"
    where = (src["link_or_doi"].str.strip() != "") | (src["table_page"].str.strip() != "")
    nowhere = src.loc[~where, "id"].tolist()
    assert where.all(), f"sources.csv: no link/DOI nor table/page for {nowhere}"
    years = pd.to_numeric(src["year"], errors="coerce")
    assert years.between(1980, 2030).all(), src.loc[~years.between(1980, 2030), ["id", "year"]]


def test_every_source_is_used():
    """No dangling bibliography entries (each id is cited by some row)."""
    used = set()
    for path in CSVS:
        used |= set(pd.read_csv(path, dtype=str, keep_default_na=False)["source"])
    for name in ("regions", "commodities", "processes", "trade_routes", "lifetimes"):
        used |= set(pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)["source"])

    # cited in notes only (context for README numbers)
    def notes_of(path: Path) -> str:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return " ".join(frame.get("note", pd.Series(dtype=str)))

    notes = " ".join(notes_of(p) for p in [*CSVS, DATA / "capacity.csv"])
    unused = [s for s in _sources()["id"] if s not in used and s not in notes]
    assert len(unused) <= 12, f"many sources cited nowhere: {unused}"


def test_repository_stands_alone():
    """Provenance lives in data/: nothing in the data, its script or the docs points to files
    outside the repository (a user of the repository has only the repository)."""
    root = DATA.parent
    texts = [*DATA.rglob("*.csv"), *DATA.rglob("*.md"), *DATA.rglob("*.py")]
    texts += list(root.glob("docs/*.md"))
    brief = "sha" + "red"  # the folder name, spelt so that this guard does not match itself
    outside = (f"../{brief}", f"/{brief}/", "data-brief", "data brief")
    bad = [
        f"{p.relative_to(root)}: {word!r}"
        for p in texts
        for word in outside
        if word in p.read_text(encoding="utf-8").lower()
    ]
    assert not bad, "references to files outside the repository: " + "; ".join(bad)


# --- calibration: model year 2025 against observed 2024 (Korea Customs via Argus, USGS) ---------

OBSERVED_LIOH_SHARES = {"CN": 0.827, "CL": 0.132, "US": 0.021, "AU": 0.020}  # kcs_argus2025, 2024
OBSERVED_LI2CO3_SHARES = {"CL": 0.759, "AR": 0.218, "CN": 0.022}  # kcs_argus2025, 2024
SHARE_TOLERANCE = 0.10  # percentage points / 100 (data/README.md, Calibration)


@pytest.fixture(scope="module")
def reference_results():
    return solve("reference")


def _shares(s: pd.Series) -> dict[str, float]:
    return (s / s.sum()).to_dict()


@pytest.mark.slow
def test_reference_has_no_unmet_demand(reference_results):
    unmet = reference_results["unmet"]
    assert unmet["value"].max() <= 1e-6, unmet[unmet["value"] > 1e-6]


@pytest.mark.slow
@pytest.mark.parametrize(
    "commodity, observed",
    [
        ("Li.hydroxide", OBSERVED_LIOH_SHARES),
        # Chile, Argentina and China within 10 points since the import-share corridor
        # (data/share_corridor.csv) holds the first year near the 2024 observation
        ("Li.carbonate", OBSERVED_LI2CO3_SHARES),
    ],
)
def test_calibration_korea_lithium_import_origins(reference_results, commodity, observed):
    model = _shares(imports_by_origin(reference_results, commodity, "KR", 2025))
    for origin in set(observed) | set(model):
        diff = model.get(origin, 0.0) - observed.get(origin, 0.0)
        assert abs(diff) <= SHARE_TOLERANCE, (
            f"KR {commodity} 2025 share from {origin}: model {model.get(origin, 0):.3f}, "
            f"observed 2024 {observed.get(origin, 0):.3f}"
        )


@pytest.mark.slow
def test_calibration_korea_lithium_volumes(reference_results):
    """KR LiOH imports + POSCO Pilbara output vs 2024 imports (16.8 kt Li), Li2CO3 (5.1 kt Li)."""
    res = reference_results
    lioh = imports_by_origin(res, "Li.hydroxide", "KR", 2025).sum()
    act = res["activity"]
    posco = act[
        (act.process == "li_hydroxide_spodumene") & (act.region == "KR") & (act.year == 2025)
    ]["value"].sum()
    li2co3 = imports_by_origin(res, "Li.carbonate", "KR", 2025).sum()
    # the model runs POSCO Pilbara at capacity (7.1 kt Li), so imports are lower than observed
    # but imports + POSCO stay between the observed imports and imports + POSCO's capacity
    assert 16_800 * 0.6 <= lioh <= 16_800 * 1.1
    assert 16_800 * 0.9 <= lioh + posco <= 16_800 + 7_112 + 1
    assert li2co3 == pytest.approx(5_100, rel=0.25)


@pytest.mark.slow
def test_calibration_canada_mine_output(reference_results):
    """Canada's graphite mine output is at its observed level (USGS 2024e 20 kt); lithium and
    nickel serve only CA+KR, so they are at most the observed national output (README)."""
    act = reference_results["activity"]
    ca = act[(act.region == "CA") & (act.year == 2025)].groupby("process")["value"].sum()
    assert ca.get("graphite_mining", 0.0) == pytest.approx(20_000, rel=0.10)
    assert ca.get("li_spodumene_mining", 0.0) <= 4_300 * 1.1
    assert ca.get("ni_sulfide_mining", 0.0) <= 190_000


# --- share of assumption rows (data/scripts/assumption_share.py) -----------------------------


def _assumption_share():
    import importlib.util

    path = DATA / "scripts" / "assumption_share.py"
    spec = importlib.util.spec_from_file_location("assumption_share", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_assumption_count_by_hand(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "sources.csv").write_text("id,publisher\nx,y\n")
    (tmp_path / "a.csv").write_text(
        "region,value,unit,source,note\nCA,1,t,assumption,why\nKR,2,t,usgs,\nCN,3,t,assumption,why\n"
    )
    (tmp_path / "policy" / "b.csv").write_text("region,value,unit,source,note\nCA,1,t,usgs,\n")
    (tmp_path / "observed.csv").write_text("region,value,unit,source,note\nCA,1,t,assumption,x\n")
    module = _assumption_share()
    counts = module.count(tmp_path)
    assert counts == {"a.csv": (2, 3), "observed.csv": (1, 1), "policy/b.csv": (0, 1)}
    assert module.share(counts) == (2, 4)  # observations and sources.csv left out


# Issue 14 asks for at most 30 % assumption rows; today's share is the ceiling, so the share
# can only fall (lower this number when assumptions are replaced by sourced values). It was
# 39.6 % before the certification table (issue 18), whose rows for plants no scheme's public
# page names, and the phase-in of the hypothetical CA-KR standard, are assumptions (40.9 %),
# as are the per-tonne unmet-demand penalties (data/unmet_penalty.csv): 41.1 %. Sourced EV sales
# before 2015 (IEA), wind additions (IRENA, CER), Canada's storage and portable-battery demand,
# Korea's Ga and Ge imports and the scrap collection rows brought it to 966 of 2,620 (36.9 %);
# sourced build limits, plant lives, plant costs, supplier shares, licence fees and landfill fees
# then to 848 of 2,620 (32.4 %); the sourced environmental intensities, grid paths,
# concentrate grades and prices to 766 of 2,619 (29.2 %), within the 30 %.
ASSUMPTION_SHARE_CEILING = 0.293


def test_assumption_share_does_not_grow():
    assumed, rows = _assumption_share().share(_assumption_share().count())
    assert assumed / rows <= ASSUMPTION_SHARE_CEILING, (
        f"{assumed} of {rows} data rows are assumptions ({assumed / rows:.1%}), "
        f"more than the ceiling {ASSUMPTION_SHARE_CEILING:.1%}"
    )


def test_rule_derived_rows_name_the_source_they_scale():
    """A supplier's build limit is 25 % of its availability a year (data/README.md): its row
    names the source of the availability row it scales, as data/README.md's rule asks."""
    cap = pd.read_csv(DATA / "capacity.csv", dtype=str, keep_default_na=False)
    limit = pd.read_csv(DATA / "build_limit.csv", dtype=str, keep_default_na=False)
    suppliers = cap[~cap["region"].isin(["CA", "KR"])].set_index(["process", "region"])
    rows = limit[~limit["region"].isin(["CA", "KR"])]
    assert len(rows) > 50
    wrong = []
    for _, row in rows.iterrows():
        key = (row["process"], row["region"])
        available = suppliers.loc[[key]] if key in suppliers.index else suppliers.iloc[0:0]
        assert len(available) == 1, f"build_limit {key}: no single availability row"
        value = float(available["value"].iloc[0])
        assert float(row["value"]) == pytest.approx(0.25 * value, rel=1e-3), key
        if row["source"] != available["source"].iloc[0]:
            wrong.append(f"{key}: {row['source']} != {available['source'].iloc[0]}")
    assert not wrong, "; ".join(wrong[:5])
