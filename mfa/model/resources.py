r"""Resource family: cumulative extraction within reserves.

.. math:: \sum_{t} x_{prt} \le R_{pr}

for every mining process :math:`p` and region :math:`r` with a ``reserves`` row
(activity in tonnes of contained element).
"""

from __future__ import annotations

from mfa.model.built import BuiltModel, Family, Row


def add(built: BuiltModel) -> None:
    """Add one cumulative-extraction row per (process, region) with reserves."""
    index = built.index
    values = built.values
    keys = [k for k in values.floats("reserves") if k in index.processes_in]
    rows = [
        [(1.0, built.column("activity", (p, r, t))) for t in index.processes_in[(p, r)]]
        for p, r in keys
    ]
    rhs = values.get_many("reserves", keys)
    built.add_rows_from_pairs("reserves_limit", keys, "<=", rhs, rows)


FAMILY = Family(
    name="resources",
    add=add,
    switch="resources",
    rows=(Row("reserves_limit", ("process", "region"), "USD/t", "<=", physical=True),),
    parameters=frozenset({"reserves"}),
)
