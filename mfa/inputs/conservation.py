r"""Element conservation of process recipes: no process creates an element.

For process :math:`p` and element :math:`e`, with :math:`k_{ce}` the content of
:math:`e` in commodity :math:`c` (``commodity_content``; 1 for a commodity in tonnes of
its own element),

.. math::

    \text{out}_{pe} = \sum_{c\ \text{out}} a^{out}_{pc}\, k_{ce}, \qquad
    \text{in}_{pe} = \sum_{c\ \text{in}} a^{in}_{pc}\, k_{ce}
                   + \sum_g a_{pg} \min_{c \in g} k_{ce}

(a substitute group counts with its leanest member: whichever mix the model picks, the
recipe must not create the element). A process whose inputs hold the element must give
out no more than it takes in:

.. math:: \text{out}_{pe} \le (1 + \epsilon)\, \text{in}_{pe}, \qquad \epsilon = 10^{-6}

Less out than in is a loss (yield, slag, scrap not modelled) and is allowed. A process
whose inputs hold none of the element is where the element enters the model (mining,
recovery from a feed the model does not carry) and is not checked.

The tolerance :data:`TOLERANCE` is one part per million: coefficients are written with
five or six significant digits, so a recipe balanced by construction closes to better
than that; a larger surplus is a mistake in a coefficient (e.g. a value copied from a
sibling recipe, or a rounding that lost the element), which the model would turn into
free material.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd

from mfa.errors import Problem
from mfa.inputs.read import LINE

TOLERANCE = 1e-6
"""Largest surplus of an element a recipe may show, relative to its input of the element."""


def contents(typed: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, float]]:
    """``commodity -> {element: content per unit}`` from the commodity tables as read."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    table = typed.get("commodity_content")
    if table is not None:
        for c, e, v in table[["commodity", "element", "value"]].itertuples(index=False):
            out[c][e] = float(v)
    com = typed["commodities"]
    for c, unit, element in com[["commodity", "unit", "element"]].itertuples(index=False):
        if c not in out and unit == "t":
            out[c] = {element: 1.0}
    return dict(out)


def check_conservation(
    typed: Mapping[str, pd.DataFrame], shown: Mapping[str, str]
) -> list[Problem]:
    """One :class:`~mfa.errors.Problem` per process and element the recipe creates.

    The problem names ``process_io``'s file and the line of the process's first output
    that holds the element, the process, the element, and its input and output per unit
    of activity.
    """
    io = typed["process_io"]
    content = contents(typed)
    taken: dict[tuple[str, str], float] = defaultdict(float)
    made: dict[tuple[str, str], float] = defaultdict(float)
    first_line: dict[tuple[str, str], int] = {}
    groups: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for p, c, direction, group, value, line in io[
        ["process", "commodity", "direction", "group", "value", LINE]
    ].itertuples(index=False):
        if direction == "in" and group:
            groups[(p, group)].append((c, float(value)))
            continue
        for e, k in content.get(c, {}).items():
            if direction == "out":
                made[(p, e)] += float(value) * k
                first_line.setdefault((p, e), int(line))
            else:
                taken[(p, e)] += float(value) * k
    for (p, _), members in groups.items():
        elements = {e for c, _ in members for e in content.get(c, {})}
        for e in elements:
            taken[(p, e)] += min(v * content.get(c, {}).get(e, 0.0) for c, v in members)
    problems = []
    for (p, e), out in made.items():
        into = taken.get((p, e), 0.0)
        if into > 0.0 and out > (1.0 + TOLERANCE) * into:
            problems.append(
                Problem(
                    shown["process_io"],
                    f"process '{p}' creates {e}: {out:.7g} t out per unit of activity "
                    f"against {into:.7g} t in (+{(out / into - 1.0):.4%})",
                    first_line[(p, e)],
                    "value",
                    expected=f"no more {e} out than in (relative surplus <= {TOLERANCE:g})",
                )
            )
    return problems
