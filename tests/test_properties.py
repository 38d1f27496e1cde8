"""Properties of the LP on random small networks (hypothesis).

The networks: 1-3 regions, a two-stage chain (mining gives ore, refining turns
``coef`` t of ore into 1 t of metal), random operating costs, random trade routes
for both commodities, and demand for metal in random regions. Capacities are
ample (far above any demand), so no capacity binds and demand is always met.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mfa
from tests.modelkit import write_model

REGIONS = ("A", "B", "C")
AMPLE = 1.0e5
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PAIRED = settings(SETTINGS, max_examples=20)
"""Tests that solve two models per example."""


@st.composite
def networks(draw):
    n = draw(st.integers(1, 3))
    regions = REGIONS[:n]
    cost = st.floats(1.0, 100.0, allow_nan=False)
    demand = st.floats(1.0, 100.0, allow_nan=False)
    coef = draw(st.floats(1.0, 3.0))
    mine_cost = {r: draw(cost) for r in regions}
    refine_cost = {r: draw(cost) for r in regions}
    demanded = draw(st.lists(st.sampled_from(regions), min_size=1, max_size=n, unique=True))
    demands = {r: draw(demand) for r in demanded}
    pairs = [(o, d) for o in regions for d in regions if o != d]
    routes = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    )
    freight = {(o, d): draw(st.floats(0.0, 50.0)) for o, d in routes}
    return {
        "regions": regions,
        "coef": coef,
        "mine_cost": mine_cost,
        "refine_cost": refine_cost,
        "demands": demands,
        "routes": routes,
        "freight": freight,
    }


def _write(folder: Path, net: dict, k: float = 1.0, extra: dict | None = None) -> Path:
    regions = net["regions"]
    tables = {
        "regions": [f"{r},Region {r}" for r in regions],
        "commodities": ["ore,Li,mining,t,true,false,1,,", "metal,Li,refining,t,true,false,1,,"],
        "processes": ["mine,mining,t,Mine", "refine,refining,t,Refinery"],
        "process_io": [
            "mine,ore,out,,1,t/t",
            f"refine,ore,in,,{net['coef']!r},t/t",
            "refine,metal,out,,1,t/t",
        ],
        "capacity": [f"{p},{r},2025,{p}{r},{AMPLE},t" for p in ("mine", "refine") for r in regions],
        "variable_cost": [f"mine,{r},2025,{net['mine_cost'][r]!r},USD/t" for r in regions]
        + [f"refine,{r},2025,{net['refine_cost'][r]!r},USD/t" for r in regions],
        "demand": [f"{r},metal,2025,{v * k!r},t" for r, v in net["demands"].items()],
        "trade_routes": [f"{o},{d},1000,sea" for o, d in net["routes"]],
        "trade_cost": [f"*,{o},{d},{net['freight'][(o, d)]!r},USD/t" for o, d in net["routes"]],
    }
    if not net["routes"]:
        del tables["trade_routes"], tables["trade_cost"]
    for name, rows in (extra or {}).items():
        tables[name] = tables.get(name, []) + rows
    return write_model(folder, tables)


def _extraction(r: mfa.Results) -> float:
    act = r["activity"]
    return float(act.loc[act["process"] == "mine", "value"].sum())


@SETTINGS
@given(net=networks())
def test_random_networks_solve_with_closed_balances(net):
    with TemporaryDirectory() as tmp:
        r = mfa.run(_write(Path(tmp), net))
    assert r.summary["status"] == "Optimal"
    assert r.summary["max_balance_residual"] < 1e-6
    assert float(r["unmet"]["value"].sum()) == pytest.approx(0.0, abs=1e-6)
    # every tonne of metal demanded needs coef tonnes of ore mined somewhere
    total = sum(net["demands"].values())
    assert _extraction(r) == pytest.approx(net["coef"] * total, rel=1e-7)


@PAIRED
@given(net=networks(), k=st.floats(0.1, 10.0))
def test_scaling_demand_scales_extraction_and_cost(net, k):
    with TemporaryDirectory() as tmp:
        base = mfa.run(_write(Path(tmp) / "base", net))
        scaled = mfa.run(_write(Path(tmp) / "scaled", net, k))
    assert _extraction(scaled) == pytest.approx(k * _extraction(base), rel=1e-7)
    assert scaled.objective == pytest.approx(k * base.objective, rel=1e-7)


@PAIRED
@given(net=networks(), which=st.sampled_from(["reserves", "capacity"]))
def test_non_binding_limit_leaves_the_optimum(net, which):
    region = net["regions"][0]
    extra = (
        {"reserves": [f"mine,{region},{1e9!r},t"]}
        if which == "reserves"
        else {"capacity": [f"mine,{region},2025,spare,{1e7!r},t"]}
    )
    with TemporaryDirectory() as tmp:
        base = mfa.run(_write(Path(tmp) / "base", net))
        limited = mfa.run(_write(Path(tmp) / "limited", net, extra=extra))
    assert limited.objective == pytest.approx(base.objective, rel=1e-9)
    assert _extraction(limited) == pytest.approx(_extraction(base), rel=1e-9)
