"""mfa: optimise critical-mineral supply chains between Canada and Korea as a circular economy.

The public API::

    import mfa
    data = mfa.validate("models/canada_korea.yaml", scenario="reference")
    results = mfa.run("models/canada_korea.yaml", scenario="reference")
    results.tables["trade"]           # tidy tables: dims..., value, unit
    results.save("results/reference")
    mfa.export_iamc("results/reference", "iamc.csv")   # IAMC table for pyam
    ensemble = mfa.sweep("models/canada_korea.yaml", "reference", samples=200, out="sweep")
"""

from mfa import sweep  # the sweep package, callable: mfa.sweep(model, ...)
from mfa.api import (
    adjust,
    compare,
    extend_model,
    frontier_results,
    recycled_content,
    run,
    validate,
    write_report,
)
from mfa.config import ModelConfig, load_model
from mfa.errors import (
    CheckError,
    ConfigError,
    InfeasibleError,
    InputError,
    MfaError,
    SolveError,
    UnboundedError,
)
from mfa.export import export_iamc
from mfa.frontier import frontier
from mfa.inputs.data import ModelData, load_data
from mfa.results import Results

__all__ = [
    "CheckError",
    "ConfigError",
    "InfeasibleError",
    "InputError",
    "MfaError",
    "ModelConfig",
    "ModelData",
    "Results",
    "SolveError",
    "UnboundedError",
    "adjust",
    "compare",
    "export_iamc",
    "extend_model",
    "frontier",
    "frontier_results",
    "load_data",
    "load_model",
    "recycled_content",
    "run",
    "sweep",
    "validate",
    "write_report",
]
