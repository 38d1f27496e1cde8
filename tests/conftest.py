"""Shared fixtures: the Agg backend, closing figures, the path of the repository, a private
input cache."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(autouse=True, scope="session")
def _private_input_cache(tmp_path_factory: pytest.TempPathFactory):
    """The commands' input cache (mfa.inputs.cache) in a folder of this test session, not the
    user's: the tests' many temporary models leave no entries behind."""
    before = os.environ.get("MFA_CACHE_DIR")
    os.environ["MFA_CACHE_DIR"] = str(tmp_path_factory.mktemp("mfa-cache"))
    yield
    if before is None:
        os.environ.pop("MFA_CACHE_DIR", None)
    else:
        os.environ["MFA_CACHE_DIR"] = before


@pytest.fixture
def root() -> Path:
    """The repository root."""
    return ROOT
