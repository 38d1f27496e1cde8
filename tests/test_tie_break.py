"""The tie-break (mfa/tie_break.py): of the optimal solutions, the one that changes least
between years; and the reversal count it is judged by (mfa/stability.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mfa
from mfa.errors import ConfigError
from mfa.frontier import frontier_results
from mfa.stability import count_reversals, share_reversals
from tests.modelkit import write_model
from tests.scenario_runs import MODEL, solve

TIE_BREAK = "solver: {{tie_break: {{tolerance: {}}}}}\n"


def _two_suppliers(folder, solver: str = ""):
    """K needs 100 t in 2025 and in 2026 from mine A (10 USD/t both years) or mine B
    (20 USD/t in 2025, 9.9 USD/t in 2026); shipping is free.

    Least cost: A in 2025, B in 2026 (cost 1000 + 990 = 1990 USD), a switch of supplier:
    the year-to-year change of trade and activity is |0-100| + |100-0| for A's and B's
    shipments and again for their mining, V = 400 t. Keeping A in 2026 costs 10 USD more
    (0.5025 % of the optimum) and changes nothing (V = 0).

    The tie-break's weight is tolerance x 1990 USD / 400 t; each t moved back to A costs
    0.1 USD and saves 4 t of change. It moves all 100 t when 4 x weight > 0.1 USD, i.e. when
    the tolerance exceeds 10 / 1990 = 0.5025 %, and nothing below.
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


def _equally_cheap(folder, solver: str = ""):
    """K needs 100 t in 2025 and 2026 from mine A or mine B, both 10 USD/t; in 2025 each
    mine can supply 50 t, in 2026 each 100 t.

    Every solution costs 2000 USD. 2025 is 50/50 by force. In 2026 the LP's vertices put all
    100 t on one mine (with A and B both at 50 t, the basis would need more basic variables
    than rows), so the plain LP switches: the change of A's and B's shipments and mining is
    4 x 50 = 200 t. The smooth answer, 50/50 in 2026 again (no change, V = 0), is not a
    vertex of that LP, costs the same 2000 USD, and is the only solution with V = 0.
    """
    return write_model(
        folder,
        {
            "regions": ["A,Alpha", "B,Beta", "K,Kappa"],
            "commodities": ["ore,Li,mining,t,true,false,1,,"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": [
                "mine,A,2025,a1,50,t",
                "mine,A,2026,a1,100,t",
                "mine,B,2025,b1,50,t",
                "mine,B,2026,b1,100,t",
            ],
            "variable_cost": [f"mine,{r},{t},10,USD/t" for r in "AB" for t in (2025, 2026)],
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
    assert "tie_break" not in r.summary


def test_equally_cheap_origins_the_plain_lp_switches(tmp_path):
    r = mfa.run(_equally_cheap(tmp_path / "m"))
    assert r.objective == pytest.approx(2000.0, rel=1e-12)
    assert _shipped(r, "A", 2025) == pytest.approx(50.0)
    assert max(_shipped(r, "A", 2026), _shipped(r, "B", 2026)) == pytest.approx(100.0)


def test_equally_cheap_origins_the_tie_break_keeps_the_shares_at_no_cost(tmp_path):
    r = mfa.run(_equally_cheap(tmp_path / "m", TIE_BREAK.format(1e-6)))
    for origin in "AB":
        for year in (2025, 2026):
            assert _shipped(r, origin, year) == pytest.approx(50.0, abs=1e-9)
    tb = r.summary["tie_break"]
    assert r.objective == pytest.approx(2000.0, rel=1e-12)
    assert tb["first_stage_objective"] == pytest.approx(2000.0, rel=1e-12)
    assert tb["cost_increase"] == pytest.approx(0.0, abs=1e-9)
    assert tb["variation_before"] == pytest.approx(200.0, rel=1e-9)
    assert tb["variation_after"] == pytest.approx(0.0, abs=1e-9)
    assert tb["weight"] == pytest.approx(1e-6 * 2000.0 / 200.0, rel=1e-9)
    assert tb["pairs"] == 4  # trade A->K, B->K and mining in A, B: one pair of years each
    assert r.summary["solver"]["tie_break"] == tb
    assert r.summary["cost_reconciliation"] < 1e-9


def test_tie_break_above_the_break_even_tolerance_keeps_the_supplier(tmp_path):
    r = mfa.run(_two_suppliers(tmp_path / "m", TIE_BREAK.format(0.0051)))
    assert _shipped(r, "A", 2025) == pytest.approx(100.0, abs=1e-6)
    assert _shipped(r, "A", 2026) == pytest.approx(100.0, abs=1e-6)
    assert _shipped(r, "B", 2026) == pytest.approx(0.0, abs=1e-6)
    tb = r.summary["tie_break"]
    assert r.objective == pytest.approx(2000.0, rel=1e-12)
    assert tb["cost_increase"] == pytest.approx(10.0, rel=1e-9)
    assert tb["relative_cost_increase"] == pytest.approx(10.0 / 1990.0, rel=1e-9)
    assert tb["cost_bound"] == pytest.approx(0.0051 * 1990.0, rel=1e-9)
    assert tb["variation_before"] == pytest.approx(400.0, rel=1e-9)
    assert tb["variation_after"] == pytest.approx(0.0, abs=1e-6)
    assert r.summary["cost_reconciliation"] < 1e-9


def test_tie_break_below_the_break_even_tolerance_keeps_the_cheaper_switch(tmp_path):
    r = mfa.run(_two_suppliers(tmp_path / "m", TIE_BREAK.format(0.005)))
    assert _shipped(r, "A", 2026) == pytest.approx(0.0, abs=1e-6)
    assert _shipped(r, "B", 2026) == pytest.approx(100.0, abs=1e-6)
    tb = r.summary["tie_break"]
    assert r.objective == pytest.approx(1990.0, rel=1e-12)
    assert tb["cost_increase"] == pytest.approx(0.0, abs=1e-9)
    assert tb["variation_after"] == pytest.approx(400.0, rel=1e-9)


def test_unknown_tie_break_family_is_a_config_error(tmp_path):
    model = _two_suppliers(tmp_path / "m", "solver: {tie_break: {families: [stock]}}\n")
    with pytest.raises(ConfigError, match=r"solver\.tie_break\.families"):
        mfa.load_model(model)


def _supply(series: dict[str, list[float]], region: str = "KR", element: str = "Li"):
    years = range(2025, 2025 + len(next(iter(series.values()))))
    rows = [
        (region, element, origin, year, value)
        for origin, values in series.items()
        for year, value in zip(years, values, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["region", "element", "origin", "year", "value"])
    return frame.assign(unit="t")


def test_reversals_count_sign_changes_of_large_share_changes():
    """Shares of CN: 100, 60, 60, 100, 97, 40 % (AU takes the rest); the changes of CN's
    share are -40, 0, +40, -3, -57 points: the large ones -40, +40, -57 reverse twice (2027
    and 2030, the -3 in between is ignored); AU's mirror the same, 2 more; the small
    change of 3 points never counts."""
    cn = [100.0, 60.0, 60.0, 100.0, 97.0, 40.0]
    supply = _supply({"CN": cn, "AU": [100.0 - s for s in cn]})
    found = share_reversals(supply)
    assert len(found) == 4
    cn_rows = found[found["origin"] == "CN"]
    assert cn_rows["year"].tolist() == [2028, 2030]
    assert cn_rows["change"].tolist() == pytest.approx([40.0, -57.0])
    assert cn_rows["previous_change"].tolist() == pytest.approx([-40.0, 40.0])
    assert count_reversals(supply, threshold=45.0) == 0  # no change above 45 points but -57
    assert count_reversals(supply, regions=("CA",)) == 0
    assert count_reversals(_supply({"CN": cn, "AU": cn}, element="W")) == 0  # not a target


def test_reversals_skip_years_without_supply():
    """Korea's Li supply is 0 in 2026 (shares undefined): 100 % CN, then AU 100 % in 2027
    and CN 100 % again in 2028: only 2027 -> 2028 is a change with both years defined."""
    supply = _supply({"CN": [10.0, 0.0, 0.0, 5.0], "AU": [0.0, 0.0, 7.0, 0.0]})
    found = share_reversals(supply)
    assert len(found) == 0
    assert (
        count_reversals(_supply({"CN": [10.0, 0.0, 10.0, 0.0, 10.0], "AU": [0, 5, 0, 5, 0]})) == 6
    )


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["reference"])
def test_default_model_keeps_origin_shares_steady_at_the_optimal_cost(scenario):
    """Issue 14's target: at most 10 origin-share reversals above 5 points in Canada's and
    Korea's Li, Ni, Co, graphite, Mn and Cu supply (on the reference 144 without the
    tie-break), at a
    cost within the tolerance (1e-6) of the optimum."""
    r = solve(scenario)
    tb = r.summary["tie_break"]
    assert tb["status"] == "Optimal"
    assert count_reversals(r["supply"]) <= 10
    assert abs(tb["relative_cost_increase"]) <= 1e-6
    assert r.objective == pytest.approx(tb["first_stage_objective"], rel=1e-6)
    assert tb["variation_after"] < 0.5 * tb["variation_before"]


@pytest.mark.slow
def test_frontier_point_0_is_the_reference_run():
    """The frontier applies the same tie-break: its least-cost point is the model's own
    run, objective and every shipment and activity."""
    _, runs = frontier_results(mfa.validate(MODEL, "reference"), points=2)
    ref, point = solve("reference"), runs[0]
    assert point.summary["objective"] == pytest.approx(ref.objective, rel=1e-6)
    assert point.summary["tie_break"]["weight"] == ref.summary["tie_break"]["weight"]
    for name in ("trade", "activity"):
        keys = [c for c in ref[name].columns if c not in ("value", "unit")]
        both = ref[name].merge(point.tables[name], on=keys, how="outer").fillna(0.0)
        scale = float(np.abs(both["value_x"]).max())
        assert np.abs(both["value_x"] - both["value_y"]).max() <= 1e-6 * scale


def test_a_persistent_resolve_applies_the_tie_break(tmp_path):
    """A sweep's sample re-solved in place gets the smooth answer a rebuild gets: with
    demand at 90 % (90 t a year) every split with 40-50 t per mine in 2025 is optimal and
    costs 0.9 x 2000 = 1800 USD; the tie-break keeps each mine's shipment the same in 2026
    (change V = 0), where the plain LP's vertex puts all of 2026 on one mine."""
    from mfa.sweep import Resolver, apply_draw

    extra = TIE_BREAK.format(1e-6) + (
        "uncertainty:\n  seed: 1\n  parameters:\n"
        "    demand_k: {table: demand, distribution: uniform, low: 0.8, high: 1.0}\n"
    )
    data = mfa.validate(_equally_cheap(tmp_path, extra))
    resolver = Resolver(data, {"demand"})
    out = resolver.solve(apply_draw(data, {"demand_k": 0.9}))
    assert out.mode == "persistent" and out.status == "optimal"
    assert out.objective == pytest.approx(1800.0, rel=1e-9)
    trade = out.tables["trade"]
    shipped = trade[trade.destination == "K"].pivot_table("value", "origin", "year", "sum")
    assert shipped[2025].sum() == pytest.approx(90.0) == shipped[2026].sum()
    assert shipped[2026].to_numpy() == pytest.approx(shipped[2025].to_numpy(), abs=1e-6)


def test_a_second_solve_past_its_iteration_limit_keeps_the_optimum(tmp_path):
    """With one simplex iteration allowed, the second solve cannot move A's 100 t back (the
    smooth answer of :func:`_two_suppliers` at a 1 % tolerance): the run keeps the
    cost-optimal switch (1990 USD, B in 2026) and the summary says why."""
    solver = "solver: {tie_break: {tolerance: 0.01, iteration_limit: 1}}\n"
    r = mfa.run(_two_suppliers(tmp_path, solver))
    tb = r.summary["tie_break"]
    assert tb["status"] == "Iteration limit reached"
    assert r.objective == pytest.approx(1990.0)
    trade = r["trade"]
    assert trade[(trade.origin == "B") & (trade.year == 2026)]["value"].sum() == pytest.approx(
        100.0
    )


def test_cli_no_tie_break_reports_the_first_solve(tmp_path):
    """`mfa run --no-tie-break` on a model file with a tie-break: the plain LP's answer (all
    100 t of 2026 from one mine, summary without `tie_break`); without the flag, 50/50."""
    import json

    from typer.testing import CliRunner

    from mfa.cli import app

    model = _equally_cheap(tmp_path / "m", TIE_BREAK.format(1e-6))
    runner = CliRunner()
    plain, smooth = tmp_path / "plain", tmp_path / "smooth"
    ran = runner.invoke(app, ["run", str(model), "-o", str(plain), "--no-tie-break"])
    assert ran.exit_code == 0, ran.output
    assert runner.invoke(app, ["run", str(model), "-o", str(smooth)]).exit_code == 0
    summary = json.loads((plain / "summary.json").read_text())
    assert summary["objective"] == pytest.approx(2000.0, rel=1e-12)
    assert "tie_break" not in summary and "tie_break" not in summary["solver"]
    assert "tie_break" in json.loads((smooth / "summary.json").read_text())
    trade = {
        name: pd.read_parquet(folder / "tables" / "trade.parquet")
        for name, folder in (("plain", plain), ("smooth", smooth))
    }
    shipped_2026 = {
        name: sorted(t[t["year"] == 2026].groupby("origin")["value"].sum())
        for name, t in trade.items()
    }
    assert shipped_2026["plain"] == pytest.approx([0.0, 100.0], abs=1e-9)
    assert shipped_2026["smooth"] == pytest.approx([50.0, 50.0], abs=1e-9)
    assert "--no-tie-break" in runner.invoke(app, ["run", "--help"]).output
