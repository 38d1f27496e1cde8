"""Issue 14's mechanisms solved by hand on small models: the rest-of-world market, fixed
operating costs, disposal costs, licence fees, the treatment obligation, the readiness
ceiling, the second-life cap and the import-share corridor."""

from __future__ import annotations

import pytest

import mfa
from tests.modelkit import write_model

X = "x,X,refining,t,true,false,1,,"
Y = "y,Y,refining,t,true,false,1,,"


def _val(results: mfa.Results, table: str, **where: object) -> float:
    frame = results[table]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return float(frame["value"].sum())


def _mine(tmp_path, extra=None):
    """A mine in CA makes 1 t X and 2 t by-product Y per t at 100 USD/t; CA needs 10 t X.

    Y has a reference price of 30 USD/t; without a market the 20 t of Y are dumped.
    """
    tables = {
        "regions": ["CA,Canada"],
        "commodities": [X, Y],
        "processes": ["mine,mining,t,Mine"],
        "process_io": ["mine,x,out,,1,t/t", "mine,y,out,,2,t/t"],
        "capacity": ["mine,CA,2025,m,1000,t"],
        "variable_cost": ["mine,CA,2025,100,USD/t"],
        "demand": ["CA,x,2025,10,t"],
        "reference_price": ["y,30,USD/t"],
    }
    tables.update(extra or {})
    return write_model(tmp_path, tables)


def _price(r: mfa.Results, commodity: str) -> float:
    return _val(r, "prices", commodity=commodity, region="CA", year=2025)


def test_without_a_market_the_by_product_is_dumped(tmp_path):
    r = mfa.run(_mine(tmp_path))
    assert r.objective == pytest.approx(1000.0, rel=1e-9)
    assert _val(r, "excess", commodity="y") == pytest.approx(20.0)
    assert _price(r, "y") == pytest.approx(0.0, abs=1e-9)


def test_market_sells_the_by_product_at_the_reference_price(tmp_path):
    """Sale limit 25 t does not bind: 20 t sold at 30 = 600 revenue, objective 400.

    Y's shadow price is its market price, 30; X's is 100 - 2 x 30 = 40.
    """
    r = mfa.run(_mine(tmp_path, {"market_limit": ["y,CA,sell,2025,25,t"]}))
    assert r.objective == pytest.approx(400.0, rel=1e-9)
    assert _val(r, "market", commodity="y", direction="sell") == pytest.approx(20.0)
    assert _val(r, "excess", commodity="y") == pytest.approx(0.0, abs=1e-9)
    assert _price(r, "y") == pytest.approx(30.0)
    assert _price(r, "x") == pytest.approx(40.0)
    assert r.summary["max_balance_residual"] < 1e-9


def test_a_binding_sale_limit_leaves_the_rest_dumped(tmp_path):
    """Sale limit 15 t: revenue 450, objective 550, 5 t dumped; the marginal Y is worth 0."""
    r = mfa.run(_mine(tmp_path, {"market_limit": ["y,CA,sell,2025,15,t"]}))
    assert r.objective == pytest.approx(550.0, rel=1e-9)
    assert _val(r, "excess", commodity="y") == pytest.approx(5.0)
    assert _price(r, "y") == pytest.approx(0.0, abs=1e-9)
    assert _price(r, "x") == pytest.approx(100.0)


def test_market_purchase_within_its_limit(tmp_path):
    """CA also needs 50 t of Y: 20 t from the mine, 30 t bought at 30 USD/t = 900 more.

    A second unit of mining (100) would also give 2 t Y (60 at market): X costs 40 at the
    margin, Y 30 (the purchase price while the purchase limit of 40 t does not bind).
    """
    r = mfa.run(
        _mine(
            tmp_path,
            {
                "demand": ["CA,x,2025,10,t", "CA,y,2025,50,t"],
                "market_limit": ["y,CA,buy,2025,40,t"],
            },
        )
    )
    assert _val(r, "market", commodity="y", direction="buy") == pytest.approx(30.0)
    assert r.objective == pytest.approx(1000.0 + 900.0, rel=1e-9)
    assert _price(r, "y") == pytest.approx(30.0)
    bought = r["market_element"]  # the 30 t of Y in t of element Y, sales none
    assert _val(r, "market_element", region="CA", element="Y", direction="buy") == 30.0
    assert set(bought["direction"]) == {"buy"}
    assert set(bought["unit"]) == {"t"}


def test_sales_stop_at_what_existing_plants_make(tmp_path):
    """Y now sells at 60: one more t of mining (100) earns 2 x 60 = 120, so mining pays for
    itself. The mine stands with 12 t/yr; up to 100 t more could be built at no investment
    cost. The world takes only what the standing mine can make, 2 x 12 = 24 t of Y (below the
    limit of 100 t): the mine runs at 12 t, sells 24 t Y, and 2 t X go to excess (new
    capacity would stand idle). Objective 12 x 100 - 24 x 60 = -240 (built out to the sale
    limit it would be 50 x 100 - 100 x 60 = -1000)."""
    extra = {
        "capacity": ["mine,CA,2025,m,12,t"],
        "build_limit": ["mine,CA,2025,100,t"],
        "reference_price": ["y,60,USD/t"],
        "market_limit": ["y,CA,sell,2025,100,t"],
    }
    r = mfa.run(_mine(tmp_path, extra))
    assert r.objective == pytest.approx(-240.0, rel=1e-9)
    assert _val(r, "market", commodity="y", direction="sell") == pytest.approx(24.0)
    assert _val(r, "activity", process="mine") == pytest.approx(12.0)
    assert _val(r, "excess", commodity="x") == pytest.approx(2.0)


def _two_regions(tmp_path, extra):
    """The mine of :func:`_mine` in CA, a second region KR, and freight of Y 4 USD/t on the
    routes between them (the only routes leaving or reaching CA)."""
    tables = {
        "regions": ["CA,Canada", "KR,Korea"],
        "trade_routes": ["CA,KR,1000,sea", "KR,CA,1000,sea"],
        "trade_cost": ["y,CA,KR,4,USD/t", "y,KR,CA,4,USD/t"],
    }
    return _mine(tmp_path, {**tables, **extra})


def test_a_sale_earns_the_price_less_freight(tmp_path):
    """20 t Y sold at 30 - 4 = 26: objective 1000 - 520 = 480; Y's shadow price 26."""
    r = mfa.run(_two_regions(tmp_path, {"market_limit": ["y,CA,sell,2025,25,t"]}))
    assert r.objective == pytest.approx(480.0, rel=1e-9)
    assert _price(r, "y") == pytest.approx(26.0)


def test_a_purchase_pays_the_delivered_price(tmp_path):
    """CA needs 50 t Y: 20 t from the mine, 30 t bought at the delivered price 30, no freight
    added (900; with freight it would be 1020). With a sale limit as well, selling a tonne
    bought would lose the 4 USD/t freight, so nothing is sold."""
    extra = {
        "demand": ["CA,x,2025,10,t", "CA,y,2025,50,t"],
        "market_limit": ["y,CA,buy,2025,40,t", "y,CA,sell,2025,40,t"],
    }
    r = mfa.run(_two_regions(tmp_path, extra))
    assert r.objective == pytest.approx(1000.0 + 900.0, rel=1e-9)
    assert _val(r, "market", commodity="y", direction="buy") == pytest.approx(30.0)
    assert _val(r, "market", commodity="y", direction="sell") == pytest.approx(0.0, abs=1e-9)
    assert _price(r, "y") == pytest.approx(30.0)


def test_disposal_cost_is_paid_on_what_is_dumped(tmp_path):
    """20 t Y dumped at 2 USD/t: objective 1000 + 40."""
    r = mfa.run(_mine(tmp_path, {"disposal_cost": ["y,CA,2,USD/t"]}))
    assert r.objective == pytest.approx(1040.0, rel=1e-9)
    costs = r["costs"]
    assert costs[costs["component"] == "disposal"]["value"].sum() == pytest.approx(40.0)


def _build(tmp_path, extra=None, years=(2025, 2025)):
    """CA needs 5 t X a year from a plant that must be built: 1,000 USD per t/yr of
    capacity, 10-year life, no discounting (annuity 100 USD/t a year), 20 USD/t to run."""
    tables = {
        "regions": ["CA,Canada"],
        "commodities": [X],
        "processes": ["plant,refining,t,Plant"],
        "process_io": ["plant,x,out,,1,t/t"],
        "build_limit": ["plant,CA,2025,100,t"],
        "investment_cost": ["plant,CA,2025,1000,USD/t"],
        "process_lifetime": ["plant,10,year"],
        "variable_cost": ["plant,CA,2025,20,USD/t"],
        "demand": ["CA,x,2025,5,t"],
    }
    tables.update(extra or {})
    return write_model(tmp_path, tables, years=years)


def test_fixed_operating_cost_of_new_capacity(tmp_path):
    """5 t of capacity: annuity 5 x 100 + running 5 x 20 = 600; a 3 % fixed share adds
    5 x 0.03 x 1000 = 150 a year."""
    base = mfa.run(_build(tmp_path / "a"))
    assert base.objective == pytest.approx(600.0, rel=1e-9)
    fixed = mfa.run(_build(tmp_path / "b", {"fixed_cost_share": ["*,*,0.03,dimensionless"]}))
    assert fixed.objective == pytest.approx(750.0, rel=1e-9)
    costs = fixed["costs"]
    assert costs[costs["component"] == "fixed_operating"]["value"].sum() == pytest.approx(150.0)


def test_licence_fee_only_while_the_transfer_applies(tmp_path):
    """A 10 % input saving from 2026 with a fee of 7 USD/t: 2025 pays none, 2026 pays 35."""
    r = mfa.run(
        _build(
            tmp_path,
            {
                "input_saving": [
                    "plant,CA,2025,0,dimensionless",
                    "plant,CA,2026,0.1,dimensionless",
                ],
                "transfer_cost": ["plant,CA,2025,7,USD/t"],
            },
            years=(2025, 2026),
        )
    )
    costs = r["costs"]
    fees = costs[costs["component"] == "technology_transfer"].set_index("year")["value"]
    assert fees.get(2025, 0.0) == pytest.approx(0.0, abs=1e-9)
    assert fees[2026] == pytest.approx(35.0)


def test_readiness_ceiling_holds_new_capacity(tmp_path):
    """Only 3 t of the plant may be installed: 2 t of the 5 t demand stays unmet."""
    r = mfa.run(_build(tmp_path, {"max_capacity": ["plant,CA,2025,3,t"]}))
    assert _val(r, "new_capacity") == pytest.approx(3.0)
    assert _val(r, "unmet") == pytest.approx(2.0)


def _spent_packs(tmp_path, extra=None):
    """100 packs sold in 2024 retire in 2025 (fixed 1-year life); 80 % collectable.

    Recycling costs 10 USD a pack; landfilling costs nothing.
    """
    tables = {
        "regions": ["CA,Canada"],
        "commodities": [
            "pack,multi,product,t,false,false,1,,pack.eol",
            "pack.eol,multi,eol,t,true,false,1,,",
            X,
        ],
        "processes": ["recycle,recycling,t,Recycling", "make,manufacturing,t,Packs"],
        "process_io": [
            "recycle,pack.eol,in,,1,t/t",
            "recycle,x,out,,0.5,t/t",
            "make,pack,out,,1,t/t",
        ],
        "capacity": ["recycle,CA,2025,r,1000,t", "make,CA,2025,m,1000,t"],
        "variable_cost": ["recycle,CA,2025,10,USD/t", "make,CA,2025,1,USD/t"],
        "demand": ["CA,pack,2025,1,t"],
        "lifetimes": ["pack,CA,fixed,1,,"],
        "historical_inflow": ["CA,pack,2024,100,t"],
        "collection_rate": ["CA,pack.eol,2025,0.8,dimensionless"],
    }
    tables.update(extra or {})
    return write_model(tmp_path, tables)


def test_collected_packs_are_landfilled_without_an_obligation(tmp_path):
    r = mfa.run(_spent_packs(tmp_path))
    assert _val(r, "landfill", commodity="pack.eol") == pytest.approx(100.0)
    assert _val(r, "activity", process="recycle") == pytest.approx(0.0, abs=1e-9)


def test_treatment_obligation_sends_the_collected_share_to_recycling(tmp_path):
    """Obligation 1: at most the 20 uncollectable packs are landfilled; 80 recycled at 10."""
    r = mfa.run(
        _spent_packs(tmp_path, {"treatment_obligation": ["CA,pack.eol,2025,1,dimensionless"]})
    )
    assert _val(r, "landfill", commodity="pack.eol") == pytest.approx(20.0)
    assert _val(r, "activity", process="recycle") == pytest.approx(80.0)
    assert r.objective == pytest.approx(800.0 + 1.0, rel=1e-9)
    dual = r["duals_treatment_obligation"]["value"].sum()
    assert dual == pytest.approx(10.0)  # one more pack allowed to the landfill saves 10


def test_half_the_obligation_treats_half_the_collected(tmp_path):
    """Obligation 0.5: landfill at most (1 - 0.5 x 0.8) x 100 = 60; 40 recycled."""
    r = mfa.run(
        _spent_packs(tmp_path, {"treatment_obligation": ["CA,pack.eol,2025,0.5,dimensionless"]})
    )
    assert _val(r, "activity", process="recycle") == pytest.approx(40.0)


def _storage(tmp_path, extra=None):
    """CA needs 10 storage units in 2025; new ones cost 50, repurposed spent EV packs 5.

    100 EV packs retire in 2025 (sold 2024, 1-year life).
    """
    tables = {
        "regions": ["CA,Canada"],
        "commodities": [
            "ev,multi,product,t,false,false,1,,ev.eol",
            "ev.eol,multi,eol,t,true,false,1,,",
            "ess,multi,product,t,false,false,1,,",
        ],
        "processes": ["make_ess,manufacturing,t,New", "repurpose,repurposing,t,Second life"],
        "process_io": [
            "make_ess,ess,out,,1,t/t",
            "repurpose,ev.eol,in,,1,t/t",
            "repurpose,ess,out,,1,t/t",
        ],
        "capacity": ["make_ess,CA,2025,n,1000,t", "repurpose,CA,2025,s,1000,t"],
        "variable_cost": ["make_ess,CA,2025,50,USD/t", "repurpose,CA,2025,5,USD/t"],
        "demand": ["CA,ess,2025,10,t"],
        "lifetimes": ["ev,CA,fixed,1,,"],
        "historical_inflow": ["CA,ev,2024,100,t"],
    }
    tables.update(extra or {})
    return write_model(tmp_path, tables)


def test_second_life_cap_limits_repurposed_storage(tmp_path):
    """Without a cap all 10 from second life (50); with a 30 % cap 3 + 7 new = 15 + 350."""
    free = mfa.run(_storage(tmp_path / "a"))
    assert free.objective == pytest.approx(50.0, rel=1e-9)
    capped = mfa.run(_storage(tmp_path / "b", {"second_life_cap": ["CA,2025,0.3,dimensionless"]}))
    assert _val(capped, "activity", process="repurpose") == pytest.approx(3.0)
    assert capped.objective == pytest.approx(365.0, rel=1e-9)


def _suppliers(tmp_path, extra=None, years=(2025, 2026)):
    """KR buys 100 t Li a year from CN (10 USD/t) or AU (20 USD/t)."""
    tables = {
        "regions": ["KR,Korea", "CN,China", "AU,Australia"],
        "commodities": ["li,Li,refining,t,true,false,1,,"],
        "processes": ["refine,refining,t,Refining"],
        "process_io": ["refine,li,out,,1,t/t"],
        "capacity": ["refine,CN,2025,c,1000,t", "refine,AU,2025,a,1000,t"],
        "variable_cost": ["refine,CN,2025,10,USD/t", "refine,AU,2025,20,USD/t"],
        "demand": ["KR,li,2025,100,t"],
        "trade_routes": ["CN,KR,1000,sea", "AU,KR,7000,sea"],
        "observed_share": ["KR,li,CN,2024,volume,0.5,dimensionless"],
    }
    tables.update(extra or {})
    return write_model(tmp_path, tables, years=years)


CORRIDOR = ["*,*,width,0.1,dimensionless", "*,*,drift,0.15,dimensionless"]


def test_share_corridor_widens_from_the_observed_share(tmp_path):
    """Observed 50 % from CN: at most 60 % in 2025 (width 0.1) and 75 % in 2026 (+0.15).

    2025: 60 t CN + 40 t AU = 1400; 2026: 75 + 25 = 1250.
    """
    r = mfa.run(_suppliers(tmp_path, {"share_corridor": CORRIDOR}))
    assert _val(r, "trade", origin="CN", year=2025) == pytest.approx(60.0)
    assert _val(r, "trade", origin="CN", year=2026) == pytest.approx(75.0)
    assert r.objective == pytest.approx(1400.0 + 1250.0, rel=1e-9)
    assert _val(r, "duals_share_ceiling", year=2025) == pytest.approx(10.0)


def test_share_corridor_gives_way_to_a_supply_shock(tmp_path):
    """A 50 % cut of CN's exports in 2026 drops CN's corridor rows from 2026 on: with the
    floor of 40 % kept, CN's 30 t would allow only 75 t of imports (25 t unmet)."""
    r = mfa.run(
        _suppliers(
            tmp_path,
            {
                "share_corridor": ["*,*,width,0.1,dimensionless", "*,*,drift,0,dimensionless"],
                "supply_shock": ["CN,li,2026,0.5,dimensionless"],
            },
        )
    )
    assert _val(r, "trade", origin="CN", year=2026) == pytest.approx(30.0)  # 50 % of 60
    assert _val(r, "unmet") == pytest.approx(0.0, abs=1e-9)


def test_joint_venture_capacity_pays_capital_and_fixed_operating_cost(tmp_path):
    """KR needs 5 t X; CA holds a 5 t joint venture dedicated to KR (no plant to build).

    The JV pays what a built plant pays: annuity 1,000 / 10 = 100 and fixed share
    0.03 x 1,000 = 30 per t a year, 5 x 130 = 650; running 5 x 20 = 100 more. The
    objective is 750, of which 650 under ``joint_venture``: the JV costs what the 5 t the
    LP could build in CA instead would cost, so nothing is built.
    """
    r = mfa.run(
        _build(
            tmp_path,
            {
                "regions": ["CA,Canada", "KR,Korea"],
                "demand": ["KR,x,2025,5,t"],
                "dedicated_capacity": ["plant,CA,KR,2025,5,t"],
                "fixed_cost_share": ["*,*,0.03,dimensionless"],
                "trade_routes": ["CA,KR,9000,sea"],
            },
        )
    )
    assert _val(r, "unmet") == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "trade") == pytest.approx(5.0)
    assert _val(r, "new_capacity") == pytest.approx(0.0, abs=1e-9)
    costs = r["costs"]
    jv = costs[costs["component"] == "joint_venture"]
    assert set(jv["region"]) == {"CA"}
    assert jv["value"].sum() == pytest.approx(650.0)
    assert r.objective == pytest.approx(750.0, rel=1e-9)


def test_the_supply_figure_draws_the_world_market_band(tmp_path):
    """The purchase of :func:`test_market_purchase_within_its_limit` (30 t of Y) is a band of
    its own in CA's supply of Y: 20 t mined in CA, 30 t from the world market."""
    import matplotlib

    matplotlib.use("Agg")
    from mfa.report import plot_supply_mix, supply_mix

    extra = {
        "demand": ["CA,x,2025,10,t", "CA,y,2025,50,t"],
        "market_limit": ["y,CA,buy,2025,40,t"],
    }
    r = mfa.run(_mine(tmp_path, extra))
    wide = supply_mix(r, "Y", "CA")
    assert wide.loc[2025, "market"] == pytest.approx(30.0)
    assert wide.loc[2025, "CA"] == pytest.approx(20.0)
    labels = plot_supply_mix(r, "Y", "CA").axes[0].get_legend_handles_labels()[1]
    assert "World market (purchases)" in labels


def test_a_sweep_changes_the_market_price_and_freight_in_place(tmp_path):
    """Held mutable, the reference price of Y (30 -> 45) and its freight (4 -> 8) change the
    sale's revenue in place: 20 t at 45 - 8 = 37, objective 1000 - 740 = 260 (one more t of
    mining still loses, 100 > 2 x 37), the same as a rebuild."""
    import dataclasses
    from types import MappingProxyType

    from mfa.sweep import Resolver, rebuild_solve

    data = mfa.validate(_two_regions(tmp_path, {"market_limit": ["y,CA,sell,2025,25,t"]}))
    resolver = Resolver(data, {"reference_price", "trade_cost"})
    params = dict(data.params)
    params["reference_price"] = data.param("reference_price") * 1.5
    params["trade_cost"] = data.param("trade_cost") * 2.0
    sample = dataclasses.replace(data, params=MappingProxyType(params))
    out = resolver.solve(sample)
    assert out.mode == "persistent"
    assert out.objective == pytest.approx(260.0, rel=1e-9)
    assert rebuild_solve(sample).objective == pytest.approx(260.0, rel=1e-9)
