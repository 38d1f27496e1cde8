"""Checks across tables: set references, sources, units and coverage.

A dimension value must be a member of its set (or ``*``); a ``source`` must
name a row of ``sources.csv`` (or be ``assumption`` with a ``note``); the
structure must make sense (each process has an output, substitute inputs share
their coefficient, products with a lifetime have an end-of-life commodity,
demanded commodities can be produced or delivered somewhere).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from mfa.errors import Problem
from mfa.inputs.read import LINE
from mfa.inputs.tables import TABLES
from mfa.stock.lifetimes import Lifetime

SOURCE_COLUMNS = ("id", "publisher", "title", "year", "table_page", "link_or_doi", "what_was_taken")
ASSUMPTION = "assumption"

_LIFETIME_PARAMS = {
    "fixed": ("mean",),
    "normal": ("mean", "std"),
    "lognormal": ("mean", "std"),
    "weibull": ("mean", "shape"),
    "table": (),
}


def read_sources(path: Path, shown: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``sources.csv``: required columns, unique non-empty ids."""
    if not path.is_file():
        return pd.DataFrame(), [
            Problem(
                shown,
                "bibliography not found",
                expected="sources.csv with columns " + ", ".join(SOURCE_COLUMNS),
            )
        ]
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as err:
        return pd.DataFrame(), [Problem(shown, f"not UTF-8 text (byte {err.start})")]
    except pd.errors.ParserError as err:
        return pd.DataFrame(), [Problem(shown, f"not a readable CSV: {err}")]
    missing = [c for c in SOURCE_COLUMNS if c not in frame.columns]
    if missing:
        return pd.DataFrame(), [
            Problem(shown, "missing column", 1, c, expected=", ".join(SOURCE_COLUMNS))
            for c in missing
        ]
    problems = []
    blank = frame["id"].str.strip() == ""
    problems += [Problem(shown, "empty source id", int(i) + 2, "id") for i in frame.index[blank]]
    dup = frame["id"].duplicated(keep="first") & ~blank
    problems += [
        Problem(shown, "duplicate source id", int(i) + 2, "id", frame.at[i, "id"])
        for i in frame.index[dup]
    ]
    return frame[~blank & ~dup].set_index("id"), problems


def check_sources(frame: pd.DataFrame, ids: set[str], shown: str) -> list[Problem]:
    """Every row's ``source`` resolves; assumptions carry a note."""
    problems = []
    for line, source, note in zip(
        frame[LINE], frame["source"], frame.get("note", ""), strict=False
    ):
        if source == ASSUMPTION:
            if not str(note).strip():
                problems.append(
                    Problem(
                        shown,
                        "an assumption needs its reasoning in 'note'",
                        int(line),
                        "note",
                        expected="a sentence of reasoning",
                    )
                )
        elif source not in ids:
            problems.append(
                Problem(
                    shown,
                    "source id not in sources.csv",
                    int(line),
                    "source",
                    source,
                    "an id of sources.csv or 'assumption'",
                )
            )
    return problems


def check_references(
    typed: Mapping[str, pd.DataFrame],
    members: Mapping[str, Sequence[str]],
    shown: Mapping[str, str],
    years: Sequence[int],
    history: Sequence[int],
) -> list[Problem]:
    """Check references between tables and the structure they describe."""
    problems: list[Problem] = []
    sets = {k: set(v) for k, v in members.items()}
    year_range = (years[0] - 100, years[-1] + 100)
    for name, frame in typed.items():
        spec = TABLES[name]
        for col in spec.columns:
            if col.kind != "dim":
                continue
            if col.refers_to in sets:
                bad = ~frame[col.name].isin(sets[col.refers_to]) & (frame[col.name] != "*")
                for line, value in zip(frame.loc[bad, LINE], frame.loc[bad, col.name], strict=True):
                    problems.append(
                        Problem(
                            shown[name],
                            f"unknown {col.refers_to}",
                            int(line),
                            col.name,
                            value,
                            _known(members[col.refers_to]),
                        )
                    )
            elif col.refers_to == "year":
                y = frame[col.name]
                bad = (y < year_range[0]) | (y > year_range[1])
                for line, value in zip(frame.loc[bad, LINE], y[bad], strict=True):
                    problems.append(
                        Problem(
                            shown[name],
                            "year far outside the horizon",
                            int(line),
                            col.name,
                            int(value),
                            f"a year between {year_range[0]} and {year_range[1]}",
                        )
                    )
            elif col.refers_to == "history_year":
                y = frame[col.name]
                bad = (y < history[0]) | (y > history[-1])
                for line, value in zip(frame.loc[bad, LINE], y[bad], strict=True):
                    problems.append(
                        Problem(
                            shown[name],
                            "historical year outside the history",
                            int(line),
                            col.name,
                            int(value),
                            f"a year from {history[0]} to {history[-1]}",
                        )
                    )
    problems += _check_commodities(typed, shown)
    problems += _check_process_io(typed, shown)
    problems += _check_lifetimes(typed, shown)
    problems += _check_coverage(typed, shown)
    return problems


def _known(values: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(sorted(values)[:limit])
    return f"one of {shown}" + (", ..." if len(values) > limit else "")


def _check_commodities(
    typed: Mapping[str, pd.DataFrame], shown: Mapping[str, str]
) -> list[Problem]:
    com = typed["commodities"]
    stage = dict(zip(com["commodity"], com["stage"], strict=True))
    problems = []
    for line, c, eol in zip(com[LINE], com["commodity"], com["eol_commodity"], strict=True):
        if eol and stage.get(eol) != "eol":
            problems.append(
                Problem(
                    shown["commodities"],
                    f"eol_commodity of '{c}' must be a commodity of stage 'eol'",
                    int(line),
                    "eol_commodity",
                    eol,
                    "a commodity with stage eol",
                )
            )
    return problems


def _check_process_io(typed: Mapping[str, pd.DataFrame], shown: Mapping[str, str]) -> list[Problem]:
    io = typed["process_io"]
    problems = []
    outputs = set(io.loc[io["direction"] == "out", "process"])
    for line, p in zip(typed["processes"][LINE], typed["processes"]["process"], strict=True):
        if p not in outputs:
            problems.append(
                Problem(
                    shown["processes"],
                    f"process '{p}' has no output in process_io",
                    int(line),
                    "process",
                    expected="at least one row with direction 'out'",
                )
            )
    grouped = io[io["group"] != ""]
    for (p, g), rows in grouped.groupby(["process", "group"]):
        if (rows["direction"] != "in").any():
            line = int(rows.loc[rows["direction"] != "in", LINE].iloc[0])
            problems.append(
                Problem(
                    shown["process_io"],
                    f"substitute group '{g}' of '{p}' may hold inputs only",
                    line,
                    "direction",
                    "out",
                    "in",
                )
            )
        if rows["value"].nunique() > 1:
            problems.append(
                Problem(
                    shown["process_io"],
                    f"substitutes in group '{g}' of '{p}' must share one coefficient",
                    int(rows[LINE].iloc[1]),
                    "value",
                    list(rows["value"]),
                    "equal values",
                )
            )
        if len(rows) < 2:
            problems.append(
                Problem(
                    shown["process_io"],
                    f"group '{g}' of '{p}' has one member",
                    int(rows[LINE].iloc[0]),
                    "group",
                    g,
                    "two or more substitute inputs, or a blank group",
                )
            )
    return problems


def _check_lifetimes(typed: Mapping[str, pd.DataFrame], shown: Mapping[str, str]) -> list[Problem]:
    if "lifetimes" not in typed:
        return []
    lt = typed["lifetimes"]
    com = typed["commodities"].set_index("commodity")
    problems = []
    survival = typed.get("survival")
    for _, row in lt.iterrows():
        line = int(row[LINE])
        for param in _LIFETIME_PARAMS[row["distribution"]]:
            if pd.isna(row.get(param)):
                problems.append(
                    Problem(
                        shown["lifetimes"],
                        f"distribution '{row['distribution']}' needs '{param}'",
                        line,
                        param,
                        expected="a number > 0",
                    )
                )
        problems += _check_lifetime_shares(row, shown["lifetimes"])
        c = row["commodity"]
        if c in com.index and not com.at[c, "eol_commodity"]:
            problems.append(
                Problem(
                    shown["lifetimes"],
                    f"'{c}' has a lifetime but no eol_commodity in commodities.csv",
                    line,
                    "commodity",
                    c,
                    "a product with an eol_commodity",
                )
            )
        if row["distribution"] == "table" and (
            survival is None or not (survival["commodity"] == c).any()
        ):
            problems.append(
                Problem(
                    shown["lifetimes"],
                    f"'{c}' uses a survival table but survival.csv has no rows for it",
                    line,
                    "distribution",
                )
            )
    if survival is not None:
        for (c, r), rows in survival.groupby(["commodity", "region"]):
            rows = rows.sort_values("age")
            values = rows["value"].to_numpy()
            if rows["age"].iloc[0] != 0 or values[0] != 1.0:
                problems.append(
                    Problem(
                        shown["survival"],
                        f"survival of '{c}' in '{r}' must start at age 0 with 1",
                        int(rows[LINE].iloc[0]),
                        "value",
                        float(values[0]),
                        "1 at age 0",
                    )
                )
            if (values[1:] > values[:-1] + 1e-12).any():
                problems.append(
                    Problem(
                        shown["survival"],
                        f"survival of '{c}' in '{r}' rises with age",
                        int(rows[LINE].iloc[-1]),
                        "value",
                        expected="shares that never increase with age",
                    )
                )
    return problems


def _check_lifetime_shares(row: pd.Series, shown: str) -> list[Problem]:
    """A parametric lifetime must give finite outflow and in-use shares (as the model uses)."""
    params = _LIFETIME_PARAMS[row["distribution"]]
    if not params or any(pd.isna(row.get(p)) for p in params):
        return []
    given = {p: float(row[p]) for p in params}
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy warns on the extreme shapes caught here
            life = Lifetime(row["distribution"], **given)
            shares = np.concatenate([life.outflow_shares(), life.in_use_shares()])
        finite = bool(np.isfinite(shares).all())
    except (ValueError, ArithmeticError):
        finite = False
    if finite:
        return []
    return [
        Problem(
            shown,
            f"{row['distribution']} lifetime with {given} gives no finite cohort shares",
            int(row[LINE]),
            params[-1],
            float(row[params[-1]]),
            "parameters that describe a usable lifetime (e.g. std >= 1 % of the mean, "
            "weibull shape >= 0.1)",
        )
    ]


def _check_coverage(typed: Mapping[str, pd.DataFrame], shown: Mapping[str, str]) -> list[Problem]:
    """Every demanded commodity is an output of some process."""
    io = typed["process_io"]
    produced = set(io.loc[io["direction"] == "out", "commodity"])
    demand = typed["demand"]
    problems = []
    for c, rows in demand.groupby("commodity"):
        if c not in produced and c != "*":
            problems.append(
                Problem(
                    shown["demand"],
                    f"demand for '{c}' but no process produces it",
                    int(rows[LINE].iloc[0]),
                    "commodity",
                    c,
                    "a commodity that is an output in process_io",
                )
            )
    return problems
