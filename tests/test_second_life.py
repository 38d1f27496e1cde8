"""Second-life packs, solved by hand: derated storage, their own remaining life, whole packs
back to recycling, and no third life (:mod:`mfa.model.second_life`, :mod:`mfa.model.stock`)."""

from __future__ import annotations

import pytest

import mfa
from mfa.errors import InputError
from tests.modelkit import write_model


def _val(results: mfa.Results, table: str, **where: object) -> float:
    frame = results[table]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return float(frame["value"].sum())


def _by_year(results: mfa.Results, table: str, **where: object) -> dict[int, float]:
    frame = results[table]
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return {int(t): float(v) for t, v in frame.groupby("year")["value"].sum().items()}


def _demand(ev: dict[int, float], ess: dict[int, float]) -> list[str]:
    """Demand rows for every model year (the table interpolates between its rows)."""
    return [
        f"A,{c},{t},{given.get(t, 0.0)},t"
        for c, given in (("ev", ev), ("ess", ess))
        for t in range(2025, 2032)
    ]


def _model(tmp_path, ess_eol="ess.eol", extra=None):
    """One region, 2025-2031; 1 t of a product holds 1 t of Li.

    10 t of EV packs (2025) retire after a fixed 2 years (2027) as ``ev.eol``. Stationary
    storage ``ess`` (demand 7 t in 2027) is made new from refined Li (100 USD/t) or
    repurposed from spent EV packs (2 USD/t of pack) at a state of health of 0.7 t of
    storage per t of pack. New storage lives 4 years; second-life packs have a remaining
    life of 3 years (``second_life_lifetime``) and then reach end of life as ``ess_eol``,
    where recycling (1 USD/t) returns 0.9 t of Li per t of pack. EV demand of 9 t in 2030
    needs Li.
    """
    tables = {
        "regions": ["A,Alpha"],
        "commodities": [
            "li,Li,refining,t,true,false,1,,",
            "ev,Li,product,t,false,false,1,,ev.eol",
            "ev.eol,Li,eol,t,true,false,1,,",
            f"ess,Li,product,t,false,false,1,,{ess_eol}",
            "ess.eol,Li,eol,t,true,false,1,,",
        ],
        "processes": [
            "refine,refining,t,Refining",
            "make_ev,manufacturing,t,EV packs",
            "make_ess,manufacturing,t,Stationary packs",
            "repurpose,repurposing,t,Second life",
            "recycle,recycling,t,Recycling",
        ],
        "process_io": [
            "refine,li,out,,1,t/t",
            "make_ev,li,in,,1,t/t",
            "make_ev,ev,out,,1,t/t",
            "make_ess,li,in,,1,t/t",
            "make_ess,ess,out,,1,t/t",
            "repurpose,ev.eol,in,,1,t/t",
            "repurpose,ess,out,,0.7,t/t",
            "recycle,ess.eol,in,,1,t/t",
            "recycle,li,out,,0.9,t/t",
        ],
        "capacity": [
            f"{p},A,2025,{p},1000,t"
            for p in ("refine", "make_ev", "make_ess", "repurpose", "recycle")
        ],
        "variable_cost": [
            "refine,A,2025,100,USD/t",
            "repurpose,A,2025,2,USD/t",
            "recycle,A,2025,1,USD/t",
        ],
        "demand": _demand({2025: 10.0, 2030: 9.0}, {2027: 7.0}),
        "lifetimes": ["ev,A,fixed,2,,", "ess,A,fixed,4,,"],
        "second_life_lifetime": ["A,3,year"],
    }
    for table, rows in (extra or {}).items():
        tables[table] = rows
    return write_model(tmp_path, tables, years=(2025, 2031))


def test_derated_second_life_packs_retire_after_their_remaining_life(tmp_path):
    """By hand: in 2027 the 10 t of spent EV packs (2 USD/t) give 7 t of storage, cheaper
    than 7 t of new packs (700 USD), so repurposing runs at 10 and no new pack is made.
    The 7 t of second-life storage stay in use 2027-2029 and retire in 2030 (3 years, not
    new storage's 4: nothing retires in 2031) as the whole 10 t of pack, which recycling
    turns into 9 t of Li for the 9 t of EV packs of 2030 (no refining).
    Cost 10 x 100 + 10 x 2 + 10 x 1 = 1030."""
    r = mfa.run(_model(tmp_path))
    assert _val(r, "activity", process="repurpose", year=2027) == pytest.approx(10.0)
    assert _val(r, "activity", process="make_ess") == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "landfill", commodity="ev.eol", year=2027) == pytest.approx(0.0, abs=1e-9)
    stock = _by_year(r, "stock", commodity="ess")
    assert [stock[t] for t in range(2027, 2032)] == pytest.approx([7.0, 7.0, 7.0, 0.0, 0.0])
    back = _by_year(r, "eol", commodity="ess.eol")
    assert [back[t] for t in range(2025, 2032)] == pytest.approx([0, 0, 0, 0, 0, 10.0, 0])
    second = r["second_life"].set_index(["quantity", "year"])["value"]
    assert second[("repurposed", 2027)] == pytest.approx(7.0)
    assert second[("retired", 2030)] == pytest.approx(10.0)
    assert _val(r, "activity", process="recycle", year=2030) == pytest.approx(10.0)
    assert _val(r, "activity", process="refine", year=2030) == pytest.approx(0.0, abs=1e-9)
    assert r.summary["objective"] == pytest.approx(1030.0)
    assert r.summary["max_balance_residual"] < 1e-9


def test_second_life_cap_counts_derated_storage(tmp_path):
    """A cap of half the 7 t of storage demand admits 3.5 t of second-life storage, i.e.
    3.5 / 0.7 = 5 t of spent pack; 3.5 t of new packs make up the rest, and the other 5 t
    of spent EV packs are landfilled. In 2030 the 5 t of repurposed packs return."""
    r = mfa.run(_model(tmp_path, extra={"second_life_cap": ["A,2025,0.5,dimensionless"]}))
    assert _val(r, "activity", process="repurpose", year=2027) == pytest.approx(5.0)
    assert _val(r, "activity", process="make_ess", year=2027) == pytest.approx(3.5)
    assert _val(r, "landfill", commodity="ev.eol", year=2027) == pytest.approx(5.0)
    assert _val(r, "eol", commodity="ess.eol", year=2030) == pytest.approx(5.0)
    assert r.summary["max_balance_residual"] < 1e-9


def test_second_life_storage_stays_within_the_demand_served(tmp_path):
    """Storage demand is only 3.5 t in 2027: 5 t of spent EV packs serve it and the other
    5 t are landfilled. Repurposing all 10 t and throwing 3.5 t of storage away would keep
    the packs for 2030, when recycling them saves refining (100 USD/t of Li), but
    second-life storage cannot exceed the demand it serves. In 2030 the 5 t return and
    give 4.5 t of Li; 4.5 t more are refined for the 9 t of EV packs. (New storage lives
    20 years here, past the horizon, so that a negative inflow of new storage would not
    show as a negative arising.)
    Cost 10 x 100 + 5 x 2 + 5 x 1 + 4.5 x 100 = 1465."""
    extra = {
        "demand": _demand({2025: 10.0, 2030: 9.0}, {2027: 3.5}),
        "lifetimes": ["ev,A,fixed,2,,", "ess,A,fixed,20,,"],
    }
    r = mfa.run(_model(tmp_path, extra=extra))
    assert _val(r, "activity", process="repurpose", year=2027) == pytest.approx(5.0)
    assert _val(r, "landfill", commodity="ev.eol", year=2027) == pytest.approx(5.0)
    assert _val(r, "excess", commodity="ess") == pytest.approx(0.0, abs=1e-9)
    assert _val(r, "activity", process="recycle", year=2030) == pytest.approx(5.0)
    assert _val(r, "activity", process="refine", year=2030) == pytest.approx(4.5)
    assert r.summary["objective"] == pytest.approx(1465.0)


def test_returning_second_life_packs_are_not_repurposed_again(tmp_path):
    """Stationary packs now reach end of life as ``ev.eol``, the commodity repurposing
    takes; 80 % of it is collectable. The 10 t of EV packs of 2028 retire in 2030, when
    the 8 t of packs repurposed in 2027 (80 % of 2027's 10 t: 5.6 t of storage, and 1.4 t
    of new packs) come back: 18 t arise. Only collected first-life packs may be
    repurposed, 0.8 x 10 = 8 t (5.6 t of storage; 1.4 t new for the 7 t of 2030), not the
    returning ones: the other 10 t are landfilled (no recycling of ``ev.eol`` here)."""
    extra = {
        "demand": _demand({2025: 10.0, 2028: 10.0}, {2027: 7.0, 2030: 7.0}),
        "collection_rate": ["A,ev.eol,2025,0.8,dimensionless"],
    }
    r = mfa.run(_model(tmp_path, ess_eol="ev.eol", extra=extra))
    repurposed = _by_year(r, "activity", process="repurpose")
    assert [repurposed[t] for t in (2027, 2030)] == pytest.approx([8.0, 8.0])
    made = _by_year(r, "activity", process="make_ess")
    assert [made[t] for t in (2027, 2030)] == pytest.approx([1.4, 1.4])
    assert _val(r, "eol", commodity="ev.eol", year=2030) == pytest.approx(18.0)
    assert _val(r, "landfill", commodity="ev.eol", year=2030) == pytest.approx(10.0)
    assert r.summary["max_balance_residual"] < 1e-9


def test_packs_in_another_unit_than_the_storage_end_of_life_are_refused(tmp_path):
    """A pack must come back as it went in: spent EV packs in t cannot return as a
    stationary end-of-life commodity counted in GWh."""
    model = _model(tmp_path)
    table = model.parent / "data" / "commodities.csv"
    table.write_text(table.read_text().replace("ess.eol,Li,eol,t,", "ess.eol,Li,eol,GWh,"))
    recipes = model.parent / "data" / "process_io.csv"
    recipes.write_text(recipes.read_text().replace("ess.eol,in,,1,t/t", "ess.eol,in,,1,GWh/t"))
    with pytest.raises(InputError, match=r"repurposing process 'repurpose' takes 'ev\.eol' in t"):
        mfa.run(model)
