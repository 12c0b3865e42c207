"""Airflow's read-and-toggle CLI verbs on the store: `dags list`, `dags list-runs`, `dags state`,
`dags pause` / `unpause`, `tasks list`, `tasks state`, `tasks states-for-dag-run`.

Same arguments, same output (`-o table|json|yaml|plain` where Airflow has it) and the same
lookups as Airflow 3.2.1's commands: a LOGICAL_DATE_OR_RUN_ID is tried as a run id first, then
as a logical date (the newest run at that date).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from typing import Any

from leoflow.cli.tasks_cmd import _with_session, dags_matching
from leoflow.errors import LeoflowError

OUTPUT = ("table", "json", "yaml", "plain")


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


async def _dag(s: Any, dag_id: str) -> Any:
    from leoflow.store import queries

    dag = await queries.get_dag(s, dag_id)
    if dag is None:
        raise LeoflowError(f"DAG: {dag_id} does not exist in 'dag' table")
    return dag


async def _run(s: Any, dag_id: str, value: str) -> Any:
    """Airflow's fetch_dag_run_from_run_id_or_logical_date_string."""
    from leoflow.cli.dags_cmd import _parse_date
    from leoflow.engine import repo

    run = await repo.get_run(s, dag_id, value)
    if run is not None:
        return run
    try:
        when = _parse_date(value)
    except LeoflowError:  # neither a run id nor a date
        return None
    return await repo.run_at(s, dag_id, when)


async def _task_ids(s: Any, dag_id: str) -> list[str]:
    from leoflow.store import queries

    version = await queries.latest_version(s, dag_id)
    if version is None:
        raise LeoflowError(f"Can not find dag {dag_id!r}")
    tasks = (version.content or {}).get("tasks") or []
    return sorted(t["task_id"] for t in tasks if isinstance(t, dict) and "task_id" in t)


def _print_rows(rows: list[dict[str, Any]], output: str) -> None:
    from leoflow.cli.console import render

    print(render(rows, output))


def _call(work: Any) -> int:
    try:
        asyncio.run(_with_session(work))
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def run_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leoflow.store.models import DagModel

    async def work(s: Any) -> None:
        dags = (await s.execute(select(DagModel).order_by(DagModel.dag_id))).scalars().all()
        rows = [
            {
                "dag_id": d.dag_id,
                "fileloc": d.fileloc,
                "owners": d.owners,
                "is_paused": d.is_paused,
                "bundle_name": d.bundle_name,
                "bundle_version": d.bundle_version,
            }
            for d in dags
            if not d.is_stale
        ]
        _print_rows(rows, args.output)

    return _call(work)


def run_list_runs(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leoflow.cli.dags_cmd import _parse_date
    from leoflow.store.models import DagRun

    async def work(s: Any) -> None:
        await _dag(s, args.dag_id)
        q = select(DagRun).where(DagRun.dag_id == args.dag_id)
        if args.state:
            q = q.where(DagRun.state == args.state.lower())
        if args.no_backfill:
            q = q.where(DagRun.run_type != "backfill")
        if (start := _parse_date(args.start_date)) is not None:
            q = q.where(DagRun.logical_date >= start)
        if (end := _parse_date(args.end_date)) is not None:
            q = q.where(DagRun.logical_date <= end)
        runs = (await s.execute(q.order_by(DagRun.run_after.desc()))).scalars().all()
        rows = [
            {
                "dag_id": r.dag_id,
                "run_id": r.run_id,
                "state": r.state,
                "run_after": _iso(r.run_after),
                "logical_date": _iso(r.logical_date),
                "start_date": _iso(r.start_date),
                "end_date": _iso(r.end_date),
            }
            for r in runs
        ]
        _print_rows(rows, args.output)

    return _call(work)


def run_state(args: argparse.Namespace) -> int:
    async def work(s: Any) -> None:
        await _dag(s, args.dag_id)
        run = await _run(s, args.dag_id, args.logical_date_or_run_id)
        if run is None:
            print(None)
        elif run.conf:
            print(f"{run.state}, {json.dumps(run.conf)}")
        else:
            print(run.state)

    return _call(work)


def _set_paused(paused: bool, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leoflow.store.models import DagModel

    async def work(s: Any) -> None:
        if args.treat_dag_id_as_regex:
            found = [d for d in await dags_matching(s, args.dag_id) if d.is_paused != paused]
        else:
            q = select(DagModel).where(DagModel.dag_id == args.dag_id, DagModel.is_paused != paused)
            found = list((await s.execute(q)).scalars())
        if not found:
            print(f"No {'un' if paused else ''}paused DAGs were found")
            return
        if not args.yes and args.treat_dag_id_as_regex:
            ids = ",".join(d.dag_id for d in found)
            verb = "pause" if paused else "unpause"
            answer = await asyncio.to_thread(
                input, f"You are about to {verb} {len(found)} DAGs:\n{ids}\n\nAre you sure? [y/n]"
            )
            if answer.strip().lower() not in ("y", "yes"):
                print("Operation cancelled by user")
                return
        rows = []
        for dag in found:
            rows.append({"dag_id": dag.dag_id, "is_paused": dag.is_paused})
            dag.is_paused = paused
        _print_rows(rows, args.output)

    return _call(work)


def run_pause(args: argparse.Namespace) -> int:
    return _set_paused(True, args)


def run_unpause(args: argparse.Namespace) -> int:
    return _set_paused(False, args)


def run_tasks_list(args: argparse.Namespace) -> int:
    async def work(s: Any) -> None:
        print("\n".join(await _task_ids(s, args.dag_id)))

    return _call(work)


def run_task_state(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leoflow.store.models import TaskInstance

    async def work(s: Any) -> None:
        if args.task_id not in await _task_ids(s, args.dag_id):
            raise LeoflowError(f"Task {args.task_id} not found in DAG {args.dag_id}")
        run = await _run(s, args.dag_id, args.logical_date_or_run_id)
        if run is None:
            raise LeoflowError(
                f"DagRun for {args.dag_id} with run_id or logical_date of "
                f"{args.logical_date_or_run_id!r} not found"
            )
        q = select(TaskInstance.state).where(
            TaskInstance.dag_id == args.dag_id,
            TaskInstance.run_id == run.run_id,
            TaskInstance.task_id == args.task_id,
            TaskInstance.map_index == args.map_index,
        )
        print((await s.execute(q)).scalar())

    return _call(work)


def run_states_for_dag_run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leoflow.store.models import TaskInstance

    async def work(s: Any) -> None:
        run = await _run(s, args.dag_id, args.logical_date_or_run_id)
        if run is None:
            raise LeoflowError(
                f"DagRun for {args.dag_id} with run_id or logical_date of "
                f"{args.logical_date_or_run_id!r} not found"
            )
        q = select(TaskInstance).where(
            TaskInstance.dag_id == args.dag_id, TaskInstance.run_id == run.run_id
        )
        tis = (await s.execute(q.order_by(TaskInstance.task_id, TaskInstance.map_index))).scalars()
        tis = list(tis)
        mapped = any(t.map_index >= 0 for t in tis)
        rows = []
        for t in tis:
            row = {
                "dag_id": t.dag_id,
                "logical_date": _iso(run.logical_date),
                "task_id": t.task_id,
                "state": t.state or "",
                "start_date": _iso(t.start_date),
                "end_date": _iso(t.end_date),
            }
            if mapped:
                row["map_index"] = str(t.map_index) if t.map_index >= 0 else ""
            rows.append(row)
        _print_rows(rows, args.output)

    return _call(work)


def _output(p: Any) -> None:
    p.add_argument("-o", "--output", choices=OUTPUT, default="table", help="output format")
    p.add_argument("-v", "--verbose", action="store_true", help="accepted, as in Airflow")


def add_dags_parsers(dsub: Any) -> None:
    p = dsub.add_parser("list", help="list the registered DAGs")
    _output(p)
    p.set_defaults(handler=run_list)
    p = dsub.add_parser("list-runs", help="list the runs of a DAG, newest first")
    p.add_argument("dag_id")
    p.add_argument("--no-backfill", action="store_true", help="leave backfill runs out")
    p.add_argument("--state", help="only runs in this state")
    p.add_argument("-s", "--start-date", metavar="ISO", help="logical dates from this one")
    p.add_argument("-e", "--end-date", metavar="ISO", help="logical dates up to this one")
    _output(p)
    p.set_defaults(handler=run_list_runs)
    p = dsub.add_parser("state", help="the state of a run (and its conf)")
    p.add_argument("dag_id")
    p.add_argument("logical_date_or_run_id")
    p.add_argument("-v", "--verbose", action="store_true", help="accepted, as in Airflow")
    p.set_defaults(handler=run_state)
    for verb, handler in (("pause", run_pause), ("unpause", run_unpause)):
        p = dsub.add_parser(verb, help=f"{verb} DAG(s)")
        p.add_argument("dag_id")
        p.add_argument("--treat-dag-id-as-regex", action="store_true", help="DAG_ID is a regex")
        p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
        _output(p)
        p.set_defaults(handler=handler)


def add_tasks_parsers(tsub: Any) -> None:
    p = tsub.add_parser("list", help="the task ids of a DAG")
    p.add_argument("dag_id")
    p.add_argument("-v", "--verbose", action="store_true", help="accepted, as in Airflow")
    p.set_defaults(handler=run_tasks_list)
    p = tsub.add_parser("state", help="the state of a task instance")
    p.add_argument("dag_id")
    p.add_argument("task_id")
    p.add_argument("logical_date_or_run_id")
    p.add_argument("--map-index", type=int, default=-1, help="mapped task index")
    p.add_argument("-v", "--verbose", action="store_true", help="accepted, as in Airflow")
    p.set_defaults(handler=run_task_state)
    p = tsub.add_parser("states-for-dag-run", help="the states of a run's task instances")
    p.add_argument("dag_id")
    p.add_argument("logical_date_or_run_id")
    _output(p)
    p.set_defaults(handler=run_states_for_dag_run)
