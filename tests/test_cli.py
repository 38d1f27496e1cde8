"""The command line on the tiny example model."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mfa.cli import app

runner = CliRunner()


def test_validate_info_run_report_compare_frontier(root, tmp_path):
    model = str(root / "models/examples/tiny.yaml")
    ok = runner.invoke(app, ["validate", model, "-s", "reference"])
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output
    info = runner.invoke(app, ["info", model])
    assert info.exit_code == 0, info.output
    assert "high_demand" in info.output and "activity" in info.output

    out = tmp_path / "ref"
    ran = runner.invoke(app, ["run", model, "-s", "reference", "-o", str(out)])
    assert ran.exit_code == 0, ran.output
    assert json.loads((out / "summary.json").read_text())["objective"] == 199000.0
    again = runner.invoke(app, ["run", model, "-s", "reference", "-o", str(out)])
    assert again.exit_code == 1 and "--force" in again.output

    high = tmp_path / "high"
    assert runner.invoke(app, ["run", model, "-s", "high_demand", "-o", str(high)]).exit_code == 0
    rep = runner.invoke(app, ["report", str(out), "--no-html"])
    assert rep.exit_code == 0, rep.output
    assert (out / "results.xlsx").is_file() and (out / "summary.md").is_file()
    assert any((out / "figures").glob("*.png"))
    cmp_out = tmp_path / "cmp"
    cmp = runner.invoke(app, ["compare", str(out), str(high), "-o", str(cmp_out)])
    assert cmp.exit_code == 0, cmp.output
    assert (cmp_out / "comparison.csv").is_file()


def test_unknown_scenario_fails_cleanly(root, tmp_path):
    res = runner.invoke(
        app,
        ["run", str(root / "models/examples/tiny.yaml"), "-s", "nope", "-o", str(tmp_path / "x")],
    )
    assert res.exit_code == 1
    assert "unknown scenario 'nope'" in res.output
    assert not (tmp_path / "x").exists()
