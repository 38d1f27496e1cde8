"""A silent ``highspy.Highs`` object (below :mod:`mfa.config` and :mod:`mfa.solve`, which
both make one: the configuration to check solver options, the solver to solve)."""

from __future__ import annotations

import os
import sys

import highspy


def new_highs() -> highspy.Highs:
    """A silent ``Highs`` object (HiGHS prints its banner on the first construction)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h
