"""Certified sourcing (mfa.model.certified, mfa.certified), solved by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

import mfa
from tests.modelkit import write_model, write_one_mine_model

ROOT = Path(__file__).resolve().parents[1]

PLANTS = [
    "mine,A,a,IRMA,audited,2025,1000,t",
    "mine,B,b,none,none,2025,1000,t",
    "refine,C,c1,RMAP,audited,2025,50,t",
    "refine,C,c2,none,none,2025,50,t",
    "refine,E,e,RMAP,audited,2025,100,t",
    "make,C,m,none,none,2025,1000,t",
]


def _blend(tmp_path, share: float | None, b_capacity: float = 1000.0) -> mfa.Results:
    """A blending refinery in C (plants c1, audited, and c2, not: 50 t each) takes ore from
    an audited mine in A (3 USD/t) and a mine on no list in B (1 USD/t); C's cathode maker
    turns 100 t of metal into the 100 t of product C demands. E refines too (100 t, audited)
    but its metal costs 0.5 USD/t more to ship to C. ``share``: the least certified share of
    the element C's maker takes in."""
    tables = {
        "regions": ["A,Audited miner", "B,Unlisted miner", "C,Maker", "E,Refiner"],
        "commodities": [
            "ore,X,mining,t,true,false,1,,",
            "metal,X,refining,t,true,false,1,,",
            "cathode,X,material,t,true,false,1,,",
        ],
        "processes": [
            "mine,mining,t,Mining",
            "refine,refining,t,Refining",
            "make,manufacturing,t,CAM",
        ],
        "process_io": [
            "mine,ore,out,,1,t/t",
            "refine,ore,in,,1,t/t",
            "refine,metal,out,,1,t/t",
            "make,metal,in,,1,t/t",
            "make,cathode,out,,1,t/t",
        ],
        "capacity": [
            "mine,A,2025,a,1000,t",
            f"mine,B,2025,b,{b_capacity},t",
            "refine,C,2025,c1,50,t",
            "refine,C,2025,c2,50,t",
            "refine,E,2025,e,100,t",
            "make,C,2025,m,1000,t",
        ],
        "certification": [
            f"mine,B,b,none,none,2025,{b_capacity},t" if p.startswith("mine,B") else p
            for p in PLANTS
        ],
        "variable_cost": ["mine,A,2025,3,USD/t", "mine,B,2025,1,USD/t"],
        "demand": ["C,cathode,2025,100,t"],
        "trade_routes": ["A,C,1,sea", "B,C,1,sea", "A,E,1,sea", "E,C,1,sea"],
        "trade_cost": ["metal,E,C,0.5,USD/t"],
    }
    if share is not None:
        tables["certified_share"] = [f"X,C,make,2025,{share},dimensionless"]
    return mfa.run(write_model(tmp_path, tables))


def _feed(table, status: str) -> float:
    rows = table[(table["region"] == "C") & (table["process"] == "make")]
    return float(rows[rows["status"] == status]["value"].sum())


def test_without_a_standard_the_cheap_unlisted_ore_is_used(tmp_path):
    """100 t of B's ore at 1 USD/t, refined in C: 100 USD; nothing reaches the maker
    certified (B's mine is on no list), by the well-mixed attribution too."""
    r = _blend(tmp_path, None)
    assert r.objective == pytest.approx(100.0)
    assert _feed(r["feed_by_certified_status"], "certified") == pytest.approx(0.0, abs=1e-9)
    assert _feed(r["feed_by_certified_status"], "uncertified") == pytest.approx(100.0)


def test_binding_standard_cost_shadow_prices_and_plants_to_certify(tmp_path):
    """At least 60 % certified: C's audited plant c1 refines 50 t of A's ore, E refines 10 t
    more of it (A's ore 3 USD/t, E's metal +0.5 USD/t to C), B's ore makes the other 40 t:
    50 x 3 + 10 x 3.5 + 40 x 1 = 225 USD. One t less to certify saves 3.5 - 1 = 2.5 USD;
    one t more audited capacity in C saves E's freight, 0.5 USD/t, so certifying c2 (50 t)
    is worth 25 USD a year; one t of audited mining in B lets B's ore replace A's through c1,
    3 - 1 = 2 USD/t: certifying B's mine (1000 t) is worth 2000 USD a year, so it comes
    first."""
    r = _blend(tmp_path, 0.6)
    assert r.objective == pytest.approx(225.0)
    assert _feed(r["certified_feed"], "certified") == pytest.approx(60.0)
    assert _feed(r["certified_feed"], "uncertified") == pytest.approx(40.0)
    audited = r["certified_activity"].set_index(["process", "region"])["value"]
    assert audited[("refine", "C")] == pytest.approx(50.0)  # c1, full
    assert audited[("refine", "E")] == pytest.approx(10.0)
    assert audited[("mine", "A")] == pytest.approx(60.0)
    share = r["duals_certified_share_min"]
    assert share["value"].tolist() == [pytest.approx(2.5)]
    cap = r["duals_certified_capacity"].set_index(["process", "region"])["value"]
    assert cap[("refine", "C")] == pytest.approx(0.5)
    assert cap[("refine", "E")] == pytest.approx(0.0, abs=1e-9)
    assert cap[("mine", "B")] == pytest.approx(2.0)
    assert cap[("mine", "A")] == pytest.approx(0.0, abs=1e-9)
    first = r["certify_first"]
    assert first["plant"].tolist() == ["b", "c2"]
    assert first["value"].tolist() == [pytest.approx(2000.0), pytest.approx(25.0)]


def test_well_mixed_attribution_of_the_binding_case(tmp_path):
    """Well mixed, C's refinery runs its plants pro rata (half audited) on ore that is 50/90
    A's: its 90 t of metal are 0.5 x 50/90 certified = 25 t; E's 10 t are all certified:
    35 t of the maker's 100 t, where the LP's segregated routing counts 60 t."""
    r = _blend(tmp_path, 0.6)
    feed = r["feed_by_certified_status"]
    assert _feed(feed, "certified") == pytest.approx(35.0)
    assert _feed(feed, "uncertified") == pytest.approx(65.0)
    supply = r["supply_by_certified_status"]
    c = supply[supply["region"] == "C"].set_index("status")["value"]
    assert c["certified"] == pytest.approx(60.0)  # A's 50 t of ore and E's 10 t of metal
    assert c["uncertified"] == pytest.approx(40.0)  # B's ore
    share = r["certified_capacity_share"].set_index(["region", "stage"])["value"]
    assert share[("C", "refining")] == pytest.approx(0.5)
    assert share[("A", "mining")] == pytest.approx(1.0)
    assert ("B", "mining") in share.index and share[("B", "mining")] == pytest.approx(0.0)


def test_standard_that_does_not_bind(tmp_path):
    """B's mine can give only 30 t, so 70 t of A's ore reach C anyway and c1 can certify
    50 t of them: a 40 % standard costs nothing (70 x 3 + 30 x 1 = 240 USD with and without)
    and its shadow price is zero."""
    free = _blend(tmp_path / "free", None, b_capacity=30.0)
    bound = _blend(tmp_path / "std", 0.4, b_capacity=30.0)
    assert free.objective == pytest.approx(240.0)
    assert bound.objective == pytest.approx(240.0)
    assert bound["duals_certified_share_min"]["value"].tolist() == [pytest.approx(0.0, abs=1e-9)]
    assert _feed(bound["certified_feed"], "certified") >= 40.0 - 1e-6
    # well mixed: half of C's plants audited, ore 70 % A's: 35 t of 100 certified
    assert _feed(bound["feed_by_certified_status"], "certified") == pytest.approx(35.0)


def test_plants_above_the_capacity_are_an_input_error(tmp_path):
    """c1 audited at 80 t and c2 at 50 t: 130 t, where capacity.csv gives C 100 t."""
    plants = [*PLANTS]
    plants[2] = "refine,C,c1,RMAP,audited,2025,80,t"
    with pytest.raises(mfa.InputError) as exc:
        _blend_with(tmp_path, plants)
    text = str(exc.value)
    assert "certification" in text and "'refine' in C in 2025 hold 130" in text
    assert "capacity of 100" in text


def _blend_with(tmp_path, plants: list[str]) -> mfa.Results:
    global PLANTS
    saved = PLANTS
    PLANTS = plants
    try:
        return _blend(tmp_path, 0.6)
    finally:
        PLANTS = saved


@pytest.mark.slow
def test_certified_sourcing_scenario_on_the_default_model():
    """The shipped scenario solves with all demand met, Korea's CAM makers take in at least
    60 % certified cobalt and nickel from 2035 (as the LP routes it), the standard binds in
    2035, and some plant is worth certifying."""
    r = mfa.run(ROOT / "models" / "canada_korea.yaml", scenario="certified_sourcing")
    assert r.summary["status"] == "Optimal"
    assert r["unmet"]["value"].sum() == pytest.approx(0.0, abs=1e-6)
    feed = r["certified_feed"]
    kr = feed[(feed["region"] == "KR") & feed["process"].str.startswith("cam_NMC")]
    kr = kr[kr["year"] >= 2035].pivot_table(
        index=["element", "process", "year"], columns="status", values="value"
    )
    share = kr["certified"] / (kr["certified"] + kr["uncertified"])
    assert share.min() >= 0.6 - 1e-6
    mu = r["duals_certified_share_min"]
    assert mu[mu["year"] == 2035]["value"].max() > 0  # the 60 % phase binds (Ni on this data)
    assert r["certify_first"]["value"].max() > 0


def test_the_report_draws_certified_sourcing_when_the_tables_exist(tmp_path):
    """The binding case: C's supply is 60 t certified of 100 t (share 0.6, the line of C's
    panel), C's refining capacity half audited (the heatmap cell). A model without the
    certification table has no such figure."""
    from mfa.report import audited_capacity_share, certified_supply_share, report_figures

    r = _blend(tmp_path / "std", 0.6)
    assert certified_supply_share(r, "C").loc[2025, "X"] == pytest.approx(0.6)
    assert audited_capacity_share(r, 2025).loc["C", "refining"] == pytest.approx(0.5)
    jobs = report_figures(r, regions=["C"])
    fig = jobs["certified_sourcing"].draw()
    assert fig.axes[0].lines[0].get_ydata().tolist() == [pytest.approx(0.6)]
    assert fig.axes[1].get_images()[0].get_array()[2, 1] == pytest.approx(0.5)  # C, refining
    (tmp_path / "plain").mkdir()
    plain = mfa.run(write_one_mine_model(tmp_path / "plain"))
    assert "supply_by_certified_status" not in plain.tables
    assert "certified_sourcing" not in report_figures(plain)
