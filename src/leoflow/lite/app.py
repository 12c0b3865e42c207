"""The running Lite: datastore + engine + API server (/api/v2, /ui, /execution, the UI bundle)
+ hot reload, started and stopped in order.

`Lite.start()` returns once the API answers and the boot reconcile is done; `Lite.stop()` stops
the watcher, gives running task tries `grace_s` to finish, stops the engine (the executor kills
what is left), the HTTP server, and the datastore Lite started (managed Postgres: fast shutdown,
so the next start resumes from the same data).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leoflow.config import Settings
from leoflow.lite.datastore import (
    Datastore,
    Mode,
    open_datastore,
    preflight,
    workspace_settings,
)
from leoflow.lite.reconcile import BootReport, Registry
from leoflow.lite.watcher import Watcher
from leoflow.lite.workspace import Workspace, pick_port, resolve

if TYPE_CHECKING:
    from aiohttp import web
    from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

GRACE_S = 10.0  # running task tries get this long to finish on shutdown
EXECUTORS = ("local",)  # "k8s" comes with the Kubernetes executor


@dataclass(slots=True, kw_only=True)
class LiteOptions:
    """What `leoflow lite` was asked for."""

    workspace: Path
    host: str = "127.0.0.1"
    port: int = 8088
    postgres: Mode = "auto"
    executor: str = "local"
    grace_s: float = GRACE_S


@dataclass(slots=True, kw_only=True)
class Status:
    """What the banner and the dashboard show about this Lite."""

    url: str = ""
    workspace: str = ""
    datastore: str = ""
    executor: str = ""
    logs_dir: str = ""
    data_dir: str = ""
    notes: list[str] = field(default_factory=list)  # port moved, docker fallback, reconcile
    ready_s: float = 0.0


def dag_python(environment: str) -> str:
    """The interpreter that compiles and runs DAG code: LEOFLOW_DAG_PYTHON, else the DAG
    environment `environment` (built on first use)."""
    explicit = os.environ.get("LEOFLOW_DAG_PYTHON")
    if explicit:
        return explicit
    from leoflow import environments

    return str(environments.ensure(environment).python)


class Lite:
    """One running Lite for one workspace."""

    def __init__(self, options: LiteOptions, settings: Settings) -> None:
        if options.executor not in EXECUTORS:
            from leoflow.errors import LeoflowError

            raise LeoflowError(
                f"--executor {options.executor}: not available yet (choose: {', '.join(EXECUTORS)})"
            )
        self.options = options
        self.settings = settings
        self.status = Status(executor=f"{options.executor} (subprocess per task try)")
        self.workspace: Workspace | None = None
        self.datastore: Datastore | None = None
        self.registry: Registry | None = None
        self.watcher: Watcher | None = None
        self.boot_report: BootReport | None = None
        self.engine: Any = None  # leoflow.engine.runtime.Engine
        self._db: AsyncEngine | None = None
        self._runner: web.AppRunner | None = None
        self._stop_watch = asyncio.Event()
        self._watch_task: asyncio.Task[None] | None = None
        self._pythons: dict[str, str] = {}
        self.stopped = asyncio.Event()

    # ---------------------------------------------------------------- start

    async def start(self) -> Status:
        """Bring everything up; the status to show. Raises LeoflowError (nothing left running)."""
        started = time.perf_counter()
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise
        self.status.ready_s = time.perf_counter() - started
        return self.status

    async def _start(self) -> None:
        opts = self.options
        await preflight(opts.postgres, self.settings)  # nothing is written before this passes
        ws = await asyncio.to_thread(resolve, opts.workspace, self.settings.home)
        self.workspace = ws
        settings = workspace_settings(self.settings, ws.data_dir)
        await asyncio.to_thread(settings.logs_dir.mkdir, parents=True, exist_ok=True)
        port = await asyncio.to_thread(pick_port, opts.host, opts.port)
        if port != opts.port:
            self.status.notes.append(f"port {opts.port} is in use: using {port}")
        if ws.scaffolded:
            self.status.notes.append(f"new workspace: wrote {len(ws.scaffolded)} starter files")
        self.datastore = await open_datastore(opts.postgres, settings)
        if self.datastore.fallback_reason:
            self.status.notes.append(
                f"Docker is not usable ({self.datastore.fallback_reason}): using managed Postgres"
            )
        shown = "localhost" if opts.host in ("127.0.0.1", "::1") else opts.host
        self.status.url = f"http://{shown}:{port}"
        self.status.workspace = str(ws.root)
        self.status.datastore = self.datastore.describe
        self.status.logs_dir = str(settings.logs_dir)
        self.status.data_dir = str(ws.data_dir)

        from leoflow.store.db import make_engine, make_sessionmaker

        self._db = make_engine(self.datastore.urls.async_url)
        sessions = make_sessionmaker(self._db)
        python = await asyncio.to_thread(self._python, ws.config.environment)
        self.engine = self._make_engine(self._db, settings.logs_dir)
        await self._serve(sessions, settings.logs_dir, opts.host, port)
        # SEAM(engine): the engine owns scheduling; Lite gives it the execution API's URL.
        await self.engine.start(f"http://{_connect_host(opts.host)}:{port}/execution")

        self.registry = Registry(sessions, root=ws.root, engine_hook=self._engine_hook)
        self.boot_report = await self.registry.boot(
            ws.dags_dir, lambda path: self._compile(path, ws.config.environment)
        )
        if self.boot_report.skipped:
            self.status.notes.append(self.boot_report.skipped)
        else:
            applied = self.boot_report.applied
            if applied.stale:
                self.status.notes.append(
                    f"reconciled: {len(applied.stale)} DAG(s) whose files are gone are now stale"
                )
        self.watcher = Watcher(ws, self.registry, self._compile)
        self._watch_task = asyncio.create_task(
            self.watcher.run(self._stop_watch), name="lite.watcher"
        )
        log.debug("DAG python: %s", python, extra={"event": "lite.python"})

    def _python(self, environment: str) -> str:
        if environment not in self._pythons:
            self._pythons[environment] = str(Path(dag_python(environment)).absolute())
        return self._pythons[environment]

    def _compile(self, path: Path, environment: str) -> Any:
        from leoflow.compiler import compile_path

        assert self.workspace is not None
        return compile_path(
            path,
            root=self.workspace.root,
            python=self._python(environment),
            environment=environment,
            server=True,
        )

    async def _engine_hook(self, doc: dict[str, Any], digest: str, dag_file: Path, src: str) -> Any:
        environment = str((doc.get("leoflow") or {}).get("environment") or "default")
        python = await asyncio.to_thread(self._python, environment)
        return await self.engine.register(
            doc, version_hash=digest, dag_file=dag_file, python=python, source=src
        )

    def _make_engine(self, db: AsyncEngine, logs_dir: Path) -> Any:
        from leoflow.engine.runtime import Engine
        from leoflow.executors.local import LocalExecutor

        forkserver = os.environ.get("LEOFLOW_AGENT_FORKSERVER", "1") != "0"
        return Engine(
            db,
            logs_dir=logs_dir,
            executor_factory=lambda on_exit: LocalExecutor(on_exit=on_exit, forkserver=forkserver),
        )

    async def _serve(self, sessions: Any, logs_dir: Path, host: str, port: int) -> None:
        from aiohttp import web

        from leoflow import uibundle
        from leoflow.api import execution
        from leoflow.api.app import create_app
        from leoflow.engine.backend import EngineBackend

        engine = self.engine

        def mount_execution(app: web.Application) -> None:
            app[execution.BACKEND] = EngineBackend(engine)
            app[execution.SIGNER] = engine.signer
            execution.add_routes(app)

        app = create_app(
            sessions,
            bundle=await asyncio.to_thread(uibundle.installed),
            engine=engine,
            logs_dir=logs_dir,
            extra_routes=mount_execution,
        )
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        log.info(
            "Serving the API and UI on %s.", self.status.url, extra={"event": "lite.listening"}
        )

    # ---------------------------------------------------------------- stop

    async def stop(self) -> None:
        """Stop everything this Lite started, in reverse order; safe to call twice."""
        if self.stopped.is_set():
            return
        self._stop_watch.set()
        if self._watch_task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                async with asyncio.timeout(5):
                    await self._watch_task
        if self.engine is not None:
            await self._drain(self.options.grace_s)
            with contextlib.suppress(Exception):
                await self.engine.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._db is not None:
            await self._db.dispose()
        if self.datastore is not None:
            try:
                await self.datastore.stop()
            except Exception as exc:
                log.warning(
                    "Could not stop the datastore cleanly: %s", exc, extra={"event": "lite.stop"}
                )
        self._stop_compile_servers()
        self.stopped.set()
        log.info("Lite stopped.", extra={"event": "lite.stopped"})

    async def _drain(self, grace_s: float) -> None:
        """Wait up to `grace_s` for running task tries to finish."""
        executor = getattr(self.engine, "executor", None)
        if executor is None or not executor.active:
            return
        log.info(
            "Waiting up to %.0f s for %d running task tries.",
            grace_s,
            executor.active,
            extra={"event": "lite.drain"},
        )
        deadline = time.monotonic() + grace_s
        # The executor protocol exposes a counter, not an event: poll it, bounded by the grace.
        while executor.active and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)

    def _stop_compile_servers(self) -> None:
        from leoflow import environments
        from leoflow.compiler import client
        from leoflow.paths import shim_root

        for python in self._pythons.values():
            with contextlib.suppress(OSError):
                client.stop(str(environments.leoflow_home()), python, str(shim_root().resolve()))


def _connect_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def banner(status: Status) -> str:
    """The short banner printed at start."""
    lines = [
        f"Leoflow Lite is ready at {status.url}  ({status.ready_s:.1f} s)",
        f"  workspace  {status.workspace}",
        f"  datastore  {status.datastore}",
        f"  executor   {status.executor}",
        f"  logs       {status.logs_dir}",
        f"  data       {status.data_dir}",
    ]
    lines += [f"  note: {note}" for note in status.notes]
    return "\n".join(lines)
