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

from mfa.model.built import BuiltModel, Family


def add(built: BuiltModel) -> None:
    """Add unmet-demand and excess terms with their costs."""
    m, index, data, terms = built.model, built.index, built.data, built.terms
    options = data.config.options
    penalty = data.param("unmet_penalty").to_dict()
    for key, u in zip(index.unmet, m.unmet.values(), strict=True):
        terms.add_balance(key, 1.0, u)
        terms.add_cost(
            ("unmet_penalty", key[1], key[2]), penalty.get(key[0], options.unmet_penalty), u
        )
    for key, e in zip(index.excess, m.excess.values(), strict=True):
        terms.add_balance(key, -1.0, e)
        terms.add_cost(("disposal", key[1], key[2]), options.excess_cost, e)


FAMILY = Family(
    name="demand",
    add=add,
    parameters=frozenset({"demand"}),
)
"""Always on. ``demand`` is the right-hand side of the balance (:mod:`mfa.model.balance`)
and enters the end-of-life arising and the stockpile requirement; each reads it through
:class:`~mfa.model.values.Values`."""
