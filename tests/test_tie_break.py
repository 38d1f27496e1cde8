"""The tie-break: of two optimal vertices, the one that changes least between years."""

from __future__ import annotations

import pytest

import mfa
from mfa.errors import ConfigError
from tests.modelkit import write_model


def _two_suppliers(folder, solver: str = ""):
    """K needs 100 t in 2025 and in 2026 from mine A (10 USD/t both years) or mine B
    (20 USD/t in 2025, 9.9 USD/t in 2026); shipping is free.

    Least cost: A in 2025, B in 2026 (cost 1000 + 990 = 1990 USD), a switch of supplier:
    the year-to-year change of trade and activity is |0-100| + |100-0| for A's and B's
    shipments and again for their mining, 400 t. Keeping A in 2026 costs 10 USD more
    (0.5 % of the optimum) and changes nothing (0 t).

    * tolerance 1 % (up to 19.9 USD more): the tie-break keeps A, cost +10 USD;
    * tolerance 0.2 % (up to 3.98 USD more): each t moved back to A costs 0.1 USD, so
      39.8 t move: A ships 39.8 t in 2026 and B 60.2 t; the change is 4 x 60.2 = 240.8 t.
    """
    return write_model(
        folder,
        {
            "regions": ["A,Alpha", "B,Beta", "K,Kappa"],
            "commodities": ["ore,Li,mining,t,true,false,1,,"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": [
                "mine,A,2025,a1,500,t",
                "mine,A,2026,a1,500,t",
                "mine,B,2025,b1,500,t",
                "mine,B,2026,b1,500,t",
            ],
            "variable_cost": [
                "mine,A,2025,10,USD/t",
                "mine,A,2026,10,USD/t",
                "mine,B,2025,20,USD/t",
                "mine,B,2026,9.9,USD/t",
            ],
            "demand": ["K,ore,2025,100,t", "K,ore,2026,100,t"],
            "trade_routes": ["A,K,1000,sea", "B,K,1000,sea"],
        },
        years=(2025, 2026),
        extra_yaml=solver,
    )


def _shipped(results, origin: str, year: int) -> float:
    t = results["trade"]
    return float(t[(t["origin"] == origin) & (t["year"] == year)]["value"].sum())


def test_without_tie_break_the_supplier_switches(tmp_path):
    r = mfa.run(_two_suppliers(tmp_path / "m"))
    assert r.objective == pytest.approx(1990.0, rel=1e-12)
    assert _shipped(r, "A", 2025) == pytest.approx(100.0)
    assert _shipped(r, "B", 2026) == pytest.approx(100.0)
    assert "tie_break" not in r.summary["solver"]


def test_tie_break_keeps_the_supplier(tmp_path):
    r = mfa.run(_two_suppliers(tmp_path / "m", "solver: {tie_break: {tolerance: 0.01}}\n"))
    assert _shipped(r, "A", 2025) == pytest.approx(100.0, abs=1e-6)
    assert _shipped(r, "A", 2026) == pytest.approx(100.0, abs=1e-6)
    assert _shipped(r, "B", 2026) == pytest.approx(0.0, abs=1e-6)
    tb = r.summary["solver"]["tie_break"]
    assert r.objective == pytest.approx(2000.0, rel=1e-12)
    assert tb["cost_increase"] == pytest.approx(10.0, rel=1e-9)
    assert tb["variation_before"] == pytest.approx(400.0, rel=1e-9)
    assert tb["variation_after"] == pytest.approx(0.0, abs=1e-6)
    assert tb["pairs"] == 4  # trade A->K, B->K and mining in A, B: one pair of years each
    assert r.summary["cost_reconciliation"] < 1e-9


def test_a_tight_tolerance_moves_only_what_it_pays_for(tmp_path):
    r = mfa.run(_two_suppliers(tmp_path / "m", "solver: {tie_break: {tolerance: 0.002}}\n"))
    tb = r.summary["solver"]["tie_break"]
    assert _shipped(r, "A", 2026) == pytest.approx(39.8, rel=1e-8)
    assert _shipped(r, "B", 2026) == pytest.approx(60.2, rel=1e-8)
    assert tb["variation_after"] == pytest.approx(240.8, rel=1e-8)
    assert tb["cost_increase"] == pytest.approx(0.002 * 1990.0, rel=1e-8)


def test_unknown_tie_break_family_is_a_config_error(tmp_path):
    model = _two_suppliers(tmp_path / "m", "solver: {tie_break: {families: [stock]}}\n")
    with pytest.raises(ConfigError, match=r"solver\.tie_break\.families"):
        mfa.load_model(model)
