"""One path from a model file to results: validate → build → compile → solve → explain →
results.

Every workflow goes through these steps: :func:`mfa.run` (:func:`run`), the frontier
(:mod:`mfa.frontier`), sweeps (:mod:`mfa.sweep`, by rebuild or by persistent re-solve) and
the diagnosis of a model without an optimum. Each step is one function:

* :func:`validate` — read and check the model file and its tables (:class:`ModelData`);
* :func:`build` — the Pyomo model (:func:`mfa.model.build.build_model`);
* :func:`compile_model` — mfa's own standard form (:func:`mfa.standard_form.compile_lp`)
  handed to a new ``highspy.Highs`` object (:class:`Compiled`), which stays alive: the
  explanation, the irreducible infeasible subset and a sweep's warm re-solves use it;
* :func:`solve` — run HiGHS; when there is no optimum, raise the error with a diagnosis in
  the model's words (:mod:`mfa.diagnose`, on the same ``Highs`` object: no second solve of
  the same LP);
* :func:`explain` — where and why an optimal solution leaves demand unserved, read from
  that solution;
* :func:`tables` — the result tables and the post-solve checks (:mod:`mfa.results`).

Imports run one way: the command line and :mod:`mfa.api` → workflows (frontier, sweep,
report) → this module → model, solve, results.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from time import perf_counter
from typing import Any

import highspy
import pandas as pd
from pyomo.common.gc_manager import PauseGC

from mfa import diagnose
from mfa.config import ModelConfig, load_model
from mfa.errors import Diagnosis, InfeasibleError, SolverLimitError, UnboundedError
from mfa.inputs.data import ModelData, load_data
from mfa.manifest import model_hash
from mfa.model.build import build_model
from mfa.model.built import BuiltModel
from mfa.results import Results, check, derived_tables, extract
from mfa.solve import Solution, hand_over, optimise
from mfa.standard_form import StandardForm, compile_arrays, compile_lp


def validate(model: str | Path, scenario: str | None = None) -> ModelData:
    """Read and check a model file and all its tables; no solve.

    Raises
    ------
    ConfigError, InputError
        Naming file, line, column and what was expected for every problem.
    """
    return load_data(load_model(model, scenario))


def data_of(model: str | Path | ModelConfig | ModelData, scenario: str | None = None) -> ModelData:
    """Validated data of a model file, a loaded :class:`ModelConfig` or data as they are."""
    if isinstance(model, ModelData):
        return model
    if isinstance(model, ModelConfig):
        return load_data(model)
    return validate(model, scenario)


def build(data: ModelData, mutable: tuple[str, ...] | list[str] = ()) -> BuiltModel:
    """The LP of ``data`` (tables in ``mutable`` held as mutable ``Param``)."""
    return build_model(data, mutable=mutable)


@dataclass
class Compiled:
    """A built model compiled into mfa's standard form, held by a live ``Highs`` object.

    Attributes
    ----------
    built
        The built model (its Pyomo model, data, index, terms and families' states).
    form
        Its compiled LP, with the record of ``Param``-dependent numbers when it has any.
    highs
        The ``highspy.Highs`` object holding ``form.lp`` with the model file's settings.
    handover_s
        Seconds to compile and pass the LP.
    """

    built: BuiltModel
    form: StandardForm
    highs: highspy.Highs
    handover_s: float


def compile_model(built: BuiltModel) -> Compiled:
    """Compile the model and hand it to a new ``Highs`` object with the model file's solver
    settings.

    A model whose Pyomo form was never asked for is compiled from its arrays
    (:func:`mfa.standard_form.compile_arrays`); once it has been made (a row added or
    switched off by a user, a family written in Pyomo, mutable ``Param``), the Pyomo model
    is compiled as it stands (:func:`mfa.standard_form.compile_lp`)."""
    start = perf_counter()
    with PauseGC():
        form = compile_form(built)
        h = hand_over(form, built.data.config.solver)
    return Compiled(built, form, h, perf_counter() - start)


def compile_form(built: BuiltModel) -> StandardForm:
    """The compiled LP of ``built``: from its arrays, or from its Pyomo model once made."""
    if built.materialised:
        return compile_lp(built.model)
    return compile_arrays(built.lp, built.pyomo_objects)


def solve(
    compiled: Compiled, tie_break: bool = True, tie_break_weight: float | None = None
) -> Solution:
    """Run HiGHS on a compiled model; when there is no optimum, explain why.

    When the model file asks for it (``solver: tie_break``) and ``tie_break`` holds, the
    optimum is replaced by the tie-break's smooth solution (:mod:`mfa.tie_break`; its weight
    ``tie_break_weight`` when given, else derived from the tolerance).

    Raises
    ------
    InfeasibleError, UnboundedError, SolverLimitError
        With a :class:`~mfa.errors.Diagnosis` in the model's words (for infeasibility:
        shortfalls, binding limits, the relaxation of policy limits that restores a
        solution and an irreducible infeasible subset).
    """
    built = compiled.built
    data = built.data
    try:
        if not data.config.options.allow_unmet and any(
            not built.has_row("balance", k) for k in built.index.demand
        ):  # a demand with no supply term at all has no balance row: it must not vanish
            raise InfeasibleError(Diagnosis("infeasible", "a demand has no supply"))
        sol = optimise(compiled.highs, compiled.form, compiled.handover_s)
    except InfeasibleError:
        explained = diagnose.diagnose(data, built, compiled.form, compiled.highs)
        raise InfeasibleError(explained) from None
    except UnboundedError:
        raise UnboundedError(diagnose.diagnose_unbounded(built.model)) from None
    except SolverLimitError as err:
        raise SolverLimitError(diagnose.diagnose_limit(built.model, data, err.diagnosis)) from None
    options = data.config.solver.tie_break
    if options is not None and tie_break:  # of the optimal solutions, a smooth one
        from mfa.tie_break import smooth

        sol = smooth(compiled.highs, compiled.form, built, sol, options, tie_break_weight)
    return sol


def build_and_solve(data: ModelData) -> tuple[Compiled, Solution]:
    """Build, compile and solve ``data`` (a failure is explained, as by :func:`solve`)."""
    compiled = compile_model(build(data))
    return compiled, solve(compiled)


def has_unmet(unmet: pd.DataFrame) -> bool:
    """Whether some final demand is left unserved (beyond the solver's tolerance)."""
    return bool(len(unmet)) and bool((unmet["value"] > diagnose.SHORT_TOLERANCE).any())


def explain(compiled: Compiled, sol: Solution) -> Diagnosis:
    """Where and why the optimal solution ``sol`` leaves final demand unserved (read from
    ``sol`` itself: the model it solved lets demand go unserved)."""
    built = compiled.built
    return diagnose.explain_unmet(built.data, built, compiled.form, sol)


def tables(
    built: BuiltModel, sol: Solution, full: bool = True
) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """The result tables of ``sol`` and the post-solve checks.

    Raises
    ------
    CheckError
        A balance does not close, a value is negative or the costs do not add up to the
        objective.
    """
    out = extract(built, sol, full=full)
    return out, check(out, sol.objective, built.index.discount)


def summary(data: ModelData, sol: Solution, checks: dict[str, float]) -> dict[str, Any]:
    """The facts of a solve that every result carries (model, scenario, status, objective,
    checks, horizon, regions, options, data hash)."""
    return {
        "model": data.name,
        "model_file": str(data.config.source_file) if data.config.source_file else None,
        "scenario": data.config.scenario,
        "status": sol.status,
        "objective": sol.objective,
        "objective_unit": f"USD (discounted to {data.years[0]})",
        **({"tie_break": sol.info["tie_break"]} if "tie_break" in sol.info else {}),
        **checks,
        "years": [data.years[0], data.years[-1]],
        "regions": list(data.regions),
        "options": data.config.options.model_dump(),
        "data_hash": data.data_hash,
        "model_hash": model_hash(data.config),
        "data_folder": str(data.config.data),
    }


def run(data: ModelData, load_s: float = 0.0) -> Results:
    """Build, solve, explain and check ``data``; return its results (see :func:`mfa.run`).

    The summary's ``timings`` gives the seconds of each phase: ``build``, ``handover``
    (compile and pass the LP), ``solve`` (HiGHS), ``extract`` (the solution read back, the
    result tables and the post-solve checks) and ``derived`` (the tables computed from those:
    footprints, supply, indicators, calibration, origin attribution; the summary's facts and
    the explanation of unmet demand).
    """
    start = perf_counter()
    compiled, sol = build_and_solve(data)
    built = compiled.built
    between = perf_counter() - start - built.build_seconds - sol.handover_s - sol.solve_s
    start = perf_counter()
    out = extract(built, sol, derived=False)
    extract_s = perf_counter() - start
    start = perf_counter()
    with PauseGC():
        out.update(derived_tables(built, out, fork=True))
    derived_s = perf_counter() - start
    start = perf_counter()
    checks = check(out, sol.objective, built.index.discount)
    extract_s += perf_counter() - start
    start = perf_counter()
    facts = summary(data, sol, checks)
    facts.update(
        {
            "n_variables": sol.n_variables,
            "n_constraints": sol.n_constraints,
            "load_s": load_s,
            "build_s": built.build_seconds,
            "handover_s": sol.handover_s,
            "solve_s": sol.solve_s,
            "extract_s": extract_s,
            "solver": sol.info,
            "versions": versions(),
        }
    )
    if has_unmet(out["unmet"]):
        facts["unmet_explained"] = explain(compiled, sol).to_dict()
    facts["timings"] = {
        "build": built.build_seconds,
        "handover": sol.handover_s,
        "solve": sol.solve_s,
        "extract": max(0.0, between) + extract_s,  # between: the solution read from HiGHS
        "derived": derived_s + perf_counter() - start,
    }
    return Results(tables=out, summary=facts)


def versions() -> dict[str, str]:
    """Versions of Python and of the packages that make a result."""
    out = {"python": platform.python_version()}
    for pkg in ("mfa", "pyomo", "highspy", "pandas", "numpy"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # a missing distribution is not an error here
            out[pkg] = "unknown"
    return out
