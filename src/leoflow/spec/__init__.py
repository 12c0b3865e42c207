"""dag.json: finalize the shim's DAG documents, write canonical bytes, hash them, validate them.

See docs/adr/0001-dag-json.md. `dump()` is the only writer of dag.json bytes: the same document
gives the same bytes, and the sha256 of those bytes is the DAG version (`version_of`).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

FORMAT = 1
VERSION_CHARS = 16  # how many hex chars of the sha256 are shown as "the version"
DEFAULT_ENVIRONMENT = "default"

JSONValue = Any  # the shim's documents are plain JSON (dict/list/str/int/float/bool/None)
DagDoc = dict[str, JSONValue]


class LeoflowBlock(TypedDict):
    """The `leoflow` key of a dag.json: Leoflow-only facts about the DAG."""

    environment: str
    stability_warnings: list[JSONValue]


class FileError(TypedDict):
    """One import error of one DAG file, in the shape `compare_structure.py` reads."""

    file: str
    line: int
    message: str


def source_sha256(source: bytes) -> str:
    """The `source_sha256` of a DAG file: hex sha256 of its bytes."""
    return hashlib.sha256(source).hexdigest()


def finalize(
    doc: DagDoc,
    *,
    fileloc: str,
    source: bytes,
    environment: str = DEFAULT_ENVIRONMENT,
    stability_warnings: list[JSONValue] | None = None,
) -> DagDoc:
    """Turn one DAG document of the shim into a dag.json document (a new dict).

    Adds `format`, `fileloc` (relative to the workspace root, POSIX separators), `source_sha256`
    and the `leoflow` block; keeps what the shim already put in `leoflow`.
    """
    out = dict(doc)
    out["format"] = FORMAT
    out["fileloc"] = fileloc
    out["source_sha256"] = source_sha256(source)
    block: dict[str, JSONValue] = dict(doc.get("leoflow") or {})
    block["environment"] = environment
    warnings = stability_warnings if stability_warnings is not None else []
    block["stability_warnings"] = list(block.get("stability_warnings") or warnings)
    out["leoflow"] = block
    problems = check(out)
    if problems:
        from leoflow.errors import CompileError

        raise CompileError(
            f"{fileloc}: the shim produced an invalid DAG document: {'; '.join(problems)}"
        )
    return out


def check(doc: DagDoc) -> list[str]:
    """A cheap structural check of a dag.json document (no jsonschema import: it is slow).

    `validate()` is the full check against the JSON Schema.
    """
    problems = []
    if doc.get("format") != FORMAT:
        problems.append(f"format must be {FORMAT}")
    for key in ("dag_id", "fileloc", "source_sha256"):
        if not isinstance(doc.get(key), str) or not doc.get(key):
            problems.append(f"{key} must be a non-empty string")
    tasks = doc.get("tasks", [])
    if not isinstance(tasks, list):
        problems.append("tasks must be a list")
    elif not all(isinstance(t, dict) and isinstance(t.get("task_id"), str) for t in tasks):
        problems.append("every task must be an object with a string task_id")
    if not isinstance(doc.get("leoflow"), dict):
        problems.append("leoflow must be an object")
    return problems


def dump(doc: DagDoc) -> bytes:
    """The canonical bytes of a dag.json document: same document -> same bytes -> same version."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def load(data: bytes | str) -> DagDoc:
    """Read dag.json bytes back into a document."""
    doc = json.loads(data)
    if not isinstance(doc, dict):
        raise ValueError("a dag.json document is a JSON object")
    return doc


def version_of(data: bytes) -> str:
    """The DAG version of dag.json bytes: the full hex sha256 (show `short_version`)."""
    return hashlib.sha256(data).hexdigest()


def short_version(version: str) -> str:
    """The version as shown to people: its first 16 hex characters."""
    return version[:VERSION_CHARS]


def schema_path() -> Path:
    """Where the JSON Schema of dag.json lives."""
    return Path(__file__).with_name("dag.schema.json")


@cache
def schema() -> dict[str, JSONValue]:
    """The JSON Schema of dag.json (format 1)."""
    loaded: dict[str, JSONValue] = json.loads(schema_path().read_text(encoding="utf-8"))
    return loaded


def validate(doc: DagDoc) -> list[str]:
    """Every way `doc` breaks the JSON Schema, as `path: message` lines; [] when valid."""
    import jsonschema  # type: ignore[import-untyped]  # no stubs in the dependencies

    validator = jsonschema.Draft202012Validator(schema())
    out = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, err.absolute_path)) or "<root>"
        out.append(f"{where}: {err.message}")
    return out
