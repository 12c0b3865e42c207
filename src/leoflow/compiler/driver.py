"""Compile a DAG file or a folder of DAG files into finalized dag.json documents.

On the hot path of `leoflow compile`: module-level imports stay cheap (no dataclasses,
subprocess, logging); the one-shot fork server is imported only when it is used.
"""

from __future__ import annotations

import os
from pathlib import Path

from leoflow import spec
from leoflow.compiler.discover import find_dag_files, might_contain_dag
from leoflow.errors import CompileError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing slows `leoflow compile`
if TYPE_CHECKING:
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
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / WORKSPACE_MARKER).is_file():
            return folder
    return start


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
    given = Path(path)
    absolute = given.resolve()
    if not absolute.exists():
        raise CompileError(
            f"{given}: no such file or folder\n  hint: pass a DAG file or a folder of DAG files"
        )
    base = Path(root).resolve() if root is not None else find_root(absolute)
    if absolute.is_dir():
        files = find_dag_files(absolute, syntax=ignore_syntax)
        shown = {f: given / f.relative_to(absolute) for f in files}
    else:
        files = [absolute] if might_contain_dag(absolute.read_bytes()) else []
        shown = {absolute: given}
    out = CompileOutput(files=len(files))
    if not files:
        return out
    from leoflow import environments

    if python is None:
        python = environments.ensure(environment).python
    if shim_root is None:
        from leoflow.paths import shim_root as default_shim_root

        shim_root = default_shim_root()
    python, shim_root = Path(python).absolute(), Path(shim_root).resolve()
    sources = {f: f.read_bytes() for f in files}
    home = environments.leoflow_home()
    code_cache = str(home / "cache" / "code")  # compiled DAG files, by path and content
    requests: list[dict[str, Any]] = [
        {
            "path": str(f),
            "root": str(base),
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
        display = str(shown[f])
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


def _import_files(
    requests: list[dict[str, Any]],
    python: Path,
    shim_root: Path,
    *,
    jobs: int | None,
    server: bool,
    home: Path,
) -> list[dict[str, Any]]:
    """One result per request: from the warm server when asked (and it works), else, or for
    the files it did not answer (it died on one of them), from one-shot fork servers."""
    results: list[dict[str, Any] | None] = [None] * len(requests)
    fresh = False  # the warm server answered some files and died: retry the rest one by one
    if server:
        from leoflow.compiler import client

        try:
            results = client.compile_files(
                requests, home=str(home), python=str(python), shim_root=str(shim_root)
            )
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
        from leoflow.compiler import forkserver

        redone = forkserver.compile_files(
            [requests[i] for i in left],
            python=python,
            shim_root=shim_root,
            jobs=jobs,
            one_by_one=fresh,
        )
        for i, res in zip(left, redone, strict=True):
            results[i] = res
    return [r for r in results if r is not None]


def _fileloc(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name  # outside the workspace (an explicit --root elsewhere)


def _file_error(err: Any, display: str) -> spec.FileError:
    if not isinstance(err, dict):
        return {"file": display, "line": 0, "message": str(err)}
    line = err.get("line")
    return {
        "file": display,
        "line": line if isinstance(line, int) and line >= 0 else 0,
        "message": str(err.get("message") or "unknown import error"),
    }
