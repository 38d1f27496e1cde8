"""The calibration table (mfa.calibration) and the 2025 calibration targets.

* A hand-made result set checks every formula: volumes (output, imports by origin and in
  total), shares by origin for a commodity and for an element, latest observed year,
  targets only on scope ``model``.
* The default model's reference scenario (with the market-consistent economics of issue
  14: world market, corridor of import shares) is held to the targets for 2025:
  every origin's share within 10 percentage points and every volume within 15 % of the
  latest observed figure (scope ``model`` rows of data/observed.csv and
  data/observed_share.csv). The targets the model misses today are listed in ``MISSED``
  and marked as expected failures (strict: a target that starts to pass must be removed
  from the list, so the list always says which targets pass).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mfa import calibration
from tests.scenario_runs import solve

DATA = Path(__file__).resolve().parents[1] / "data"


def _tables() -> dict[str, pd.DataFrame]:
    commodities = pd.DataFrame(
        {
            "commodity": ["Li.hydroxide", "C.flake", "C.spherical", "cell.X"],
            "element": ["Li", "C", "C", "multi"],
            "unit": ["t", "t", "t", "GWh"],
        }
    )
    processes = pd.DataFrame({"process": ["mine", "recycle"], "kind": ["mining", "recycling"]})
    trade = pd.DataFrame(
        {
            "commodity": ["Li.hydroxide", "Li.hydroxide", "C.flake", "C.spherical", "C.flake"],
            "origin": ["CN", "CL", "CN", "MZ", "CN"],
            "destination": ["KR", "KR", "KR", "KR", "KR"],
            "year": [2025, 2025, 2025, 2025, 2026],
            "value": [90.0, 30.0, 60.0, 40.0, 500.0],
        }
    )
    flows = pd.DataFrame(
        {
            "process": ["mine", "recycle", "mine"],
            "region": ["CA", "CA", "CA"],
            "commodity": ["C.flake", "C.flake", "C.flake"],
            "year": [2025, 2025, 2025],
            "direction": ["out", "out", "in"],
            "value": [17.0, 5.0, 1.0],
        }
    )
    demand = pd.DataFrame(columns=["region", "commodity", "year", "value"])
    return {
        "commodities": commodities,
        "processes": processes,
        "trade": trade,
        "flows": flows,
        "demand": demand,
    }


def _observed() -> pd.Series:
    rows = [
        # quantity, region, partner, commodity, year, scope, value
        ("imports", "KR", "CN", "Li.hydroxide", 2024, "model", 100.0),
        ("imports", "KR", "CL", "Li.hydroxide", 2024, "model", 20.0),
        ("imports", "KR", "CN", "Li.hydroxide", 2023, "model", 999.0),  # older: ignored
        ("mine_output", "CA", "CA", "C.flake", 2024, "model", 20.0),
        ("mine_output", "CN", "CN", "C.flake", 2024, "wider", 1000.0),
    ]
    frame = pd.DataFrame(
        rows, columns=["quantity", "region", "partner", "commodity", "year", "scope", "value"]
    )
    return frame.set_index(list(frame.columns[:-1]))["value"]


def _observed_share() -> pd.Series:
    rows = [
        ("KR", "Li.hydroxide", "CN", 2024, "volume", 0.80),
        ("KR", "C", "CN", 2022, "value", 0.90),
        ("KR", "C.spherical", "CN", 2024, "value", 0.95),
    ]
    frame = pd.DataFrame(rows, columns=["region", "item", "partner", "year", "basis", "value"])
    return frame.set_index(list(frame.columns[:-1]))["value"]


def _prices_by_hand() -> tuple[dict[str, pd.DataFrame], pd.Series]:
    tables = _tables()
    tables["commodities"] = pd.DataFrame(
        {
            "commodity": ["Li.hydroxide", "C.flake", "Li.secondary"],
            "element": ["Li", "C", "Li"],
            "stage": ["refining", "mining", "secondary"],
            "unit": ["t", "t", "t"],
            "secondary": [False, False, True],
        }
    )
    tables["prices"] = pd.DataFrame(
        {
            "commodity": ["Li.hydroxide", "Li.hydroxide", "C.flake", "Li.secondary", "C.flake"],
            "region": ["KR", "CA", "KR", "KR", "CN"],
            "year": [2025, 2025, 2025, 2025, 2025],
            "value": [25_000.0, 130_000.0, 100.0, 30_000.0, 500.0],
        }
    )
    reference = pd.Series(
        {"Li.hydroxide": 60_000.0, "C.flake": 800.0, "Li.secondary": 60_000.0}, name="value"
    )
    return tables, reference


def test_prices_by_hand():
    tables, reference = _prices_by_hand()
    empty = pd.Series([], dtype=float)
    cal = calibration.compute(tables, empty, empty, reference)
    assert set(cal.measure) == {"price"}
    assert "CN" not in set(cal.region)  # only CA and KR are compared
    kr = cal[(cal.item == "Li.hydroxide") & (cal.region == "KR")].iloc[0]
    # 25,000 / 60,000 = 0.417 < 1/2: outside the factor of 2
    assert kr.relative == pytest.approx(25_000 / 60_000 - 1) and kr.target and not kr.within
    ca = cal[(cal.item == "Li.hydroxide") & (cal.region == "CA")].iloc[0]
    assert ca.difference == 70_000.0 and not ca.within  # 130,000 / 60,000 = 2.17 > 2
    flake = cal[cal.item == "C.flake"].iloc[0]
    assert not flake.target  # a mining-stage form is reported, not held to the target
    secondary = cal[cal.item == "Li.secondary"].iloc[0]
    assert not secondary.target and secondary.within  # 0.5 is on the bound


def _row(cal: pd.DataFrame, measure: str, partner: str, item: str) -> pd.Series:
    sel = cal[(cal.measure == measure) & (cal.partner == partner) & (cal.item == item)]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_volumes_by_hand():
    cal = calibration.compute(_tables(), _observed(), _observed_share())
    assert (cal["year"] == 2025).all()
    cn = _row(cal, "imports", "CN", "Li.hydroxide")
    # model 90 t against the 2024 figure 100 t (the 2023 row is older and ignored)
    assert cn.observed_year == 2024
    assert cn.observed == 100.0 and cn.model == 90.0 and cn.difference == -10.0
    assert cn.relative == pytest.approx(-0.10)
    assert not cn.target  # one origin's volume is reported; its share carries the target
    total = _row(cal, "imports", "all", "Li.hydroxide")
    # 90 + 30 = 120 t against 100 + 20 = 120 t
    assert total.observed == 120.0 and total.model == 120.0 and total.relative == 0.0
    assert total.target and total.within
    mine = _row(cal, "mine_output", "CA", "C.flake")
    # only the mining process's output counts (17 t), not recycling (5 t) nor inputs
    assert mine.model == 17.0 and mine.relative == pytest.approx(-0.15)
    assert mine.target and mine.within  # |-15 %| is on the tolerance
    wider = _row(cal, "mine_output", "CN", "C.flake")
    assert wider.model == 0.0 and not wider.target and np.isnan(wider.tolerance)


def test_shares_by_hand():
    cal = calibration.compute(_tables(), _observed(), _observed_share())
    li = _row(cal, "import_share", "CN", "Li.hydroxide")
    # 90 of 120 t from China = 0.75 against 0.80 observed
    assert li.model == pytest.approx(0.75) and li.difference == pytest.approx(-0.05)
    assert li.within and li.unit == "dimensionless"
    graphite = _row(cal, "import_share", "CN", "C")
    # element C: flake 60 t from CN + spherical 40 t from MZ in 2025 -> 0.60 from CN
    assert graphite.model == pytest.approx(0.60)
    assert graphite.difference == pytest.approx(-0.30) and not graphite.within
    spherical = _row(cal, "import_share", "CN", "C.spherical")
    assert spherical.model == 0.0 and not spherical.within  # all spherical from MZ


def test_no_observed_tables_give_an_empty_table():
    empty = pd.Series([], dtype=float)
    cal = calibration.compute(_tables(), empty, empty)
    assert cal.empty and list(cal.columns) == calibration.COLUMNS


# --- the default model against the 2025 targets ------------------------------------------


def _target_keys() -> list[tuple[str, str, str, str, str]]:
    """(measure, region, partner, item, basis) of every target, from the observed tables."""
    obs = pd.read_csv(DATA / "observed.csv")
    obs = obs[obs.scope == "model"]
    keys = set()
    for r in obs.itertuples():
        traded = r.quantity in ("imports", "exports")
        partner = calibration.ALL if traded else r.partner
        keys.add((r.quantity, r.region, partner, r.commodity, "volume"))
    shares = pd.read_csv(DATA / "observed_share.csv")
    for r in shares.itertuples():
        keys.add(("import_share", r.region, r.partner, r.item, r.basis))
    com = pd.read_csv(DATA / "commodities.csv").set_index("commodity")
    for commodity in pd.read_csv(DATA / "reference_price.csv")["commodity"]:
        c = com.loc[commodity]
        priced = c.element in calibration.PRICE_ELEMENTS and c.stage in ("refining", "material")
        if priced and not c.secondary:
            keys |= {("price", r, r, commodity, "price") for r in calibration.PRICE_REGIONS}
    return sorted(keys)


MISSED = {
    # volumes: POSCO Pilbara runs at full capacity in 2025 (ramping up in 2024), so Korea
    # imports less LiOH and more Li2CO3
    ("imports", "KR", "all", "Li.carbonate", "volume"),
    ("imports", "KR", "all", "Li.hydroxide", "volume"),
    # shares of forms Korea does not import in the model (it refines them itself)
    ("import_share", "KR", "CN", "C.spherical", "value"),
    ("import_share", "KR", "CN", "C.synthetic", "value"),
    ("import_share", "KR", "CN", "Co.intermediate", "value"),
    ("import_share", "KR", "CN", "Ni.intermediate", "value"),
    # shadow price: Korea has no Ni.intermediate balance (it buys none)
    ("price", "KR", "KR", "Ni.intermediate", "price"),
    # shadow price x0.50: spodumene is worth its netback on the world market (price less
    # freight), and the 2024 carbonate price is high against the spodumene price assumed
    ("price", "CA", "CA", "Li.carbonate", "price"),
    ("price", "KR", "KR", "Li.carbonate", "price"),
}
"""Targets the reference scenario misses today (issue 14: what calibration must fix)."""


@pytest.fixture(scope="module")
def reference_calibration() -> pd.DataFrame:
    return solve("reference")["calibration"]


def _target_params():
    return [
        pytest.param(
            key,
            id="-".join(key),
            marks=[pytest.mark.slow]
            + ([pytest.mark.xfail(strict=True, reason="missed today")] if key in MISSED else []),
        )
        for key in _target_keys()
    ]


@pytest.mark.parametrize("key", _target_params())
def test_reference_meets_2025_target(reference_calibration, key):
    measure, region, partner, item, basis = key
    cal = reference_calibration
    sel = cal[
        (cal.measure == measure)
        & (cal.region == region)
        & (cal.partner == partner)
        & (cal.item == item)
        & (cal.basis == basis)
    ]
    assert len(sel) == 1, f"no calibration row for {key}"
    row = sel.iloc[0]
    assert row.target
    what = "relative" if row.measure != "import_share" else "difference"
    assert row.within, (
        f"{key}: model {row.model:.4g}, observed {row.observed_year} {row.observed:.4g}, "
        f"{what} {row[what]:+.3f} beyond {row.tolerance:g}"
    )


def test_missed_targets_are_targets():
    """Every entry of MISSED names a target of the observed tables (no stale entries)."""
    assert set(_target_keys()) >= MISSED


def test_market_purchases_count_as_imports_in_shares():
    """80 t bought from the rest-of-world market join the 120 t shipped: CN 90 of 200 t."""
    tables = _tables()
    tables["market"] = pd.DataFrame(
        {
            "commodity": ["Li.hydroxide", "Li.hydroxide"],
            "region": ["KR", "KR"],
            "year": [2025, 2025],
            "direction": ["buy", "sell"],
            "value": [80.0, 1000.0],
        }
    )
    cal = calibration.compute(tables, _observed(), _observed_share())
    assert _row(cal, "import_share", "CN", "Li.hydroxide").model == pytest.approx(0.45)
