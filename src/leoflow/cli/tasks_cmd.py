"""`leoflow tasks clear` and `leoflow dags trigger`: operator actions on the store, as Airflow's
CLI (a running scheduler picks the cleared or triggered runs up)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from leoflow.errors import LeoflowError

T = TypeVar("T")


async def _with_session(work: Callable[[Any], Awaitable[T]]) -> T:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from leoflow.config import load_settings
    from leoflow.store.db import make_engine, open_store

    urls = await open_store(load_settings())
    db = make_engine(urls.async_url)
    try:
        async with async_sessionmaker(db, expire_on_commit=False).begin() as s:
            return await work(s)
    finally:
        await db.dispose()


def run_trigger(args: argparse.Namespace) -> int:
    """`leoflow dags trigger DAG_ID [--conf JSON] [--run-id ID] [--logical-date ISO]`."""
    from leoflow.cli.dags_cmd import _parse_conf, _parse_date
    from leoflow.engine.ops import trigger_run

    try:
        conf = _parse_conf(args.conf)
        when = _parse_date(args.logical_date)
        run_id = asyncio.run(
            _with_session(
                lambda s: trigger_run(
                    s, args.dag_id, logical_date=when, conf=conf, run_id=args.run_id
                )
            )
        )
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"dag_id": args.dag_id, "run_id": run_id, "state": "queued"}))
    return 0


def run_clear(args: argparse.Namespace) -> int:
    """`leoflow tasks clear DAG_ID [-t REGEX] [-s START] [-e END] [-u] [-d] [-f] [-r] [-y]`."""
    from leoflow.cli.dags_cmd import _parse_date
    from leoflow.engine.ops import clear_tasks

    if not args.yes:
        answer = input(f"Clear the matching task instances of {args.dag_id}? [y/n] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Cancelled, nothing was cleared.")
            return 0
    try:
        start, end = _parse_date(args.start_date), _parse_date(args.end_date)
        done = asyncio.run(
            _with_session(
                lambda s: clear_tasks(
                    s,
                    args.dag_id,
                    task_regex=args.task_regex,
                    start_date=start,
                    end_date=end,
                    upstream=args.upstream,
                    downstream=args.downstream,
                    only_failed=args.only_failed,
                    only_running=args.only_running,
                )
            )
        )
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    restarting = set(done.restarting)
    for key in done.task_instances:
        run_id, task_id, map_index = key
        name = task_id if map_index < 0 else f"{task_id}[{map_index}]"
        note = " (running: restarting, its try is stopped)" if key in restarting else ""
        print(f"cleared {name} of {run_id}{note}")
    print(f"{len(done.task_instances)} task instance(s) cleared in {len(done.runs)} run(s)")
    return 0


def add_trigger_parser(dsub: Any) -> None:
    p = dsub.add_parser("trigger", help="queue a manual run of a registered DAG")
    p.add_argument("dag_id")
    p.add_argument("-c", "--conf", metavar="JSON", help="the run's conf (a JSON object)")
    p.add_argument("-r", "--run-id", help="the run id (default manual__<logical date>)")
    p.add_argument("-l", "--logical-date", metavar="ISO", help="the logical date (default: none)")
    p.set_defaults(handler=run_trigger)


def add_parsers(sub: Any) -> None:
    """Add `tasks` (clear) to the `leoflow` parser."""
    tasks = sub.add_parser("tasks", help="act on task instances")
    tsub = tasks.add_subparsers(dest="tasks_command", metavar="SUBCOMMAND")
    p = tsub.add_parser("clear", help="clear task instances so that they run again")
    p.add_argument("dag_id")
    p.add_argument("-t", "--task-regex", help="clear only the tasks whose id matches")
    p.add_argument("-s", "--start-date", metavar="ISO", help="runs from this logical date")
    p.add_argument("-e", "--end-date", metavar="ISO", help="runs up to this logical date")
    p.add_argument("-u", "--upstream", action="store_true", help="include upstream tasks")
    p.add_argument("-d", "--downstream", action="store_true", help="include downstream tasks")
    p.add_argument("-f", "--only-failed", action="store_true", help="only failed tasks")
    p.add_argument("-r", "--only-running", action="store_true", help="only running tasks")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=run_clear)
