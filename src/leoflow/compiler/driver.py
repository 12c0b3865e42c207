"""Compile a DAG file or a folder of DAG files into finalized dag.json documents.

On the hot path of `leoflow compile`: module-level imports stay cheap (no dataclasses,
subprocess, logging, and for a single file no pathlib: paths are `os.path` strings); folders
(`discover`) and the one-shot fork server are imported only when they are used.
"""

from __future__ import annotations

import os

from leoflow import spec
from leoflow.compiler.safemode import might_contain_dag
from leoflow.errors import CompileError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing slows `leoflow compile`
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from leoflow.compiler.discover import IgnoreSyntax

WORKSPACE_MARKER = "leoflow.yaml"
FROZEN_NOW = "2025-01-01T00:00:00+00:00"  # the instant Airflow's golden files were made at
DEFAULT_TIMEOUT_S = 30.0  # Airflow's [core] dagbag_import_timeout
DEFAULT_MEM_BYTES = 2 << 30  # address-space limit of one DAG file's import


class CompileOutput:
    """What compiling a path gave: finalized DAG documents and per-file errors, both sorted."""

    __slots__ = ("dags", "errors", "files")

    def __init__(
        self,
        dags: list[spec.DagDoc] | None = None,
        errors: list[spec.FileError] | None = None,
        files: int = 0,
    ) -> None:
        self.dags: list[spec.DagDoc] = dags if dags is not None else []
        self.errors: list[spec.FileError] = errors if errors is not None else []
        self.files = files  # how many files were imported (after .airflowignore and safe mode)

    def __repr__(self) -> str:
        return (
            f"CompileOutput(dags={len(self.dags)}, errors={len(self.errors)}, files={self.files})"
        )

    def to_json(self) -> dict[str, Any]:
        """The `--json` shape that shared/tools/compare_structure.py reads."""
        return {"dags": self.dags, "errors": self.errors}


def find_root(path: Path) -> Path:
    """The workspace root of `path`: the nearest folder holding leoflow.yaml, else the folder
    compiled (for a file: its folder). `fileloc` is relative to it."""
    from pathlib import Path

    return Path(_root_of(str(path)))


def _root_of(path: str) -> str:
    """`find_root` of an absolute path, as a string."""
    start = path if os.path.isdir(path) else os.path.dirname(path)
    folder = start
    while True:
        if os.path.isfile(os.path.join(folder, WORKSPACE_MARKER)):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent


def _shown(path: str) -> str:
    """`str(pathlib.Path(path))`: how a path given on the command line is shown."""
    root = "/" if path.startswith("/") else ""
    if path.startswith("//") and not path.startswith("///"):
        root = "//"  # POSIX keeps exactly two leading slashes
    return root + "/".join(p for p in path.split("/") if p and p != ".") or "."


def compile_path(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    mem_bytes: int = DEFAULT_MEM_BYTES,
    python: str | os.PathLike[str] | None = None,
    shim_root: str | os.PathLike[str] | None = None,
    environment: str = spec.DEFAULT_ENVIRONMENT,
    ignore_syntax: IgnoreSyntax = "glob",
    jobs: int | None = None,
    frozen_now: str | None = FROZEN_NOW,
    server: bool = False,
) -> CompileOutput:
    """Compile `path` (a DAG file or a folder) in the DAG environment's Python.

    `python` defaults to the environment `environment` (created on first use), `shim_root` to
    Leoflow's shim. `server`: use the warm compile server of `client` (started on first use,
    shared by later calls), else a one-shot fork server. Errors of DAG files are returned, not
    raised; a missing path raises.
    """
    given = _shown(os.fspath(path))
    absolute = os.path.realpath(given)
    if not os.path.exists(absolute):
        raise CompileError(
            f"{given}: no such file or folder\n  hint: pass a DAG file or a folder of DAG files"
        )
    base = os.path.realpath(root) if root is not None else _root_of(absolute)
    sources: dict[str, bytes] = {}
    if os.path.isdir(absolute):
        from leoflow.compiler.discover import read_dag_files

        sources.update(read_dag_files(absolute, syntax=ignore_syntax))
        files = list(sources)
        shown = {f: _shown(os.path.join(given, os.path.relpath(f, absolute))) for f in files}
    else:
        sources[absolute] = _read(absolute)
        files = [absolute] if might_contain_dag(sources[absolute]) else []
        shown = {absolute: given}
    out = CompileOutput(files=len(files))
    if not files:
        return out
    from leoflow import environments

    if python is None:
        python = environments.ready_python(environment) or environments.ensure(environment).python
    if shim_root is None:
        from leoflow.paths import shim_dir

        shim_root = shim_dir()
    python, shim_root = os.path.abspath(python), os.path.realpath(shim_root)
    for f in files:
        if f not in sources:
            sources[f] = _read(f)
    home = environments.home_dir()
    code_cache = os.path.join(home, "cache", "code")  # compiled DAG files, by path and content
    requests: list[dict[str, Any]] = [
        {
            "path": f,
            "root": base,
            "timeout": timeout_s,
            "mem_bytes": mem_bytes,
            "frozen_now": frozen_now,
            "code_cache": code_cache,
        }
        for f in files
    ]
    results = _import_files(requests, python, shim_root, jobs=jobs, server=server, home=home)
    seen: dict[str, str] = {}
    for f, result in zip(files, results, strict=True):
        display = shown[f]
        errors = [_file_error(e, display) for e in result.get("errors") or []]
        fileloc = _fileloc(f, base)
        docs = []
        for doc in [] if errors else result.get("dags") or []:
            dag_id = doc.get("dag_id")
            if isinstance(dag_id, str) and dag_id in seen:
                errors.append(
                    {
                        "file": display,
                        "line": 0,
                        "message": f"AirflowDagDuplicatedIdException: Ignoring DAG {dag_id} "
                        f"from {fileloc} - also found in {seen[dag_id]}",
                    }
                )
                continue
            try:
                docs.append(
                    spec.finalize(
                        doc,
                        fileloc=fileloc,
                        source=sources[f],
                        environment=environment,
                        stability_warnings=list(result.get("stability_warnings") or []),
                    )
                )
            except CompileError as exc:
                errors.append({"file": display, "line": 0, "message": str(exc)})
        if errors:
            out.errors.extend(errors)  # a file with an error contributes no DAG, as in Airflow
            continue
        for doc in docs:
            seen[doc["dag_id"]] = fileloc
        out.dags.extend(docs)
    out.dags.sort(key=lambda d: (d["fileloc"], d["dag_id"]))
    out.errors.sort(key=lambda e: (e["file"], e["line"], e["message"]))
    return out


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _import_files(
    requests: list[dict[str, Any]],
    python: str,
    shim_root: str,
    *,
    jobs: int | None,
    server: bool,
    home: str,
) -> list[dict[str, Any]]:
    """One result per request: from the warm server when asked (and it works), else, or for
    the files it did not answer (it died on one of them), from one-shot fork servers."""
    results: list[dict[str, Any] | None] = [None] * len(requests)
    fresh = False  # the warm server answered some files and died: retry the rest one by one
    if server:
        from leoflow.compiler import client

        try:
            results = client.compile_files(requests, home=home, python=python, shim_root=shim_root)
            fresh = True
        except client.Unavailable as exc:
            from leoflow.compiler.forkserver import log

            log.info(
                "The warm compile server is unavailable (%s); using a one-shot server.",
                exc,
                extra={"event": "compile.server_unavailable"},
            )
    left = [i for i, r in enumerate(results) if r is None]
    if left:
        from pathlib import Path

        from leoflow.compiler import forkserver

        redone = forkserver.compile_files(
            [requests[i] for i in left],
            python=Path(python),
            shim_root=Path(shim_root),
            jobs=jobs,
            one_by_one=fresh,
        )
        for i, res in zip(left, redone, strict=True):
            results[i] = res
    return [r for r in results if r is not None]


def _fileloc(path: str, root: str) -> str:
    if path.startswith(root.rstrip("/") + "/"):
        return os.path.relpath(path, root)
    return os.path.basename(path)  # outside the workspace (an explicit --root elsewhere)


def _file_error(err: Any, display: str) -> spec.FileError:
    if not isinstance(err, dict):
        return {"file": display, "line": 0, "message": str(err)}
    line = err.get("line")
    return {
        "file": display,
        "line": line if isinstance(line, int) and line >= 0 else 0,
        "message": str(err.get("message") or "unknown import error"),
    }
