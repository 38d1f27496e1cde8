"""report.html opens in headless Chromium: rendered (not blank) and without console errors.

Chromium comes from Debian's ``chromium`` package (``make setup`` installs it when it is
missing and the set-up runs as root); without it the test is skipped and says why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mfa.report import write_report
from tests.report_model import solve_report_model

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH (make setup installs Debian's package as root)"
)


def _open(page: Path, shot: Path) -> str:
    """Load ``page`` offline in headless Chromium, screenshot it; return the browser log."""
    run = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,1600",
            f"--screenshot={shot}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.is_file(), run.stderr[-2000:]
    return run.stderr


def _console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


def test_console_errors_are_caught(tmp_path):
    """The check itself: a page with a script error is reported."""
    page = tmp_path / "bad.html"
    page.write_text("<html><body><p>x</p><script>notDefined();</script></body></html>")
    assert _console_errors(_open(page, tmp_path / "bad.png"))


def test_report_page_renders_alone_and_offline(tmp_path):
    results = solve_report_model(tmp_path / "model")
    out = write_report(results, tmp_path / "report", html=False, workers=1)
    alone = tmp_path / "alone" / "report.html"  # copied without its figures folder
    alone.parent.mkdir()
    shutil.copy(out["page"], alone)
    log = _open(alone, tmp_path / "shot.png")
    assert not _console_errors(log), _console_errors(log)
    pixels = np.asarray(Image.open(tmp_path / "shot.png").convert("L"), dtype=float)
    assert pixels.std() > 20  # text and figures, not a blank page
    assert (pixels < 128).mean() > 0.01
