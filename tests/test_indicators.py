"""Indicators from result tables, checked against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

import mfa
from mfa.indicators import compute
from tests.test_policy_lp import _suppliers
from tests.test_stock_lp import _battery_model


def _indicator(results: mfa.Results, name: str, **where: object) -> float:
    frame = results["indicators"]
    frame = frame[frame["indicator"] == name]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert len(frame) == 1, f"expected one row of {name} for {where}, got {len(frame)}"
    return float(frame["value"].iloc[0])


FLOW_COLUMNS = ["process", "region", "commodity", "year", "direction", "value", "unit"]
TRADE_COLUMNS = ["commodity", "origin", "destination", "year", "value", "unit"]


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _recycler_tables(
    commodities: list[tuple], content: list[tuple], processes: list[tuple], flows: list[tuple]
) -> dict[str, pd.DataFrame]:
    """Result tables of region A in 2030 where 5 GWh of cells reach end of life and 2 GWh
    are landfilled, around the given recycling chain (no trade)."""
    return {
        "commodities": _frame(commodities, ["commodity", "element", "stage", "unit", "secondary"]),
        "commodity_content": _frame(content, ["commodity", "element", "value"]),
        "processes": _frame(processes, ["process", "kind"]),
        "regions": _frame([("A",)], ["region"]),
        "flows": _frame(flows, FLOW_COLUMNS),
        "trade": _frame([], TRADE_COLUMNS),
        "eol": _frame(
            [("A", "cell.eol", 2030, 5.0, "GWh")], ["region", "commodity", "year", "value", "unit"]
        ),
        "landfill": _frame(
            [("A", "cell.eol", 2030, 2.0, "GWh")], ["region", "commodity", "year", "value", "unit"]
        ),
    }


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
    assert _indicator(
        r, "partnership_self_sufficiency", region="CA+KR", element="Li"
    ) == pytest.approx(0.3)


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
    assert _indicator(
        r, "recycled_input_rate", region="A", element="Li", year=2025
    ) == pytest.approx(0.0)


def test_end_of_life_recycling_excludes_manufacturing_scrap():
    """A recycler fed 3 GWh of spent cells and 1 GWh of scrap makes 40 t Li: 30 t of it is
    end-of-life recycling; 5 GWh (50 t Li) arose, so the EoL recycling rate is 0.6 (not 0.8),
    while all 40 t count as secondary supply."""
    tables = _recycler_tables(
        [
            ("cell.eol", "multi", "eol", "GWh", False),
            ("cell.scrap", "multi", "eol", "GWh", False),
            ("Li.secondary", "Li", "secondary", "t", True),
        ],
        [("cell.eol", "Li", 10.0), ("cell.scrap", "Li", 10.0)],
        [("recycle", "recycling")],
        [
            ("recycle", "A", "cell.eol", 2030, "in", 3.0, "GWh"),
            ("recycle", "A", "cell.scrap", 2030, "in", 1.0, "GWh"),
            ("recycle", "A", "Li.secondary", 2030, "out", 40.0, "t"),
        ],
    )
    ind = compute(tables, partnership=())
    got = ind.set_index(["indicator", "region", "element", "year"])["value"]
    assert got[("recycled", "A", "Li", 2030)] == pytest.approx(30.0)
    assert got[("eol_recycling_rate", "A", "Li", 2030)] == pytest.approx(0.6)
    assert got[("collection_rate", "A", "Li", 2030)] == pytest.approx(0.6)
    assert got[("secondary_supply_share", "A", "Li", 2030)] == pytest.approx(1.0)


def test_end_of_life_share_follows_black_mass_through_pre_treatment():
    """Pre-treatment (a collection process) turns 3 GWh of spent cells and 1 GWh of scrap into
    40 t of black mass (1 t Li/t); a refiner makes 36 t Li from it. 3/4 of the black mass is
    end of life, so 27 t are end-of-life recycling: 27 of the 50 t Li that arose (0.54). The
    black mass itself is no recycled output: secondary supply is the 36 t Li alone."""
    tables = _recycler_tables(
        [
            ("cell.eol", "multi", "eol", "GWh", False),
            ("cell.scrap", "multi", "eol", "GWh", False),
            ("black_mass", "multi", "eol", "t", False),
            ("Li.secondary", "Li", "secondary", "t", True),
        ],
        [("cell.eol", "Li", 10.0), ("cell.scrap", "Li", 10.0), ("black_mass", "Li", 1.0)],
        [("shred", "collection"), ("refine", "recycling")],
        [
            ("shred", "A", "cell.eol", 2030, "in", 3.0, "GWh"),
            ("shred", "A", "cell.scrap", 2030, "in", 1.0, "GWh"),
            ("shred", "A", "black_mass", 2030, "out", 40.0, "t"),
            ("refine", "A", "black_mass", 2030, "in", 40.0, "t"),
            ("refine", "A", "Li.secondary", 2030, "out", 36.0, "t"),
        ],
    )
    got = compute(tables, partnership=()).set_index(["indicator", "region", "element", "year"])[
        "value"
    ]
    assert got[("recycled", "A", "Li", 2030)] == pytest.approx(27.0)
    assert got[("eol_recycling_rate", "A", "Li", 2030)] == pytest.approx(0.54)
    assert got[("supply", "A", "Li", 2030)] == pytest.approx(36.0)
    assert got[("secondary_supply_share", "A", "Li", 2030)] == pytest.approx(1.0)


def test_supply_weighted_risk_by_hand():
    """KR's Co in 2030: 60 t from CN (governance risk 0.6), 20 t from CA (0.2), 10 t from JP
    (no value: 0) and 20 t recycled at home (KR 0.3): (36 + 4 + 0 + 6) / 110 = 0.418. Its Li
    (50 t from CN) scores 0.6. ``artisanal_Co`` (CN 0.1) is a cobalt indicator: 6 / 110 for
    Co and no row for Li."""
    tables = {
        "commodities": _frame(
            [
                ("Co.sulfate", "Co", "refining", "t", False),
                ("Co.secondary", "Co", "secondary", "t", True),
                ("Li.carbonate", "Li", "refining", "t", False),
            ],
            ["commodity", "element", "stage", "unit", "secondary"],
        ),
        "commodity_content": _frame([], ["commodity", "element", "value"]),
        "processes": _frame([("recycle", "recycling")], ["process", "kind"]),
        "regions": _frame([("KR",), ("CN",), ("CA",), ("JP",)], ["region"]),
        "flows": _frame([("recycle", "KR", "Co.secondary", 2030, "out", 20.0, "t")], FLOW_COLUMNS),
        "trade": _frame(
            [
                ("Co.sulfate", "CN", "KR", 2030, 60.0, "t"),
                ("Co.sulfate", "CA", "KR", 2030, 20.0, "t"),
                ("Co.sulfate", "JP", "KR", 2030, 10.0, "t"),
                ("Li.carbonate", "CN", "KR", 2030, 50.0, "t"),
            ],
            TRADE_COLUMNS,
        ),
        "origin_risk": _frame(
            [
                ("CN", "governance", 0.6, "dimensionless"),
                ("CA", "governance", 0.2, "dimensionless"),
                ("KR", "governance", 0.3, "dimensionless"),
                ("CN", "artisanal_Co", 0.1, "dimensionless"),
            ],
            ["region", "indicator", "value", "unit"],
        ),
    }
    ind = compute(tables, partnership=())
    got = ind.set_index(["indicator", "region", "element", "year"])
    assert got.loc[("supply_risk_governance", "KR", "Co", 2030), "value"] == pytest.approx(
        46.0 / 110.0
    )
    assert got.loc[("supply_risk_governance", "KR", "Li", 2030), "value"] == pytest.approx(0.6)
    assert got.loc[("supply_risk_artisanal_Co", "KR", "Co", 2030), "value"] == pytest.approx(
        6.0 / 110.0
    )
    assert ("supply_risk_artisanal_Co", "KR", "Li", 2030) not in got.index
    assert set(ind.loc[ind["indicator"].str.startswith("supply_risk_"), "unit"]) == {"index (0-1)"}
    # without a risk table there is no such indicator
    tables.pop("origin_risk")
    assert not compute(tables, partnership=())["indicator"].str.startswith("supply_risk").any()


def test_world_market_purchases_count_as_imports(tmp_path):
    """CA needs 10 t X and 50 t Y; its mine makes 20 t Y with the X, and 30 t Y are bought
    on the rest-of-world market: Y's supply 50 t, import dependency 30 / 50 = 0.6, the
    market the largest supplier (0.6), HHI 0.6^2 + 0.4^2 = 0.52; the partnership (CA alone
    here) is not formed. X, all mined, stays at import dependency 0."""
    from tests.test_economics_lp import _mine

    extra = {
        "demand": ["CA,x,2025,10,t", "CA,y,2025,50,t"],
        "market_limit": ["y,CA,buy,2025,40,t"],
    }
    r = mfa.run(_mine(tmp_path, extra))
    ca_y = {"region": "CA", "element": "Y", "year": 2025}
    assert _indicator(r, "supply", **ca_y) == pytest.approx(50.0)
    assert _indicator(r, "import_dependency", **ca_y) == pytest.approx(0.6)
    assert _indicator(r, "largest_supplier_share", **ca_y) == pytest.approx(0.6)
    assert _indicator(r, "hhi", **ca_y) == pytest.approx(0.52)
    ca_x = {"region": "CA", "element": "X", "year": 2025}
    assert _indicator(r, "import_dependency", **ca_x) == pytest.approx(0.0, abs=1e-12)
    supply = r["supply"]
    assert "market" not in set(supply["origin"])  # the family's own table: shipments only


def test_indicator_values_are_floats_without_a_world_market(tmp_path):
    """A model without world-market trade still gives a float ``value`` column (an empty
    purchase table once turned it into objects, which the supply figures could not draw)."""
    from tests.report_model import solve_report_model

    r = solve_report_model(tmp_path)
    assert r["indicators"]["value"].dtype == float
