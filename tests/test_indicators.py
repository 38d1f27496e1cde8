"""Indicators from result tables, checked against hand-computed values."""

from __future__ import annotations

import pytest

import mfa
from tests.test_policy_lp import _suppliers
from tests.test_stock_lp import _battery_model


def _indicator(results: mfa.Results, name: str, **where: object) -> float:
    frame = results["indicators"]
    frame = frame[frame["indicator"] == name]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert len(frame) == 1, f"expected one row of {name} for {where}, got {len(frame)}"
    return float(frame["value"].iloc[0])


def test_supply_security_indicators_under_a_cap(tmp_path):
    """60 t from CN and 40 t from AU: dependency 1, largest share 0.6, HHI 0.36 + 0.16."""
    r = mfa.run(_suppliers(tmp_path, {"supplier_cap": ["KR,Li,2025,0.6,dimensionless"]}))
    kr = {"region": "KR", "element": "Li", "year": 2025}
    assert _indicator(r, "supply", **kr) == pytest.approx(100.0)
    assert _indicator(r, "import_dependency", **kr) == pytest.approx(1.0)
    assert _indicator(r, "largest_supplier_share", **kr) == pytest.approx(0.6)
    assert _indicator(r, "hhi", **kr) == pytest.approx(0.52)


def test_partner_share_and_self_sufficiency(tmp_path):
    """30 % of KR's Li from CA; the partnership (CA+KR) mines nothing else: 0.3."""
    r = mfa.run(_suppliers(tmp_path, {"offtake_share": ["KR,li,CA,2025,0.3,dimensionless"]}))
    assert _indicator(r, "share_from_CA", region="KR", element="Li") == pytest.approx(0.3)
    assert _indicator(r, "partnership_self_sufficiency", region="CA+KR",
                      element="Li") == pytest.approx(0.3)


def test_circularity_indicators_after_first_retirement(tmp_path):
    """2028: 10 t arise, 9 t collected, 7.2 t recycled, 7.2 of 10 t Li input secondary."""
    r = mfa.run(_battery_model(tmp_path))
    at = {"region": "A", "element": "Li", "year": 2028}
    assert _indicator(r, "eol_arising", **at) == pytest.approx(10.0)
    assert _indicator(r, "collection_rate", **at) == pytest.approx(0.9)
    assert _indicator(r, "landfill", **at) == pytest.approx(1.0)
    assert _indicator(r, "recycled", **at) == pytest.approx(7.2)
    assert _indicator(r, "eol_recycling_rate", **at) == pytest.approx(0.72)
    assert _indicator(r, "recycled_input_rate", **at) == pytest.approx(0.72)
    assert _indicator(r, "in_use_stock", **at) == pytest.approx(30.0)
    assert _indicator(r, "recycled_input_rate", region="A", element="Li",
                      year=2025) == pytest.approx(0.0)
