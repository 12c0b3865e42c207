"""`leoflow scheduler --dags PATH`: the long-running scheduler of one store, safe to kill -9.

It compiles and registers the DAG files under PATH, then runs the engine, the local executor
and the execution API until SIGTERM/SIGINT. On every start it recovers from the crash of any
earlier instance (ADR 0003): the tries of dead engines are killed and reset as Airflow's
`adopt_or_reset_orphaned_tasks` does, and every queued or running dag run is resumed.

`--trigger DAG_ID` also creates a manual run of that DAG unless a run with `--run-id` already
exists, so that the same command line can be restarted after a crash without a second run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leoflow.errors import LeoflowError

log = logging.getLogger(__name__)


def _parse_date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise LeoflowError(f"--logical-date {value!r} is not an ISO-8601 date") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _compile(path: Path, python: str) -> list[tuple[dict[str, Any], Path]]:
    """Every DAG under `path` with the file it came from."""
    from leoflow.compiler import compile_path

    root = path if path.is_dir() else path.parent
    out = compile_path(path, root=root, python=python)
    for e in out.errors:
        log.error(
            "A DAG file does not compile: %s:%s: %s",
            e.get("file"),
            e.get("line"),
            e.get("message"),
            extra={"event": "scheduler.import_error", "file": str(e.get("file"))},
        )
    dags = []
    for doc in out.dags:
        fileloc = str(doc.get("fileloc") or "")
        file = path if path.is_file() else (root / fileloc)
        dags.append((doc, file.resolve()))
    return dags


async def run_scheduler(
    *,
    dags_path: Path,
    trigger: str | None = None,
    run_id: str | None = None,
    logical_date: datetime | None = None,
    fast_retries: bool = False,
    parallelism: int | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until `stop` is set (or SIGTERM/SIGINT): register, recover, resume, schedule."""
    from leoflow.api.execution import ExecutionServer, answer_in_process
    from leoflow.cli.dags_cmd import dag_python
    from leoflow.config import load_settings
    from leoflow.engine import dagruns, recovery, repo
    from leoflow.engine.backend import EngineBackend
    from leoflow.engine.runs import RunError
    from leoflow.engine.runtime import Engine
    from leoflow.executors.local import PARALLELISM, LocalExecutor
    from leoflow.spec import dump, version_of
    from leoflow.store.db import make_engine, open_store

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    python = dag_python()
    settings = load_settings()
    urls = await open_store(settings)
    db = make_engine(urls.async_url)
    engine = Engine(
        db,
        logs_dir=settings.logs_dir,
        executor_factory=lambda on_exit: LocalExecutor(
            on_exit=on_exit,
            parallelism=parallelism or PARALLELISM,
            forkserver=os.environ.get("LEOFLOW_AGENT_FORKSERVER", "1") != "0",
        ),
        fast_retries=fast_retries,
        run_triggered=True,
    )
    dagruns.attach(engine)  # scheduled and asset-triggered runs; pause and max_active_runs
    backend = EngineBackend(engine)
    answer_in_process(engine.executor, backend)  # forked tries: start and end on their line
    server = ExecutionServer(backend, engine.signer)
    watcher: asyncio.Task[None] | None = None
    try:
        await engine.start(await server.start())
        # Recover before anything is scheduled: tries of dead engines are killed and reset.
        await recovery.reset_orphans(engine)
        for doc, file in await asyncio.to_thread(_compile, dags_path, python):
            source = await asyncio.to_thread(file.read_text, encoding="utf-8", errors="replace")
            await engine.register(
                doc, version_hash=version_of(dump(doc)), dag_file=file, python=python, source=source
            )
        async with engine.sessions() as s:
            active = await repo.active_runs(s)
        for key in active:
            engine.wake(*key)
        if trigger is not None:
            try:
                created = await engine.create_run(
                    trigger,
                    logical_date=logical_date,
                    run_id=run_id,
                    triggered_by="cli",
                )
            except RunError as exc:
                if "already has a run" not in str(exc):
                    raise
            else:
                log.info("Triggered %s.", created, extra={"event": "scheduler.triggered"})
        watcher = asyncio.create_task(recovery.watch(engine), name="scheduler.recovery")
        ready = {"event": "scheduler.ready", "pid": os.getpid(), "api": server.url}
        print(json.dumps(ready), flush=True)
        log.info(
            "The scheduler is running.",
            extra={"event": "scheduler.ready", "instance": engine.instance_id, "resumed": active},
        )
        await stop.wait()
    finally:
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        await engine.stop()
        await server.stop()
        await db.dispose()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


def run(args: argparse.Namespace) -> int:
    """`leoflow scheduler --dags PATH [--trigger DAG_ID [--run-id ID] [--logical-date ISO]]`."""
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    path = Path(args.dags)
    if not path.exists():
        print(f"error: {path}: no such file or folder", file=sys.stderr)
        return 2
    try:
        asyncio.run(
            run_scheduler(
                dags_path=path,
                trigger=args.trigger,
                run_id=args.run_id,
                logical_date=_parse_date(args.logical_date),
                fast_retries=args.fast_retries,
                parallelism=args.parallelism,
            )
        )
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def add_parser(sub: Any) -> None:
    """Add `scheduler` to the `leoflow` parser."""
    p = sub.add_parser("scheduler", help="run the scheduler of a DAG folder (restartable)")
    p.add_argument("--dags", "--workspace", required=True, metavar="PATH", help="DAG file/folder")
    p.add_argument("--trigger", metavar="DAG_ID", help="also create a manual run of this DAG")
    p.add_argument("--run-id", help="the triggered run's id (created only if it does not exist)")
    p.add_argument("--logical-date", metavar="ISO", help="the triggered run's logical date")
    p.add_argument("--parallelism", type=int, help="task tries at once (default 32)")
    p.add_argument(
        "--fast-retries", action="store_true", help="retry failed tries at once (no retry_delay)"
    )
    p.set_defaults(handler=run)
