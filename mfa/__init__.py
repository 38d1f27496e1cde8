"""mfa: optimise critical-mineral supply chains between Canada and Korea as a circular economy.

The public API::

    import mfa
    data = mfa.validate("models/canada_korea.yaml", scenario="reference")
    results = mfa.run("models/canada_korea.yaml", scenario="reference")
    results.tables["trade"]           # tidy tables: dims..., value, unit
    results.save("results/reference")
    mfa.export_iamc("results/reference", "iamc.csv")   # IAMC table for pyam
    ensemble = mfa.sweep("models/canada_korea.yaml", "reference", samples=200, out="sweep")

Every public name is imported when first used (module ``__getattr__``, PEP 562), so that
``import mfa`` is quick and a command imports only what it needs: ``mfa report`` never loads
the sweep package (Dask, SciPy), ``mfa validate`` never loads the report (matplotlib).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_PUBLIC: dict[str, str] = {
    "CheckError": "mfa.errors",
    "ConfigError": "mfa.errors",
    "InfeasibleError": "mfa.errors",
    "InputError": "mfa.errors",
    "MfaError": "mfa.errors",
    "ModelConfig": "mfa.config",
    "ModelData": "mfa.inputs.data",
    "Results": "mfa.results",
    "SolveError": "mfa.errors",
    "UnboundedError": "mfa.errors",
    "adjust": "mfa.api",
    "alternatives": "mfa.mga",
    "compare": "mfa.api",
    "export_iamc": "mfa.export",
    "extend_model": "mfa.api",
    "frontier": "mfa.frontier",
    "frontier_results": "mfa.api",
    "load_data": "mfa.inputs.data",
    "load_model": "mfa.config",
    "recycled_content": "mfa.api",
    "run": "mfa.api",
    "sensitivity": "mfa.sensitivity",
    "validate": "mfa.api",
    "write_report": "mfa.api",
}
"""Public name -> the module that defines it (imported on first use). ``mfa.sweep`` is the
sweep package itself (callable: ``mfa.sweep(model, ...)``)."""

__all__ = sorted([*_PUBLIC, "sweep"])


def __getattr__(name: str) -> Any:
    if name == "sweep":
        return importlib.import_module("mfa.sweep")
    if name not in _PUBLIC:
        raise AttributeError(f"module 'mfa' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The ``mfa`` package: importing the submodule ``mfa.frontier`` must not hide the
    function ``mfa.frontier`` (Python binds a submodule to its package's attribute on import)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _PUBLIC.get(name) == f"{__name__}.{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
