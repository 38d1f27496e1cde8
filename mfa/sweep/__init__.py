"""Scenario sweeps, one-at-a-time sensitivity and Monte Carlo ensembles, on Dask.

The uncertainty lives in the model file (``uncertainty`` and ``grids``, see
:class:`mfa.config.Uncertainty`); :func:`sweep` plans the samples
(:mod:`~mfa.sweep.spec`), solves them with one persistent model per worker
(:mod:`~mfa.sweep.resolve`) serially or on a Dask cluster
(:mod:`~mfa.sweep.runner`), writes each sample as it finishes and assembles
tables and figures (:mod:`~mfa.sweep.analysis`, :mod:`~mfa.sweep.plots`).

``mfa.sweep`` is this package and also the function: ``mfa.sweep(model, ...)`` is
:func:`mfa.sweep.runner.sweep` (the module is callable, so that importing a submodule,
as Dask workers do, cannot hide the function behind the package).
"""

import sys
import types
from typing import Any

from mfa.sweep.analysis import ensemble, summarize, tornado_table
from mfa.sweep.resolve import Outcome, Resolver, rebuild_solve
from mfa.sweep.runner import SweepResult, run_sample, sweep
from mfa.sweep.spec import Task, apply_draw, monte_carlo, plan

__all__ = [
    "Outcome",
    "Resolver",
    "SweepResult",
    "Task",
    "apply_draw",
    "ensemble",
    "monte_carlo",
    "plan",
    "rebuild_solve",
    "run_sample",
    "summarize",
    "sweep",
    "tornado_table",
]


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> SweepResult:
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
