"""Exceptions that carry what went wrong in the words of the model.

Every error raised by mfa derives from :class:`MfaError`. Input problems are
collected as :class:`Problem` records (file, line, column, value, expected) so
that all problems of a file are reported together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem in one input file.

    Parameters
    ----------
    file
        The file, as given or relative to the working folder.
    message
        What is wrong, in one sentence.
    line
        1-based line in the file (CSV: the header is line 1), if known.
    column
        Column header (CSV) or key path (YAML), if known.
    value
        The offending value as read, if any.
    expected
        The expected form, e.g. ``"a number >= 0"``.
    """

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: Any = None
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


class MfaError(Exception):
    """Base class of every error mfa raises on purpose."""


class InputError(MfaError):
    """One or more problems in model files or data tables.

    Attributes
    ----------
    problems
        Every problem found, in file order.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class ConfigError(InputError):
    """Problems in a model (YAML) file."""


@dataclass
class Diagnosis:
    """Why a solve did not give an optimal solution, in the model's words.

    Attributes
    ----------
    status
        ``infeasible``, ``unbounded``, ``time_limit``, ``numerical`` or ``error``.
    summary
        One paragraph for a person.
    details
        Structured findings (shortfalls, conflicting limits) for ``diagnosis.json``.
    """

    status: str
    summary: str
    details: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary."""
        return {"status": self.status, "summary": self.summary, "details": self.details}


class SolveError(MfaError):
    """The solver did not return an optimal solution.

    Attributes
    ----------
    diagnosis
        What mfa found out about the reason.
    """

    def __init__(self, diagnosis: Diagnosis) -> None:
        self.diagnosis = diagnosis
        super().__init__(f"{diagnosis.status}: {diagnosis.summary}")


class InfeasibleError(SolveError):
    """No solution satisfies every constraint."""


class UnboundedError(SolveError):
    """The objective can decrease without limit (a cost or bound is missing)."""


class SolverLimitError(SolveError):
    """The solver stopped at a time or iteration limit, or on numerical trouble."""


class CheckError(MfaError):
    """A solved model failed a post-solve check (balance, sign, cost reconciliation)."""


class OutputError(MfaError):
    """An output folder that must not be written (it holds inputs, or cannot be written)."""


class ResultsError(MfaError):
    """A results or sweep folder that is incomplete, edited or of another kind."""


class ResultsExistError(MfaError):
    """The output folder exists and ``force`` was not given."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; pass --force (force=True) to replace it")
