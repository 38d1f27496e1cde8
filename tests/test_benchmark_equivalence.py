"""The benchmark's three formulations of mfa's LP reach the same optimum.

mfa's Pyomo path, the linopy model and the raw highspy matrix
(``benchmarks/``) are built from the same synthetic ``ModelData`` and must agree
on the objective to 1e-6 relative, cold and after a warm demand change.
"""

from __future__ import annotations

import pytest

from benchmarks import run as bench
from benchmarks.synthetic import SIZES, write_model
from mfa.api import validate


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return validate(write_model(tmp_path_factory.mktemp("synthetic"), SIZES["tiny"]))


def test_same_objective_cold(data):
    ref, _ = bench.cold_highspy(data)
    assert ref["status"] == "Optimal"
    for variant in ("mfa", "linopy"):
        out, _ = bench.COLD[variant](data)
        assert out["objective"] == pytest.approx(ref["objective"], rel=1e-6), variant
        if variant == "mfa":  # the same LP: same number of columns and rows
            assert (out["n_cols"], out["n_rows"]) == (ref["n_cols"], ref["n_rows"])


def test_same_objective_after_warm_demand_change(data):
    sweeps = {v: bench.sweep_warm(v, data, 2) for v in bench.VARIANTS}
    ref = sweeps["highspy"]["objectives"]
    assert ref[0] != pytest.approx(sweeps["highspy"]["cold"]["objective"], rel=1e-9)
    for variant in ("mfa", "linopy"):
        assert sweeps[variant]["objectives"] == pytest.approx(ref, rel=1e-6), variant


def test_rebuild_matches_warm(data):
    warm = bench.sweep_warm("highspy", data, 1)["objectives"][0]
    rebuilt = bench.sweep_rebuild("mfa", data, 1)["objectives"][0]
    assert rebuilt == pytest.approx(warm, rel=1e-6)
