r"""Treatment family: collected end-of-life batteries must be recycled or repurposed.

Both Korea (producer responsibility under the EEEV Act) and Canada (provincial battery
EPR rules) require collected batteries to be treated, not landfilled. With the end-of-life
arising :math:`A_{ert}` (:mod:`mfa.model.stock`), the collection rate :math:`\kappa_{ert}`
(the collectable share, 1 where ``collection_rate`` has no row) and the treatment
obligation :math:`\phi_{ert}` (``treatment_obligation``, a share of what is collected),
at most the uncollected part and the untreated share of the collected part may be
landfilled (``excess``):

.. math:: e_{ert} \le (1 - \phi_{ert}\,\kappa_{ert})\, A_{ert}

:math:`A_{ert}` is linear in the unmet-demand variables (products not delivered never
retire) and in the repurposing activity (second-life packs return after their remaining
life), so the row is written with them on the left. With :math:`\phi = 1` and the
stock family's :math:`e_{ert} \ge (1 - \kappa_{ert}) A_{ert}`, exactly the collectable
share goes to pre-treatment, repurposing, recycling or export.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.model.built import BuiltModel, Family, Row
from mfa.model.stock import SMALL, arising


def add(built: BuiltModel) -> None:
    """Add one landfill limit per end-of-life commodity, region and year with an obligation."""
    m, values = built.model, built.values
    obligation = {k: v for k, v in values.floats("treatment_obligation").items() if v > 0}
    if not obligation:
        return
    const, lin = arising(built, built.state("stock") or [])
    keys = sorted(
        (e, r, t) for (r, e, t) in obligation if (e, r, t) in const and (e, r, t) in m.excess
    )

    def rule(_m: pyo.ConcreteModel, e: str, r: str, t: int) -> object:
        kept = 1.0 - obligation[(r, e, t)] * values.get("collection_rate", (r, e, t), 1.0)
        pairs = [(a, v) for a, v in lin[(e, r, t)] if abs(kept * a) >= SMALL]
        body = LinearExpression(
            linear_coefs=[1.0] + [-kept * a for a, _ in pairs],
            linear_vars=[m.excess[e, r, t]] + [v for _, v in pairs],
        )
        return body <= kept * const[(e, r, t)]

    m.treatment_obligation = pyo.Constraint(keys, rule=rule)


FAMILY = Family(
    name="treatment",
    add=add,
    switch="stock",
    rows=(
        Row(
            "treatment_obligation",
            ("commodity", "region", "year"),
            "USD/unit",
            "<=",
            words="collected {0} in {1} in {2} must be treated",
            table="treatment_obligation",
            order=(1, 0, 2),
            shown="share",
        ),
    ),
)
