"""``mfa run`` records the seconds of each phase of the command in summary.json."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mfa.cli import app, main
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
        assert summary["solve_ratio"] == pytest.approx(sum(t.values()) / t["solve"])
        timings.append(t)
    assert timings[0]["validate"] > 0.0  # the tables were read and checked
    assert timings[1]["validate"] == 0.0  # unchanged: from the cache


_AGE = "from mfa.cli import _since_process_start; print(_since_process_start())"


def test_the_import_phase_is_the_age_of_the_process() -> None:
    """The import phase counts from the process's start: never more than the time since the
    command was started, measured from outside (psutil's start time, which Linux gives
    from a boot time in whole seconds, could be a second off)."""
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _AGE], capture_output=True, text=True)
        outside = time.perf_counter() - start
        age = float(done.stdout)
        assert 0.0 < age <= outside + 0.011  # the start is known to a clock tick (10 ms)


def test_the_command_line_leaves_its_objects_to_the_operating_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No last collection at exit: the objects alive when a command ends are frozen."""
    monkeypatch.setenv("MFA_CACHE_DIR", str(tmp_path / "cache"))
    model = write_one_mine_model(tmp_path / "project")
    monkeypatch.setattr(sys, "argv", ["mfa", "validate", str(model)])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as done:
            main()
        assert done.value.code == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
