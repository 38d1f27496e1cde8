"""Policy families solved by hand: caps and their duals, stockpiles, shocks, prices."""

from __future__ import annotations

import pytest

import mfa
from tests.modelkit import write_model

LI = "li,Li,refining,t,true,false,1,,"


def _val(results: mfa.Results, table: str, **where: object) -> float:
    frame = results[table]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return float(frame["value"].sum())


def _suppliers(tmp_path, extra=None, years=(2025, 2025), cn_cost=10, au_cost=20, ca_cost=25):
    """KR buys refined Li from CN, AU or CA (no freight); demand 100 t/yr."""
    tables = {
        "regions": ["KR,Korea", "CN,China", "AU,Australia", "CA,Canada"],
        "commodities": [LI],
        "processes": ["refine,refining,t,Refining"],
        "process_io": ["refine,li,out,,1,t/t"],
        "capacity": [
            "refine,CN,2025,c,1000,t",
            "refine,AU,2025,a,1000,t",
            "refine,CA,2025,k,1000,t",
        ],
        "variable_cost": [
            f"refine,CN,2025,{cn_cost},USD/t",
            f"refine,AU,2025,{au_cost},USD/t",
            f"refine,CA,2025,{ca_cost},USD/t",
        ],
        "demand": ["KR,li,2025,100,t"],
        "trade_routes": ["CN,KR,1000,sea", "AU,KR,7000,sea", "CA,KR,9000,sea"],
    }
    tables.update(extra or {})
    return write_model(tmp_path, tables, years=years)


def test_supplier_cap_binds_with_its_dual(tmp_path):
    """At most 60 % from one origin: 60 t CN (10) + 40 t AU (20) = 1400.

    One more t allowed from CN replaces one t from AU: the dual is 10 USD/t.
    """
    r = mfa.run(_suppliers(tmp_path, {"supplier_cap": ["KR,Li,2025,0.6,dimensionless"]}))
    assert r.objective == pytest.approx(1400.0, rel=1e-9)
    assert _val(r, "trade", origin="CN") == pytest.approx(60.0)
    assert _val(r, "trade", origin="AU") == pytest.approx(40.0)
    duals = r["duals_supplier_cap"].set_index("origin")["value"]
    assert duals["CN"] == pytest.approx(10.0)
    assert duals["AU"] == pytest.approx(0.0, abs=1e-9)
    assert r["duals_supplier_cap"]["unit"].iloc[0] == "USD/t"


def test_offtake_share_buys_from_the_partner(tmp_path):
    """At least 30 % from CA (25 USD/t): 30 t CA + 70 t CN = 1450; dual 15 USD/t."""
    r = mfa.run(_suppliers(tmp_path, {"offtake_share": ["KR,li,CA,2025,0.3,dimensionless"]}))
    assert r.objective == pytest.approx(1450.0, rel=1e-9)
    assert _val(r, "trade", origin="CA") == pytest.approx(30.0)
    assert _val(r, "duals_offtake_share") == pytest.approx(15.0)


def test_sourcing_limit_excludes_uncertified_origin_from_a_year(tmp_path):
    """CN is uncertified; from 2026 no supply from uncertified origins: AU takes over."""
    r = mfa.run(
        _suppliers(
            tmp_path,
            {
                "origin_risk": [
                    "CN,uncertified,1,dimensionless",
                    "AU,uncertified,0,dimensionless",
                    "CA,uncertified,0,dimensionless",
                ],
                "sourcing_limit": ["KR,Li,uncertified,2026,0,dimensionless"],
            },
            years=(2025, 2026),
        )
    )
    assert _val(r, "trade", origin="CN", year=2025) == pytest.approx(100.0)
    assert _val(r, "trade", origin="CN", year=2026) == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "trade", origin="AU", year=2026) == pytest.approx(100.0)


def test_stockpile_covers_a_one_year_shock(tmp_path):
    """73-day stockpile (20 t) of Li in KR; CN (10 USD/t) stops exporting in 2027.

    Holding costs 1 USD/t/yr, AU costs 30 USD/t. Stocking up in 2026 costs 11 USD/t
    < 30, so KR holds 100 t at the end of 2026 and draws all of it in 2027:
    2025: 120 t + 20 held = 1220; 2026: 180 t + 100 held = 1900; 2027: 0;
    2028: 120 t + 20 held = 1220. Total 4340.
    """
    r = mfa.run(
        _suppliers(
            tmp_path,
            {
                "stockpile_days": ["KR,li,2025,73,dimensionless"],
                "holding_cost": ["li,KR,1,USD/t"],
                "supply_shock": ["CN,li,2027,1,dimensionless"],
            },
            years=(2025, 2028),
            au_cost=30,
            ca_cost=40,
        )
    )
    assert r.objective == pytest.approx(4340.0, rel=1e-9)
    held = r["stockpile"].set_index("year")["value"]
    assert held.to_dict() == pytest.approx({2025: 20.0, 2026: 100.0, 2027: 0.0, 2028: 20.0})
    assert _val(r, "stockpile_drawdown", year=2027) == pytest.approx(100.0)
    assert _val(r, "trade", year=2027) == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "unmet") == pytest.approx(0.0, abs=1e-9)
    assert r.summary["max_balance_residual"] < 1e-9


def test_shock_without_stockpile_is_covered_by_other_suppliers(tmp_path):
    """CN cuts 60 % of exports in 2026 (relative to 2025's 100 t): AU supplies 60 t."""
    r = mfa.run(
        _suppliers(tmp_path, {"supply_shock": ["CN,li,2026,0.6,dimensionless"]}, years=(2025, 2026))
    )
    assert _val(r, "trade", origin="CN", year=2026) == pytest.approx(40.0)
    assert _val(r, "trade", origin="AU", year=2026) == pytest.approx(60.0)
    assert _val(r, "duals_supply_shock") == pytest.approx(10.0)


def _two_mines(tmp_path, extra):
    """Mine A: 10 USD/t, 2 tCO2e/t; mine B: 20 USD/t, 0.5 tCO2e/t; demand 100 t."""
    tables = {
        "regions": ["R,Region"],
        "commodities": [LI],
        "processes": ["mineA,mining,t,Dirty", "mineB,mining,t,Clean"],
        "process_io": ["mineA,li,out,,1,t/t", "mineB,li,out,,1,t/t"],
        "capacity": ["mineA,R,2025,a,1000,t", "mineB,R,2025,b,1000,t"],
        "variable_cost": ["mineA,R,2025,10,USD/t", "mineB,R,2025,20,USD/t"],
        "emission_factor": ["mineA,R,2,tCO2e/t", "mineB,R,0.5,tCO2e/t"],
        "demand": ["R,li,2025,100,t"],
    }
    tables.update(extra)
    return write_model(tmp_path, tables)


@pytest.mark.parametrize(("price", "winner"), [(6.0, "mineA"), (7.0, "mineB")])
def test_carbon_price_switches_supplier_at_the_expected_price(tmp_path, price, winner):
    """Break-even: 10 + 2p = 20 + 0.5p, p = 6.67 USD/tCO2e."""
    r = mfa.run(_two_mines(tmp_path, {"carbon_price": [f"R,2025,{price},USD/tCO2e"]}))
    assert _val(r, "activity", process=winner) == pytest.approx(100.0)
    factor = 2.0 if winner == "mineA" else 0.5
    assert _val(r, "emissions") == pytest.approx(100.0 * factor)
    assert _val(r, "costs", component="carbon") == pytest.approx(100.0 * factor * price)


def test_emission_cap_binds_with_its_dual(tmp_path):
    """Cap 100 tCO2e: xA + xB = 100, 2 xA + 0.5 xB = 100: xA = 33.3; dual 6.67 USD/tCO2e."""
    r = mfa.run(_two_mines(tmp_path, {"emission_cap": ["R,2025,100,tCO2e"]}))
    assert _val(r, "activity", process="mineA") == pytest.approx(100.0 / 3.0)
    assert r.objective == pytest.approx(10 * 100 / 3 + 20 * 200 / 3, rel=1e-9)
    assert _val(r, "duals_ghg_cap") == pytest.approx(20.0 / 3.0)
    assert r["duals_ghg_cap"]["unit"].iloc[0] == "USD/tCO2e"


def test_electricity_emissions_follow_the_grid(tmp_path):
    """2 MWh/t at 0.5 tCO2e/MWh adds 1 tCO2e/t to mine A's direct 2."""
    r = mfa.run(
        _two_mines(
            tmp_path,
            {"electricity_use": ["mineA,R,2,MWh/t"], "grid_intensity": ["R,2025,0.5,tCO2e/MWh"]},
        )
    )
    e = r["emissions"]
    assert _val(r, "emissions", scope="electricity") == pytest.approx(100.0)
    assert set(e["scope"]) == {"direct", "electricity"}


def test_technology_transfer_saves_inputs(tmp_path):
    """Refining needs 1.25 t ore per t; a 20 % input saving makes it 1.0 t."""
    model = write_model(
        tmp_path,
        {
            "regions": ["R,Region"],
            "commodities": ["ore,Li,mining,t,true,false,1,,", LI],
            "processes": ["mine,mining,t,Mine", "refine,refining,t,Refine"],
            "process_io": [
                "mine,ore,out,,1,t/t",
                "refine,ore,in,,1.25,t/t",
                "refine,li,out,,1,t/t",
            ],
            "capacity": ["mine,R,2025,m,1000,t", "refine,R,2025,r,1000,t"],
            "variable_cost": ["mine,R,2025,10,USD/t"],
            "input_saving": ["refine,R,2025,0.2,dimensionless"],
            "demand": ["R,li,2025,100,t"],
        },
    )
    r = mfa.run(model)
    assert _val(r, "activity", process="mine") == pytest.approx(100.0)
    assert _val(r, "flows", process="refine", direction="in") == pytest.approx(100.0)


def test_dedicated_capacity_serves_its_destination_only(tmp_path):
    """CA has 40 t of its own refining and a 50 t joint venture dedicated to KR.

    CA needs 60 t, KR 30 t. The JV output above CA's own 40 t must ship to KR,
    so CA gets at most 40 t from its refineries: 20 t of CA demand is unmet
    (no other supplier), KR gets 30 t.
    """
    model = write_model(
        tmp_path,
        {
            "regions": ["CA,Canada", "KR,Korea"],
            "commodities": [LI],
            "processes": ["refine,refining,t,Refining"],
            "process_io": ["refine,li,out,,1,t/t"],
            "capacity": ["refine,CA,2025,own,40,t"],
            "dedicated_capacity": ["refine,CA,KR,2025,50,t"],
            "variable_cost": ["refine,CA,2025,10,USD/t"],
            "demand": ["CA,li,2025,60,t", "KR,li,2025,30,t"],
            "trade_routes": ["CA,KR,9000,sea"],
        },
    )
    r = mfa.run(model)
    assert _val(r, "unmet", region="CA") == pytest.approx(20.0)
    assert _val(r, "unmet", region="KR") == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "trade") == pytest.approx(30.0)


def test_route_limit_closes_a_route(tmp_path):
    """A trade limit of 0 on CN->KR sends KR to AU."""
    r = mfa.run(_suppliers(tmp_path, {"trade_limit": ["li,CN,KR,2025,0,t"]}))
    assert _val(r, "trade", origin="CN") == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "trade", origin="AU") == pytest.approx(100.0)
