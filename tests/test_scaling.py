"""Scaling of the LP handed to HiGHS (mfa.solve.objective_scale; mfa.model.stock.TAIL):
a badly scaled model solves with HiGHS' objective scaling and gives the hand-solved cost,
with flows and duals in the model's units (benchmarks/ALGORITHM.md, "Scaling")."""

from __future__ import annotations

import numpy as np
import pytest

import mfa
from mfa.model.stock import TAIL
from mfa.pipeline import build
from mfa.solve import objective_scale
from mfa.standard_form import compile_lp
from tests.modelkit import write_model


def _penalised_mine(folder):
    """Mine capacity 70 t at 0.001 USD/t against a demand of 100 t in 2025; a tonne not
    served costs 1e12 USD. Costs span 1e-3 to 1e12 (a ratio of 1e15, beyond the default
    model's 5.6e7).

    Hand solution: mine 70 t (0.07 USD), 30 t unserved (3e13 USD), total
    30,000,000,000,000.07 USD. The capacity row's shadow price is what one more tonne of
    capacity saves: 1e12 - 0.001 USD/t. HiGHS' scale: floor(log2(1e6 / 1e12)) = -20.
    """
    model = write_model(
        folder,
        {
            "regions": ["A,Alpha"],
            "commodities": ["ore,Li,mining,t,true,false,1,,"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": ["mine,A,2025,a1,70,t"],
            "variable_cost": ["mine,A,2025,0.001,USD/t"],
            "demand": ["A,ore,2025,100,t"],
        },
    )
    text = model.read_text().replace("unmet_penalty: 1.0e6}", "unmet_penalty: 1.0e12}")
    model.write_text(text)
    return model


def test_objective_scale_brings_the_largest_cost_below_a_million():
    """k = floor(log2(1e6 / max|c|)) when max|c| > 1e6, else 0 (HiGHS' own suggestion)."""
    assert objective_scale(np.array([8.86, -5.0e8])) == -9  # 5e8 / 2**9 = 976,562.5
    assert objective_scale(np.array([1.0e12, 1e-3])) == -20
    assert objective_scale(np.array([1.0e6, 3.0])) == 0
    assert objective_scale(np.array([1.0e6 + 1.0])) == -1
    assert objective_scale(np.zeros(0)) == 0


def test_badly_scaled_model_solves_to_the_hand_solved_cost(tmp_path):
    r = mfa.run(_penalised_mine(tmp_path))
    assert r.summary["solver"]["user_objective_scale"] == -20
    assert r.objective == pytest.approx(30_000_000_000_000.07, rel=1e-15)
    costs = r["costs"].set_index("component")["value"]
    assert costs["operating"] == pytest.approx(0.07, rel=1e-12)
    assert costs["unmet_penalty"] == pytest.approx(3e13, rel=1e-15)
    assert float(r["unmet"]["value"].sum()) == pytest.approx(30.0, rel=1e-12)
    assert float(r["activity"]["value"].sum()) == pytest.approx(70.0, rel=1e-12)
    # the shadow price in USD per tonne of capacity, not in HiGHS' scaled units (2**-20 USD)
    dual = r["duals_capacity_limit"]["value"]
    assert len(dual) == 1
    assert float(dual.iloc[0]) == pytest.approx(1e12 - 1e-3, rel=1e-12)


def test_model_file_option_overrides_the_scale(tmp_path):
    """`solver.options.user_objective_scale` in the model file wins over mfa's choice."""
    model = _penalised_mine(tmp_path)
    model.write_text(model.read_text() + "solver: {options: {user_objective_scale: -3}}\n")
    r = mfa.run(model)
    assert r.summary["solver"]["user_objective_scale"] == -3
    assert r.objective == pytest.approx(30_000_000_000_000.07, rel=1e-15)


def _stock_model(folder):
    """Cells (1 t Li each) live 4 years on average, normally distributed with a standard
    deviation of 0.5 year; 10 t demanded a year 2025-2034, at most 5 t of cells can be made
    in 2025 (5 t unserved). The lifetime's tails (shares of a cohort below 1e-6 at ages 0-1
    and 7-8) are left out of the unmet-demand terms; every balance still closes."""
    return write_model(
        folder,
        {
            "regions": ["A,Alpha"],
            "commodities": [
                "li,Li,refining,t,true,false,1,,",
                "cell,Li,product,t,false,false,1,,cell.eol",
                "cell.eol,Li,eol,t,true,false,1,,",
            ],
            "processes": ["refine,refining,t,Refining", "make,manufacturing,t,Cells"],
            "process_io": [
                "refine,li,out,,1,t/t",
                "make,li,in,,1,t/t",
                "make,cell,out,,1,t/t",
            ],
            "capacity": ["refine,A,2025,r,1000,t", "make,A,2025,m,5,t", "make,A,2026,m,1000,t"],
            "variable_cost": ["refine,A,2025,100,USD/t"],
            "demand": ["A,cell,2025,10,t"],
            "lifetimes": ["cell,A,normal,4,0.5,"],
        },
        years=(2025, 2034),
    )


def test_lifetime_tail_is_left_out_of_unmet_terms_and_balances_close(tmp_path):
    model = _stock_model(tmp_path)
    data = mfa.validate(model)
    built = build(data)
    form = compile_lp(built.model)
    lp = form.lp
    starts = np.asarray(lp.a_matrix_.start_)
    values = np.abs(np.asarray(lp.a_matrix_.value_))
    unmet = [j for j, v in enumerate(form.columns) if v.parent_component().name == "unmet"]
    entries = np.concatenate([values[starts[j] : starts[j + 1]] for j in unmet])
    (stock,) = built.state("stock")
    tail = stock.m_model[(stock.m_model > 0) & (stock.m_model < TAIL)]
    assert len(tail) > 0  # the distribution has a far tail inside the horizon
    assert entries.min() >= TAIL
    r = mfa.run(model)
    assert float(r["unmet"]["value"].sum()) == pytest.approx(5.0, rel=1e-9)
    assert r.summary["max_balance_residual"] < 1e-9
    # the eol table is the LP's arising: 10 t a year less the 5 t not made in 2025, of which
    # 68.27 % (ages 3.5-4.5, one standard deviation) would have retired in 2029
    eol = r["eol"].set_index("year")["value"]
    assert eol[2029] == pytest.approx(10.0 * (0.0013499 + 0.1573 + 0.6827) - 5.0 * 0.6827, rel=1e-3)
    expected = stock.m_model @ np.full(10, 10.0) - stock.m_unmet @ np.r_[5.0, np.zeros(9)]
    assert eol.to_numpy() == pytest.approx(expected, rel=1e-12, abs=1e-12)
