"""dag.json: finalize the shim's DAG documents, write canonical bytes, hash them, validate them.

See docs/adr/0001-dag-json.md. `dump()` is the only writer of dag.json bytes: the same document
gives the same bytes, and the sha256 of those bytes is the DAG version (`version_of`).
"""

from __future__ import annotations

from leoflow.spec import fastjson

FORMAT = 1
VERSION_CHARS = 16  # how many hex chars of the sha256 are shown as "the version"
DEFAULT_ENVIRONMENT = "default"

# `leoflow compile` imports this module on every run: it imports neither json (`fastjson`
# instead), typing, pathlib nor hashlib (the TypedDicts below are built on first access, see
# `__getattr__`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, TypedDict

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


def __getattr__(name: str) -> object:
    """The typing names of this module (`JSONValue`, `DagDoc`, `LeoflowBlock`, `FileError`),
    made on first access."""
    if name not in ("JSONValue", "DagDoc", "LeoflowBlock", "FileError"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from typing import Any, TypedDict

    made: dict[str, object] = {"JSONValue": Any, "DagDoc": dict[str, Any]}
    # mypy checks the class forms above; these runtime twins are built with the call form
    made["LeoflowBlock"] = TypedDict(  # type: ignore[operator]  # (see above)
        "LeoflowBlock", {"environment": str, "stability_warnings": list[Any]}
    )
    made["FileError"] = TypedDict(  # type: ignore[operator]  # (see above)
        "FileError", {"file": str, "line": int, "message": str}
    )
    for key in ("LeoflowBlock", "FileError"):
        made[key].__module__ = __name__
    globals().update(made)
    return made[name]


def sha256_hex(data: bytes) -> str:
    """The hex sha256 of `data`, from the interpreter's built-in sha256 when it has one: importing
    `hashlib` loads OpenSSL, a tenth of a warm `leoflow compile FILE` command."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11, no stub
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # CPython >= 3.12
        except ImportError:
            from hashlib import sha256
    return sha256(data).hexdigest()  # type: ignore[no-any-return]  # (untyped C module)


def source_sha256(source: bytes) -> str:
    """The `source_sha256` of a DAG file: hex sha256 of its bytes."""
    return sha256_hex(source)


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
    return fastjson.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def load(data: bytes | str) -> DagDoc:
    """Read dag.json bytes back into a document."""
    doc = fastjson.loads(data)
    if not isinstance(doc, dict):
        raise ValueError("a dag.json document is a JSON object")
    return doc


def version_of(data: bytes) -> str:
    """The DAG version of dag.json bytes: the full hex sha256 (show `short_version`)."""
    return sha256_hex(data)


def short_version(version: str) -> str:
    """The version as shown to people: its first 16 hex characters."""
    return version[:VERSION_CHARS]


def schema_path() -> Path:
    """Where the JSON Schema of dag.json lives."""
    from pathlib import Path

    return Path(__file__).with_name("dag.schema.json")


_SCHEMA: list[dict[str, JSONValue]] = []


def schema() -> dict[str, JSONValue]:
    """The JSON Schema of dag.json (format 1)."""
    if not _SCHEMA:
        _SCHEMA.append(fastjson.loads(schema_path().read_text(encoding="utf-8")))
    return _SCHEMA[0]


def validate(doc: DagDoc) -> list[str]:
    """Every way `doc` breaks the JSON Schema, as `path: message` lines; [] when valid."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    out = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, err.absolute_path)) or "<root>"
        out.append(f"{where}: {err.message}")
    return out
