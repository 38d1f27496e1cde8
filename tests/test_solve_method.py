"""HiGHS' method: ``solver: auto`` picks it by the LP's size (mfa.solve.choose_method)."""

from __future__ import annotations

import pytest

import mfa
from mfa.solve import IPM_FROM_NONZEROS, choose_method
from tests.test_trust import _short_model


def test_rule_switches_to_ipm_at_the_threshold():
    assert choose_method(10, 10, IPM_FROM_NONZEROS - 1) == "simplex"
    assert choose_method(10, 10, 3_000_000) == "simplex"  # ira_compliance, 3.0 M non-zeros
    assert choose_method(10, 10, IPM_FROM_NONZEROS) == "ipm"


@pytest.mark.parametrize("options", ["{solver: auto}", "{solver: ipm, run_crossover: 'on'}"])
def test_auto_solves_a_small_model_with_simplex(tmp_path, options):
    """Capacity 70 t against a demand of 100 t at 10 USD/t, unmet at 1e6 USD/t: 700 USD of
    mining and 30 t unmet (3e7 USD) whichever method; ``auto`` names the simplex."""
    model = _short_model(tmp_path, allow_unmet=True)
    model.write_text(model.read_text() + f"solver:\n  options: {options}\n")
    r = mfa.run(model)
    assert r.objective == pytest.approx(700.0 + 30.0 * 1e6, rel=1e-9)
    expected = "simplex" if "auto" in options else "ipm"
    assert r.summary["solver"]["solver"] == expected
