"""Solves of the default model shared by tests/test_data.py and tests/test_scenarios.py.

Each scenario of ``models/canada_korea.yaml`` is solved at most once per test
process (about 15-20 s each), whichever test asks first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

import mfa

MODEL = Path(__file__).resolve().parents[1] / "models" / "canada_korea.yaml"


@cache
def solve(scenario: str) -> mfa.Results:
    """Solve one shipped scenario of the default model (cached)."""
    return mfa.run(MODEL, scenario)


def imports_by_origin(res: mfa.Results, commodity: str, region: str, year: int) -> pd.Series:
    """Shipments of ``commodity`` into ``region`` in ``year`` by origin (units of the commodity)."""
    tr = res["trade"]
    sel = tr[(tr.commodity == commodity) & (tr.destination == region) & (tr.year == year)]
    return sel.groupby("origin")["value"].sum().clip(lower=0.0)


def emissions(res: mfa.Results, regions: tuple[str, ...] = ("CA", "KR")) -> pd.Series:
    """GHG emissions (tCO2e) of the given regions by year: direct + electricity + transport."""
    em = res["emissions"]
    return em[em.region.isin(regions)].groupby("year")["value"].sum()


def indicator(res: mfa.Results, name: str, region: str, element: str) -> pd.Series:
    """One indicator of ``res['indicators']`` by year."""
    ind = res["indicators"]
    sel = ind[(ind.indicator == name) & (ind.region == region) & (ind.element == element)]
    return sel.set_index("year")["value"]
