"""Count the assumption rows of the dataset, per table and in total.

Run from the repository root::

    .venv/bin/python data/scripts/assumption_share.py

Convention (data/README.md): every row's ``source`` is an id of ``sources.csv`` or
``assumption``. A row counts as an assumption when its source is ``assumption``. Rows
whose number was derived by a stated rule from a sourced figure (for example supplier
availability, rule R1) name that figure's source and count as sourced. ``sources.csv``
itself is not a data table; ``observed.csv`` and ``observed_share.csv`` are observations,
not model inputs, and are listed apart.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
OBSERVATIONS = {"observed.csv", "observed_share.csv"}


def count(folder: Path = DATA) -> dict[str, tuple[int, int]]:
    """``{table: (assumption rows, all rows)}`` for every CSV under ``folder``."""
    out = {}
    for path in sorted(folder.rglob("*.csv")):
        if path.name == "sources.csv":
            continue
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assumed = sum(1 for row in rows if row.get("source", "").strip() == "assumption")
        out[path.relative_to(folder).as_posix()] = (assumed, len(rows))
    return out


def share(counts: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """Assumption rows and all rows of the model's input tables (observations left out)."""
    inputs = [v for k, v in counts.items() if Path(k).name not in OBSERVATIONS]
    return sum(a for a, _ in inputs), sum(n for _, n in inputs)


def main() -> int:
    counts = count()
    width = max(len(k) for k in counts)
    for name, (assumed, rows) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:<{width}}  {assumed:5d} / {rows:5d}  {assumed / max(rows, 1):6.1%}")
    assumed, rows = share(counts)
    print(f"{'model inputs':<{width}}  {assumed:5d} / {rows:5d}  {assumed / rows:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
