"""The stock family inside the LP: end-of-life supply, collection and recycled content."""

from __future__ import annotations

import pytest

import mfa
from tests.modelkit import write_model


def _val(results: mfa.Results, table: str, **where: object) -> float:
    frame = results[table]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return float(frame["value"].sum())


def _battery_model(tmp_path, lifetime="fixed,3,,", extra=None, years=(2025, 2030), yaml=""):
    """Li refined (100 USD/t) or recycled (10 USD/t) into cells; cells live 3 years.

    One cell = 1 t Li. Demand 10 cells per year from 2025. End-of-life cells
    arise as `cell.eol`; collection is capped at 90 %; recycling returns 0.8 t
    secondary Li per t, which substitutes for primary Li in cell making.
    """
    tables = {
        "regions": ["A,Alpha"],
        "commodities": [
            "li,Li,refining,t,true,false,1,,",
            "li2,Li,secondary,t,true,true,1,,",
            "cell,Li,product,t,false,false,1,,cell.eol",
            "cell.eol,Li,eol,t,true,false,1,,",
        ],
        "processes": [
            "refine,refining,t,Refining",
            "make,manufacturing,t,Cells",
            "recycle,recycling,t,Hydrometallurgy",
        ],
        "process_io": [
            "refine,li,out,,1,t/t",
            "make,li,in,lithium,1,t/t",
            "make,li2,in,lithium,1,t/t",
            "make,cell,out,,1,t/t",
            "recycle,cell.eol,in,,1,t/t",
            "recycle,li2,out,,0.8,t/t",
        ],
        "capacity": ["refine,A,2025,r,1000,t", "make,A,2025,m,1000,t", "recycle,A,2025,c,1000,t"],
        "variable_cost": ["refine,A,2025,100,USD/t", "recycle,A,2025,10,USD/t"],
        "demand": ["A,cell,2025,10,t"],
        "lifetimes": [f"cell,A,{lifetime}"],
        "collection_rate": ["A,cell.eol,2025,0.9,dimensionless"],
    }
    tables.update(extra or {})
    return write_model(tmp_path, tables, years=years, extra_yaml=yaml)


def test_fixed_lifetime_recycled_supply_appears_exactly_l_years_later(tmp_path):
    """Cells made in 2025 retire in 2028: 10 t arise, 9 t collected, 7.2 t Li back."""
    r = mfa.run(_battery_model(tmp_path))
    eol = r["eol"].set_index("year")["value"]
    assert eol.loc[2025:2027].sum() == pytest.approx(0.0, abs=1e-12)
    assert eol.loc[2028:2030].to_numpy() == pytest.approx([10.0, 10.0, 10.0])
    secondary = r["flows"]
    secondary = secondary[(secondary["commodity"] == "li2") & (secondary["direction"] == "out")]
    by_year = secondary.groupby("year")["value"].sum()
    assert by_year.reindex(range(2025, 2028), fill_value=0.0).sum() == pytest.approx(0.0)
    assert by_year.loc[2028] == pytest.approx(7.2)
    assert _val(r, "landfill", year=2028) == pytest.approx(1.0)
    # primary need falls from 10 t to 2.8 t once recycling starts
    assert _val(r, "activity", process="refine", year=2028) == pytest.approx(2.8)
    # in-use stock: 10, 20, 30, then steady at 30 (one cohort in, one out)
    stock = r["stock"].set_index("year")["value"]
    assert stock.to_numpy() == pytest.approx([10, 20, 30, 30, 30, 30])
    assert r.summary["max_balance_residual"] < 1e-9


def test_historical_inflows_retire_in_model_years(tmp_path):
    """5 t of cells sold in 2023 (life 3) arise in 2026."""
    model = _battery_model(tmp_path, extra={"historical_inflow": ["A,cell,2023,5,t"]})
    r = mfa.run(model)
    assert _val(r, "eol", year=2026) == pytest.approx(5.0)
    assert _val(r, "stock", year=2025) == pytest.approx(15.0)


def test_recycled_content_infeasible_before_stock_retires_shows_as_unmet(tmp_path):
    """A 50 % recycled-content share from 2025 cannot be met until old cells retire.

    10 t of cells sold in 2023 (life 3) retire in 2026. In 2025 nothing has
    retired, so with unmet demand allowed the only way to respect the share is
    not to make cells: all 10 t of 2025 demand is unmet. In 2026, 9 t are
    collected and give 7.2 t secondary Li, enough for 14.4 t of cells at 50 %.
    """
    model = _battery_model(
        tmp_path,
        extra={
            "historical_inflow": ["A,cell,2023,10,t"],
            "recycled_content": ["make,A,Li,2025,0.5,dimensionless"],
        },
    )
    r = mfa.run(model)
    assert _val(r, "unmet", year=2025) == pytest.approx(10.0)
    assert _val(r, "unmet", year=2026) == pytest.approx(0.0, abs=1e-9)
    made = r["flows"]
    made = made[(made["process"] == "make") & (made["direction"] == "in") & (made["year"] == 2026)]
    shares = made.set_index("commodity")["value"]
    assert shares["li2"] / shares.sum() >= 0.5 - 1e-9


def test_second_life_repurposed_batteries_enter_their_own_stock(tmp_path):
    """EV packs (life 2) are repurposed for stationary storage (life 3), then recycled.

    10 t of EV packs a year from 2025 retire from 2027; repurposing (2 USD/t, 100 %
    of a retired pack) is cheaper than new stationary packs (100 USD/t of Li), so
    from 2027 the 6 t/yr stationary demand is met by second-life packs; those
    retire 3 years later (2030) as stationary end-of-life.
    """
    model = write_model(
        tmp_path,
        {
            "regions": ["A,Alpha"],
            "commodities": [
                "li,Li,refining,t,true,false,1,,",
                "ev,Li,product,t,false,false,1,,ev.eol",
                "ev.eol,Li,eol,t,true,false,1,,",
                "ess,Li,product,t,false,false,1,,ess.eol",
                "ess.eol,Li,eol,t,true,false,1,,",
            ],
            "processes": [
                "refine,refining,t,Refining",
                "make_ev,manufacturing,t,EV packs",
                "make_ess,manufacturing,t,Stationary packs",
                "repurpose,repurposing,t,Second life",
            ],
            "process_io": [
                "refine,li,out,,1,t/t",
                "make_ev,li,in,,1,t/t",
                "make_ev,ev,out,,1,t/t",
                "make_ess,li,in,,1,t/t",
                "make_ess,ess,out,,1,t/t",
                "repurpose,ev.eol,in,,1,t/t",
                "repurpose,ess,out,,1,t/t",
            ],
            "capacity": [
                "refine,A,2025,r,1000,t",
                "make_ev,A,2025,e,1000,t",
                "make_ess,A,2025,s,1000,t",
                "repurpose,A,2025,p,1000,t",
            ],
            "variable_cost": ["refine,A,2025,100,USD/t", "repurpose,A,2025,2,USD/t"],
            "demand": ["A,ev,2025,10,t", "A,ess,2025,6,t"],
            "lifetimes": ["ev,A,fixed,2,,", "ess,A,fixed,3,,"],
        },
        years=(2025, 2031),
    )
    r = mfa.run(model)
    made_new = r["activity"]
    made_new = made_new[made_new["process"] == "make_ess"].set_index("year")["value"]
    assert made_new.loc[2025] == pytest.approx(6.0)
    assert made_new.loc[2027:].sum() == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "activity", process="repurpose", year=2027) == pytest.approx(6.0)
    # 4 t of the 10 t retired EV packs are not needed: landfilled
    assert _val(r, "landfill", commodity="ev.eol", year=2027) == pytest.approx(4.0)
    # stationary packs of 2025 retire in 2028, the first second-life ones in 2030
    ess_eol = r["eol"][r["eol"]["commodity"] == "ess.eol"].set_index("year")["value"]
    assert ess_eol.loc[2028] == pytest.approx(6.0)
    assert ess_eol.loc[2030] == pytest.approx(6.0)
    assert r.summary["max_balance_residual"] < 1e-9
