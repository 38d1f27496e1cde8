r"""Demand family: final demand, met or priced as unmet, and free disposal.

Final demand :math:`D_{crt}` is the right-hand side of the balance; the slack
:math:`u_{crt} \ge 0` (unmet demand) enters the supply side at the penalty
:math:`\pi` per unit, so that a shortage shows up in the results instead of an
infeasible model; :math:`u_{crt} \le D_{crt}`. The penalty :math:`\pi_c` is
``unmet_penalty`` of the commodity (so that GWh and tonnes are priced each in
their own unit), or ``options.unmet_penalty``. Unused outputs (by-products) and
end-of-life material that is not collected leave through :math:`e_{crt} \ge 0`
(excess, called landfill for end-of-life commodities) at the optional cost
``excess_cost``.
"""

from __future__ import annotations

from itertools import repeat

from mfa.model.built import BuiltModel, Family


def add(built: BuiltModel) -> None:
    """Add unmet-demand and excess terms with their costs."""
    index, data, terms = built.index, built.data, built.terms
    options = data.config.options
    penalty = data.param("unmet_penalty").to_dict()
    unmet = built.columns("unmet")
    terms.add_balance_many(index.unmet, repeat(1.0, len(unmet)), unmet)
    terms.add_cost_many(
        [("unmet_penalty", r, t) for _, r, t in index.unmet],
        [penalty.get(c, options.unmet_penalty) for c, _, _ in index.unmet],
        unmet,
    )
    excess = built.columns("excess")
    terms.add_balance_many(index.excess, repeat(-1.0, len(excess)), excess)
    terms.add_cost_many(
        [("disposal", r, t) for _, r, t in index.excess],
        [float(options.excess_cost)] * len(excess),
        excess,
    )


FAMILY = Family(
    name="demand",
    add=add,
    parameters=frozenset({"demand"}),
)
"""Always on. ``demand`` is the right-hand side of the balance (:mod:`mfa.model.balance`)
and enters the end-of-life arising and the stockpile requirement; each reads it through
:class:`~mfa.model.values.Values`."""
