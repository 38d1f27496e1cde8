"""The compiler's record of Param-dependent numbers (mfa.standard_form.Parametric): after a
change of Param values, pushing into the live HiGHS object gives the LP a fresh compile gives."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression

import mfa
from mfa.model.build import build_model
from mfa.solve import new_highs
from mfa.standard_form import compile_lp
from mfa.sweep import apply_draw, monte_carlo
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
