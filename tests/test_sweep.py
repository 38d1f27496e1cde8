"""Sweeps: uncertainty spec, persistent re-solves, Dask, failures, resume, analysis."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import mfa
from mfa.errors import ConfigError, MfaError
from mfa.sweep import Resolver, apply_draw, monte_carlo, plan, sweep, tornado_table
from tests.modelkit import write_model

LI = "Li,mining,t,true,false,1,,"

UNCERTAINTY = """
uncertainty:
  seed: 3
  parameters:
    demand_b: {table: demand, where: {region: B}, distribution: triangular,
               low: 0.6, mode: 1.0, high: 1.6}
    cost_a: {table: variable_cost, where: {region: A}, distribution: normal, mean: 1.0, std: 0.2}
    yield: {table: process_io, distribution: uniform, low: 0.9, high: 1.1}
    freight: {table: trade_cost, distribution: lognormal, mean: 5.0, std: 1.0, apply: set}
"""


def _model(folder: Path, extra: str = UNCERTAINTY, allow_unmet: bool = True) -> Path:
    """A mines at 10 USD/t (cap 100), B at 30 USD/t (cap 100), freight A->B; demand in both."""
    model = write_model(
        folder,
        {
            "regions": ["A,Alpha", "B,Beta"],
            "commodities": [f"ore,{LI}"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": ["mine,A,2025,a1,100,t", "mine,B,2025,b1,100,t"],
            "variable_cost": ["mine,A,2025,10,USD/t", "mine,B,2025,30,USD/t"],
            "demand": ["A,ore,2025,40,t", "B,ore,2025,80,t", "A,ore,2026,40,t", "B,ore,2026,90,t"],
            "trade_routes": ["A,B,1000,sea"],
            "trade_cost": ["ore,A,B,5,USD/t"],
        },
        years=(2025, 2026),
        extra_yaml=extra,
    )
    if not allow_unmet:
        text = model.read_text().replace(
            "unmet_penalty: 1.0e6}", "unmet_penalty: 1.0e6, allow_unmet: false}"
        )
        model.write_text(text)
    return model


def test_persistent_resolve_matches_fresh_run(tmp_path):
    """Every sample re-solved in place gives the objective of a fresh mfa.run (1e-6)."""
    data = mfa.validate(_model(tmp_path))
    params = data.config.uncertainty.parameters
    resolver = Resolver(data, {p.table for p in params.values()})
    assert resolver.basis is not None
    for i in range(4):
        sample = apply_draw(data, monte_carlo(params, 3, i))
        out = resolver.solve(sample)
        assert out.status == "optimal" and out.mode == "persistent"
        assert out.checks["max_balance_residual"] < 1e-6
        fresh = mfa.run(sample)
        assert out.objective == pytest.approx(fresh.objective, rel=1e-6)
        unmet = fresh["unmet"]["value"].sum()
        assert out.tables["unmet"]["value"].sum() == pytest.approx(unmet, abs=1e-6)
    # demand above what can be supplied: unmet demand, bounded by the new demand
    short = apply_draw(data, {"demand_b": 3.0})
    out = resolver.solve(short)
    fresh = mfa.run(short)
    assert fresh["unmet"]["value"].sum() > 1.0
    assert out.objective == pytest.approx(fresh.objective, rel=1e-6)
    # back at the base values: the base objective again
    assert resolver.solve(data).objective == pytest.approx(mfa.run(data).objective, rel=1e-9)


def test_structure_change_falls_back_to_rebuild(tmp_path):
    """Setting a zero capacity to a positive value needs new rows: a rebuild, same answer."""
    extra = """
uncertainty:
  parameters:
    cap: {table: capacity, where: {region: B}, distribution: uniform, low: 0, high: 0}
"""
    data = mfa.validate(_model(tmp_path, extra))
    resolver = Resolver(data, ["capacity"])
    zero = apply_draw(data, {"cap": 0.0})  # scale 0: fewer non-zeros, in place
    out = resolver.solve(zero)
    assert out.mode == "persistent"
    assert out.objective == pytest.approx(mfa.run(zero).objective, rel=1e-6)
    cap = data.param("capacity").copy()
    grown = cap.copy()
    grown[("mine", "B", 2026)] = 50.0  # a key set to a value it did not have before
    import dataclasses
    from types import MappingProxyType

    new = dataclasses.replace(data, params=MappingProxyType({**data.params, "capacity": grown}))
    if (cap.get(("mine", "B", 2026), 0.0)) == 0.0:
        out = resolver.solve(new)
        assert out.mode == "rebuild"
        assert out.objective == pytest.approx(mfa.run(new).objective, rel=1e-6)


def test_draws_are_reproducible_and_independent_of_plan_size(tmp_path):
    cfg = mfa.load_model(_model(tmp_path))
    a = plan(cfg, "monte_carlo", 5, seed=11)
    b = plan(cfg, "monte_carlo", 9, seed=11)
    assert [t.draw for t in a] == [t.draw for t in b[:5]]
    assert plan(cfg, "monte_carlo", 5, seed=12)[0].draw != a[0].draw
    assert all(0.6 <= t.draw["demand_b"] <= 1.6 for t in b)
    oat = plan(cfg, "one_at_a_time", 0, seed=0)
    assert [(t.labels["parameter"], t.labels["side"]) for t in oat][:3] == [
        ("", "base"),
        ("demand_b", "low"),
        ("demand_b", "high"),
    ]
    assert oat[1].draw == {"demand_b": 0.6}


def test_uncertainty_errors_name_line_and_key(tmp_path):
    extra = """
uncertainty:
  parameters:
    d1: {table: demand, where: {regio: B}, distribution: uniform, low: 0.5, high: 1.5}
    d2: {table: demand, distribution: triangular, low: 0.5, high: 1.5}
    d3: {table: demand, distribution: uniform, low: 2, high: 1}
    d4: {table: nonsense, range: [0.5, 2]}
    d5: {table: demand, distribution: normal, mean: 1, std: 0.1, mode: 1}
grids:
  g: {axis: [base, missing]}
"""
    model = _model(tmp_path, extra)
    with pytest.raises(ConfigError) as err:
        mfa.load_model(model)
    text = str(err.value)
    lines = {p.column: p.line for p in err.value.problems}
    assert "has no dimension(s) ['regio']" in text
    assert "distribution 'triangular' needs ['mode']" in text
    assert "low (2.0) must not be above high (1.0)" in text
    assert "unknown parameter table 'nonsense'" in text
    assert "['mode'] do not apply to distribution 'normal'" in text
    assert "grid 'g' axis 'axis' names ['missing']" in text
    first = (
        model.read_text()
        .splitlines()
        .index(
            "    d1: {table: demand, where: {regio: B}, distribution: uniform, low: 0.5, high: 1.5}"
        )
    )
    assert lines["uncertainty.parameters.d1"] == first + 1
    assert lines["uncertainty.parameters.d4"] == first + 4


def test_selector_without_rows_is_reported_before_solving(tmp_path):
    extra = """
uncertainty:
  parameters:
    d: {table: demand, where: {region: A, year: 2031}, distribution: uniform, low: 1, high: 2}
"""
    with pytest.raises(ConfigError, match=r"line \d+, column 'uncertainty.parameters.d.where'"):
        sweep(_model(tmp_path, extra), samples=2, workers=0, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_sweep_writes_every_sample_and_the_analysis(tmp_path):
    out = tmp_path / "sweep"
    result = sweep(_model(tmp_path), samples=6, workers=0, out=out)
    assert result.solved == 6 and result.failed == 0
    assert sorted(p.name for p in (out / "samples").iterdir()) == [
        f"sample={i:06d}" for i in range(6)
    ]
    samples = pd.read_parquet(out / "samples.parquet")
    assert {
        "param.demand_b",
        "param.cost_a",
        "param.yield",
        "param.freight",
        "objective",
        "status",
        "total_unmet",
        "max_balance_residual",
    } <= set(samples.columns)
    assert (samples["mode"] == "persistent").all()
    ind = pd.read_parquet(out / "indicators.parquet")
    assert {"sample", "indicator", "region", "year", "value", "unit", "param.demand_b"} <= set(
        ind.columns
    )
    assert set(ind["indicator"]) >= {"activity", "unmet", "cost"}
    summary = pd.read_parquet(out / "summary.parquet")
    obj = summary[summary["indicator"] == "objective"].iloc[0]
    assert obj["n"] == 6
    assert obj["mean"] == pytest.approx(samples["objective"].mean())
    assert obj["p50"] == pytest.approx(samples["objective"].median())
    act = summary[(summary["indicator"] == "activity") & (summary["region"] == "A")]
    assert list(act["year"]) == [2025, 2026] and (act["unit"] == "t").all()
    assert list((out / "figures").glob("fan_cost_*.png"))


def test_infeasible_sample_is_recorded_and_the_sweep_goes_on(tmp_path):
    """allow_unmet off: a draw that lifts B's demand above what A and B can supply
    (200 t) has no solution; it is recorded with its reason, the others are solved."""
    extra = """
uncertainty:
  parameters:
    demand_b: {table: demand, where: {region: B}, distribution: uniform, low: 0.5, high: 3.0}
"""
    model = _model(tmp_path, extra, allow_unmet=False)
    result = sweep(model, samples=8, seed=1, workers=0, out=tmp_path / "out", figures=False)
    s = result.samples
    bad = s[s["status"] != "optimal"]
    assert len(bad) and len(bad) < len(s)
    assert (bad["status"] == "infeasible").all()
    assert bad["reason"].str.len().min() > 0
    assert (s.loc[s["status"] == "optimal", "param.demand_b"] * 90 <= 160 + 1e-9).all()
    assert (bad["param.demand_b"] * 90 > 160).all()
    assert result.failed == len(bad)


def test_resume_skips_done_samples(tmp_path):
    model = _model(tmp_path)
    out = tmp_path / "out"
    first = sweep(model, samples=5, workers=0, out=out, figures=False)
    assert first.solved == 5
    shutil.rmtree(out / "samples" / "sample=000003")
    with pytest.raises(MfaError, match="--resume"):
        sweep(model, samples=5, workers=0, out=out)
    again = sweep(model, samples=5, workers=0, out=out, resume=True, figures=False)
    assert (again.solved, again.skipped) == (1, 4)
    pd.testing.assert_frame_equal(
        first.samples[["sample", "objective"]], again.samples[["sample", "objective"]]
    )
    with pytest.raises(MfaError, match="differs in"):
        sweep(model, samples=5, seed=99, workers=0, out=out, resume=True)


def test_one_at_a_time_and_grid(tmp_path):
    extra = (
        UNCERTAINTY
        + """
overrides:
  dear_freight:
    adjust: [{table: trade_cost, scale: 3.0}]
grids:
  freight: {cost: [base, dear_freight]}
"""
    )
    model = _model(tmp_path, extra)
    res = sweep(model, method="one_at_a_time", grid="freight", workers=0, out=tmp_path / "oat")
    s = res.samples
    assert list(s["scenario"].unique()) == ["base", "dear_freight"]
    assert (s["status"] == "optimal").all()
    tornado = tornado_table(s)
    assert set(tornado["parameter"]) == {"demand_b", "cost_a", "yield", "freight"}
    base = s[(s["scenario"] == "base") & (s["side"] == "base")]["objective"].iloc[0]
    assert base == pytest.approx(mfa.run(model).objective, rel=1e-9)
    assert (tmp_path / "oat" / "tornado.parquet").exists()
    assert list((tmp_path / "oat" / "figures").glob("tornado_*.png"))


@pytest.mark.slow
def test_serial_and_two_dask_workers_give_identical_results(tmp_path):
    model = _model(tmp_path)
    serial = sweep(model, samples=8, workers=0, out=tmp_path / "serial", figures=False)
    dask = sweep(model, samples=8, workers=2, out=tmp_path / "dask", figures=False)
    assert dask.samples["worker"].nunique() == 2
    cols = ["sample", "status", "objective", "total_unmet"]
    pd.testing.assert_frame_equal(serial.samples[cols], dask.samples[cols])
    a = pd.read_parquet(tmp_path / "serial" / "indicators.parquet")
    b = pd.read_parquet(tmp_path / "dask" / "indicators.parquet")
    pd.testing.assert_frame_equal(a, b)
