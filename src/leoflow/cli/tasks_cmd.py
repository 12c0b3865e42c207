"""`leoflow tasks clear` and `leoflow dags trigger`: operator actions on the store, as Airflow's
CLI (a running scheduler picks the cleared or triggered runs up)."""

from __future__ import annotations

import argparse
import asyncio
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


def _user() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid: the run records no triggering user
        return None


def _run_record(run: Any) -> dict[str, Any]:
    """What Airflow's `dags trigger` prints of the new run (its local client's fields)."""
    return {
        "conf": run.conf,
        "dag_id": run.dag_id,
        "dag_run_id": run.run_id,
        "data_interval_start": run.data_interval_start,
        "data_interval_end": run.data_interval_end,
        "end_date": run.end_date,
        "last_scheduling_decision": run.last_scheduling_decision,
        "logical_date": run.logical_date,
        "run_type": run.run_type,
        "start_date": run.start_date,
        "state": run.state,
        "triggering_user_name": run.triggering_user_name,
    }


def run_trigger(args: argparse.Namespace) -> int:
    """`leoflow dags trigger DAG_ID [-c JSON] [-r ID] [-l ISO] [--no-replace-microseconds]
    [-o FORMAT]`, as Airflow's."""
    from leoflow.cli.console import render
    from leoflow.cli.dags_cmd import _parse_conf, _parse_date
    from leoflow.engine.ops import trigger_run

    async def trigger(s: Any) -> dict[str, Any]:
        run = await trigger_run(
            s, args.dag_id, logical_date=when, conf=conf, run_id=args.run_id, user=_user()
        )
        return _run_record(run)

    try:
        conf = _parse_conf(args.conf)
        when = _parse_date(args.logical_date)
        if when is not None and args.replace_microseconds:
            when = when.replace(microsecond=0)
        record = asyncio.run(_with_session(trigger))
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(render([record], args.output))
    return 0


async def dags_matching(s: Any, pattern: str) -> list[Any]:
    """The registered DAGs (rows, by id) whose id `pattern` finds (`re.search`, as Airflow's
    `--dag-regex` and `--treat-dag-id-as-regex`)."""
    import re

    from sqlalchemy import select

    from leoflow.store.models import DagModel

    try:
        found = re.compile(pattern)
    except re.error as exc:
        raise LeoflowError(f"{pattern!r} is not a regular expression: {exc}") from None
    dags = (await s.execute(select(DagModel).order_by(DagModel.dag_id))).scalars().all()
    return [d for d in dags if found.search(d.dag_id)]


def run_clear(args: argparse.Namespace) -> int:
    """`leoflow tasks clear DAG_ID [-t REGEX] [-s START] [-e END] [-u] [-d] [-f] [-r] [-R]
    [-y]`."""
    from leoflow.cli.dags_cmd import _parse_date
    from leoflow.engine.clearing import Cleared
    from leoflow.engine.ops import clear_tasks

    async def clear(s: Any) -> list[tuple[str, Cleared]]:
        dag_ids = (
            [d.dag_id for d in await dags_matching(s, args.dag_id)]
            if args.dag_regex
            else [args.dag_id]
        )
        return [
            (
                dag_id,
                await clear_tasks(
                    s,
                    dag_id,
                    task_regex=args.task_regex,
                    start_date=start,
                    end_date=end,
                    upstream=args.upstream,
                    downstream=args.downstream,
                    only_failed=args.only_failed,
                    only_running=args.only_running,
                ),
            )
            for dag_id in dag_ids
        ]

    try:
        start = _parse_date(args.start_date, "--start-date")
        end = _parse_date(args.end_date, "--end-date")
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.yes:
        what = f"the DAGs matching {args.dag_id!r}" if args.dag_regex else args.dag_id
        try:
            answer = input(f"Clear the matching task instances of {what}? [y/n] ")
        except EOFError:
            print(
                "\nerror: no answer on stdin\n  hint: pass -y to clear without asking",
                file=sys.stderr,
            )
            return 2
        if answer.strip().lower() not in ("y", "yes"):
            print("Cancelled, nothing was cleared.")
            return 0
    try:
        results = asyncio.run(_with_session(clear))
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cleared = runs = 0
    for dag_id, done in results:
        restarting = set(done.restarting)
        for key in done.task_instances:
            run_id, task_id, map_index = key
            name = task_id if map_index < 0 else f"{task_id}[{map_index}]"
            note = " (running: restarting, its try is stopped)" if key in restarting else ""
            of = f"{dag_id}/{run_id}" if args.dag_regex else run_id
            print(f"cleared {name} of {of}{note}")
        cleared += len(done.task_instances)
        runs += len(done.runs)
    print(f"{cleared} task instance(s) cleared in {runs} run(s)")
    return 0


def add_trigger_parser(dsub: Any) -> None:
    p = dsub.add_parser("trigger", help="queue a manual run of a registered DAG")
    p.add_argument("dag_id")
    p.add_argument("-c", "--conf", metavar="JSON", help="the run's conf (a JSON object)")
    p.add_argument("-r", "--run-id", help="the run id (default manual__<logical date>)")
    p.add_argument("-l", "--logical-date", metavar="ISO", help="the logical date (default: none)")
    p.add_argument(
        "--no-replace-microseconds",
        dest="replace_microseconds",
        action="store_false",
        help="keep the logical date's microseconds (Airflow zeroes them by default)",
    )
    p.add_argument(
        "-o",
        "--output",
        choices=("table", "json", "yaml", "plain"),
        default="table",
        help="output format (default: table)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="accepted, as in Airflow")
    p.set_defaults(handler=run_trigger)


def add_parsers(sub: Any) -> None:
    """Add `tasks` (clear, list, state, states-for-dag-run) to the `leoflow` parser."""
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
    p.add_argument(
        "-R", "--dag-regex", action="store_true", help="DAG_ID is a regex over the DAG ids"
    )
    p.add_argument("--bundle-name", help="accepted, as in Airflow (Leoflow has one bundle)")
    p.add_argument("-v", "--verbose", action="store_true", help="accepted, as in Airflow")
    p.set_defaults(handler=run_clear)
    from leoflow.cli.inspect_cmd import add_tasks_parsers

    add_tasks_parsers(tsub)
