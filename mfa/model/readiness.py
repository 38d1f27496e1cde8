r"""Readiness family: installed capacity of an immature technology within a ceiling.

A technology that is still at pilot scale (direct recycling) cannot grow as fast as the
build limit alone would let it: its installed capacity stays within a ceiling
:math:`\bar K_{prt}` that rises as the technology matures (``max_capacity``; no row, no
ceiling):

.. math:: K_{prt} + \sum_{\tau \le t,\ t - \tau < L_p} n_{pr\tau} \le \max(\bar K_{prt}, K_{prt})

Existing capacity :math:`K_{prt}` above the ceiling is kept; only new building is held.
"""

from __future__ import annotations

from mfa.model.built import BuiltModel, Family, Row
from mfa.model.capacity import alive_new_capacity


def add(built: BuiltModel) -> None:
    """Add a capacity ceiling per process, region and year that has one and new capacity."""
    values = built.values
    ceiling = values.floats("max_capacity")
    if not ceiling:
        return
    alive = alive_new_capacity(built)
    keys = sorted(k for k in ceiling if alive.get(k))
    rows = [[(1.0, n) for n in alive[k]] for k in keys]
    rhs = [max(ceiling[k] - values.get("capacity", k), 0.0) for k in keys]
    built.add_rows_from_pairs("capacity_ceiling", keys, "<=", rhs, rows)


FAMILY = Family(
    name="readiness",
    add=add,
    switch="capacity",
    rows=(
        Row(
            "capacity_ceiling",
            ("process", "region", "year"),
            "USD/unit",
            "<=",
            words="installed {0} in {1} in {2} within the readiness ceiling",
            table="max_capacity",
            order=(0, 1, 2),
            shown="value",
            physical=True,
        ),
    ),
)
