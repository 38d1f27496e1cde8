"""The compiler's record of Param-dependent numbers (mfa.standard_form.Parametric): after a
change of Param values, pushing into the live HiGHS object gives the LP a fresh compile gives."""

from __future__ import annotations

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression

import mfa
from mfa.model.build import build_model
from mfa.model.values import StructureChanged
from mfa.solve import new_highs
from mfa.standard_form import compile_lp
from mfa.sweep import Resolver, apply_draw, monte_carlo, rebuild_solve
from tests.test_sweep import _model as sweep_model


def _lp_arrays(lp) -> dict[str, np.ndarray]:
    a = sp.csc_matrix(
        (
            np.asarray(lp.a_matrix_.value_),
            np.asarray(lp.a_matrix_.index_),
            np.asarray(lp.a_matrix_.start_),
        ),
        shape=(lp.num_row_, lp.num_col_),
    )
    return {
        "a": a.toarray(),
        "cost": np.asarray(lp.col_cost_),
        "col_lower": np.asarray(lp.col_lower_),
        "col_upper": np.asarray(lp.col_upper_),
        "row_lower": np.asarray(lp.row_lower_),
        "row_upper": np.asarray(lp.row_upper_),
        "offset": np.array([lp.offset_]),
    }


def _live(h) -> dict[str, np.ndarray]:
    return _lp_arrays(h.getLp())


def _hand_model() -> pyo.ConcreteModel:
    """min p*x + 2y + q   s.t.  p*x + y + 3x >= d + 1 (a constant Param part in the body:
    LinearExpression [p*x, y, 3x, -d]), x - y <= cap, 0 <= y <= ub; x >= 0."""
    m = pyo.ConcreteModel()
    m.p = pyo.Param(initialize=2.0, mutable=True)
    m.q = pyo.Param(initialize=5.0, mutable=True)
    m.d = pyo.Param(initialize=4.0, mutable=True)
    m.cap = pyo.Param(initialize=1.0, mutable=True)
    m.ub = pyo.Param(initialize=3.0, mutable=True)
    m.x = pyo.Var(domain=pyo.NonNegativeReals)
    m.y = pyo.Var(bounds=(0, m.ub))
    body = LinearExpression(args=[m.p * m.x, 1.0 * m.y, 3.0 * m.x, -m.d])
    m.c1 = pyo.Constraint(expr=body >= 1.0)
    m.c2 = pyo.Constraint(expr=m.x - m.y <= m.cap)
    m.obj = pyo.Objective(expr=m.p * m.x + 2.0 * m.y + m.q)
    return m


def test_hand_model_records_every_param_position():
    m = _hand_model()
    form = compile_lp(m)
    par = form.parametric
    assert par is not None
    x, y = form.column_of[id(m.x)], form.column_of[id(m.y)]
    # the entry (c1, x) sums p and 3: one parametric entry; (c1, y) and row c2 stay plain
    assert list(zip(par.coef_rows.tolist(), par.coef_cols.tolist(), strict=True)) == [(0, x)]
    assert par.bound_rows.tolist() == [0, 1]
    assert par.bound_columns.tolist() == [y]
    assert par.cost_cols.tolist() == [x]
    lp = _lp_arrays(form.lp)
    assert lp["a"][0, x] == 5.0 and lp["row_lower"][0] == 5.0 and lp["row_upper"][1] == 1.0
    assert lp["col_upper"][y] == 3.0 and lp["cost"][x] == 2.0 and lp["offset"][0] == 5.0

    h = new_highs()
    h.passModel(form.lp)
    m.p.set_value(7.0)
    m.q.set_value(-1.0)
    m.d.set_value(10.0)
    m.cap.set_value(2.5)
    m.ub.set_value(0.5)
    par.push(h)
    live = _live(h)
    assert live["a"][0, x] == 10.0  # 7 + 3
    assert live["row_lower"][0] == 11.0  # 1 + d
    assert live["row_upper"][1] == 2.5
    assert live["col_upper"][y] == 0.5
    assert live["cost"][x] == 7.0
    assert live["offset"][0] == -1.0
    fresh = _lp_arrays(compile_lp(m).lp)
    for name, value in fresh.items():
        np.testing.assert_array_equal(live[name], value, err_msg=name)


def test_model_without_mutable_param_has_no_record():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 1))
    m.c = pyo.Constraint(expr=m.x >= 0.5)
    m.obj = pyo.Objective(expr=m.x)
    assert compile_lp(m).parametric is None


@pytest.mark.parametrize("sample", [0, 1, 2])
def test_pushed_sweep_model_equals_a_fresh_compile(tmp_path, sample):
    """The sweep test model with demand, cost, yield and freight mutable: after a Monte
    Carlo draw, the live LP equals the LP compiled from the changed model, number by number."""
    data = mfa.validate(sweep_model(tmp_path))
    params = data.config.uncertainty.parameters
    tables = sorted({p.table for p in params.values()})
    built = build_model(data, mutable=tables)
    m, values = built.model, built.values
    form = compile_lp(m)
    assert form.parametric is not None and len(form.parametric) > 0
    h = new_highs()
    h.passModel(form.lp)
    drawn = apply_draw(data, monte_carlo(params, 3, sample))
    for t in tables:
        values.set(t, drawn.param(t))
    form.parametric.push(h)
    live = _live(h)
    fresh = _lp_arrays(compile_lp(m).lp)
    for name, value in fresh.items():
        np.testing.assert_allclose(live[name], value, rtol=1e-12, atol=0, err_msg=name)
    assert not np.allclose(fresh["cost"], _lp_arrays(form.lp)["cost"])  # the draw changed it


def _one_parameter_model() -> pyo.ConcreteModel:
    """min (p/2) x + y  s.t.  p x + y >= d,  0 <= x <= 3 - p/2,  y >= 0.

    One Param ``p`` sits in a matrix entry, a column bound and a cost; ``d`` is the row
    bound. x covers p per unit at p/2 a unit, so 1/2 per unit covered, y covers 1 at 1:
    x runs at its bound 3 - p/2, y covers the rest, d - p (3 - p/2):

    * p=4, d=10: x=1, y=6, objective 2 + 6 = 8;
    * p=1, d=10: x=2.5, y=7.5, objective 1.25 + 7.5 = 8.75;
    * p=1, d=20: x=2.5, y=17.5, objective 18.75;
    * p=6, d=20: x <= 0, so y=20, objective 20.
    """
    m = pyo.ConcreteModel()
    m.p = pyo.Param(initialize=4.0, mutable=True)
    m.d = pyo.Param(initialize=10.0, mutable=True)
    m.x = pyo.Var(domain=pyo.NonNegativeReals, bounds=(None, 3.0 - 0.5 * m.p))
    m.y = pyo.Var(domain=pyo.NonNegativeReals)
    m.cover = pyo.Constraint(expr=LinearExpression(args=[m.p * m.x, 1.0 * m.y]) >= m.d)
    m.obj = pyo.Objective(expr=0.5 * m.p * m.x + m.y)
    return m


def test_pushed_vector_changes_one_coefficient_bound_and_cost_as_solved_by_hand():
    """The sweep's path: the Param values as a vector (placed by ``slots``), only the numbers
    that changed written into HiGHS, warm re-solves give the optima worked out by hand."""
    m = _one_parameter_model()
    form = compile_lp(m)
    par = form.parametric
    assert par is not None
    x = form.column_of[id(m.x)]
    assert par.bound_columns.tolist() == [x] and par.cost_cols.tolist() == [x]
    slot_p, slot_d = par.slots([m.p, m.d]).tolist()
    h = new_highs()
    h.setOptionValue("output_flag", False)
    h.passModel(form.lp)
    h.run()
    assert h.getInfo().objective_function_value == pytest.approx(8.0, rel=1e-9)
    p = par.read()
    # the first push writes every recorded item: entry, row, column, cost, offset
    assert par.push(h, p) == 5
    assert par.push(h, p) == 0  # nothing changed, nothing written

    expected = [(1.0, 10.0, 8.75, 3), (1.0, 20.0, 18.75, 1), (6.0, 20.0, 20.0, 3)]
    for value_p, value_d, objective, written in expected:
        p[slot_p], p[slot_d] = value_p, value_d
        # p: the entry (cover, x), x's upper bound and x's cost; d: the row bound
        assert par.push(h, p) == written
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        assert h.getInfo().objective_function_value == pytest.approx(objective, rel=1e-9)
    live = _live(h)
    assert live["a"][0, x] == 6.0 and live["cost"][x] == 3.0 and live["row_lower"][0] == 20.0
    assert live["col_lower"][x] == 0.0 and live["col_upper"][x] == 0.0  # 3 - 6/2 = 0


def test_values_set_aligns_by_position_or_label_and_writes_only_changes(tmp_path):
    """``Values.set`` on the sweep test model's demand table: the same index is aligned by
    position, a reordered or shorter one by label (a missing entry is 0), an unchanged
    table writes nothing, a new key is refused."""
    data = mfa.validate(sweep_model(tmp_path))
    built = build_model(data, mutable=["demand"])
    values = built.values
    base = data.param("demand")  # A ore 2025: 40, A 2026: 40, B ore 2025: 80, B 2026: 90
    entries = values.entries("demand")
    assert [e.index() for e in entries] == list(base.index)
    assert [e.value for e in entries] == [40.0, 40.0, 80.0, 90.0]

    assert values.set("demand", base * 2).tolist() == [0, 1, 2, 3]
    assert [e.value for e in entries] == [80.0, 80.0, 160.0, 180.0]
    assert values.set("demand", base * 2).tolist() == []  # the same values: nothing written
    assert values.set("demand", base.where(base < 85, 0.0) * 2).tolist() == [3]  # B 2026

    shuffled = base.iloc[::-1].drop(("A", "ore", 2026)) * 3  # reordered, A 2026 left out
    assert values.set("demand", shuffled).tolist() == [0, 1, 2, 3]
    assert [e.value for e in entries] == [120.0, 0.0, 240.0, 270.0]
    np.testing.assert_array_equal(values.array("demand"), [120.0, 0.0, 240.0, 270.0])

    grown = base.copy()
    grown[("B", "ore", 2027)] = 5.0
    with pytest.raises(StructureChanged, match="table 'demand' gains entries"):
        values.set("demand", grown)


def test_warm_resolves_equal_a_cold_build_and_solve(tmp_path):
    """Monte Carlo draws, a draw with unmet demand (its bounds follow demand), a draw that
    changes one table only and the base again: each warm re-solve's objective equals a
    rebuild's (build, compile, cold solve) to 1e-9."""
    data = mfa.validate(sweep_model(tmp_path))
    params = data.config.uncertainty.parameters
    resolver = Resolver(data, {p.table for p in params.values()})
    samples = [apply_draw(data, monte_carlo(params, 3, i)) for i in range(3)]
    samples.append(apply_draw(data, {"demand_b": 3.0}))  # more than can be supplied
    samples.append(apply_draw(samples[-1], {"cost_a": 1.5}))  # variable cost only
    samples.append(data)
    for sample in samples:
        out = resolver.solve(sample)
        assert out.status == "optimal" and out.mode == "persistent"
        cold = rebuild_solve(sample)
        assert out.objective == pytest.approx(cold.objective, rel=1e-9)
        assert out.tables is not None and cold.tables is not None
        unmet = cold.tables["unmet"]["value"].sum()
        assert out.tables["unmet"]["value"].sum() == pytest.approx(unmet, rel=1e-9, abs=1e-9)
    assert cold.tables["unmet"]["value"].sum() == 0.0 and samples[3] is not data


def test_plain_bounds_within_a_domain_are_not_recorded():
    """A variable with plain-number bounds inside a domain (``Var.lower`` is then an
    expression, max(0.0, 0)) has no Param-dependent bound: only the Param-bounded one is
    recorded."""
    m = pyo.ConcreteModel()
    m.cap = pyo.Param(initialize=2.0, mutable=True)
    m.x = pyo.Var(domain=pyo.NonNegativeReals, bounds=(0.0, 5.0))
    m.y = pyo.Var(domain=pyo.NonNegativeReals, bounds=(0.0, m.cap))
    m.c = pyo.Constraint(expr=m.x + m.y >= 1.0)
    m.obj = pyo.Objective(expr=m.x + 2.0 * m.y)
    form = compile_lp(m)
    assert form.parametric is not None
    assert form.parametric.bound_columns.tolist() == [form.column_of[id(m.y)]]
