"""The how-to of docs/architecture.md, followed: a constraint family added from outside.

The toy family below is written exactly as the how-to says (a module's ``add`` that
writes rows and returns its state, a ``tables`` function, one ``FAMILY`` record) and
registered; building, solving and the results then carry it with no other change.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest

import mfa
from mfa import pipeline
from mfa.model import families
from mfa.model.built import BuiltModel, Family, Row, tidy
from mfa.solve import Solution
from tests.modelkit import write_two_suppliers_model

CEILING = {("refine", "CN"): 60.0}
"""Toy parameter: most activity a process may run at in a region, every year."""


def add(built: BuiltModel) -> list[tuple[str, str, int]]:
    r"""Toy family: :math:`x_{prt} \le \bar x_{pr}` for the (process, region) in CEILING."""
    m, index = built.model, built.index
    keys = [(p, r, t) for p, r, t in index.activity if (p, r) in CEILING]

    def rule(_m: pyo.ConcreteModel, p: str, r: str, t: int) -> object:
        return m.activity[p, r, t] <= CEILING[(p, r)]

    m.toy_ceiling = pyo.Constraint(keys, rule=rule)
    return keys


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    """``toy_headroom``: ceiling minus activity, from the activity table already read."""
    keys = built.state("toy")
    level = done["activity"].set_index(["process", "region", "year"])["value"]
    room = np.array([CEILING[(p, r)] - level[(p, r, t)] for p, r, t in keys])
    return {"toy_headroom": tidy(keys, ["process", "region", "year"], room, "t")}


FAMILY = Family(
    name="toy",
    add=add,
    rows=(
        Row(
            "toy_ceiling",
            ("process", "region", "year"),
            "USD/t",
            "<=",
            words="the toy ceiling of {0} in {1} in {2}",
        ),
    ),
    tables=tables,
)


@pytest.fixture
def toy_registered():
    families.register(FAMILY)
    try:
        yield
    finally:
        families.unregister("toy")


def test_a_registered_family_is_built_solved_and_reported(tmp_path, toy_registered):
    """CN may refine at most 60 t: 60 x 10 + 40 x 20 = 1400 USD; one more tonne from CN
    saves 20 - 10 = 10 USD (the ceiling's shadow price); no headroom left."""
    r = mfa.run(write_two_suppliers_model(tmp_path))
    assert r.objective == pytest.approx(1400.0, rel=1e-9)
    room = r["toy_headroom"]
    assert list(room.columns) == ["process", "region", "year", "value", "unit"]
    assert float(room["value"].iloc[0]) == pytest.approx(0.0, abs=1e-9)
    duals = r["duals_toy_ceiling"]
    assert float(duals["value"].iloc[0]) == pytest.approx(10.0)
    assert duals["unit"].iloc[0] == "USD/t"


def test_without_the_family_the_cheap_supplier_serves_everything(tmp_path):
    r = mfa.run(write_two_suppliers_model(tmp_path))
    assert r.objective == pytest.approx(1000.0, rel=1e-9)
    assert "toy_headroom" not in r and "duals_toy_ceiling" not in r


def test_the_registry_refuses_a_second_family_of_the_same_name(toy_registered):
    with pytest.raises(ValueError, match="registered already"):
        families.register(FAMILY)


def test_a_user_adds_a_constraint_in_pyomo_between_build_and_compile(tmp_path):
    """The how-to's 'one row of your own': at most 30 t from CN, written in Pyomo on the
    built model. KR then buys 30 t from CN (10 USD/t) and 70 t from AU (20 USD/t):
    300 + 1400 = 1700 USD; one more tonne allowed from CN saves 20 - 10 = 10 USD (HiGHS'
    dual of a binding <= row of a minimisation is -10)."""
    data = pipeline.validate(write_two_suppliers_model(tmp_path))
    built = pipeline.build(data)
    m = built.model
    m.cn_share = pyo.Constraint(expr=m.trade["li", "CN", "KR", 2025] <= 30.0)
    compiled = pipeline.compile_model(built)
    sol = pipeline.solve(compiled)
    assert sol.objective == pytest.approx(1700.0, rel=1e-9)
    assert sol.row_dual[sol.row_of[id(m.cn_share)]] == pytest.approx(-10.0)
    out, _ = pipeline.tables(built, sol)
    trade = out["trade"].set_index("origin")["value"]
    assert trade["CN"] == pytest.approx(30.0) and trade["AU"] == pytest.approx(70.0)
