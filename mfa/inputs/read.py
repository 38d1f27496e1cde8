"""Read one CSV table and check it against its :class:`TableSpec`.

The checks here concern one file on its own: encoding, header, types, ranges,
allowed values, units and duplicate rows. Checks across tables (references,
sources, coverage) are in :mod:`mfa.inputs.references`. Every problem found in
a file is collected; the caller raises them together.

Line numbers are CSV lines: the header is line 1, the first data row line 2.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from mfa.errors import Problem
from mfa.inputs.tables import Column, TableSpec
from mfa.inputs.units import UnitProblem, conversion_factor

LINE = "_line"
"""Column added to every table read: the CSV line of the row."""

LARGEST = 1.0e15
"""Largest magnitude accepted for any number, after conversion to the model's unit.

HiGHS treats 1e20 as infinite and loses precision far below that; no quantity of
the model (tonnes, GWh, USD, tCO2e) comes near 1e15 in a real supply chain.
"""
YEARS = (1800, 2300)
"""Years accepted in any year column (inclusive)."""

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def read_csv(
    path: Path, spec: TableSpec, shown: str, raw: bytes | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``path`` as text and check its header.

    Parameters
    ----------
    raw
        The file's bytes when the caller has read them already (so that what is parsed is
        exactly what the caller hashed).

    Returns
    -------
    frame, problems
        All cells as stripped strings plus the ``_line`` column; ``frame`` is
        empty when the file cannot be used at all.
    """
    if raw is None:
        if not path.is_file():
            return pd.DataFrame(), [Problem(shown, f"table '{spec.name}' not found")]
        raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return pd.DataFrame(), [
            Problem(shown, f"not UTF-8 text (byte {err.start})", line, expected="a UTF-8 file")
        ]
    reader = csv.reader(io.StringIO(text))
    rows, starts, end = [], [], 0
    for row in reader:  # a quoted cell may span lines: keep the line each row starts on
        rows.append(row)
        starts.append(end + 1)
        end = reader.line_num
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return pd.DataFrame(), [Problem(shown, "the file is empty", expected="a header row")]
    header = [h.strip() for h in rows[0]]
    expected = _expected_columns(spec)
    for sep in (";", "\t"):
        if len(header) == 1 and sep in header[0]:
            return pd.DataFrame(), [
                Problem(
                    shown,
                    f"the header is one column separated by {sep!r}, not by commas",
                    1,
                    expected="comma-separated values (save the table as CSV with ',' as "
                    "the separator and '.' as the decimal mark)",
                )
            ]
    problems = []
    missing = [c.name for c in expected if c.required and c.name not in header]
    for name in missing:
        problems.append(Problem(shown, "missing column", 1, name, expected=_describe(spec)))
    known = {c.name for c in expected}
    for name in header:
        if name not in known:
            problems.append(
                Problem(shown, "unknown column", 1, name or "(blank)", expected=_describe(spec))
            )
    dupes = {h for h in header if header.count(h) > 1}
    for name in sorted(dupes):
        problems.append(Problem(shown, "column appears twice", 1, name))
    if problems:
        return pd.DataFrame(), problems
    body = rows[1:]
    if not body:
        return pd.DataFrame(), [Problem(shown, "the table has a header but no rows", 1)]
    lines, cells = [], []
    for offset, row in zip(starts[1:], body, strict=False):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    shown,
                    f"row has {len(row)} fields, the header {len(header)}",
                    offset,
                    expected="one field per header column (quote text containing commas)",
                )
            )
            continue
        lines.append(offset)
        cells.append([c.strip() for c in row])
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    for c in expected:
        if c.name not in frame.columns:
            frame[c.name] = ""
    frame[LINE] = lines
    return frame, problems


def parse_table(
    frame: pd.DataFrame,
    spec: TableSpec,
    shown: str,
    unit_context: dict[str, dict[str, str]],
) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn the text cells of a table into typed columns and check them.

    Numbers are parsed before range checks (a text cell is reported as such
    and does not hide other problems of its column); units are converted to
    the table's canonical unit; ranges and allowed values are checked with a
    vectorised test per check (:func:`_check_schema`).

    Parameters
    ----------
    unit_context
        ``{"commodity": {name: unit}, "activity": {process: unit}}`` used to
        expand ``{commodity}`` and ``{activity}`` in canonical units.
    """
    problems: list[Problem] = []
    out = frame.copy()
    for col in _expected_columns(spec):
        text = out[col.name].astype(str)
        blank = text.eq("")
        if col.required and col.name not in ("note", "value") and blank.any():
            for line in out.loc[blank, LINE]:
                problems.append(
                    Problem(shown, "empty cell", int(line), col.name, expected=_expect_text(col))
                )
        if col.kind in ("float", "int"):
            numbers = pd.to_numeric(text.where(~blank), errors="coerce")
            bad = ~blank & (numbers.isna() | ~np.isfinite(numbers.fillna(0.0)))
            for line, value in zip(out.loc[bad, LINE], text[bad], strict=True):
                problems.append(
                    Problem(shown, "not a number", int(line), col.name, value, _expect_text(col))
                )
            huge = ~bad & (numbers.abs() > LARGEST)
            for line, value in zip(out.loc[huge, LINE], text[huge], strict=True):
                problems.append(
                    Problem(
                        shown,
                        "number too large",
                        int(line),
                        col.name,
                        value,
                        f"a magnitude of at most {LARGEST:g}",
                    )
                )
            bad |= huge
            out[col.name] = numbers.where(~bad)
        elif col.kind == "bool":
            lowered = text.str.lower()
            bad = ~blank & ~lowered.isin(_TRUE | _FALSE)
            for line, value in zip(out.loc[bad, LINE], text[bad], strict=True):
                problems.append(
                    Problem(shown, "not true/false", int(line), col.name, value, "true or false")
                )
            out[col.name] = lowered.isin(_TRUE)
        elif col.name in ("year", "age"):
            numbers = pd.to_numeric(text, errors="coerce")
            fraction = numbers.isna() | (numbers != numbers.round())
            span = YEARS if col.name == "year" else (0, YEARS[1] - YEARS[0])
            bad = fraction | ~numbers.between(*span)
            expect = (
                f"a whole year from {YEARS[0]} to {YEARS[1]}, such as 2030"
                if col.name == "year"
                else f"an age in whole years up to {span[1]}"
            )
            for line, value, frac in zip(out.loc[bad, LINE], text[bad], fraction[bad], strict=True):
                what = "not a whole number" if frac else "out of range"
                problems.append(Problem(shown, what, int(line), col.name, value, expect))
            out[col.name] = numbers.where(~bad).astype("Int64")
    if spec.parameter:
        problems += _parse_values(out, spec, shown, unit_context)
    if problems:
        return out, problems
    problems += _check_schema(out, spec, shown)
    problems += _check_duplicates(out, spec, shown)
    return out, problems


def _parse_values(
    out: pd.DataFrame, spec: TableSpec, shown: str, unit_context: dict[str, dict[str, str]]
) -> list[Problem]:
    """Parse ``value``, convert it to the canonical unit, in place."""
    problems: list[Problem] = []
    text = out["value"].astype(str)
    numbers = pd.to_numeric(text, errors="coerce")
    finite = np.isfinite(numbers.fillna(np.nan).astype(float))
    bad = numbers.isna() | ~finite
    for line, value in zip(out.loc[bad, LINE], text[bad], strict=True):
        shown_value = value if value else "(empty)"
        problems.append(
            Problem(shown, "not a number", int(line), "value", shown_value, "a finite number")
        )
    factors = np.ones(len(out))
    canonical = spec.canonical_unit or "dimensionless"
    named = {
        col: [str(x) for x in out[col].tolist()] if col in out else [""] * len(out)
        for col in ("commodity", "process")
    }
    targets = [
        _resolve_unit(canonical, commodity, process, unit_context)
        for commodity, process in zip(named["commodity"], named["process"], strict=True)
    ]
    for i, (unit, line, target) in enumerate(zip(out["unit"], out[LINE], targets, strict=True)):
        if target is None:
            continue  # the row names an unknown commodity/process, reported elsewhere
        try:
            factors[i] = conversion_factor(str(unit), target)
        except UnitProblem as err:
            problems.append(
                Problem(
                    shown, str(err), int(line), "unit", unit, f"a unit convertible to '{target}'"
                )
            )
    out["value"] = numbers.astype(float) * factors
    huge = ~bad & ~(out["value"].abs() <= LARGEST)
    units = out.loc[huge, "unit"]
    for line, value, unit in zip(out.loc[huge, LINE], text[huge], units, strict=True):
        problems.append(
            Problem(
                shown,
                f"value out of range after conversion from '{unit}'",
                int(line),
                "value",
                value,
                f"a magnitude of at most {LARGEST:g} in the model's unit",
            )
        )
    out["unit"] = [target or "" for target in targets]
    return problems


def _resolve_unit(
    canonical: str, commodity: str, process: str, ctx: dict[str, dict[str, str]]
) -> str | None:
    """Expand ``{commodity}`` and ``{activity}`` for one row (its commodity and process)."""
    target = canonical
    if "{commodity}" in target:
        unit = ctx["commodity"].get(commodity)
        if unit is None:
            return None
        target = target.replace("{commodity}", unit)
    if "{activity}" in target:
        unit = ctx["activity"].get(process)
        if unit is None:
            return None
        target = target.replace("{activity}", unit)
    return target.replace("unit/unit", "dimensionless")


def _check_schema(out: pd.DataFrame, spec: TableSpec, shown: str) -> list[Problem]:
    """Range and allowed-value checks, one vectorised test per check, translated into problems.

    Column by column (the table's columns in order, then ``value`` of a parameter table):
    a missing cell of a required column, then each check (allowed values, lower bound,
    upper bound) on the cells present, each in line order. A column that is absent is
    reported elsewhere (``_check_columns``).
    """
    problems = []
    for col, nullable in _checked_columns(spec):
        if col.name not in out:
            continue
        series = out[col.name]
        present = ~series.isna().to_numpy()
        failed = [] if nullable else [~present]
        values = series[present]
        for test in _tests(col):
            bad = np.zeros(len(series), dtype=bool)
            bad[present] = ~np.asarray(test(values), dtype=bool)
            failed.append(bad)
        what = "not an allowed value" if col.choices else "value out of range"
        for bad in failed:
            for index in series.index[bad]:
                value = out.loc[index, col.name]
                problems.append(
                    Problem(
                        shown,
                        what,
                        int(out.loc[index, LINE]),
                        col.name,
                        value.item() if hasattr(value, "item") else value,
                        _expect_text(col),
                    )
                )
    return problems


def _checked_columns(spec: TableSpec) -> list[tuple[Column, bool]]:
    """The columns with a range or allowed-value check, and whether a cell may be missing."""
    out = [
        (col, not col.required)
        for col in _expected_columns(spec)
        if col.choices or col.lower is not None or col.upper is not None
    ]
    if spec.parameter and (spec.value_lower is not None or spec.value_upper is not None):
        out = [(c, n) for c, n in out if c.name != "value"]
        out.append((_column_or_value(spec, "value"), False))
    return out


def _tests(col: Column) -> list:
    """The checks of a column, each a function of its present cells to a boolean mask."""
    tests = []
    if col.choices:
        allowed = list(col.choices)
        tests.append(lambda s: s.isin(allowed))
    lower, upper = col.lower, col.upper
    if lower is not None:
        tests.append((lambda s: s > lower) if col.lower_exclusive else (lambda s: s >= lower))
    if upper is not None:
        tests.append(lambda s: s <= upper)
    return tests


def _column_or_value(spec: TableSpec, name: str) -> Column:
    if name == "value" and spec.parameter:  # the bounds of 'value' are the table's
        return Column(
            "value",
            "float",
            lower=spec.value_lower,
            upper=spec.value_upper,
            lower_exclusive=spec.value_lower_exclusive,
        )
    for col in _expected_columns(spec):
        if col.name == name:
            return col
    return Column(
        "value",
        "float",
        lower=spec.value_lower,
        upper=spec.value_upper,
        lower_exclusive=spec.value_lower_exclusive,
    )


def _check_duplicates(out: pd.DataFrame, spec: TableSpec, shown: str) -> list[Problem]:
    """Rows that give the same index twice."""
    keys = [c.name for c in spec.columns if c.kind in ("dim", "key") or c.name in spec.sum_over]
    if spec.name == "process_io":
        keys = ["process", "commodity", "direction"]
    dup = out.duplicated(keys, keep=False)
    problems = []
    if dup.any():
        for _, group in out[dup].groupby(keys, sort=False):
            lines = [int(x) for x in group[LINE]]
            index = ", ".join(f"{k}={group.iloc[0][k]}" for k in keys)
            problems.append(
                Problem(
                    shown,
                    f"duplicate row for {index} (also on line(s) {', '.join(map(str, lines[1:]))})",
                    lines[0],
                    expected="one row per index",
                )
            )
    return problems


def _expected_columns(spec: TableSpec) -> list[Column]:
    cols = list(spec.columns)
    if spec.parameter:
        cols += [
            Column("value", "str"),
            Column("unit", "str"),
            Column("source", "str"),
            Column("note", "str", required=False),
        ]
    return cols


def _describe(spec: TableSpec) -> str:
    names = [c.name + ("" if c.required else "?") for c in _expected_columns(spec)]
    return "columns " + ", ".join(names)


def _expect_text(col: Column) -> str:
    if col.choices:
        return "one of " + ", ".join(col.choices)
    if col.kind == "bool":
        return "true or false"
    if col.kind in ("float", "int") or col.name == "value":
        parts = []
        if col.lower is not None:
            parts.append(f"{'>' if col.lower_exclusive else '>='} {col.lower:g}")
        if col.upper is not None:
            parts.append(f"<= {col.upper:g}")
        return "a number" + (" " + " and ".join(parts) if parts else "")
    if col.kind == "dim":
        return f"a {col.refers_to} name or '*'"
    return "text"
