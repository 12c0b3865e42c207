"""Compile a DAG file or a folder of DAG files into finalized dag.json documents."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leoflow import spec
from leoflow.compiler import forkserver
from leoflow.compiler.discover import IgnoreSyntax, find_dag_files, might_contain_dag
from leoflow.errors import CompileError

WORKSPACE_MARKER = "leoflow.yaml"


@dataclass(slots=True)
class CompileOutput:
    """What compiling a path gave: finalized DAG documents and per-file errors, both sorted."""

    dags: list[spec.DagDoc] = field(default_factory=list)
    errors: list[spec.FileError] = field(default_factory=list)
    files: int = 0  # how many files were imported (after .airflowignore and safe mode)

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
    timeout_s: float = forkserver.DEFAULT_TIMEOUT_S,
    mem_bytes: int = forkserver.DEFAULT_MEM_BYTES,
    python: str | os.PathLike[str] | None = None,
    shim_root: str | os.PathLike[str] | None = None,
    environment: str = spec.DEFAULT_ENVIRONMENT,
    ignore_syntax: IgnoreSyntax = "glob",
    jobs: int | None = None,
    frozen_now: str | None = forkserver.FROZEN_NOW,
) -> CompileOutput:
    """Compile `path` (a DAG file or a folder) in the DAG environment's Python.

    `python` defaults to the environment `environment` (created on first use), `shim_root` to
    Leoflow's shim. Errors of DAG files are returned, not raised; a missing path raises.
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
    if python is None:
        from leoflow import environments

        python = environments.ensure(environment).python
    if shim_root is None:
        from leoflow.paths import shim_root as default_shim_root

        shim_root = default_shim_root()
    sources = {f: f.read_bytes() for f in files}
    requests = [
        forkserver.Request(
            path=str(f),
            root=str(base),
            timeout_s=timeout_s,
            mem_bytes=mem_bytes,
            frozen_now=frozen_now,
        )
        for f in files
    ]
    results = forkserver.compile_files(
        requests, python=Path(python).absolute(), shim_root=Path(shim_root).resolve(), jobs=jobs
    )
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
                        stability_warnings=list(result.get("warnings") or []),
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
