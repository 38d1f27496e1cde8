r"""Commodity balance: supply equals demand for every commodity, region and year.

.. math::

    \sum_p a^{out}_{pc} x_{prt} - \sum_p a^{in}_{pc} x_{prt} - \sum_{p,g} u_{pgcrt}
    + \sum_o s_{cort} - \sum_d s_{crdt} + A_{crt} - e_{crt} + u^{unmet}_{crt} = D_{crt}

with :math:`A_{crt}` the end-of-life arising (when the stock family is on). Rows
are built only where a term or a demand exists. The dual of a row is the
marginal cost of one more unit of :math:`c` in :math:`r` in year :math:`t`
(discounted to the first year; :mod:`mfa.results` undiscounts it).
"""

from __future__ import annotations

import numpy as np

from mfa.model.built import BuiltModel


def add(built: BuiltModel) -> None:
    """Build one equality row per (commodity, region, year) that has terms (each row's
    terms in the order the families added them)."""
    index, terms = built.index, built.terms
    collected = terms.balance
    keys = sorted(set(collected.keys) | set(index.demand))
    position = dict(zip(keys, range(len(keys)), strict=True))
    row = np.fromiter(
        map(position.__getitem__, collected.keys), dtype=np.int64, count=len(collected)
    )
    has_terms = np.bincount(row, minlength=len(keys)) > 0
    renumber = np.cumsum(has_terms) - 1
    written = [k for k, w in zip(keys, has_terms.tolist(), strict=True) if w]
    constant = terms.balance_constant
    demand = built.values.get_many("demand", [(r, c, t) for c, r, t in written])
    rhs = [d - constant.get(k, 0.0) for k, d in zip(written, demand, strict=True)]
    built.add_rows(
        "balance", written, "==", rhs, (renumber[row], collected.vars, collected.coefs), keys
    )
