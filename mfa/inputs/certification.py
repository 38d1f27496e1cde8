"""Cross-table check of the ``certification`` table at validate: the plants it lists by
certification status hold no more capacity than ``capacity`` gives their process, region
and year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd

from mfa.errors import Problem


def check_certified_capacity(
    params: Mapping[str, pd.Series], shown: Mapping[str, str]
) -> list[Problem]:
    r"""One :class:`~mfa.errors.Problem` per process and region whose listed plants exceed
    its capacity in some year: :math:`\sum_{plant, scheme, status} L_{p,r,\ldots,t} \le
    (1 + 10^{-6})\,K_{prt} + 10^{-6}`, with :math:`L` the ``certification`` values and
    :math:`K` the ``capacity`` (both after expansion to the model years)."""
    certification = params.get("certification")
    if certification is None or certification.empty:
        return []
    capacity = params["capacity"].to_dict()
    listed: dict[tuple[str, str, int], float] = defaultdict(float)
    for (p, r, _plant, _scheme, _status, t), v in certification.items():
        listed[(p, r, int(t))] += float(v)
    problems, named = [], set()
    for (p, r, t), v in sorted(listed.items()):
        held = capacity.get((p, r, t), 0.0)
        if (p, r) not in named and v > held * (1 + 1e-6) + 1e-6:
            named.add((p, r))
            problems.append(
                Problem(
                    shown.get("certification", "certification"),
                    f"the plants of '{p}' in {r} in {t} hold {v:g} by their certification "
                    f"status, more than the capacity of {held:g} that capacity.csv gives",
                    column="value",
                    value=f"{v:g}",
                    expected="plants' capacity by status within capacity.csv",
                )
            )
    return problems
