"""The cost-emissions frontier on a two-mine model solved by hand."""

from __future__ import annotations

import numpy as np
import pytest

import mfa
from mfa.frontier import compute_frontier
from tests.test_policy_lp import _two_mines


def test_frontier_is_monotone_and_matches_hand_solution(tmp_path):
    """Mine A 10 USD/t at 2 tCO2e/t, mine B 20 USD/t at 0.5 tCO2e/t, demand 100 t.

    Ends: 200 tCO2e at 1000 USD (all A) and 50 tCO2e at 2000 USD (all B); in
    between cost rises linearly, 10/1.5 = 6.67 USD per tCO2e avoided.
    """
    data = mfa.validate(_two_mines(tmp_path, {}))
    f = compute_frontier(data, points=4)
    assert f["emissions"].to_numpy() == pytest.approx([200.0, 150.0, 100.0, 50.0], rel=1e-6)
    assert f["cost"].to_numpy() == pytest.approx(
        [1000.0, 1000 + 50 / 1.5 * 10, 1000 + 100 / 1.5 * 10, 2000.0], rel=1e-6
    )
    assert np.all(np.diff(f["cost"]) >= -1e-6)
    assert f["abatement_cost"].iloc[1:].to_numpy() == pytest.approx([20 / 3] * 3, rel=1e-6)
    assert (f["unmet"] < 1e-9).all()
