"""Hot reload: watch the workspace, recompile what changed, register it.

`watchfiles` reports batches of changes; a batch closes `STEP_MS` after the last event (at most
`DEBOUNCE_MS` after the first), which folds an editor's save pattern (temp file, rename, several
writes) into one recompile. Each batch is then handled in one go:
- a DAG file (`*.py` under the DAG folder) that exists is recompiled and its DAGs registered
  (a new version only when dag.json changed); one that is gone makes its DAGs stale;
- `.airflowignore` changes rescan the whole DAG folder;
- `leoflow.yaml` changes are read again: a new `dags_folder` or `environment` rescans everything;
  an invalid file is reported and the previous settings stay.
Editor droppings (hidden files, `~` backups, `*.swp`, `*.tmp`, `4913`) are ignored.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leoflow.errors import LeoflowError
from leoflow.lite.reconcile import Applied, Registry, results_by_file
from leoflow.lite.workspace import CONFIG_NAME, Workspace, WorkspaceError

log = logging.getLogger(__name__)

STEP_MS = 15  # a batch closes this long after its last event (an editor save: < 1 ms)
DEBOUNCE_MS = 400  # ... and at most this long after its first
IGNORE_FILE = ".airflowignore"

FileCompiler = Callable[[Path, str], Any]  # (file or folder, environment) -> CompileOutput


def interesting(path: str) -> bool:
    """True for the files a batch may act on (DAG files, leoflow.yaml, .airflowignore)."""
    name = Path(path).name
    if name in (CONFIG_NAME, IGNORE_FILE):
        return True
    if name.startswith((".", "#", "~")) or name.endswith("~"):
        return False
    return name.endswith(".py")


class Watcher:
    """Watches one workspace and keeps the registry in step with it."""

    def __init__(
        self,
        workspace: Workspace,
        registry: Registry,
        compile_path: FileCompiler,
        *,
        on_config: Callable[[Workspace], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.registry = registry
        self.compile_path = compile_path
        self.on_config = on_config
        self.batches = 0
        self.last_applied: Applied | None = None
        self.ready = asyncio.Event()  # set once the underlying watcher is installed

    def _watch_paths(self) -> list[Path]:
        paths = [self.workspace.root]
        dags = self.workspace.dags_dir
        if not dags.is_relative_to(self.workspace.root) and dags.is_dir():
            paths.append(dags)
        return paths

    async def run(self, stop: asyncio.Event) -> None:
        """Watch until `stop` is set (restarting the watch when the DAG folder moves)."""
        from watchfiles import awatch

        while not stop.is_set():
            paths = self._watch_paths()
            moved = False
            watch = awatch(
                *paths,
                watch_filter=lambda _change, path: interesting(path),
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=stop,
                yield_on_timeout=True,
                rust_timeout=500,
                recursive=True,
            )
            async for changes in watch:
                self.ready.set()
                if not changes:
                    continue
                try:
                    moved = await self.handle({path for _change, path in changes})
                except Exception:  # one bad batch must not stop hot reload
                    log.exception(
                        "Could not apply a batch of workspace changes.",
                        extra={"event": "lite.reload_failed"},
                    )
                if moved:
                    break
            if not moved:
                return

    async def handle(self, paths: set[str]) -> bool:
        """Apply one batch of changed paths; True when the folders to watch changed."""
        started = time.perf_counter()
        self.batches += 1
        ws = self.workspace
        names = {Path(p).name for p in paths}
        moved = False
        rescan = IGNORE_FILE in names
        if any(Path(p) == ws.config_path for p in paths):
            before = ws.config
            try:
                after = await asyncio.to_thread(ws.reload_config)
            except WorkspaceError as exc:
                log.error(
                    "leoflow.yaml is invalid; the previous settings stay. %s",
                    exc,
                    extra={"event": "lite.config_invalid"},
                )
                after = before
            if after.dags_folder != before.dags_folder:
                moved = True
                await asyncio.to_thread(ws.dags_dir.mkdir, parents=True, exist_ok=True)
            if (after.dags_folder, after.environment) != (before.dags_folder, before.environment):
                rescan = True
                log.info(
                    "leoflow.yaml changed: dags_folder=%s environment=%s.",
                    after.dags_folder,
                    after.environment,
                    extra={"event": "lite.config_applied"},
                )
                if self.on_config is not None:
                    self.on_config(ws)
        if rescan:
            applied = await self.rescan()
        else:
            applied = await self._files(
                sorted(Path(p) for p in paths if p.endswith(".py") and _under(p, ws.dags_dir))
            )
        self.last_applied = applied
        log.info(
            "Applied workspace changes in %.0f ms.",
            (time.perf_counter() - started) * 1000,
            extra={"event": "lite.reload", "ms": round((time.perf_counter() - started) * 1000)},
        )
        return moved

    async def _files(self, files: list[Path]) -> Applied:
        root = self.workspace.root
        results = []
        removed = []
        env = self.workspace.config.environment
        for f in files:
            if not await asyncio.to_thread(f.is_file):
                removed.append(_rel(f, root))
                continue
            try:
                out = await asyncio.to_thread(self.compile_path, f, env)
            except LeoflowError:  # deleted between the event and the compile
                removed.append(_rel(f, root))
                continue
            results.extend(results_by_file(out, root, [f]))
        return await self.registry.apply(results, removed)

    async def rescan(self) -> Applied:
        """Compile the whole DAG folder and forget files that are no longer DAG files."""
        from leoflow.compiler.discover import find_dag_files

        ws = self.workspace
        dags_dir = ws.dags_dir
        files = await asyncio.to_thread(find_dag_files, dags_dir) if dags_dir.is_dir() else []
        out = await asyncio.to_thread(self.compile_path, dags_dir, ws.config.environment)
        results = results_by_file(out, ws.root, files)
        now = {r.rel for r in results}
        removed = [rel for rel in {*self.registry.live, *self.registry.errors} if rel not in now]
        return await self.registry.apply(results, removed)


def _under(path: str, folder: Path) -> bool:
    return Path(path).is_relative_to(folder)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
