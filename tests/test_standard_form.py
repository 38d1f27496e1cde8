"""mfa's LP compiler (mfa.standard_form) against hand-written matrices and Pyomo's own compiler."""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from mfa.solve import new_highs
from mfa.standard_form import compile_lp

EXAMPLE = Path(__file__).resolve().parents[1] / "models" / "examples" / "tiny.yaml"


def _dense(lp: highspy.HighsLp) -> np.ndarray:
    a = np.zeros((lp.num_row_, lp.num_col_))
    start, index, value = (
        np.asarray(x) for x in (lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_)
    )
    for j in range(lp.num_col_):
        for k in range(start[j], start[j + 1]):
            a[index[k], j] = value[k]
    return a


def _solve(lp: highspy.HighsLp) -> tuple[float, np.ndarray]:
    h = new_highs()
    h.passModel(lp)
    h.run()
    assert h.modelStatusToString(h.getModelStatus()) == "Optimal"
    return h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value)


def _model() -> pyo.ConcreteModel:
    """min 2x + 3y + z + 5   s.t.  x + y >= 4 (as LinearExpression with a constant 1),
    x - y <= 1 (generic sum), 1 <= y + z <= 10 (range), z fixed at 0.5; y <= 3."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeReals)
    m.y = pyo.Var(bounds=(0, 3))
    m.z = pyo.Var()
    m.unused = pyo.Var()
    m.z.fix(0.5)
    m.c1 = pyo.Constraint(expr=LinearExpression(args=[m.x, 1.0 * m.y, 1.0]) >= 5.0)
    m.c2 = pyo.Constraint(expr=m.x - m.y <= 1)
    m.c3 = pyo.Constraint(expr=pyo.inequality(1, m.y + m.z, 10))
    m.obj = pyo.Objective(
        expr=LinearExpression(linear_coefs=[2.0, 3.0, 1.0], linear_vars=[m.x, m.y, m.z]) + 5
    )
    return m


def test_matrix_bounds_and_cost_by_hand():
    form = compile_lp(_model())
    lp = form.lp
    assert [v.name for v in form.columns] == ["x", "y", "z"]  # Pyomo's order, unused left out
    assert [c.name for c in form.rows] == ["c1", "c2", "c3"]
    np.testing.assert_array_equal(_dense(lp), [[1, 1, 0], [1, -1, 0], [0, 1, 1]])
    # the constant 1 of c1 moves to its bound: x + y >= 4
    np.testing.assert_array_equal(lp.row_lower_, [4.0, -np.inf, 1.0])
    np.testing.assert_array_equal(lp.row_upper_, [np.inf, 1.0, 10.0])
    np.testing.assert_array_equal(lp.col_lower_, [0.0, 0.0, 0.5])
    np.testing.assert_array_equal(lp.col_upper_, [np.inf, 3.0, 0.5])
    np.testing.assert_array_equal(lp.col_cost_, [2.0, 3.0, 1.0])
    assert lp.offset_ == 5.0
    # optimum by hand: y as small as allowed with x - y <= 1 and x + y >= 4 -> x = 2.5, y = 1.5
    obj, x = _solve(lp)
    np.testing.assert_allclose(x, [2.5, 1.5, 0.5])
    assert obj == pytest.approx(2 * 2.5 + 3 * 1.5 + 0.5 + 5)


def test_duplicate_terms_are_summed_and_zeros_dropped():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeReals)
    m.y = pyo.Var(domain=pyo.NonNegativeReals)
    m.c = pyo.Constraint(
        expr=LinearExpression(linear_coefs=[1.0, 2.0, 0.0], linear_vars=[m.x, m.x, m.y]) >= 3
    )
    m.obj = pyo.Objective(expr=m.x + m.y, sense=pyo.maximize)
    m.cap = pyo.Constraint(expr=m.x + m.y <= 2)
    lp = compile_lp(m).lp
    np.testing.assert_array_equal(_dense(lp), [[3, 0], [1, 1]])
    assert np.asarray(lp.a_matrix_.value_).size == 3
    assert lp.sense_ == highspy.ObjSense.kMaximize
    assert _solve(lp)[0] == pytest.approx(2.0)


def test_same_objective_as_pyomos_compiler_on_the_example_model():
    from mfa.api import validate
    from mfa.model.build import build_model

    data = validate(EXAMPLE, None)
    m = build_model(data).model
    ours = compile_lp(m)
    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    assert ours.lp.num_row_ == info.A.shape[0] and ours.lp.num_col_ == info.A.shape[1]
    assert [id(v) for v in ours.columns] == [id(v) for v in info.columns]
    ref = info.A.tocsc()
    np.testing.assert_allclose(_dense(ours.lp), ref.toarray())


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["partnership_security", "net_zero", "circular"])
def test_identical_to_pyomos_compiler_on_the_default_model(scenario):
    """Same rows, same columns in the same order, same coefficients and bounds: the solver
    sees exactly the LP it would see through Pyomo's own compiler, so it takes the same path
    through a degenerate optimum."""
    from mfa.api import validate
    from mfa.model.build import build_model

    data = validate(EXAMPLE.parents[1] / "canada_korea.yaml", scenario)
    m = build_model(data).model
    ours = compile_lp(m)
    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    assert [id(v) for v in ours.columns] == [id(v) for v in info.columns]
    assert [id(c) for c in ours.rows] == [id(c) for c, _ in info.rows]
    lp = ours.lp
    a = sp.csc_matrix(
        (
            np.asarray(lp.a_matrix_.value_),
            np.asarray(lp.a_matrix_.index_),
            np.asarray(lp.a_matrix_.start_),
        ),
        shape=info.A.shape,
    )
    assert abs(a - info.A.tocsc()).max() == 0.0
    np.testing.assert_array_equal(np.asarray(lp.col_cost_), info.c.toarray().ravel())
    sense = np.array([s for _, s in info.rows])
    rhs = np.asarray(info.rhs, dtype=float)
    np.testing.assert_array_equal(np.asarray(lp.row_lower_)[sense != 1], rhs[sense != 1])
    np.testing.assert_array_equal(np.asarray(lp.row_upper_)[sense != -1], rhs[sense != -1])
