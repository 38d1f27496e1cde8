"""The LP built as arrays (mfa.model.blocks) against the Pyomo model made from it.

The families write variable and row blocks; ``compile_arrays`` compiles them without any
Pyomo object, and the Pyomo model is made from the same blocks only when it is asked for.
Both routes must give the same LP, and a row a user adds in Pyomo must reach the solver.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.synthetic import SIZES
from benchmarks.synthetic import write_model as write_synthetic
from mfa import pipeline
from mfa.model.build import build_model
from mfa.standard_form import StandardForm, compile_arrays, compile_lp
from tests.modelkit import write_two_suppliers_model

EXAMPLE = Path(__file__).resolve().parents[1] / "models" / "examples" / "tiny.yaml"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return pipeline.validate(write_synthetic(tmp_path_factory.mktemp("synthetic"), SIZES["tiny"]))


def _rows(form: StandardForm) -> list[tuple[str, float, float, list[tuple[str, float]]]]:
    """Every row as (name, lower, upper, its terms sorted by variable name)."""
    lp = form.lp
    names = [v.name for v in form.columns]
    start, index, value = (
        np.asarray(x) for x in (lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_)
    )
    terms: list[list[tuple[str, float]]] = [[] for _ in range(lp.num_row_)]
    for j in range(lp.num_col_):
        for k in range(start[j], start[j + 1]):
            terms[index[k]].append((names[j], float(value[k])))
    lower, upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    return sorted(
        (con.name, float(lo), float(hi), sorted(t))
        for con, lo, hi, t in zip(form.rows, lower, upper, terms, strict=True)
    )


def _columns(form: StandardForm) -> list[tuple[str, float, float, float]]:
    lp = form.lp
    cost, lower, upper = (np.asarray(x) for x in (lp.col_cost_, lp.col_lower_, lp.col_upper_))
    return sorted(
        (v.name, float(c), float(lo), float(hi))
        for v, c, lo, hi in zip(form.columns, cost, lower, upper, strict=True)
    )


def _close(a: list, b: list) -> bool:
    """Same names and senses, numbers within 1e-15 (relative)."""
    return len(a) == len(b) and all(
        np.allclose(
            np.array([x for x in ra if isinstance(x, float)]),
            np.array([x for x in rb if isinstance(x, float)]),
            rtol=1e-15,
            atol=0.0,
        )
        and [x for x in ra if not isinstance(x, float)]
        == [x for x in rb if not isinstance(x, float)]
        for ra, rb in zip(a, b, strict=True)
    )


def _flat(rows: list) -> list[tuple]:
    """A row's terms spread into the tuple, for :func:`_close`."""
    return [(name, lo, hi, *(x for term in terms for x in term)) for name, lo, hi, terms in rows]


@pytest.mark.parametrize("which", ["synthetic", "example"])
def test_the_array_form_is_the_lp_of_the_pyomo_model_made_from_it(which, synthetic):
    """Row by row (sorted by name, each row's terms by variable), every column's cost and
    bounds, and the columns' and rows' order: the LP compiled from the arrays and the LP
    Pyomo's side compiles from the model made from the same blocks agree to 1e-15."""
    data = synthetic if which == "synthetic" else pipeline.validate(EXAMPLE, "reference")
    built = build_model(data)
    if built.materialised:  # a family written in Pyomo made the model: build one without
        pytest.skip("this model needs a family written in Pyomo")
    arrays = compile_arrays(built.lp, built.pyomo_objects)
    assert not built.materialised  # compiled without a Pyomo object
    pyomo = compile_lp(built.model)
    assert _close(_flat(_rows(arrays)), _flat(_rows(pyomo)))
    assert _close(_columns(arrays), _columns(pyomo))
    assert [v.name for v in arrays.columns] == [v.name for v in pyomo.columns]
    assert [c.name for c in arrays.rows] == [c.name for c in pyomo.rows]
    assert arrays.lp.num_row_ == pyomo.lp.num_row_ > 0


def test_the_synthetic_model_is_built_and_solved_without_a_pyomo_model(synthetic):
    """The benchmark's model: every family it switches on writes blocks (or nothing), so the
    build, the solve and every result table never make the Pyomo model; the objective is
    the one the Pyomo route gives for the same data."""
    compiled = pipeline.compile_model(pipeline.build(synthetic))
    sol = pipeline.solve(compiled)
    tables, _ = pipeline.tables(compiled.built, sol)
    assert not compiled.built.materialised
    made = pipeline.build(synthetic)
    made.model  # noqa: B018  # the Pyomo route
    twin = pipeline.solve(pipeline.compile_model(made))
    assert made.materialised
    assert sol.objective == pytest.approx(twin.objective, rel=1e-12)
    prices = tables["prices"]["value"].to_numpy()
    again, _ = pipeline.tables(made, twin)
    assert np.allclose(prices, again["prices"]["value"].to_numpy(), rtol=1e-9, atol=1e-9)


def test_hand_solved_from_arrays_then_a_user_row_added_in_pyomo(tmp_path):
    """From the arrays: 80 t from CN at 10 USD/t and 20 t from AU at 20 USD/t, 1200 USD;
    CN's capacity row is binding with shadow price 20 - 10 = 10 USD/t, read by its place in
    the LP. Then the user asks for the Pyomo model, adds 'at most 30 t from CN' and
    compiles again: 30 * 10 + 70 * 20 = 1700 USD, the row's dual -10."""
    data = pipeline.validate(write_two_suppliers_model(tmp_path, cn_capacity=80))
    built = pipeline.build(data)
    sol = pipeline.solve(pipeline.compile_model(built))
    out, _ = pipeline.tables(built, sol)
    assert not built.materialised
    assert sol.objective == pytest.approx(1200.0, rel=1e-9)
    shadow = out["duals_capacity_limit"].set_index("region")["value"]
    assert shadow["CN"] == pytest.approx(10.0) and shadow["AU"] == pytest.approx(0.0)

    m = built.model
    m.cn_share = pyo.Constraint(expr=m.trade["li", "CN", "KR", 2025] <= 30.0)
    again = pipeline.solve(pipeline.compile_model(built))
    assert again.objective == pytest.approx(1700.0, rel=1e-9)
    assert again.row_dual[again.row_of[id(m.cn_share)]] == pytest.approx(-10.0)
    out, _ = pipeline.tables(built, again)
    trade = out["trade"].set_index("origin")["value"]
    assert trade["CN"] == pytest.approx(30.0) and trade["AU"] == pytest.approx(70.0)
