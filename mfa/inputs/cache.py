"""Cache of validated model data, so that re-checking unchanged inputs takes milliseconds.

Reading and checking the default model's 30 tables takes about a second and a half of
CPU; a researcher re-runs far more often than the inputs change. :func:`validated` returns
``load_data(load_model(model, scenario))`` from a cache entry when nothing it was made
from has changed, and otherwise reads, checks and stores it again.

Never stale
    An entry is used only when the SHA-256 of the bytes of every file the model read (the
    model file, each table, ``sources.csv``; a table that was absent must still be absent)
    and of every ``.py`` file of the installed ``mfa`` package (a changed check makes old
    entries unusable) equals what was recorded, and the model path, working directory,
    scenario and versions of Python, pandas, NumPy and pydantic are the same. Nothing is
    trusted from modification times.
One table edited
    When some input changed, the tables are read again through a :class:`TableMemo` kept
    beside the entry: each table, read and checked on its own, and each parameter table,
    expanded onto the model's members and years, is found there under a key holding the
    SHA-256 of the table's bytes and everything else it was made from
    (:func:`mfa.inputs.data.load_data`), so that after an edit of one table only that
    table is read and checked again; the checks across tables always run. The memo
    belongs to one version of mfa's code, pint, pyarrow and the packages of the entry's name;
    with any other it starts empty.
Unit factors
    The conversion factors the tables' units needed are kept beside the entries, in a
    file named by the hash of mfa's code and pint's version (the only things a factor
    depends on besides its two unit strings), so that re-checking edited tables imports
    pint only for a unit not seen before. Only conversions that succeeded are kept: a bad
    unit is found afresh every time.
Failure-safe
    A missing, truncated or unreadable entry is rebuilt silently; an entry is written to a
    temporary file and renamed, so that a reader never sees half of one. Inputs with
    problems are never cached: their errors are found afresh every time.
Where
    ``$MFA_CACHE_DIR`` when set, else the user's cache folder: ``$XDG_CACHE_HOME/mfa``
    (``~/.cache/mfa``) on Linux, ``~/Library/Caches/mfa`` on macOS and
    ``%LOCALAPPDATA%\\mfa\\Cache`` on Windows. Outside the project, so that results folders,
    Git and the output-folder checks never see it. ``MFA_CACHE=off`` turns it off. One
    entry per model path and scenario (8 MB for the default model, and its table memo about
    as much); delete the folder to reclaim the space. Entries are Python pickles: like any
    cache folder, it must be the user's own (a pickle from someone else can run code when
    read).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import platform
import sys
from functools import cache
from importlib.metadata import version
from pathlib import Path
from time import perf_counter
from types import MappingProxyType
from typing import Any

from mfa.config import load_model
from mfa.inputs.data import ModelData, load_data
from mfa.inputs.units import known_factors, remember
from mfa.paths import model_inputs

FORMAT = 1
"""Layout of an entry; raise when it changes."""
_ABSENT = "absent"
_FOLDER = "folder"
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    """The folder of cache entries, or None when the cache is turned off (``MFA_CACHE=off``)."""
    if os.environ.get("MFA_CACHE", "").strip().lower() in ("off", "0", "no", "false"):
        return None
    if os.environ.get("MFA_CACHE_DIR"):
        return Path(os.environ["MFA_CACHE_DIR"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "mfa" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "mfa"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mfa"


def validated(
    model: str | Path, scenario: str | None = None, timings: dict[str, float] | None = None
) -> ModelData:
    """``load_data(load_model(model, scenario))``, from the cache when no input changed.

    Parameters
    ----------
    timings
        When given, receives the seconds of two phases: ``load`` (the model file read and
        checked, the inputs hashed and, on a hit, the entry read) and ``validate`` (the
        tables read, parsed and checked; 0 when they come from the cache).

    Raises
    ------
    ConfigError, InputError
        As :func:`mfa.config.load_model` and :func:`mfa.inputs.data.load_data` (bad inputs
        are never cached).
    """
    phases = {} if timings is None else timings
    start = perf_counter()
    folder = cache_dir()
    entry = None if folder is None else folder / f"{_key(model, scenario)}.pickle"
    data = None if entry is None else _read(entry)
    if data is not None:
        phases.update(load=perf_counter() - start, validate=0.0)
        return data
    model_bytes = _state(Path(model))
    config = load_model(model, scenario)
    before = _fingerprint(model_inputs(config)) if entry is not None else {}
    phases["load"] = perf_counter() - start
    start = perf_counter()
    units = None if folder is None else folder / f"units-{_units_key()}.json"
    known = {} if units is None else _read_units(units)
    remember(known)
    memo = None if entry is None else TableMemo(entry.with_suffix(".tables"))
    try:
        data = load_data(config, memo)
    finally:  # the tables without problems are kept even when others have some
        if memo is not None:
            memo.save()
    phases["validate"] = perf_counter() - start
    if entry is None or units is None:
        return data
    after = _fingerprint(model_inputs(config))
    if before == after and _state(Path(model)) == model_bytes:  # nothing changed while reading
        _write(entry, data, after)
        found = known_factors()
        if found != known:
            _write_units(units, found)
    phases["load"] += perf_counter() - start - phases["validate"]
    return data


class TableMemo:
    """Tables read and checked on their own, kept in one file by key
    (:class:`mfa.inputs.data.Memo`).

    Each value is kept pickled, so that what the caller does with it afterwards does not
    change what is kept. :meth:`save` writes the values recalled or kept since the file was
    read (those of the inputs as they are now) and drops the rest; a file written by other
    code, pint or packages is not read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = "\0".join([str(FORMAT), _code_hash(), version("pint"), version("pyarrow")])
        self.found: dict[str, bytes] = {}
        self.used: dict[str, bytes] = {}
        try:
            with path.open("rb") as handle:
                if pickle.load(handle) == self.version:
                    self.found = pickle.load(handle)
        except Exception:  # missing, truncated or another layout: start empty
            self.found = {}

    def recall(self, key: str) -> Any | None:
        """The value kept under ``key`` (a new copy), or None."""
        kept = self.found.get(key)
        if kept is None:
            return None
        try:
            value = pickle.loads(kept)
        except Exception:  # unreadable (another layout): read the table again
            return None
        self.used[key] = kept
        return value

    def keep(self, key: str, value: Any) -> None:
        """Keep ``value`` as it is now."""
        self.used[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Write the values used since the file was read; skipped when it cannot be written."""
        if self.used.keys() == self.found.keys():
            return
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                pickle.dump(self.version, handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)


def _key(model: str | Path, scenario: str | None) -> str:
    """Name of the entry of one model path and scenario, from one place, with these versions."""
    parts = [
        str(FORMAT),
        str(Path(model)),
        str(Path.cwd().resolve()),
        str(Path(model).resolve()),
        repr(scenario),
        platform.python_version(),
        *(version(p) for p in ("pandas", "numpy", "pydantic")),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _fingerprint(paths: list[Path]) -> dict[str, str]:
    """SHA-256 of each path's bytes (or that it is a folder or absent), and of mfa's code."""
    found = {str(p): _state(p) for p in paths}
    found["mfa code"] = _code_hash()
    return found


@cache
def _code_hash() -> str:
    """SHA-256 of the path and bytes of every ``.py`` file of the mfa package (once per
    process: the code it runs was read when it started)."""
    code = hashlib.sha256()
    for source in sorted(_PACKAGE.rglob("*.py")):
        code.update(str(source.relative_to(_PACKAGE)).encode())
        code.update(source.read_bytes())
    return code.hexdigest()


def _units_key() -> str:
    """Name of the unit factors' file: mfa's code (unit definitions, parsing) and pint."""
    text = "\0".join([str(FORMAT), _code_hash(), version("pint")])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _read_units(path: Path) -> dict[tuple[str, str], float]:
    """The unit factors of ``path`` (none when it is missing or unreadable)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {(str(unit), str(target)): float(factor) for unit, target, factor in rows}
    except Exception:  # missing, truncated or another layout: find them again
        return {}


def _write_units(path: Path, factors: dict[tuple[str, str], float]) -> None:
    """Store the unit factors (JSON keeps a float exactly); skipped when it cannot be written."""
    rows = [[unit, target, factor] for (unit, target), factor in sorted(factors.items())]
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(rows), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def _state(path: Path) -> str:
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return _FOLDER if path.is_dir() else _ABSENT


def _read(entry: Path) -> ModelData | None:
    """The cached data when the entry is whole and every input is as recorded, else None."""
    try:
        with entry.open("rb") as handle:
            recorded = pickle.load(handle)
            if _fingerprint([Path(p) for p in recorded if p != "mfa code"]) != recorded:
                return None
            data = pickle.load(handle)
        if not isinstance(data, ModelData):
            return None
        return dataclasses.replace(data, params=MappingProxyType(dict(data.params)))
    except Exception:  # missing, truncated, corrupt or from another layout: rebuild
        return None


def _write(entry: Path, data: ModelData, fingerprint: dict[str, str]) -> None:
    """Store ``data`` with the fingerprint of its inputs; a cache that cannot be written is
    skipped (the result is the same, only slower next time)."""
    plain = dataclasses.replace(data, params=dict(data.params))  # a mapping proxy won't pickle
    temporary = entry.with_suffix(f".{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            pickle.dump(fingerprint, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(plain, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except OSError:
        temporary.unlink(missing_ok=True)
