"""End-to-end time of the default workflow: ``mfa validate``, ``mfa run`` of the reference,
then ``mfa report``.

Each command runs in its own process (as a user runs it), so the times include Python start-up
and imports. ``mfa validate`` runs three ways each round: with the input cache off
(``MFA_CACHE=off``: every table read and checked, every unit converted with pint, as on a
first run), after a data edit (in a copy of the project, one number of ``demand.csv`` changed
before each round: the cache entry is then unusable and the edited table alone is read and
checked again, the other tables coming from the cache's table memo) and from the cache.
``mfa run`` reads its inputs from the cache. Run from the repository root::

    python -m benchmarks.end_to_end [--repeat 3] [--no-report]

Prints, as Markdown tables, one row per step (median wall time, user+system CPU time of the
child and of its worker processes), the phases of ``mfa run`` from its ``summary.json``
(``timings``, medians) with the ratios to HiGHS' solve time of the same run (the sum of the
phases: ``solve_ratio``; and the command's wall time), the load average over the rounds (on a
shared machine the wall time says little; the CPU time is the comparable number) and the
number of files the report writes. Results: benchmarks/END_TO_END.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODEL = "models/canada_korea.yaml"


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _copy_project(folder: Path) -> Path:
    """A copy of the model file and its data in ``folder`` (a project of its own); the model."""
    for part in ("models", "data"):
        shutil.copytree(part, folder / part)
    (folder / "pyproject.toml").write_text("")  # marks the copy's project folder
    return folder / MODEL


def _edit_one_number(model: Path, round_: int) -> None:
    """Change the first number of the first row of the copy's ``demand.csv``."""
    table = model.parent.parent / "data" / "demand.csv"
    header, first, rest = table.read_text(encoding="utf-8").split("\n", 2)
    first = re.sub(r",(\d+)\.(\d+),", lambda m: f",{m[1]}.{m[2]}{round_ + 1},", first, count=1)
    table.write_text("\n".join([header, first, rest]), encoding="utf-8")


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-report", action="store_true", help="Leave out mfa report")
    args = parser.parse_args()
    mfa = [sys.executable, "-m", "mfa"]  # this tree's code, whatever is installed
    steps = [
        "mfa validate (no cache)",
        "mfa validate (after a data edit)",
        "mfa validate (cached)",
        "mfa run",
    ]
    rows: dict[str, list[tuple[float, float]]] = {s: [] for s in steps}
    if not args.no_report:
        rows["mfa report"] = []
    phases: list[dict[str, float]] = []
    files = 0
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as cache:
        cached = {**os.environ, "MFA_CACHE_DIR": cache}
        uncached = {**os.environ, "MFA_CACHE": "off"}
        validate = [*mfa, "validate", MODEL, "-s", "reference"]
        _timed(validate, cached)  # fills the cache and the unit factors
        project = Path(tempfile.mkdtemp())
        copy = _copy_project(project)
        edited = [*mfa, "validate", str(copy), "-s", "reference"]
        _timed(edited, cached)
        for round_ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "reference"
                rows[steps[0]].append(_timed(validate, uncached))
                _edit_one_number(copy, round_)
                rows[steps[1]].append(_timed(edited, cached))
                rows[steps[2]].append(_timed(validate, cached))
                run = [*mfa, "run", MODEL, "-s", "reference", "-o", str(out), "--force"]
                wall, cpu = _timed(run, cached)
                rows["mfa run"].append((wall, cpu))
                summary = json.loads((out / "summary.json").read_text())
                timings = summary["timings"]
                ratio = summary.get("solve_ratio", sum(timings.values()) / timings["solve"])
                phases.append({**timings, "solve_ratio": ratio, "wall": wall})
                if not args.no_report:
                    rows["mfa report"].append(_timed([*mfa, "report", str(out)]))
                    files = sum(1 for p in (out / "figures").iterdir()) + 3  # + page, xlsx, md
            load.append(os.getloadavg()[0])
        shutil.rmtree(project)
    lines = [
        f"{args.repeat} rounds, load average (1 min) from {min(load):.1f} to {max(load):.1f} "
        f"on {os.cpu_count()} cores",
        "",
        "| step | wall s (median) | CPU s (median) |",
        "|---|---|---|",
    ]
    for step, runs in rows.items():
        wall, cpu = _median([w for w, _ in runs]), _median([c for _, c in runs])
        lines.append(f"| {step} | {wall} | {cpu} |")
    names = [n for n in phases[0] if n not in ("solve_ratio", "wall")]
    lines += ["", "`mfa run`, phases from `summary.json` (median s):", ""]
    lines += ["| " + " | ".join([*names, "sum"]) + " |", "|" + "---|" * (len(names) + 1)]
    sums = [sum(p[n] for n in names) for p in phases]
    lines.append(
        "| " + " | ".join([*(_median([p[n] for p in phases]) for n in names), _median(sums)]) + " |"
    )
    ratio = statistics.median(p["solve_ratio"] for p in phases)
    wall_ratio = statistics.median(p["wall"] / p["solve"] for p in phases)
    lines += [
        "",
        f"`mfa run` phases / HiGHS solve (`solve_ratio`): {ratio:.1f}x; "
        f"wall / HiGHS solve: {wall_ratio:.1f}x (medians of the rounds)",
    ]
    if not args.no_report:
        lines.append(f"report files: {files} (figures/ plus report.html, results.xlsx, summary.md)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
