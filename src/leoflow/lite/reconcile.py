"""Keep the store in step with the workspace: register compiled DAGs, record import errors,
mark DAGs whose files are gone stale, and reconcile everything once at boot (fail-safe).

`Registry` holds what the workspace currently defines (`live`: file -> DAG ids). Only when that
picture is complete (a full compile of a readable DAG folder succeeded) does it remove anything
from the store; otherwise it registers what it can and says why it removed nothing.
A file that fails to compile keeps its DAGs' last good version (Airflow's behaviour): only its
import error is recorded.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leoflow.errors import LeoflowError

if TYPE_CHECKING:  # SQLAlchemy is imported off the start-up's critical path (app.py)
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

# (doc, absolute DAG file, source) -> (version number, created): the engine registers the DAG
# (Engine.register_file: one transaction) and learns its file.
EngineHook = Callable[[dict[str, Any], Path, str], Awaitable[tuple[int, bool]]]
Compiler = Callable[[Path], Any]  # path -> CompileOutput
DEFAULT_BUNDLE = "dags-folder"  # leoflow.store.queries.DEFAULT_BUNDLE (Airflow's bundle name)


@dataclass(slots=True, kw_only=True)
class FileResult:
    """What compiling one DAG file gave."""

    rel: str  # relative to the workspace root (Airflow's relative_fileloc)
    dags: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Applied:
    """What one `apply` changed in the store."""

    registered: list[tuple[str, int]] = field(default_factory=list)  # (dag_id, version_number)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files now in error
    cleared: list[str] = field(default_factory=list)  # files whose error was cleared
    stale: list[str] = field(default_factory=list)  # dag ids marked stale


@dataclass(slots=True, kw_only=True)
class BootReport:
    """What the boot reconcile did, or why it removed nothing (`skipped`)."""

    applied: Applied = field(default_factory=Applied)
    files: int = 0
    skipped: str | None = None


def results_by_file(out: Any, root: Path, files: Iterable[Path]) -> list[FileResult]:
    """Group a CompileOutput by file (relative to `root`); every file of `files` is listed."""
    by: dict[str, FileResult] = {}
    for f in files:
        rel = _rel(f, root)
        by[rel] = FileResult(rel=rel)
    for doc in out.dags:
        rel = str(doc["fileloc"])
        by.setdefault(rel, FileResult(rel=rel)).dags.append(doc)
    for err in out.errors:
        rel = _rel(Path(err["file"]), root)
        line = f"{err['file']}:{err['line']}: {err['message']}" if err["line"] else err["message"]
        by.setdefault(rel, FileResult(rel=rel)).errors.append(line)
    return [by[k] for k in sorted(by)]


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class Registry:
    """The workspace's DAGs as the store should see them."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        root: Path,
        engine_hook: EngineHook | None = None,
        bundle_name: str = DEFAULT_BUNDLE,
    ) -> None:
        self.sessions = sessions
        self.root = root
        self.engine_hook = engine_hook
        self.bundle_name = bundle_name
        self.live: dict[str, set[str]] = {}  # rel file -> dag ids (its last good compile)
        self.errors: dict[str, str] = {}  # rel file -> import error
        self.complete = False  # True once `live` describes the whole workspace
        self._first_pass = True  # the boot pass marks stale whatever the store has extra

    def live_ids(self) -> set[str]:
        return set().union(*self.live.values()) if self.live else set()

    async def apply(self, results: list[FileResult], removed: Iterable[str] = ()) -> Applied:
        """Record compile results and removed files (relative paths) in the store."""
        from leoflow.store import queries

        done = Applied()
        removed = list(removed)
        before = self.live_ids()
        for res in results:
            if res.errors or not res.dags:
                continue
            source = _read_source(self.root / res.rel)  # a DAG file: small, read once
            for doc in res.dags:
                await self._register(doc, res.rel, source, done)
        touches_store = bool(removed) or any(r.errors or r.rel in self.errors for r in results)
        for res in results:
            if not res.errors:
                self.live[res.rel] = {str(d["dag_id"]) for d in res.dags}
        for rel in removed:
            self.live.pop(rel, None)
        shrunk = self.complete and (bool(before - self.live_ids()) or self._first_pass)
        self._first_pass = False
        if not (touches_store or shrunk):  # the common save: nothing else to write
            _log_applied(done)
            return done
        async with self.sessions.begin() as s:
            for res in results:
                if res.errors:
                    trace = "\n".join(res.errors)
                    await queries.upsert_import_error(
                        s, res.rel, trace, bundle_name=self.bundle_name
                    )
                    self.errors[res.rel] = trace
                    done.errors.append(res.rel)
                    continue
                if self.errors.pop(res.rel, None) is not None:
                    await queries.clear_import_error(s, res.rel, bundle_name=self.bundle_name)
                    done.cleared.append(res.rel)
            for rel in removed:
                if self.errors.pop(rel, None) is not None:
                    await queries.clear_import_error(s, rel, bundle_name=self.bundle_name)
                    done.cleared.append(rel)
            if shrunk:
                done.stale = await queries.mark_stale(s, self.bundle_name, self.live_ids())
        _log_applied(done)
        return done

    async def _register(self, doc: dict[str, Any], rel: str, source: str, done: Applied) -> None:
        """Register one DAG: one transaction (a new version only when dag.json changed)."""
        from leoflow.store import queries

        dag_file = self.root / rel
        if self.engine_hook is not None:  # the engine registers it and learns its file
            number, created = await self.engine_hook(doc, dag_file, source)
        else:
            async with self.sessions.begin() as s:
                version, created = await queries.register_version(
                    s, doc, source, fileloc=str(dag_file), bundle_name=self.bundle_name
                )
            number = version.version_number
        if created:
            done.registered.append((str(doc["dag_id"]), number))
        else:
            done.unchanged.append(str(doc["dag_id"]))

    async def boot(self, dags_dir: Path, compile_folder: Compiler) -> BootReport:
        """Compile the whole DAG folder and make the store match it (fail-safe).

        Removes (marks stale, clears errors) only when the folder was read fully, compiled and
        the store's current import errors were read; otherwise registers what compiled and
        says in `skipped` why nothing was removed.
        """
        from leoflow.compiler.discover import find_dag_files
        from leoflow.store import queries

        report = BootReport()
        try:
            if not await asyncio.to_thread(dags_dir.is_dir):
                raise OSError(f"{dags_dir} is missing or not a folder")
            files = await asyncio.to_thread(find_dag_files, dags_dir)
            out = await asyncio.to_thread(compile_folder, dags_dir)
        except (OSError, LeoflowError) as exc:
            report.skipped = f"the DAG folder could not be read ({exc}); nothing was removed"
            log.warning(
                "Boot reconcile skipped: nothing was removed.",
                extra={"event": "lite.reconcile_skipped", "reason": report.skipped},
            )
            return report
        results = results_by_file(out, self.root, files)
        report.files = len(files)
        try:
            async with self.sessions() as s:
                known = {
                    e.filename
                    for e in await queries.list_import_errors(s)
                    if e.bundle_name == self.bundle_name
                }
        except Exception as exc:  # any failure to read the store must not lead to removals
            report.skipped = f"the store could not be read fully ({exc}); nothing was removed"
            log.warning(
                "Boot reconcile could not read the store: nothing was removed.",
                extra={"event": "lite.reconcile_skipped", "reason": report.skipped},
            )
            report.applied = await self.apply(results)
            return report
        # Errors the store knows for files that are gone or compile now: cleared below.
        self.errors.update({rel: "" for rel in known})
        listed = {r.rel for r in results}
        gone = sorted(rel for rel in known if rel not in listed)
        self.complete = True
        report.applied = await self.apply(results, removed=gone)
        return report


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _log_applied(done: Applied) -> None:
    for dag_id, number in done.registered:
        log.info(
            "Registered DAG %s version %s.",
            dag_id,
            number,
            extra={"event": "lite.registered", "dag_id": dag_id, "version_number": number},
        )
    for rel in done.errors:
        log.warning(
            "Import error in %s; the last good version keeps running.",
            rel,
            extra={"event": "lite.import_error", "file": rel},
        )
    for rel in done.cleared:
        log.info("Import error of %s cleared.", rel, extra={"event": "lite.error_cleared"})
    for dag_id in done.stale:
        log.info(
            "DAG %s is stale: its file is gone.",
            dag_id,
            extra={"event": "lite.stale", "dag_id": dag_id},
        )
