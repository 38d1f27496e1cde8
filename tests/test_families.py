"""Constraint families own their results: the registry, and the quantities they report."""

from __future__ import annotations

import pytest

import mfa
from mfa.config import Families
from mfa.model import families
from mfa.model.build import build_model
from tests.modelkit import write_model

LI = "li,Li,refining,t,true,false,1,,"
CELL = "cell,Li,component,t,true,false,1,,"


def test_every_switch_is_a_constraints_switch_of_the_model_file():
    fields = set(Families.model_fields)
    for family in families.FAMILIES:
        assert family.switch is None or family.switch in fields, family.name


def test_row_names_are_unique_and_units_are_prices():
    names = [row.name for f in families.FAMILIES for row in f.rows]
    assert len(names) == len(set(names))
    for f in families.FAMILIES:
        for row in f.rows:
            assert row.unit.startswith("USD/") and row.sense in ("<=", ">="), row


def test_built_model_carries_no_attributes_on_the_pyomo_model(tmp_path):
    built = build_model(mfa.validate(_stockpiled(tmp_path)))
    assert not [name for name in vars(built.model) if name.startswith("mfa_")]
    assert set(built.families) == {f.name for f in built.declared}
    assert built.state("stockpile").keys == [("li", "KR", 2025)]


def _stockpiled(tmp_path, saving: float = 0.5):
    """KR makes 100 t of cells from 2 t of li per t (CN refines li at 10 USD/t), with a
    73-day (0.2 year) li stockpile held at 1 USD/t; technology transfer saves
    ``saving`` of the li input of KR's cell plant."""
    tables = {
        "regions": ["KR,Korea", "CN,China"],
        "commodities": [LI, CELL],
        "processes": ["refine,refining,t,Refining", "make,manufacturing,t,Cells"],
        "process_io": ["refine,li,out,,1,t/t", "make,li,in,,2,t/t", "make,cell,out,,1,t/t"],
        "capacity": ["refine,CN,2025,c,1000,t", "make,KR,2025,k,1000,t"],
        "variable_cost": ["refine,CN,2025,10,USD/t"],
        "demand": ["KR,cell,2025,100,t"],
        "trade_routes": ["CN,KR,1000,sea"],
        "stockpile_days": ["KR,li,2025,73,dimensionless"],
        "holding_cost": ["li,KR,1,USD/t"],
        "input_saving": [f"make,KR,2025,{saving},dimensionless"],
    }
    return write_model(tmp_path, tables)


def test_stockpile_covers_consumption_after_input_saving(tmp_path):
    """The cell plant takes (1 - 0.5) x 2 = 1 t li per t: 100 t li, so the 73-day stockpile
    holds 0.2 x 100 = 20 t; KR imports 120 t: 120 x 10 + 20 x 1 = 1220 USD.
    (Counting the raw coefficient 2 would hold 40 t and cost 1440.)"""
    r = mfa.run(_stockpiled(tmp_path))
    assert r.objective == pytest.approx(1220.0, rel=1e-9)
    assert float(r["stockpile"]["value"].sum()) == pytest.approx(20.0)
    flows = r["flows"]
    used = flows[(flows["process"] == "make") & (flows["direction"] == "in")]
    assert float(used["value"].sum()) == pytest.approx(100.0)
    assert r.summary["max_balance_residual"] < 1e-9


def test_stockpile_without_saving_covers_the_raw_coefficient(tmp_path):
    """No saving: 200 t li used, 40 t held, 240 t imported: 2400 + 40 = 2440 USD."""
    r = mfa.run(_stockpiled(tmp_path, saving=0.0))
    assert r.objective == pytest.approx(2440.0, rel=1e-9)
    assert float(r["stockpile"]["value"].sum()) == pytest.approx(40.0)


def test_capacity_table_includes_joint_venture_capacity(tmp_path):
    """CA refines with 50 t/yr of its own capacity plus a 70 t/yr joint venture dedicated
    to KR; KR needs 110 t, CN's li costs 100 USD/t against CA's 10: CA makes 110 t, which
    the capacity table must cover (120 t = 50 + 70)."""
    tables = {
        "regions": ["KR,Korea", "CA,Canada", "CN,China"],
        "commodities": [LI],
        "processes": ["refine,refining,t,Refining"],
        "process_io": ["refine,li,out,,1,t/t"],
        "capacity": ["refine,CA,2025,own,50,t", "refine,CN,2025,c,1000,t"],
        "dedicated_capacity": ["refine,CA,KR,2025,70,t"],
        "variable_cost": ["refine,CA,2025,10,USD/t", "refine,CN,2025,100,USD/t"],
        "demand": ["KR,li,2025,110,t"],
        "trade_routes": ["CA,KR,9000,sea", "CN,KR,1000,sea"],
    }
    r = mfa.run(write_model(tmp_path, tables))
    act = r["activity"].set_index(["process", "region"])["value"]
    cap = r["capacity"].set_index(["process", "region"])["value"]
    assert act[("refine", "CA")] == pytest.approx(110.0)
    assert cap[("refine", "CA")] == pytest.approx(120.0)
    assert r.objective == pytest.approx(1100.0, rel=1e-9)


@pytest.mark.slow
def test_activity_within_reported_capacity_in_the_partnership_scenario():
    """Every activity row of the partnership scenario (joint ventures included) stays
    within the capacity the results report for it."""
    r = mfa.run("models/canada_korea.yaml", scenario="partnership")
    keys = ["process", "region", "year"]
    both = r["activity"].merge(r["capacity"], on=keys, suffixes=("_act", "_cap"))
    assert len(both) == len(r["activity"])
    over = both[both["value_act"] > both["value_cap"] * (1 + 1e-7) + 1e-6]
    assert over.empty, over.head().to_string()
    lioh = both[(both["process"] == "li_hydroxide_spodumene") & (both["region"] == "CA")]
    assert (lioh["value_cap"] >= lioh["value_act"] - 1e-6).all()
