r"""Economics family: fixed operating costs, disposal costs and technology-transfer fees.

Fixed operating cost of new capacity: a plant built in year :math:`\tau` costs a share
:math:`\varphi_{pr}` of its investment cost per unit of capacity in every year it is
alive, whether it runs or not (``fixed_cost_share``):

.. math::

    C^{fixed}_{rt} = \sum_{p}\sum_{\tau:\ \tau \le t < \tau + L_p}
    \varphi_{pr}\, I_{pr\tau}\, n_{pr\tau}

Existing and announced capacity (``capacity.csv``) is given, so its fixed cost is a
constant and left out of the objective: it does not change any decision.

Disposal: each unit of end-of-life material landfilled (``excess``) costs
:math:`\delta_{cr}` (``disposal_cost``):

.. math:: C^{disposal}_{rt} = \sum_c \delta_{cr}\, e_{crt}

Technology transfer: a process whose inputs or energy are cut by a transfer
(``input_saving`` or ``energy_saving`` above 0) pays a licence fee :math:`f_{prt}` per unit
of activity (``transfer_cost``):

.. math:: C^{licence}_{rt} = \sum_{p:\ \text{saving}_{prt} > 0} f_{prt}\, x_{prt}
"""

from __future__ import annotations

from mfa.model.built import BuiltModel, Family
from mfa.model.capacity import DEFAULT_LIFETIME


def add(built: BuiltModel) -> None:
    """Add the fixed-cost, disposal and licence-fee terms to the objective."""
    index, terms, values = built.index, built.terms, built.values
    share = values.floats("fixed_cost_share")
    for (p, r, tau), n in zip(index.new_capacity, built.columns("new_capacity"), strict=True):
        phi = share.get((p, r), 0.0)
        if phi <= 0:
            continue
        annual = phi * values.get("investment_cost", (p, r, tau))
        life = index.lifetime.get(p, DEFAULT_LIFETIME)
        for t in index.years:
            if tau <= t < tau + life:
                terms.add_cost(("fixed_operating", r, t), annual, n)
    disposal = values.floats("disposal_cost")
    if disposal:
        for (c, r, t), e in zip(index.excess, built.columns("excess"), strict=True):
            terms.add_cost(("disposal", r, t), disposal.get((c, r), 0.0), e)
    saving = values.floats("input_saving")
    energy = values.floats("energy_saving")
    for (p, r, t), fee in values.floats("transfer_cost").items():
        transferred = saving.get((p, r, t), 0.0) > 0 or energy.get((p, r, t), 0.0) > 0
        if fee > 0 and transferred and built.has("activity", (p, r, t)):
            terms.add_cost(("technology_transfer", r, t), fee, built.column("activity", (p, r, t)))


FAMILY = Family(name="economics", add=add)
