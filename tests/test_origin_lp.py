"""Origin as a decision in the LP (mfa.model.origin), solved by hand."""

from __future__ import annotations

import pytest

import mfa
from tests.modelkit import write_model
from tests.test_origin import RULES

X = "x,X,mining,t,true,false,1,,"


def _re_export(tmp_path, extra: dict | None = None, traced: bool = False) -> mfa.Results:
    """D needs 100 t of x. A mines at 1 USD/t, B at 5 USD/t; T's own mine costs 100 USD/t
    (so T can ship x at all). Routes A->D, B->D (free), A->T and T->D (0.5 USD/t each)."""
    tables = {
        "regions": ["A,Cheap miner", "B,Dear miner", "T,Trader", "D,Buyer"],
        "commodities": [X],
        "processes": ["mine,mining,t,Mining"],
        "process_io": ["mine,x,out,,1,t/t"],
        "capacity": ["mine,A,2025,a,1000,t", "mine,B,2025,b,1000,t", "mine,T,2025,t,1000,t"],
        "variable_cost": ["mine,A,2025,1,USD/t", "mine,B,2025,5,USD/t", "mine,T,2025,100,USD/t"],
        "demand": ["D,x,2025,100,t"],
        "trade_routes": ["A,D,1,sea", "B,D,1,sea", "A,T,1,sea", "T,D,1,sea"],
        "trade_cost": ["x,A,T,0.5,USD/t", "x,T,D,0.5,USD/t"],
        "origin_rules": RULES,
        "origin_risk": [f"{r},concern,{int(r == 'A')},dimensionless" for r in "ABTD"],
    }
    tables.update(extra or {})
    trace = "overrides: {trace: {options: {trace_origin: [X]}}}\nscenarios: {traced: [trace]}\n"
    model = write_model(tmp_path, tables, extra_yaml=trace)
    return mfa.run(model, scenario="traced" if traced else None)


def _trade(r: mfa.Results, origin: str, destination: str) -> float:
    t = r["trade"]
    return float(t[(t["origin"] == origin) & (t["destination"] == destination)]["value"].sum())


SHIPPING_CAP = {"sourcing_limit": ["D,X,concern,2025,0,dimensionless"]}
"""No supply shipped from A into D (shipping basis: the existing sourcing limit)."""
MINE_CAP = {
    "origin_groups": ["feoc,A,1,dimensionless"],
    "origin_share": ["D,X,mine,feoc,max,2025,0,dimensionless"],
}
"""No supply mined in A (the group 'feoc') may reach D, whoever ships it."""


def test_shipping_origin_cap_is_met_by_re_export(tmp_path):
    """Barred from shipping A's ore to D, the cheapest supply re-exports it through T:
    100 t x (1 + 0.5 + 0.5) = 200 USD; T's mine stays idle."""
    r = _re_export(tmp_path, SHIPPING_CAP)
    assert r.objective == pytest.approx(200.0)
    assert _trade(r, "A", "T") == pytest.approx(100.0)
    assert _trade(r, "T", "D") == pytest.approx(100.0)
    assert _trade(r, "A", "D") == pytest.approx(0.0, abs=1e-9)


def test_mine_origin_cap_excludes_the_re_export(tmp_path):
    """Counted where mined, A's ore through T is still A's: D buys B's at 5 USD/t = 500 USD
    (T's own mine, 100.5 USD/t delivered, is dearer)."""
    r = _re_export(tmp_path, {**SHIPPING_CAP, **MINE_CAP})
    assert r.objective == pytest.approx(500.0)
    assert _trade(r, "B", "D") == pytest.approx(100.0)
    assert _trade(r, "A", "T") == pytest.approx(0.0, abs=1e-9)
    traced = r["supply_traced"]
    mine = traced[(traced["region"] == "D") & (traced["basis"] == "mine")]
    assert mine.set_index("origin")["value"].to_dict() == {"B": pytest.approx(100.0)}


def test_mine_origin_share_binds_with_its_shadow_price(tmp_path):
    """At most 40 % mined in A: 40 t of A's ore through T (2 USD/t) and 60 t of B's
    (5 USD/t) = 380 USD. One more t of A-mined ore allowed saves 5 - 2 = 3 USD."""
    cap = {**MINE_CAP, "origin_share": ["D,X,mine,feoc,max,2025,0.4,dimensionless"]}
    r = _re_export(tmp_path, {**SHIPPING_CAP, **cap})
    assert r.objective == pytest.approx(380.0)
    assert _trade(r, "T", "D") == pytest.approx(40.0)
    assert _trade(r, "B", "D") == pytest.approx(60.0)
    dual = r["duals_origin_share_max"]
    assert float(dual["value"].iloc[0]) == pytest.approx(3.0)
    assert dual["unit"].iloc[0] == "USD/t"


def test_tracing_without_a_rule_keeps_the_optimum(tmp_path):
    """Traced but unconstrained, D buys A's ore directly: 100 USD, as without tracing; the
    traced supply of D is 100 t mined in A. (The mines also yield an untraced by-product y,
    0.1 t per t, left unused: a process making other elements too is traced for X alone.)"""
    by_product = {
        "commodities": [X, "y,Y,mining,t,true,false,1,,"],
        "process_io": ["mine,x,out,,1,t/t", "mine,y,out,,0.1,t/t"],
    }
    plain = _re_export(tmp_path / "plain", by_product)
    traced = _re_export(tmp_path / "traced", by_product, traced=True)
    assert plain.objective == pytest.approx(100.0)
    assert traced.objective == pytest.approx(plain.objective)
    assert "supply_traced" not in plain
    supply = traced["supply_traced"]
    mine = supply[(supply["region"] == "D") & (supply["basis"] == "mine")]
    assert mine.set_index("origin")["value"].to_dict() == {"A": pytest.approx(100.0)}


@pytest.mark.slow
def test_ira_compliance_meets_its_shares_at_a_cost():
    """The shipped ``ira_compliance`` scenario: optimal, no unmet demand, dearer than the
    reference; in the traced supply Korea gets at least 0.8 x 0.21 of its nickel processed in
    the US or an FTA partner in 2030 and at most 0.79 of its cobalt processed in China in 2025."""
    from tests.scenario_runs import solve

    ira, ref = solve("ira_compliance"), solve("reference")
    assert ira.summary["status"] == "Optimal"
    assert float(ira["unmet"]["value"].sum()) == pytest.approx(0.0, abs=1e-6)
    assert ira.objective > ref.objective
    traced = ira["supply_traced"]
    kr = traced[(traced["region"] == "KR") & (traced["basis"] == "processing")]

    def share(element: str, year: int, origins: set[str]) -> float:
        rows = kr[(kr["element"] == element) & (kr["year"] == year)]
        return float(rows.loc[rows["origin"].isin(origins), "value"].sum() / rows["value"].sum())

    fta = {"US", "CA", "KR", "AU", "CL", "JP"}
    assert share("Ni", 2030, fta) >= 0.8 * 0.21 - 1e-6
    assert share("Co", 2025, {"CN"}) <= 0.79 + 1e-6
    duals = ira["duals_origin_share_min"]
    ni = duals[(duals["item"] == "Ni") & (duals["year"] == 2030)]
    assert float(ni["value"].iloc[0]) > 0.0  # the FTA minimum binds for nickel


def _world_market(tmp_path, rule: bool) -> mfa.Results:
    """D needs 100 t of x; A mines it at 1 USD/t and ships it free. Both may trade with the
    rest-of-world market at 2 USD/t: D buys up to 1000 t, A sells up to 100 t."""
    tables = {
        "regions": ["A,Miner", "D,Buyer"],
        "commodities": [X],
        "processes": ["mine,mining,t,Mining"],
        "process_io": ["mine,x,out,,1,t/t"],
        "capacity": ["mine,A,2025,a,1000,t"],
        "variable_cost": ["mine,A,2025,1,USD/t"],
        "demand": ["D,x,2025,100,t"],
        "trade_routes": ["A,D,1,sea"],
        "reference_price": ["x,2,USD/t"],
        "market_limit": ["x,D,buy,2025,1000,t", "x,A,sell,2025,100,t"],
        "origin_rules": RULES,
    }
    if rule:
        tables |= {
            "origin_groups": ["feoc,A,1,dimensionless"],
            "origin_share": ["D,X,mine,feoc,max,2025,0.5,dimensionless"],
        }
    trace = "overrides: {trace: {options: {trace_origin: [X]}}}\nscenarios: {traced: [trace]}\n"
    return mfa.run(write_model(tmp_path, tables, extra_yaml=trace), scenario="traced")


def test_world_market_trade_is_traced_as_origin_market(tmp_path):
    """Traced with no rule, the optimum stands: A mines 200 t (200 USD), 100 t to D and 100 t
    sold (-200 USD) = 0 USD, so A's own ore may leave for the world market. At most half of
    D's supply mined in A, where the world market's purchases count in D's supply as origin
    ``market``: A mines 150 t (150), ships 50 to D and sells 100 (-200); D buys 50 (100):
    50 USD. (Were purchases left out of the supply, D could take nothing from A and would buy
    all 100 t: 100 USD.)"""
    free = _world_market(tmp_path / "free", rule=False)
    assert free.objective == pytest.approx(0.0, abs=1e-6)
    ruled = _world_market(tmp_path / "ruled", rule=True)
    assert ruled.objective == pytest.approx(50.0)
    assert _trade(ruled, "A", "D") == pytest.approx(50.0)
    market = ruled["market"].set_index(["region", "direction"])["value"]
    assert market[("A", "sell")] == pytest.approx(100.0)
    assert market[("D", "buy")] == pytest.approx(50.0)
    supply = ruled["supply_traced"]
    mine = supply[(supply["region"] == "D") & (supply["basis"] == "mine")]
    assert mine.set_index("origin")["value"].to_dict() == {
        "A": pytest.approx(50.0),
        "market": pytest.approx(50.0),
    }
