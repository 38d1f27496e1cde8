r"""How often origin shares reverse: the year-to-year stability of a solution's sourcing.

An LP with many optimal vertices may serve a region from one origin one year and another the
next at no cost difference; the shares then swing back and forth. This module counts those
swings on the ``supply`` table (:func:`mfa.model.supply.supply_table`: supply of an element to
a region by origin, the exporting region or ``domestic``), with one definition used by the
tests and the documentation of the tie-break (:mod:`mfa.tie_break`).

Definition
----------
For region :math:`r`, element :math:`e` and origin :math:`o`, the share in year :math:`t` is

.. math:: s_{reo,t} = 100\, S_{reo,t} \big/ \textstyle\sum_{o'} S_{reo',t}
          \quad\text{(percentage points; undefined where the region has no supply of } e)

and its change :math:`\Delta_t = s_t - s_{t-1}` between consecutive model years. Of the
changes larger than the threshold :math:`\theta` in magnitude (:math:`|\Delta_t| > \theta`,
5 points by default), taken in order of years, each one whose sign differs from the previous
such change of the same series is a *reversal*: a share that jumps up by more than
:math:`\theta` and later down by more than :math:`\theta` reverses once, whatever the small
changes in between; 0 % → 40 % → 0 % → 60 % reverses twice. An origin absent in a year has
share 0 there.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PARTNERS = ("CA", "KR")
"""Regions whose supply the stability target is about (Canada and Korea)."""
BATTERY_ELEMENTS = ("Li", "Ni", "Co", "C", "Mn", "Cu")
"""Elements of the target: lithium, nickel, cobalt, graphite (carbon), manganese, copper."""
THRESHOLD = 5.0
"""Smallest change counted, in percentage points of the region's supply of the element."""


def origin_shares(
    supply: pd.DataFrame,
    regions: Sequence[str] = PARTNERS,
    elements: Sequence[str] = BATTERY_ELEMENTS,
) -> pd.DataFrame:
    """Origin shares of each region's supply of each element, in percentage points.

    Returns
    -------
    DataFrame
        Indexed by ``region, element, origin``, one column per model year (every year from
        the first to the last of ``supply``); NaN where the region has no supply of the
        element that year.
    """
    chosen = supply[supply["region"].isin(regions) & supply["element"].isin(elements)]
    if chosen.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], [], []]))
    amounts = chosen.pivot_table(
        index=["region", "element", "origin"],
        columns="year",
        values="value",
        aggfunc="sum",
        fill_value=0.0,
    )
    years = range(int(chosen["year"].min()), int(chosen["year"].max()) + 1)
    amounts = amounts.reindex(columns=list(years), fill_value=0.0)
    total = amounts.groupby(level=["region", "element"]).transform("sum")
    return 100.0 * amounts / total.where(total > 0)


def share_reversals(
    supply: pd.DataFrame,
    regions: Sequence[str] = PARTNERS,
    elements: Sequence[str] = BATTERY_ELEMENTS,
    threshold: float = THRESHOLD,
) -> pd.DataFrame:
    """Every reversal of an origin share (see the module docstring).

    Returns
    -------
    DataFrame
        ``region, element, origin, year, change, previous_change`` (points): ``year`` is the
        later year of the reversing change, ``previous_change`` the earlier large change of
        the opposite sign.
    """
    shares = origin_shares(supply, regions, elements)
    rows = []
    years = list(shares.columns)
    for key, series in zip(shares.index, shares.to_numpy(dtype=float), strict=True):
        change = np.diff(series)
        large = np.flatnonzero(np.abs(change) > threshold)  # NaN compares False: skipped
        signs = np.sign(change[large])
        for i in np.flatnonzero(signs[1:] != signs[:-1]) + 1:
            j, before = large[i], large[i - 1]
            rows.append((*key, years[j + 1], float(change[j]), float(change[before])))
    columns = ["region", "element", "origin", "year", "change", "previous_change"]
    return pd.DataFrame(rows, columns=columns)


def count_reversals(
    supply: pd.DataFrame,
    regions: Sequence[str] = PARTNERS,
    elements: Sequence[str] = BATTERY_ELEMENTS,
    threshold: float = THRESHOLD,
) -> int:
    """The number of origin-share reversals larger than ``threshold`` points."""
    return len(share_reversals(supply, regions, elements, threshold))
