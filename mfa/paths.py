"""Where a model may read and where mfa may write.

Two rules, used by the command line and the Python API alike:

* **Inputs stay in the project.** Every path a model names (the data folder, table
  files, sweep ``choice`` files, and the targets of symbolic links among them) is
  resolved and must lie inside the model's *project folder*: the nearest folder
  above the model file that holds ``pyproject.toml`` or ``.git`` (the model's own
  folder when there is none). ``allow_external_paths: true`` in the model file
  lifts the rule.
* **Outputs never replace inputs.** An output folder is refused, whatever
  ``force`` says, when it is or contains the working directory, the project
  folder, the model file or any file or folder the model reads, or when it lies
  inside the model's or the data's folder (unless that folder is the project
  folder itself or holds the working directory, as ``results/`` beside
  ``models/`` does).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mfa.errors import OutputError

PROJECT_MARKERS = ("pyproject.toml", ".git")
"""Files or folders that mark a project folder."""

PROJECT_RULE = (
    "the project folder is the nearest folder above the model file that holds "
    "pyproject.toml or .git (the model's own folder if none does)"
)
"""The project-root rule in words, for messages."""


def project_root(model_file: str | Path) -> Path:
    """The nearest folder above ``model_file`` holding ``pyproject.toml`` or ``.git``."""
    path = Path(model_file).resolve()
    for folder in path.parents:
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return path.parent


def outside(path: str | Path, root: Path) -> Path | None:
    """The resolved ``path`` (symbolic links followed) when it leaves ``root``, else ``None``."""
    target = Path(path).resolve()
    return None if target.is_relative_to(root.resolve()) else target


def model_inputs(config: object) -> list[Path]:
    """The model file, its data folder and every table file a model config names."""
    from mfa.inputs.tables import TABLES

    found: list[Path] = []
    source = getattr(config, "source_file", None)
    if source is not None:
        found.append(Path(source))
    found.append(Path(config.data))  # type: ignore[attr-defined]
    found += [config.table_path(name) for name in TABLES]  # type: ignore[attr-defined]
    found.append(Path(config.data) / "sources.csv")  # type: ignore[attr-defined]
    return found


def check_output(
    out: str | Path,
    *,
    model_file: str | Path | None = None,
    inputs: Iterable[str | Path] = (),
) -> Path:
    """Refuse an output folder that would replace or mix with inputs; return it resolved.

    Parameters
    ----------
    out
        The folder to be written (it may exist and then be replaced).
    model_file
        The model it belongs to: its project folder, the file and its folder are
        protected.
    inputs
        Further files and folders the run reads (data folder, tables, results
        folders being compared).

    Raises
    ------
    OutputError
        Naming the output folder, what it would replace and what to do instead.
    """
    target = Path(out).resolve()
    cwd = Path.cwd().resolve()
    protected: list[tuple[Path, str]] = [(cwd, "the working directory")]
    holders: list[tuple[Path, str]] = []
    root = None
    if model_file is not None:
        model = Path(model_file).resolve()
        root = project_root(model)
        protected += [(root, f"the project folder ({PROJECT_RULE})"), (model, "the model file")]
        holders.append((model.parent, "the model's folder"))
    for item in inputs:
        path = Path(item).resolve()
        protected.append((path, "an input it reads"))
        if path.is_dir():
            holders.append((path, "an input folder"))
    for path, what in protected:
        if path == target or path.is_relative_to(target):
            raise OutputError(
                f"refusing to write to {out}: it {'is' if path == target else 'contains'} "
                f"{what} ({path}), which would be replaced; choose a new folder such as "
                f"results/<name> (--force never replaces inputs)"
            )
    for folder, what in holders:
        if folder == root or cwd.is_relative_to(folder):
            continue  # results/ beside models/ under the project or working folder
        if target.is_relative_to(folder):
            raise OutputError(
                f"refusing to write to {out}: it lies inside {what} ({folder}); results "
                "must not mix with inputs, choose a folder such as results/<name>"
            )
    return target


def check_writable(out: str | Path) -> None:
    """Fail now (before any solve) if ``out`` cannot be created or replaced.

    Raises
    ------
    OutputError
        When ``out`` is an existing file, or the folder that would hold it is not a
        writable folder.
    """
    target = Path(out).resolve()
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write results to {out}: it is a file, not a folder")
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write results to {out}: {parent} is not a writable folder "
            "(check its permissions or choose another --out)"
        )
