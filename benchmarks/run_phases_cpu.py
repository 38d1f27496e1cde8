"""CPU seconds of each phase of ``mfa run -s reference``, each round in a fresh process.

On a shared machine a phase's wall time (``summary.json`` ``timings``) grows with the other
jobs; its CPU time (``time.process_time``: this process and its threads, HiGHS included) much
less. This runs the phases of ``mfa run`` one by one (inputs from the cache, as a re-run
does) and prints the median CPU seconds of each, their sum and the sum over the solve.
``derived`` runs as in ``mfa run``, the origin attribution in a forked child when a core is
free (:func:`mfa.forked.spare_core`): ``derived`` is this process's CPU, ``child`` the
child's (0 when no core was free; both count in the sum).
Run from the repository root::

    python -m benchmarks.run_phases_cpu [--repeat 3]

Results: benchmarks/END_TO_END.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

MODEL = "models/canada_korea.yaml"
PHASES = (
    "import",
    "validate",
    "build",
    "handover",
    "solve",
    "extract",
    "derived",
    "child",
    "write",
)

_ROUND = """
import json, tempfile, time
from pathlib import Path
cpu = {}
def phase(name, f, *args, **kwargs):
    start = time.process_time()
    out = f(*args, **kwargs)
    cpu[name] = cpu.get(name, 0.0) + time.process_time() - start
    return out
import mfa.cli
from mfa.inputs.cache import validated
cpu["import"] = time.process_time()  # start-up and the command line's imports
data = phase("validate", validated, MODEL, "reference")
start = time.process_time()
from mfa import pipeline
from mfa.results import Results, check, derived_tables, extract
cpu["import"] += time.process_time() - start
built = phase("build", pipeline.build, data)
compiled = phase("handover", pipeline.compile_model, built)
sol = phase("solve", pipeline.solve, compiled)
tables = phase("extract", extract, built, sol, derived=False)
import resource
def children():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
before = children()
tables.update(phase("derived", derived_tables, built, tables, fork=True))
cpu["child"] = children() - before
phase("extract", check, tables, sol.objective, built.index.discount)
with tempfile.TemporaryDirectory() as tmp:
    phase("write", Results(tables, {"timings": {}}).save, Path(tmp) / "reference")
print(json.dumps(cpu))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    code = f"MODEL = {MODEL!r}\n{_ROUND}"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # the cache
    rounds, load = [], [os.getloadavg()[0]]
    for _ in range(args.repeat):
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        rounds.append(json.loads(done.stdout.decode().splitlines()[-1]))
        load.append(os.getloadavg()[0])
    median = {p: statistics.median(r[p] for r in rounds) for p in PHASES}
    total = statistics.median(sum(r[p] for p in PHASES) for r in rounds)
    ratio = statistics.median(sum(r[p] for p in PHASES) / r["solve"] for r in rounds)
    print(
        f"{args.repeat} rounds, load average (1 min) from {min(load):.1f} to {max(load):.1f} "
        f"on {os.cpu_count()} cores; CPU s (median)\n"
    )
    print("| " + " | ".join([*PHASES, "sum", "sum / solve"]) + " |")
    print("|" + "---|" * (len(PHASES) + 2))
    print(
        "| "
        + " | ".join([*(f"{median[p]:.2f}" for p in PHASES), f"{total:.2f}", f"{ratio:.1f}x"])
        + " |"
    )


if __name__ == "__main__":
    main()
