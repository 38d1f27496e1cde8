"""``mfa run`` records the seconds of each phase of the command in summary.json."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mfa.cli import app
from tests.modelkit import write_one_mine_model

PHASES = ["import", "load", "validate", "build", "handover", "solve", "extract", "derived", "write"]


def test_run_records_every_phase_and_reads_unchanged_inputs_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MFA_CACHE_DIR", str(tmp_path / "cache"))
    model = write_one_mine_model(tmp_path / "project")
    timings = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        start = time.perf_counter()
        result = CliRunner().invoke(app, ["run", str(model), "-o", str(out)])
        wall = time.perf_counter() - start
        assert result.exit_code == 0, result.output
        summary = json.loads((out / "summary.json").read_text())
        assert summary["objective"] == pytest.approx(400.0)  # 40 t at 10 USD/t
        t = summary["timings"]
        assert list(t) == PHASES
        assert all(v >= 0.0 for v in t.values())
        assert t["solve"] == summary["solve_s"] and t["build"] == summary["build_s"]
        assert sum(v for k, v in t.items() if k != "import") <= wall  # all within the command
        timings.append(t)
    assert timings[0]["validate"] > 0.0  # the tables were read and checked
    assert timings[1]["validate"] == 0.0  # unchanged: from the cache
