"""Manifests: what a results folder holds, so that nothing incomplete or foreign is read.

Every folder mfa writes for later reading (``mfa run``, ``mfa sweep``, ``mfa frontier``,
``mfa compare``) carries ``manifest.json``::

    {"format": 1, "kind": "run", "model_file": ..., "scenario": ...,
     "model_hash": <sha256 of the model definition with its scenario applied>,
     "data_hash": <sha256 of every table read>, "options": {...},
     "files": {"summary.json": {"sha256": ..., "bytes": ...},
               "tables/flows.parquet": {"sha256": ..., "bytes": ..., "columns": [...]}, ...}}

:func:`check` runs before ``mfa report``, ``mfa compare`` and ``mfa sweep --resume``
read anything: the folder must be of the expected kind and every file listed must be
there, unchanged (size and SHA-256); a table file no manifest lists is refused too.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from mfa.errors import ResultsError

MANIFEST = "manifest.json"
"""File name of the manifest inside a folder."""
FORMAT = 1
"""Manifest format version."""

KIND_WORDS = {
    "run": "a results folder written by 'mfa run'",
    "sweep": "a sweep folder written by 'mfa sweep'",
    "frontier": "a frontier folder written by 'mfa frontier'",
    "compare": "a comparison folder written by 'mfa compare'",
}


def to_json(value: Any) -> str:
    """Strict JSON text: non-finite floats (a time limit of ``inf``) are written as the
    strings ``"inf"``, ``"-inf"``, ``"nan"``, never as the invalid ``Infinity``/``NaN``."""

    def plain(x: Any) -> Any:
        if isinstance(x, dict):
            return {str(k): plain(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [plain(v) for v in x]
        if hasattr(x, "item") and callable(x.item):  # numpy scalar
            x = x.item()
        if isinstance(x, float) and not math.isfinite(x):
            return str(x)
        return x

    return json.dumps(plain(value), indent=2, default=str, allow_nan=False)


def model_hash(config: Any) -> str:
    """SHA-256 of a model definition with its scenario applied (file paths left out)."""
    described = config.model_dump(mode="json", exclude={"source_file", "data"})
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe(config: Any, data_hash: str) -> dict[str, Any]:
    """The identity of a model run: model file and hash, scenario, data hash, options."""
    return {
        "model_file": str(config.source_file) if config.source_file else None,
        "scenario": config.scenario,
        "model_hash": model_hash(config),
        "data_hash": data_hash,
        "options": config.options.model_dump(mode="json"),
    }


def identity(summary: dict[str, Any]) -> dict[str, Any]:
    """The identity fields of a run's ``summary.json`` (see :func:`describe`)."""
    keys = ("model_file", "scenario", "model_hash", "data_hash", "options")
    return {k: summary.get(k) for k in keys}


def write(folder: Path, kind: str, identity: dict[str, Any], files: list[str]) -> Path:
    """Write ``folder/manifest.json`` listing ``files`` (paths relative to ``folder``)."""
    listed: dict[str, Any] = {}
    for rel in sorted(files):
        path = folder / rel
        entry: dict[str, Any] = {"sha256": file_hash(path), "bytes": path.stat().st_size}
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            entry["columns"] = pq.read_schema(path).names
        listed[rel] = entry
    body = {"format": FORMAT, "kind": kind, **identity, "files": listed}
    tmp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    tmp.write_text(to_json(body), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)
    return folder / MANIFEST


def write_all(folder: Path, kind: str, identity: dict[str, Any]) -> Path:
    """Write ``folder/manifest.json`` listing every file now under ``folder``."""
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    return write(folder, kind, identity, [f for f in files if f != MANIFEST])


def read(folder: Path) -> dict[str, Any] | None:
    """The manifest of ``folder``, or ``None`` when it has none."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ResultsError(f"{path} is not a readable manifest ({err})") from None
    if not isinstance(body, dict) or "kind" not in body or "files" not in body:
        raise ResultsError(f"{path} is not an mfa manifest (no 'kind' or 'files')")
    return body


def check(folder: str | Path, kind: str) -> dict[str, Any]:
    """Refuse a folder that is not a complete, unchanged folder of ``kind``; return its manifest.

    Raises
    ------
    ResultsError
        Naming the folder and what is missing, changed or of another kind.
    """
    folder = Path(folder)
    wanted = KIND_WORDS[kind]
    if not folder.is_dir():
        raise ResultsError(f"{folder} is not a folder; expected {wanted}")
    body = read(folder)
    if body is None:
        raise ResultsError(
            f"{folder} is not {wanted}: it has no {MANIFEST} (written last, with the results; "
            "a folder without one is incomplete or was not written by mfa)"
        )
    if body["kind"] != kind:
        raise ResultsError(
            f"{folder} is {KIND_WORDS.get(body['kind'], repr(body['kind']))}, not {wanted}"
        )
    problems = []
    for rel, entry in body["files"].items():
        path = folder / rel
        if not path.is_file():
            problems.append(f"{rel} is missing")
        elif path.stat().st_size != entry.get("bytes") or file_hash(path) != entry.get("sha256"):
            problems.append(f"{rel} was changed or truncated after it was written")
    tables = folder / "tables"
    if tables.is_dir():
        problems += [
            f"tables/{p.name} is not one of the tables written"
            for p in sorted(tables.glob("*.parquet"))
            if f"tables/{p.name}" not in body["files"]
        ]
    if problems:
        raise ResultsError(
            f"{folder} cannot be read as {wanted}: " + "; ".join(problems) + " (run it again)"
        )
    return body
