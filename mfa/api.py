"""The Python API: one function per job, as the command line offers them."""

from __future__ import annotations

import platform
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path
from time import perf_counter
from typing import Any

import pandas as pd

from mfa.config import ModelConfig, load_model
from mfa.errors import Diagnosis, InfeasibleError, UnboundedError
from mfa.inputs.data import ModelData, load_data
from mfa.model.build import build_model
from mfa.results import Results, check, extract, write_atomically
from mfa.solve import Solution, solve


def validate(model: str | Path, scenario: str | None = None) -> ModelData:
    """Read and check a model file and all its tables; no solve.

    Raises
    ------
    ConfigError, InputError
        Naming file, line, column and what was expected for every problem.
    """
    return load_data(load_model(model, scenario))


def run(model: str | Path | ModelConfig | ModelData, scenario: str | None = None) -> Results:
    """Build, solve and check a model; return its results.

    Parameters
    ----------
    model
        A model file, a loaded :class:`ModelConfig`, or validated :class:`ModelData`.
    scenario
        Scenario name (when ``model`` is a file).

    Raises
    ------
    InputError
        Bad model file or tables.
    SolveError
        No optimum (infeasible, unbounded, limit); carries a diagnosis.
    CheckError
        The solution fails a post-solve check.
    """
    start = perf_counter()
    if isinstance(model, ModelData):
        data = model
    elif isinstance(model, ModelConfig):
        data = load_data(model)
    else:
        data = validate(model, scenario)
    load_s = perf_counter() - start
    m = build_model(data)
    sol = _solve_or_explain(m, data)
    start = perf_counter()
    tables = extract(m, data, sol)
    checks = check(tables, sol.objective, m.mfa_index.discount)
    extract_s = perf_counter() - start
    summary = {
        "model": data.name,
        "model_file": str(data.config.source_file) if data.config.source_file else None,
        "scenario": data.config.scenario,
        "status": sol.status,
        "objective": sol.objective,
        "objective_unit": f"USD (discounted to {data.years[0]})",
        **checks,
        "n_variables": sol.n_variables,
        "n_constraints": sol.n_constraints,
        "years": [data.years[0], data.years[-1]],
        "regions": list(data.regions),
        "load_s": load_s,
        "build_s": m.build_seconds,
        "handover_s": sol.handover_s,
        "solve_s": sol.solve_s,
        "extract_s": extract_s,
        "solver": sol.info,
        "options": data.config.options.model_dump(),
        "versions": _versions(),
        "data_hash": data.data_hash,
    }
    return Results(tables=tables, summary=summary)


def _solve_or_explain(m: Any, data: ModelData) -> Solution:
    """Solve; when there is no optimum, raise the error with a diagnosis in the model's words."""
    from mfa.diagnose import diagnose, diagnose_unbounded

    try:
        if not data.config.options.allow_unmet and any(
            k not in m.balance for k in m.mfa_index.demand
        ):  # a demand with no supply term at all has no balance row: it must not vanish
            raise InfeasibleError(Diagnosis("infeasible", "a demand has no supply"))
        return solve(m, data.config.solver)
    except InfeasibleError:
        raise InfeasibleError(diagnose(data, m)) from None
    except UnboundedError:
        raise UnboundedError(diagnose_unbounded(m)) from None


def write_report(folder: str | Path, **options: Any) -> dict[str, Any]:
    """Write figures, tables, the Excel workbook and ``summary.md`` into a results folder.

    The report is written into a temporary folder inside ``folder`` and its parts
    (``figures/``, ``tables/``, ``results.xlsx``, ``summary.md``) replace earlier
    ones only when all of it is written. ``options`` go to
    :func:`mfa.report.write_report` (``elements``, ``years``, ``formats``, ``html``).
    """
    from mfa.report import write_report as _write_report

    folder = Path(folder)
    results = Results.load(folder)
    tmp = Path(tempfile.mkdtemp(prefix=".report-", dir=folder))
    try:
        written = _write_report(results, tmp, sources=results.tables.get("sources"), **options)
        for part in sorted(tmp.iterdir()):
            target = folder / part.name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            part.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written


def compare(folders: list[str | Path], out: str | Path, force: bool = False) -> pd.DataFrame:
    """Compare saved results: ``comparison.csv`` and figures in ``out`` (written atomically)."""
    from mfa.report import compare_table, write_comparison

    runs = {}
    for folder in folders:
        results = Results.load(folder)
        name = results.summary.get("scenario") or Path(folder).name
        runs[name if name not in runs else f"{name} ({Path(folder).name})"] = results
    write_atomically(Path(out), force, lambda tmp: write_comparison(runs, tmp))
    return compare_table(runs)


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("mfa", "pyomo", "highspy", "pandas", "numpy"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # a missing distribution is not an error here
            out[pkg] = "unknown"
    return out


def sweep(model: str | Path, scenario: str | None = None, **options: Any) -> Any:
    """Run a Monte Carlo ensemble, a one-at-a-time sensitivity or a scenario grid.

    The same as ``mfa.sweep(...)``; see :func:`mfa.sweep.runner.sweep` for the options
    (``samples``, ``method``, ``grid``, ``seed``, ``workers``, ``scheduler``, ``out``,
    ``resume``) and ``docs/sweeps.md`` for the model-file syntax.

    Returns
    -------
    mfa.sweep.SweepResult
    """
    from mfa.sweep.runner import sweep as run_sweep

    return run_sweep(model, scenario, **options)
