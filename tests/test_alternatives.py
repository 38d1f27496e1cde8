"""Near-optimal alternatives on a model whose near-optimal space is solved by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import mfa
from mfa.errors import ConfigError, MfaError
from tests.modelkit import write_model

ALTERNATIVES = """alternatives:
  slacks: [0.05, 0.2]
  random_directions: 3
  aggregates:
    mine_B: {quantity: production, region: B}
    mine_A: {quantity: production, region: A, element: Li}
    imports_K_from_B: {quantity: imports, region: K, origin: B}
    emissions: {quantity: emissions}
"""


def _two_mines(folder, extra: str = ALTERNATIVES):
    """Mine A costs 100 USD/t and emits 3 tCO2e/t; mine B costs 150 USD/t and emits 1;
    both ship to K for free, K needs 1000 t; unused ore may be left (excess, free).

    Optimum: 1000 t from A, C* = 100,000 USD, 3,000 tCO2e. At slack s the cost may reach
    (1 + s) C*:

    * most from B: 100 (1000 - b) + 150 b <= (1 + s) 1e5  ->  b <= 2000 s
      (100 t at 5 %, 400 t at 20 %), and A then mines 1000 - 2000 s (900, 600 t);
    * most from A: the optimum leaves no ore unused, and no alternative may leave more
      (``hold_excess``), so A mines at most K's 1000 t;
    * emissions 3 a + b: least at a = 1000 - 2000 s, b = 2000 s: 3000 - 4000 s
      (2800, 2200 t); most at a = 1000: 3000.

    With ``hold_excess: false`` A may mine more than K needs and leave the rest:
    100 a <= (1 + s) 1e5  ->  a <= 1000 (1 + s) (1050, 1200 t), emissions 3000 (1 + s).
    """
    return write_model(
        folder,
        {
            "regions": ["A,Alpha", "B,Beta", "K,Kappa"],
            "commodities": ["ore,Li,mining,t,true,false,1,,"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": ["mine,A,2025,a1,2000,t", "mine,B,2025,b1,2000,t"],
            "variable_cost": ["mine,A,2025,100,USD/t", "mine,B,2025,150,USD/t"],
            "demand": ["K,ore,2025,1000,t"],
            "trade_routes": ["A,K,1000,sea", "B,K,1000,sea"],
            "emission_factor": ["mine,A,3,tCO2e/t", "mine,B,1,tCO2e/t"],
        },
        extra_yaml=extra,
    )


HAND = {
    # aggregate: {slack: (min, max)}
    "mine_B": {0.05: (0.0, 100.0), 0.2: (0.0, 400.0)},
    "mine_A": {0.05: (900.0, 1000.0), 0.2: (600.0, 1000.0)},
    "imports_K_from_B": {0.05: (0.0, 100.0), 0.2: (0.0, 400.0)},
    "emissions": {0.05: (2800.0, 3000.0), 0.2: (2200.0, 3000.0)},
}
OPTIMUM = {"mine_B": 0.0, "mine_A": 1000.0, "imports_K_from_B": 0.0, "emissions": 3000.0}


def _check_ranges(ranges, hand=HAND):
    assert len(ranges) == 8
    for row in ranges.itertuples():
        low, high = hand[row.aggregate][row.slack]
        assert row.min == pytest.approx(low, rel=1e-7, abs=1e-6), (row.aggregate, row.slack)
        assert row.max == pytest.approx(high, rel=1e-7, abs=1e-6), (row.aggregate, row.slack)
        assert row.optimum == pytest.approx(OPTIMUM[row.aggregate], abs=1e-9)


def test_ranges_are_the_hand_solved_ones(tmp_path):
    model = _two_mines(tmp_path / "m")
    out = tmp_path / "alt"
    result = mfa.alternatives(model, workers=0, out=out)
    assert result.optimum == pytest.approx(100_000.0, rel=1e-12)
    _check_ranges(result.ranges)
    units = dict(zip(result.ranges["aggregate"], result.ranges["unit"], strict=True))
    assert units == {"mine_B": "t", "mine_A": "t", "imports_K_from_B": "t", "emissions": "tCO2e"}
    points = result.points
    # 1 optimum + 8 min/max directions at 2 slacks + 3 random directions at 2 slacks
    assert len(points) == 1 + 8 * 2 + 3 * 2
    assert (points["status"] == "optimal").all()
    moved = points[points["kind"] != "optimum"]
    # every point costs at most (1 + slack) C*
    assert (moved["cost"] <= 100_000.0 * (1 + moved["slack"]) * (1 + 1e-8)).all()
    # the points are written as results that load and reconcile
    row = points[(points["kind"] == "max") & (points["target"] == "mine_B")].iloc[-1]
    saved = mfa.Results.load(out / row["solution"])
    assert saved.objective == pytest.approx(120_000.0, rel=1e-7)
    mined = saved["activity"].set_index("region")["value"]
    assert mined["B"] == pytest.approx(400.0, rel=1e-7)
    assert saved["prices"].empty
    for name in ("ranges.csv", "points.csv", "summary.json", "figures/ranges.png"):
        assert (out / name).is_file(), name
    assert (out / "figures" / "projections.pdf").is_file()


@pytest.mark.slow
def test_dask_workers_give_the_serial_ranges(tmp_path):
    model = _two_mines(tmp_path / "m")
    result = mfa.alternatives(model, workers=2, save_solutions=False, figures=False)
    _check_ranges(result.ranges)
    assert result.folder is None


def test_without_hold_excess_unused_ore_widens_the_range(tmp_path):
    model = _two_mines(
        tmp_path / "m", ALTERNATIVES.replace("  slacks:", "  hold_excess: false\n  slacks:")
    )
    result = mfa.alternatives(model, random_directions=0, workers=0)
    dumped = {
        **HAND,
        "mine_A": {0.05: (900.0, 1050.0), 0.2: (600.0, 1200.0)},
        "emissions": {0.05: (2800.0, 3150.0), 0.2: (2200.0, 3600.0)},
    }
    _check_ranges(result.ranges, dumped)


def test_slack_argument_overrides_the_file(tmp_path):
    """At a 10 % slack B may supply 2000 * 0.1 = 200 t."""
    model = _two_mines(tmp_path / "m")
    result = mfa.alternatives(model, slacks=[0.1], random_directions=0, workers=0)
    row = result.ranges.set_index("aggregate").loc["mine_B"]
    assert row["max"] == pytest.approx(200.0, rel=1e-7)
    assert set(result.points["kind"]) == {"optimum", "min", "max"}


def test_unknown_name_in_an_aggregate_is_named(tmp_path):
    model = _two_mines(
        tmp_path / "m",
        "alternatives:\n  aggregates:\n    x: {quantity: imports, region: KR}\n",
    )
    with pytest.raises(ConfigError) as err:
        mfa.alternatives(model, workers=0)
    text = str(err.value)
    assert "alternatives.aggregates.x.region" in text and "'KR'" in text


def test_filter_that_does_not_apply_is_a_config_error(tmp_path):
    model = _two_mines(
        tmp_path / "m",
        "alternatives:\n  aggregates:\n    x: {quantity: emissions, origin: A}\n",
    )
    with pytest.raises(ConfigError, match="do not apply to quantity 'emissions'"):
        mfa.load_model(model)


def test_model_without_aggregates_says_so(tmp_path):
    model = _two_mines(tmp_path / "m", "")
    with pytest.raises(MfaError, match="no 'alternatives: aggregates:'"):
        mfa.alternatives(model, workers=0)


def test_command_line_writes_the_ranges_and_a_reportable_point(tmp_path):
    from typer.testing import CliRunner

    from mfa.cli import app

    runner = CliRunner()
    model = _two_mines(tmp_path / "m")
    out = tmp_path / "cli"
    args = ["alternatives", str(model), "--slack", "0.1", "-w", "0", "--directions", "0"]
    ran = runner.invoke(app, [*args, "-o", str(out)])
    assert ran.exit_code == 0, ran.output
    ranges = pd.read_csv(out / "ranges.csv").set_index("aggregate")
    assert ranges.at["mine_B", "max"] == pytest.approx(200.0, rel=1e-7)  # 2000 * 0.1
    again = runner.invoke(app, [*args, "-o", str(out)])
    assert again.exit_code == 1 and "--force" in again.output
    point = sorted((out / "solutions").iterdir())[-1]
    rep = runner.invoke(app, ["report", str(point), "--no-html"])
    assert rep.exit_code == 0, rep.output
    assert (point / "summary.md").is_file()
