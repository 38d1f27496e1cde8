"""Fuzzing the inputs: random corruptions of the tiny example's model file and tables.

Every corrupted model goes through ``mfa validate`` and ``mfa run`` (and ``mfa report``
when the run succeeds). Whatever the corruption, each command either succeeds with
balances that close and only finite numbers in its results, or exits with a documented
code and a problem naming a file; never with a traceback or an internal error.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mfa import cli
from mfa.cli import app
from tests.bad_inputs.cases import Case, materialise

runner = CliRunner()

TABLES = (
    "capacity",
    "demand",
    "variable_cost",
    "process_io",
    "commodities",
    "processes",
    "trade_cost",
    "trade_routes",
    "build_limit",
    "investment_cost",
    "process_lifetime",
    "regions",
)
CELLS = (
    "",
    "x",
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "1e309",
    "1e306",
    "1e20",
    "1e-300",
    "2025.5",
    "=1+1",
    "@SUM(A1)",
    "t/0",
    "t**0",
    "kt",
    "TWh",
    "USD/kg",
    "*",
    "KR",
    "CA",
    "[red]x",
    "100:x:",
    "<b>x</b>",
    "é",
    '"',
    ";",
)
YAML_EDITS = (
    ("unmet_penalty: 1.0e6", "unmet_penalty: .inf"),
    ("unmet_penalty: 1.0e6", "unmet_penalty: 0"),
    ("discount_rate: 0.0", "discount_rate: 0.3"),
    ("discount_rate: 0.0", "discount_rate: -.nan"),
    ("end: 2026", "end: 2030"),
    ("end: 2026", "end: 2024"),
    ("scale: 1.5", "scale: 1.0e12"),
    ("scale: 1.5", "scale: 0"),
    ("data: tiny", "data: ../../"),
    ("data: tiny", "data: tiny/../tiny"),
    ("constraints: {trade: false}", "constraints: {trade: no}"),
    ("name: tiny", "name: '=cmd|x'"),
)

corruption = st.one_of(
    st.tuples(
        st.just("cell"),
        st.sampled_from(TABLES),
        st.integers(0, 12),
        st.integers(0, 9),
        st.sampled_from(CELLS),
    ),
    st.tuples(
        st.just("header"), st.sampled_from(TABLES), st.integers(0, 9), st.sampled_from(CELLS)
    ),
    st.tuples(st.just("drop_line"), st.sampled_from(TABLES), st.integers(0, 6)),
    st.tuples(st.just("duplicate_line"), st.sampled_from(TABLES), st.integers(1, 6)),
    st.tuples(st.just("latin1"), st.sampled_from(TABLES)),
    st.tuples(st.just("semicolons"), st.sampled_from(TABLES)),
    st.tuples(st.just("yaml"), st.sampled_from(YAML_EDITS)),
)


def _corrupt(models: Path, how: tuple) -> None:
    kind, *args = how
    if kind == "yaml":
        path = models / "tiny.yaml"
        old, new = args[0]
        path.write_text(path.read_text().replace(old, new))
        return
    path = models / "tiny" / f"{args[0]}.csv"
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    if kind == "cell":
        row, col, text = args[1] % len(lines), args[2], args[3]
        cells = lines[row].split(",")
        cells[col % len(cells)] = text
        lines[row] = ",".join(cells)
    elif kind == "header":
        cells = lines[0].split(",")
        cells[args[1] % len(cells)] = args[2]
        lines[0] = ",".join(cells)
    elif kind == "drop_line":
        del lines[args[1] % len(lines)]
    elif kind == "duplicate_line":
        k = args[1] % len(lines)
        lines.insert(k, lines[k])
    elif kind == "latin1":
        path.write_bytes(("\n".join(lines) + "\nnote é\n").encode("latin-1"))
        return
    elif kind == "semicolons":
        lines = [line.replace(",", ";") for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _finite(value: object) -> bool:
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


def _assert_handled(result, folder: Path) -> None:
    """Exit 0, or a documented code with a message that names a file; no traceback."""
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, cli.EXIT_INPUT, cli.EXIT_NO_OPTIMUM), result.output
    if result.exit_code == cli.EXIT_INPUT:
        assert "tiny" in result.output or str(folder) in result.output, result.output


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(hows=st.lists(corruption, min_size=1, max_size=2))
def test_every_corruption_is_handled(tmp_path_factory, hows):
    folder = tmp_path_factory.mktemp("fuzz")
    model = materialise(Case("fuzz", (), "", "", None, None), folder)
    for how in hows:
        _corrupt(model.parent, how)
    _assert_handled(runner.invoke(app, ["validate", str(model)]), folder)
    out = folder / "out"
    result = runner.invoke(app, ["run", str(model), "-o", str(out)])
    _assert_handled(result, folder)
    if result.exit_code != 0:
        assert not out.exists()
        return
    summary = json.loads(
        (out / "summary.json").read_text(),
        parse_constant=lambda c: pytest.fail(f"{c} in summary.json"),
    )
    assert _finite(summary)
    assert summary["max_balance_residual"] <= 1e-6
    for table in (out / "tables").glob("*.parquet"):
        frame = pd.read_parquet(table)
        if "value" in frame and pd.api.types.is_numeric_dtype(frame["value"]):
            assert frame["value"].map(math.isfinite).all(), table.name
    _assert_handled(runner.invoke(app, ["report", str(out)]), folder)
