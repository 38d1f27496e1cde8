r"""Cost-emissions Pareto frontier by the epsilon-constraint method.

1. Minimise cost: cost :math:`C^*` and total emissions :math:`G^{max}` (all
   regions, all years, tCO2e, undiscounted).
2. Minimise emissions with unmet demand held at its level in step 1 (so that
   emissions are not cut by leaving demand unserved), then minimise cost at
   that emission level: :math:`G^{min}`.
3. For :math:`k = 0 \dots N-1`, minimise cost subject to

   .. math:: \sum_{p,r,t} g_{prt} x_{prt} + \sum_{c,o,d,t} \delta \phi\, s_{codt}
             \le \varepsilon_k = G^{max} - \tfrac{k}{N-1} (G^{max} - G^{min})

Point 0 is step 1's solution itself, the model's own run: its cap admits that solution,
which stays optimal under it (the cap only removes solutions), so solving again would only
risk another vertex of the same optimum. Where the model file asks for the tie-break
(``solver: tie_break``, :mod:`mfa.tie_break`), step 1 and every point apply it with one
weight, the one step 1 derives from the tolerance; step 2 only needs :math:`G^{min}` and
runs without it.

The cap is one row whose right-hand side is a mutable parameter, so the model
is built once; every step is compiled and solved by :mod:`mfa.pipeline` (a step
without an optimum is explained as a run is). Each point records cost, emissions,
the cap's shadow price (the marginal abatement cost, in discounted USD per tCO2e
emitted over the horizon) and headline indicators, and keeps its full results.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa import manifest, pipeline
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel
from mfa.paths import check_output, model_inputs
from mfa.results import Results, write_atomically
from mfa.solve import Solution

RELATIVE_SLACK = 1e-7
"""Slack kept on the lexicographic steps, relative to the value held."""


def _emission_row(built: BuiltModel) -> LinearExpression:
    rows = built.state("environment").rows
    pairs = [pair for (kind, _, _), ps in rows.items() if kind == "ghg" for pair in ps]
    return LinearExpression(
        linear_coefs=[a for a, _ in pairs], linear_vars=[built.resolve(v) for _, v in pairs]
    )


def _unmet_row(m: pyo.ConcreteModel) -> LinearExpression:
    keys = list(m.unmet)
    return LinearExpression(linear_coefs=[1.0] * len(keys), linear_vars=[m.unmet[k] for k in keys])


def compute_frontier(data: ModelData, points: int = 5) -> pd.DataFrame:
    """Solve the frontier and return one row per point.

    Returns
    -------
    DataFrame
        ``point, epsilon, cost, emissions, abatement_cost, unmet`` plus headline
        indicators (``import_dependency_<region>``, ``secondary_share_<region>``)
        averaged over elements and years; units in ``cost_unit`` and
        ``emissions_unit``.
    """
    return frontier_results(data, points)[0]


def frontier_results(data: ModelData, points: int = 5) -> tuple[pd.DataFrame, dict[int, Results]]:
    """The frontier table (as :func:`compute_frontier`) and the :class:`Results` of every
    point (``point -> Results``)."""
    if points < 2:
        raise ValueError("a frontier needs at least 2 points")
    built = pipeline.build(data)
    m = built.model
    emissions = _emission_row(built)
    m.epsilon = pyo.Param(initialize=float("inf"), mutable=True)
    m.frontier_cap = pyo.Constraint(expr=emissions <= m.epsilon)
    m.frontier_cap.deactivate()

    first = _solve(built)  # the model's own run: point 0 has its solution
    weight = first.info.get("tie_break", {}).get("weight")
    g_max = _value(first, emissions)
    unmet_held = _value(first, _unmet_row(m))

    # lexicographic minimum of emissions: keep unmet demand where it was
    m.hold_unmet = pyo.Constraint(expr=_unmet_row(m) <= unmet_held * (1 + RELATIVE_SLACK) + 1e-9)
    m.total_cost.deactivate()
    m.min_emissions = pyo.Objective(expr=emissions, sense=pyo.minimize)
    g_min = _solve(built, tie_break=False).objective
    m.min_emissions.deactivate()
    m.total_cost.activate()

    rows, runs = [], {}
    m.frontier_cap.activate()
    for k in range(points):
        eps = g_max - k / (points - 1) * (g_max - g_min)
        m.epsilon.set_value(eps + RELATIVE_SLACK * max(1.0, abs(eps)))
        sol = first if k == 0 else _solve(built, weight=weight)
        tables, checks = pipeline.tables(built, sol)
        row = sol.row_of.get(id(m.frontier_cap))
        dual = sol.row_dual[row] if row is not None else 0.0
        rows.append(
            {
                "point": k,
                "epsilon": eps,
                "cost": sol.objective,
                "emissions": _value(sol, emissions),
                "abatement_cost": float(-dual),
                "unmet": float(tables["unmet"]["value"].sum()),
                **_headline(tables, data.config.options.partnership),
                "cost_unit": "USD",
                "emissions_unit": "tCO2e",
            }
        )
        summary = pipeline.summary(data, sol, checks)
        summary.update(
            {
                "scenario": f"{data.config.scenario or 'base'} (frontier point {k})",
                "frontier_point": k,
                "emission_cap": eps,
                "emission_cap_unit": "tCO2e",
            }
        )
        runs[k] = Results(tables=tables, summary=summary)
    return pd.DataFrame(rows), runs


def _solve(built: BuiltModel, tie_break: bool = True, weight: float | None = None) -> Solution:
    """One step of the frontier: compile the model as it stands and solve it (with the
    model's tie-break, if it has one, at ``weight``)."""
    return pipeline.solve(pipeline.compile_model(built), tie_break, weight)


def _value(sol: Solution, expr: LinearExpression) -> float:
    """Evaluate a linear expression at the solution arrays."""
    total = 0.0
    for coef, var in zip(expr.linear_coefs, expr.linear_vars, strict=True):
        col = sol.column_of.get(id(var))
        if col is not None:
            total += float(pyo.value(coef)) * float(sol.col_value[col])
    return total


def _headline(tables: dict[str, pd.DataFrame], regions: list[str]) -> dict[str, float]:
    """Mean import dependency and secondary supply share per partnership region."""
    ind = tables["indicators"]
    out = {}
    for r in regions:
        for name, label in (
            ("import_dependency", "import_dependency"),
            ("secondary_supply_share", "secondary_share"),
        ):
            sel = ind[(ind["indicator"] == name) & (ind["region"] == r)]
            out[f"{label}_{r}"] = float(sel["value"].mean()) if len(sel) else 0.0
    return out


def frontier(
    model: str | Path,
    scenario: str | None = None,
    points: int = 5,
    out: str | Path | None = None,
    force: bool = False,
) -> pd.DataFrame:
    """Compute the frontier of a model file; optionally write it to ``out``.

    ``out`` receives ``frontier.csv``, ``frontier.parquet``, ``summary.json`` and
    ``figures/frontier.png`` (+ ``.pdf``), written atomically.
    """
    data = pipeline.validate(model, scenario)
    if out is not None:
        check_output(out, model_file=data.config.source_file, inputs=model_inputs(data.config))
    table = compute_frontier(data, points)
    if out is not None:

        def write(tmp: Path) -> None:
            from mfa.report import plot_frontier, save_figure

            table.to_csv(tmp / "frontier.csv", index=False)
            table.to_parquet(tmp / "frontier.parquet", index=False)
            (tmp / "figures").mkdir()
            save_figure(plot_frontier(table), tmp / "figures" / "frontier", ("png", "pdf"))
            summary = {
                "model": data.name,
                "scenario": scenario,
                "points": points,
                "data_hash": data.data_hash,
            }
            (tmp / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
            manifest.write_all(tmp, "frontier", manifest.describe(data.config, data.data_hash))

        write_atomically(Path(out), force, write)
    return table
