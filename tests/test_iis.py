"""Diagnosis: the irreducible infeasible subset (IIS) HiGHS returns is irreducible, named in
the model's words, and found on the LP the run already solved."""

from __future__ import annotations

from pathlib import Path

import pytest

import mfa
from mfa.diagnose import IIS_STRATEGY
from mfa.errors import InfeasibleError
from tests.modelkit import write_model

LI = "Li,mining,t,true,false,1,,"


def _three_regions(folder: Path) -> Path:
    """A needs 100 t of ore in 2025 and in 2026 and mines at most 70 t; B and C mine 50 t
    each for their own 30 t, so each could spare 20 t, but the routes into A carry at most
    10 t (from B) and 5 t (from C) a year: 70 + 10 + 5 = 85 < 100 in each year.

    By hand, for one year t the four limits {balance of ore in A in t, capacity of mine in
    A in t, route limit B->A in t, route limit C->A in t} are infeasible together, and
    without any one of them they are feasible (drop the balance: nothing is needed; drop the
    capacity: A mines 85; drop a route limit: B or C ships up to 20 t, 70 + 20 + 5 >= 100 or
    70 + 10 + 20 >= 100). Every other row holds with slack, so an irreducible subset is
    these four limits for one year; the two years together (eight) are not irreducible."""
    model = write_model(
        folder,
        {
            "regions": ["A,Alpha", "B,Beta", "C,Gamma"],
            "commodities": [f"ore,{LI}"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": ["mine,A,2025,a1,70,t", "mine,B,2025,b1,50,t", "mine,C,2025,c1,50,t"],
            "variable_cost": [
                "mine,A,2025,10,USD/t",
                "mine,B,2025,20,USD/t",
                "mine,C,2025,20,USD/t",
            ],
            "demand": [
                f"{r},ore,{t},{v},t"
                for t in (2025, 2026)
                for r, v in (("A", 100), ("B", 30), ("C", 30))
            ],
            "trade_routes": ["B,A,1000,sea", "C,A,1000,sea", "C,B,1000,sea"],
            "trade_cost": ["ore,B,A,5,USD/t", "ore,C,A,5,USD/t", "ore,C,B,5,USD/t"],
            "trade_limit": ["ore,B,A,2025,10,t", "ore,C,A,2025,5,t"],
        },
        years=(2025, 2026),
    )
    model.write_text(model.read_text().replace("1.0e6}", "1.0e6, allow_unmet: false}"))
    return model


def test_iis_strategy_sets_the_irreducible_bit():
    assert IIS_STRATEGY & 4 and IIS_STRATEGY & 2


def test_conflict_is_the_irreducible_subset_of_one_year(tmp_path):
    with pytest.raises(InfeasibleError) as exc:
        mfa.run(_three_regions(tmp_path))
    d = exc.value.diagnosis
    conflict = sorted(x["constraint"] for x in d.details if x["kind"] == "conflict")
    years = {x["index"][-1] for x in d.details if x["kind"] == "conflict"}
    assert len(years) == 1
    (t,) = years
    assert conflict == sorted(
        [
            f"balance of ore in A in {t} (demand 100 t)",
            f"capacity of mine in A in {t} (70 t)",
            f"route limit on ore from B to A in {t} (10 t)",
            f"route limit on ore from C to A in {t} (5 t)",
        ]
    )
    # the shortfall itself: 15 t in each year
    short = {x["year"]: x["short"] for x in d.details if x["kind"] == "shortfall"}
    assert short == {2025: pytest.approx(15.0), 2026: pytest.approx(15.0)}


def _count_builds_and_runs(monkeypatch) -> dict[str, int]:
    import mfa.diagnose
    import mfa.model.build
    import mfa.pipeline
    import mfa.solve

    calls = {"build": 0, "run": 0}
    build, run = mfa.model.build.build_model, mfa.solve.run_highs

    def counted_build(*args, **kwargs):
        calls["build"] += 1
        return build(*args, **kwargs)

    def counted_run(*args, **kwargs):
        calls["run"] += 1
        return run(*args, **kwargs)

    for module in (mfa.model.build, mfa.pipeline):
        monkeypatch.setattr(module, "build_model", counted_build)
    for module in (mfa.solve, mfa.diagnose):
        monkeypatch.setattr(module, "run_highs", counted_run)
    return calls


def test_unmet_demand_is_explained_from_the_same_solve(tmp_path, monkeypatch):
    """A run that leaves demand unserved builds and solves its LP once; the explanation
    (60 t short, the supplier cap binding) is read from that solve."""
    from tests.test_trust import _capped_suppliers

    model = _capped_suppliers(tmp_path, allow_unmet=True)
    calls = _count_builds_and_runs(monkeypatch)
    r = mfa.run(model)
    assert "60 t short of 100 t" in r.summary["unmet_explained"]["summary"]
    assert calls == {"build": 1, "run": 1}


def test_infeasible_run_is_diagnosed_on_its_own_highs_object(tmp_path, monkeypatch):
    """Hard demand under a supplier cap (60 t short): the diagnosis builds and solves one
    other LP, the elastic copy (demand may go unserved); the relaxation of the policy limits
    (30 t on the cap) and the IIS run on the Highs object of the failed run."""
    from tests.test_trust import _capped_suppliers

    model = _capped_suppliers(tmp_path, allow_unmet=False)
    calls = _count_builds_and_runs(monkeypatch)
    with pytest.raises(InfeasibleError) as exc:
        mfa.run(model)
    relax = [x for x in exc.value.diagnosis.details if x["kind"] == "relax"]
    assert [x["amount"] for x in relax] == [pytest.approx(30.0)]
    assert any(x["kind"] == "conflict" for x in exc.value.diagnosis.details)
    assert calls == {"build": 2, "run": 2}
