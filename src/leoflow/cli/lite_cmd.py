"""`leoflow lite [WORKSPACE]`: the API, the UI, the engine and hot reload in one command.

With a TTY (and without `--no-tui`) the Textual dashboard runs in the terminal and log lines go
to `<data dir>/lite.log`; otherwise log lines are printed (timestamped) to stderr. SIGINT and
SIGTERM stop it gracefully. Exit codes: 0 stopped cleanly, 2 workspace or option problem,
3 datastore problem.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
import webbrowser
from pathlib import Path
from typing import Any

EXIT_USAGE = 2
EXIT_STORE = 3


def add_parsers(sub: Any) -> None:
    """Add `lite` and `ui fetch` to the `leoflow` parser."""
    p = sub.add_parser("lite", help="run a workspace locally: UI, API, scheduler, hot reload")
    p.add_argument("workspace", nargs="?", default=".", help="workspace folder (default: .)")
    p.add_argument("--port", type=int, default=8088, help="HTTP port (default 8088, or next free)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--postgres",
        choices=("auto", "managed", "docker", "external"),
        default="auto",
        help="datastore: auto (external if LEOFLOW_DATABASE_URL is set, else managed)",
    )
    p.add_argument("--executor", default="local", help="task executor (default local)")
    p.add_argument("--no-tui", action="store_true", help="plain log lines, no dashboard")
    p.add_argument("--open", action="store_true", help="open the UI in the browser")
    p.add_argument(
        "--grace", type=float, default=10.0, help="seconds running tasks get on shutdown"
    )
    p.set_defaults(handler=run)

    ui = sub.add_parser("ui", help="the Airflow UI bundle")
    usub = ui.add_subparsers(dest="ui_command", metavar="SUBCOMMAND")
    f = usub.add_parser("fetch", help="download and verify the Airflow 3.2.1 UI bundle")
    f.add_argument("--wheel", metavar="PATH", help="use this apache-airflow-core wheel file")
    f.set_defaults(handler=run_ui_fetch)


class _Formatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(message)s", "%Y-%m-%d %H:%M:%S")


def _setup_logging(stream: Any = None, file: Path | None = None) -> None:
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler: logging.Handler
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_Formatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # leoflow.store.queries: Lite logs each registration itself, with the DAG and version.
    for noisy in ("aiohttp.access", "alembic", "asyncio", "watchfiles", "leoflow.store.queries"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def run(args: argparse.Namespace) -> int:
    """The `lite` command."""
    tui = not args.no_tui and sys.stdin.isatty() and sys.stdout.isatty()
    try:
        return asyncio.run(_main(args, tui))
    except KeyboardInterrupt:
        return 130


async def _main(args: argparse.Namespace, tui: bool) -> int:
    from leoflow.config import load_settings
    from leoflow.errors import LeoflowError, StoreError
    from leoflow.lite.app import Lite, LiteOptions, banner
    from leoflow.lite.workspace import WorkspaceError

    settings = load_settings()
    _setup_logging(file=settings.home / "lite.log" if tui else None)
    lite = Lite(
        LiteOptions(
            workspace=Path(args.workspace),
            host=args.host,
            port=args.port,
            postgres=args.postgres,
            executor=args.executor,
            grace_s=args.grace,
        ),
        settings,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        status = await lite.start()
    except (WorkspaceError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_STORE if isinstance(exc, StoreError) else EXIT_USAGE
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(banner(status), flush=True)
    gc.freeze()  # what the start made lives as long as this process: collections skip it
    if args.open:
        with contextlib.suppress(Exception):
            webbrowser.open(status.url)
    try:
        if tui:
            from leoflow.lite.tui import LiteDashboard

            dashboard = LiteDashboard(status.url, status=status)
            ui_task = asyncio.create_task(dashboard.run_async(), name="lite.tui")
            stop_task = asyncio.create_task(stop.wait(), name="lite.stop")
            await asyncio.wait({ui_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
            if not ui_task.done():
                dashboard.exit()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(ui_task, 5)
            stop_task.cancel()
        else:
            await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        print("Stopping Leoflow Lite...", file=sys.stderr, flush=True)
        await lite.stop()
    print("Leoflow Lite stopped cleanly.", file=sys.stderr, flush=True)
    return 0


def run_ui_fetch(args: argparse.Namespace) -> int:
    """`leoflow ui fetch [--wheel PATH]`: put the Airflow UI bundle into the cache."""
    from leoflow import uibundle
    from leoflow.errors import LeoflowError

    try:
        bundle = uibundle.fetch(Path(args.wheel) if args.wheel else None)
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Airflow UI bundle {uibundle.AIRFLOW_CORE_VERSION} is in {bundle.root}")
    return 0
