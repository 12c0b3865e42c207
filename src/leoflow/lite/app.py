"""The running Lite: datastore + engine + API server (/api/v2, /ui, /execution, the UI bundle)
+ hot reload, started and stopped in order.

`Lite.start()` returns once the API answers and the boot reconcile is done; `Lite.stop()` stops
the watcher, gives running task tries `grace_s` to finish, stops the engine (the executor kills
what is left), the HTTP server, and the datastore Lite started (managed Postgres: fast shutdown,
so the next start resumes from the same data).

The start, in order of what a client sees: the port is bound and listening first (`gate`); once
the datastore is up the gate answers health (the metadatabase as it is) and holds every other
request; the imports of the engine and the API (a thread, started with Postgres) end, the
application takes the held requests over, the engine starts; then the compile server (on a first
start it started with Postgres) and the boot reconcile.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
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
from leoflow.lite.gate import Gate, listen_port
from leoflow.lite.reconcile import BootReport, Registry
from leoflow.lite.watcher import Watcher
from leoflow.lite.workspace import Workspace, resolve

if TYPE_CHECKING:
    from aiohttp import web
    from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

GRACE_S = 10.0  # running task tries get this long to finish on shutdown
EXECUTORS = ("local",)  # "k8s" comes with the Kubernetes executor
START_PATH_MODULES = ("asyncpg", "leoflow.environments", "leoflow.compiler.client", "leoflow.paths")
RUNTIME_MODULES = (  # imported while the datastore starts
    "leoflow.engine.runtime",
    "leoflow.executors.local",
    "leoflow.engine.backend",
    "leoflow.api.execution",
    "leoflow.api.app",
    "leoflow.uibundle",
    "watchfiles",
)


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
    phases: dict[str, float] = field(default_factory=dict)  # start-up: seconds per phase
    cpu: dict[str, float] = field(default_factory=dict)  # process CPU seconds at each phase's end


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
        self.gate: Gate | None = None
        self._probe_conn: Any = None  # asyncpg.Connection of the gate's health probe
        self._probe_lock = asyncio.Lock()
        self._stop_watch = asyncio.Event()
        self._watch_task: asyncio.Task[None] | None = None
        self._recovery_task: asyncio.Task[None] | None = None
        self._pg_task: asyncio.Task[None] | None = None
        self._pythons: dict[str, str] = {}
        self.stopped = asyncio.Event()

    # ---------------------------------------------------------------- start

    async def start(self) -> Status:
        """Bring everything up; the status to show. Raises LeoflowError (nothing left running)."""
        started = time.perf_counter()
        collecting = gc.isenabled()
        gc.disable()  # the start allocates many long-lived objects: collecting costs ~10% CPU
        try:
            await self._start(started)
        except BaseException:
            await self.stop()
            raise
        finally:
            if collecting:
                gc.enable()
        self.status.ready_s = time.perf_counter() - started
        return self.status

    def _phase(self, name: str, since: float) -> None:
        """Record (and log, for start-up profiling) how long `name` took since `since`."""
        took = time.perf_counter() - since
        self.status.phases[name] = round(took, 3)
        self.status.cpu[name] = round(time.process_time(), 3)
        log.debug("%s: %.0f ms", name, took * 1000, extra={"event": "lite.phase", "phase": name})

    async def _start(self, started: float) -> None:
        opts = self.options
        await preflight(opts.postgres, self.settings)  # nothing is written before this passes
        ws = await asyncio.to_thread(resolve, opts.workspace, self.settings.home)
        self.workspace = ws
        settings = workspace_settings(self.settings, ws.data_dir)
        await asyncio.to_thread(settings.logs_dir.mkdir, parents=True, exist_ok=True)
        # Bound and listening from here on: early clients queue instead of being refused.
        self.gate = Gate(await asyncio.to_thread(listen_port, opts.host, opts.port), self._probe)
        port = self.gate.port
        if port != opts.port:
            self.status.notes.append(f"port {opts.port} is in use: using {port}")
        if ws.scaffolded:
            self.status.notes.append(f"new workspace: wrote {len(ws.scaffolded)} starter files")
        shown = "localhost" if opts.host in ("127.0.0.1", "::1") else opts.host
        self.status.url = f"http://{shown}:{port}"
        # In parallel: the datastore (Postgres is its own process) and the imports of the engine
        # and the API. The warm compile server (its own process too) is needed only to compile:
        # on a first start it starts now, otherwise after serving (it would compete for the CPU).
        t0 = time.perf_counter()
        # Two threads importing the same modules can deadlock (Python then hands one of them a
        # half-initialized module): what the start path imports itself is imported here first,
        # and Alembic (SQLAlchemy) waits for the import thread.
        _import_start_path()
        imports = asyncio.create_task(asyncio.to_thread(_import_runtime), name="lite.imports")
        warm: asyncio.Task[None] | None = None
        managed = opts.postgres == "managed" or (
            opts.postgres == "auto" and not settings.database_url
        )
        if managed and not await asyncio.to_thread((settings.pg_dir / "PG_VERSION").exists):
            warm = self._warm_task(ws.config.environment)
        try:
            self.datastore = await open_datastore(
                opts.postgres, settings, before_migrate=lambda: asyncio.shield(imports)
            )
            self._phase("datastore", t0)
            await self.gate.start()  # health answers from here on
            self._phase("health", started)
            await imports
            self._phase("imports", t0)
        finally:
            if self.datastore is None:  # let the helpers finish before stop() cleans up
                await asyncio.gather(*(t for t in (warm, imports) if t), return_exceptions=True)
        if self.datastore.fallback_reason:
            self.status.notes.append(
                f"Docker is not usable ({self.datastore.fallback_reason}): using managed Postgres"
            )
        self.status.workspace = str(ws.root)
        self.status.datastore = self.datastore.describe
        self.status.logs_dir = str(settings.logs_dir)
        self.status.data_dir = str(ws.data_dir)

        from leoflow.engine import recovery
        from leoflow.store.db import make_engine, make_sessionmaker

        self._db = make_engine(self.datastore.urls.async_url)
        sessions = make_sessionmaker(self._db)
        self.engine = self._make_engine(self._db, settings.logs_dir)
        await self._serve(sessions, settings.logs_dir)
        # SEAM(engine): the engine owns scheduling; Lite gives it the execution API's URL.
        await self.engine.start(f"http://{_connect_host(opts.host)}:{port}/execution")
        self._phase("serving", started)
        await self._close_probe()
        # Tries an earlier Lite left behind (killed, or the machine went down) run again.
        await recovery.reset_orphans(self.engine)
        self._recovery_task = asyncio.create_task(recovery.watch(self.engine), name="lite.recovery")
        self._pg_task = asyncio.create_task(self.datastore.keep_running(), name="lite.postgres")
        try:
            await (warm or self._warm_task(ws.config.environment))
        except Exception as exc:  # the compile then starts its own server, or a one-shot one
            log.warning(
                "The warm compile server did not start: %s", exc, extra={"event": "lite.warm"}
            )
        self.registry = Registry(sessions, root=ws.root, engine_hook=self._engine_hook)
        t0 = time.perf_counter()
        self.boot_report = await self.registry.boot(
            ws.dags_dir, lambda path: self._compile(path, ws.config.environment)
        )
        self._phase("reconcile", t0)
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
        self._phase("dags_listed", started)
        log.info(
            "Started in %.2f s (health at %.2f s, serving at %.2f s; CPU %.2f s; phases %s).",
            self.status.phases["dags_listed"],
            self.status.phases["health"],
            self.status.phases["serving"],
            self.status.cpu["dags_listed"],
            " ".join(f"{k}={v:.3f}" for k, v in self.status.phases.items()),
            extra={"event": "lite.started", **self.status.phases},
        )

    def _warm_task(self, environment: str) -> asyncio.Task[None]:
        return asyncio.create_task(
            asyncio.to_thread(self._warm_compiler, environment), name="lite.warm"
        )

    async def _probe(self) -> bool:
        """The metadatabase answers `SELECT 1` (the gate's health, before the application);
        one connection, kept until the application serves."""
        import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

        from leoflow.store.db import libpq_url

        if self.datastore is None:
            return False
        async with self._probe_lock:
            try:
                if self._probe_conn is None or self._probe_conn.is_closed():
                    self._probe_conn = await asyncpg.connect(
                        libpq_url(self.datastore.urls.async_url), timeout=3
                    )
                return bool(await self._probe_conn.fetchval("SELECT 1", timeout=3) == 1)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await self._close_probe_locked()
                return False

    async def _close_probe(self) -> None:
        async with self._probe_lock:
            await self._close_probe_locked()

    async def _close_probe_locked(self) -> None:
        conn, self._probe_conn = self._probe_conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)

    def _warm_compiler(self, environment: str) -> None:
        """Start (or reach) the warm compile server of the DAG environment."""
        from leoflow import environments
        from leoflow.compiler import client
        from leoflow.paths import shim_root

        python = self._python(environment)
        if client.enabled():
            conn = client.connect(
                str(environments.leoflow_home()), python, str(shim_root().resolve())
            )
            conn.close()

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

    async def _engine_hook(self, doc: dict[str, Any], dag_file: Path, src: str) -> tuple[int, bool]:
        environment = str((doc.get("leoflow") or {}).get("environment") or "default")
        python = self._pythons.get(environment) or await asyncio.to_thread(
            self._python, environment
        )
        _loaded, number, created = await self.engine.register_file(
            doc, dag_file=dag_file, python=python, source=src
        )
        return number, created

    def _make_engine(self, db: AsyncEngine, logs_dir: Path) -> Any:
        from leoflow.engine import dagruns
        from leoflow.engine.runtime import Engine
        from leoflow.executors.local import LocalExecutor

        forkserver = os.environ.get("LEOFLOW_AGENT_FORKSERVER", "1") != "0"
        engine = Engine(
            db,
            logs_dir=logs_dir,
            executor_factory=lambda on_exit: LocalExecutor(on_exit=on_exit, forkserver=forkserver),
        )
        dagruns.attach(engine)  # scheduled and asset-triggered runs; paused DAGs do not advance
        return engine

    async def _serve(self, sessions: Any, logs_dir: Path) -> None:
        from aiohttp import web

        from leoflow import uibundle
        from leoflow.api import execution
        from leoflow.api.app import create_app
        from leoflow.engine.backend import EngineBackend

        engine = self.engine

        def mount_execution(app: web.Application) -> None:
            backend = EngineBackend(engine)
            execution.answer_in_process(engine.executor, backend)  # forked tries: on their line
            app[execution.BACKEND] = backend
            app[execution.SIGNER] = engine.signer
            execution.add_routes(app)

        app = create_app(
            sessions,
            bundle=await asyncio.to_thread(uibundle.installed),
            engine=engine,
            logs_dir=logs_dir,
            extra_routes=mount_execution,
            test_connection=self.settings.test_connection,
        )
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        assert self.gate is not None
        assert self._runner.server is not None
        self.gate.open(self._runner.server)  # held requests go to the application
        await web.SockSite(self._runner, self.gate.sock).start()
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
        for task in (self._recovery_task, self._pg_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.engine is not None:
            if self.engine.executor.active:
                log.info(
                    "Waiting up to %.0f s for %d running task tries.",
                    self.options.grace_s,
                    self.engine.executor.active,
                    extra={"event": "lite.drain"},
                )
            try:  # what is still running after the grace is killed and reset for retry
                await self.engine.stop(grace_s=self.options.grace_s)
            except Exception:
                log.exception("The engine did not stop cleanly.", extra={"event": "lite.stop"})
        if self.gate is not None:
            await self.gate.close()
            await self._close_probe()
        if self._runner is not None:
            await self._runner.cleanup()
        if self.gate is not None:
            self.gate.sock.close()
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

    def _stop_compile_servers(self) -> None:
        from leoflow import environments
        from leoflow.compiler import client
        from leoflow.paths import shim_root

        for python in self._pythons.values():
            with contextlib.suppress(OSError):
                client.stop(str(environments.leoflow_home()), python, str(shim_root().resolve()))


def _import_start_path() -> None:
    """Import (in the calling thread) what the start path imports besides `_import_runtime`:
    the database driver of the schema check and the health probe, the compile server client."""
    import importlib

    for name in START_PATH_MODULES:
        importlib.import_module(name)


def _import_runtime() -> None:
    """Import what serving needs (run in a thread while Postgres and the compile server start:
    a cold interpreter spends most of its start-up here)."""
    import importlib

    cpu = time.thread_time()
    for name in RUNTIME_MODULES:
        importlib.import_module(name)
    log.debug("Imported the runtime in %.0f ms of CPU.", (time.thread_time() - cpu) * 1000)


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
