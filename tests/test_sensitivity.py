"""Sobol indices and Morris screening on a model whose indices are known analytically."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mfa
from mfa.config import UncertainParameter
from mfa.errors import MfaError
from mfa.sensitivity import analyse, design, problem_of, quantile_value
from tests.modelkit import write_model

UNCERTAINTY = """uncertainty:
  seed: 7
  parameters:
    cost_A:
      table: variable_cost
      where: {region: A}
      distribution: uniform
      low: 0.5
      high: 1.5
    cost_B:
      table: variable_cost
      where: {region: B}
      distribution: uniform
      low: 0.8
      high: 1.2
"""


def _two_regions(folder, extra: str = UNCERTAINTY):
    """Region A mines 100 t at 10 USD/t, region B 100 t at 20 USD/t, each for its own
    demand (no trade). With factors f_A ~ U(0.5, 1.5) and f_B ~ U(0.8, 1.2) on the costs,
    the cost is Y = 1000 f_A + 2000 f_B (discount rate 0, one year), so

    * Var(1000 f_A) = 1000^2 / 12, Var(2000 f_B) = 2000^2 * 0.4^2 / 12 = 0.64 * 1000^2 / 12;
      additive, so S1 = ST: A 1 / 1.64 = 0.6098, B 0.64 / 1.64 = 0.3902;
    * Morris on the quantiles u (f_A = 0.5 + u_A, f_B = 0.8 + 0.4 u_B): every elementary
      effect is the slope, mu* = mu = 1000 for A and 2000 * 0.4 = 800 for B, sigma = 0.
    """
    return write_model(
        folder,
        {
            "regions": ["A,Alpha", "B,Beta"],
            "commodities": ["ore,Li,mining,t,true,false,1,,"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": ["mine,A,2025,a1,1000,t", "mine,B,2025,b1,1000,t"],
            "variable_cost": ["mine,A,2025,10,USD/t", "mine,B,2025,20,USD/t"],
            "demand": ["A,ore,2025,100,t", "B,ore,2025,100,t"],
        },
        extra_yaml=extra,
    )


EXACT_S = {"cost_A": 1 / 1.64, "cost_B": 0.64 / 1.64}


def _linear_cost(unit: np.ndarray) -> np.ndarray:
    """Y = 1000 f_A + 2000 f_B at the design's quantiles (f_A ~ U(0.5, 1.5), f_B ~ U(0.8, 1.2))."""
    return 1000 * (0.5 + unit[:, 0]) + 2000 * (0.8 + 0.4 * unit[:, 1])


def test_sobol_estimates_converge_to_the_analytic_indices():
    """The estimator itself, on the analytic cost at 4096 base samples (no solves)."""
    problem = problem_of(["cost_A", "cost_B"])
    unit = design("sobol", problem, 4096, seed=7, levels=4)
    table = analyse("sobol", problem, unit, _linear_cost(unit), seed=7).set_index("parameter")
    for p, value in EXACT_S.items():
        assert table.at[p, "S1"] == pytest.approx(value, abs=0.01), p
        assert table.at[p, "ST"] == pytest.approx(value, abs=0.01), p
        assert abs(table.at[p, "S1"] - value) <= table.at[p, "S1_conf"], p
        assert abs(table.at[p, "ST"] - value) <= table.at[p, "ST_conf"], p


def test_sobol_indices_of_a_linear_cost(tmp_path):
    """The solved costs are the analytic ones, so the indices are those of the analytic cost
    on the same design (the estimator's accuracy is the test above)."""
    model = _two_regions(tmp_path / "m")
    out = tmp_path / "sobol"
    res = mfa.sensitivity(
        model, method="sobol", samples=16, outputs=["objective"], workers=0, out=out
    )
    assert len(res.samples) == 16 * 4
    s = res.samples
    assert s["objective"].to_numpy() == pytest.approx(
        (1000 * s["param.cost_A"] + 2000 * s["param.cost_B"]).to_numpy(), rel=1e-9
    )
    unit = pd.read_parquet(out / "design.parquet").to_numpy()
    problem = problem_of(["cost_A", "cost_B"])
    analytic = analyse("sobol", problem, unit, _linear_cost(unit), seed=7)
    assert res.indices["S1"].to_numpy() == pytest.approx(analytic["S1"].to_numpy(), abs=1e-6)
    assert res.indices["ST"].to_numpy() == pytest.approx(analytic["ST"].to_numpy(), abs=1e-6)
    idx = res.indices.set_index("parameter")
    assert idx.at["cost_A", "S1"] > idx.at["cost_B", "S1"]
    conv = res.convergence
    assert sorted(conv["n"].unique()) == [4, 8, 16]
    final = conv[(conv["n"] == 16) & (conv["index"] == "S1")].set_index("parameter")["value"]
    assert final.to_dict() == pytest.approx(idx["S1"].to_dict())
    for name in ("indices.csv", "convergence.csv", "samples.parquet", "sensitivity.json"):
        assert (out / name).is_file(), name
    assert (out / "figures" / "indices_objective.png").is_file()
    assert (out / "figures" / "convergence_objective.png").is_file()


def test_morris_effects_of_a_linear_cost(tmp_path):
    model = _two_regions(tmp_path / "m")
    res = mfa.sensitivity(
        model, method="morris", samples=6, outputs=["objective"], workers=0, out=tmp_path / "mo"
    )
    assert len(res.samples) == 6 * 3
    idx = res.indices.set_index("parameter")
    assert idx.at["cost_A", "mu_star"] == pytest.approx(1000.0, rel=1e-9)
    assert idx.at["cost_B", "mu_star"] == pytest.approx(800.0, rel=1e-9)
    assert idx.at["cost_A", "mu"] == pytest.approx(1000.0, rel=1e-9)
    assert idx.at["cost_B", "sigma"] == pytest.approx(0.0, abs=1e-6)


def test_quantiles_map_to_the_distributions():
    tri = UncertainParameter(table="demand", distribution="triangular", low=0.8, mode=1.0, high=1.5)
    # triangular CDF at the mode is (mode - low) / (high - low) = 0.2 / 0.7
    assert quantile_value(tri, 0.2 / 0.7) == pytest.approx(1.0, rel=1e-12)
    assert quantile_value(tri, 0.0) == pytest.approx(0.8)
    normal = UncertainParameter(
        table="demand", distribution="normal", mean=1.0, std=0.15, low=0.6, high=1.4
    )
    assert quantile_value(normal, 0.5) == pytest.approx(1.0)
    assert quantile_value(normal, 1.0) == pytest.approx(1.4)  # tail clipped at high
    assert quantile_value(normal, 0.0) == pytest.approx(0.6)
    choice = UncertainParameter(
        table="demand",
        distribution="choice",
        files={"steps": "a.csv", "aps": "b.csv"},
        weights={"steps": 0.67, "aps": 0.33},
    )
    assert quantile_value(choice, 0.5) == "steps"
    assert quantile_value(choice, 0.9) == "aps"


def test_sobol_needs_a_power_of_two(tmp_path):
    model = _two_regions(tmp_path / "m")
    with pytest.raises(MfaError, match="power of two"):
        mfa.sensitivity(model, method="sobol", samples=100, workers=0, out=tmp_path / "x")


def test_unknown_output_is_named(tmp_path):
    model = _two_regions(tmp_path / "m")
    with pytest.raises(MfaError, match=r"unknown output\(s\) \['emission'\]"):
        mfa.sensitivity(
            model, method="morris", samples=2, outputs=["emission"], workers=0, out=tmp_path / "x"
        )


def test_indices_table_has_one_row_per_output_and_parameter(tmp_path):
    model = _two_regions(tmp_path / "m")
    res = mfa.sensitivity(
        model,
        method="morris",
        samples=2,
        outputs=["objective", "total_cost_undiscounted"],
        workers=0,
        out=tmp_path / "y",
    )
    assert isinstance(res.indices, pd.DataFrame)
    assert len(res.indices) == 4
    # no discounting: the two outputs agree
    a = res.indices[res.indices["output"] == "objective"]["mu_star"].to_numpy()
    b = res.indices[res.indices["output"] == "total_cost_undiscounted"]["mu_star"].to_numpy()
    assert a == pytest.approx(b, rel=1e-9)


def test_command_line_prints_the_morris_table(tmp_path):
    from typer.testing import CliRunner

    from mfa.cli import app

    model = _two_regions(tmp_path / "m")
    out = tmp_path / "cli"
    args = ["sensitivity", str(model), "--method", "morris", "-n", "2", "-w", "0"]
    ran = CliRunner().invoke(app, [*args, "--output", "objective", "-o", str(out)])
    assert ran.exit_code == 0, ran.output
    assert "cost_A" in ran.output and "1000" in ran.output
    assert (out / "indices.csv").is_file()
