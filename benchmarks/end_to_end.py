"""End-to-end time of the default workflow: ``mfa run`` of the reference, then ``mfa report``.

Each command runs in its own process (as a user runs it), so the times include Python start-up
and imports. Run from the repository root::

    python -m benchmarks.end_to_end [--repeat 3]

Prints one row per step (median wall time, user+system CPU time of the child) and the number
of files the report writes.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODEL = "models/canada_korea.yaml"


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mfa = [str(Path(sys.executable).with_name("mfa"))]  # the console script beside python
    rows: dict[str, list[tuple[float, float]]] = {"mfa run": [], "mfa report": []}
    files = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "reference"
            rows["mfa run"].append(
                _timed([*mfa, "run", MODEL, "-s", "reference", "-o", str(out), "--force"])
            )
            rows["mfa report"].append(_timed([*mfa, "report", str(out)]))
            files = sum(1 for p in (out / "figures").iterdir()) + 3  # + page, workbook, summary
    print(f"{'step':<12} {'wall s (median)':>16} {'cpu s (median)':>15}")
    for step, runs in rows.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{step:<12} {wall:>16.1f} {cpu:>15.1f}")
    print(f"report files: {files} (figures/ plus report.html, results.xlsx, summary.md)")


if __name__ == "__main__":
    main()
