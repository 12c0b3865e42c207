"""`leoflow backfill create`, as `airflow backfill create`: the backfill and its queued runs are
written to the store; a running scheduler (`leoflow scheduler`, `leoflow lite`) starts them in
order within the backfill's `max_active_runs`. `--dry-run` only lists the runs it would attempt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import Any

from leoflow.errors import LeoflowError


def _date(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO-8601 date (e.g. 2025-01-01 or 2025-01-01T00:00:00+00:00)"
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _positive(value: str) -> int:
    n = int(value)
    if n <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not a positive integer")
    return n


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("backfill", help="create backfills of a DAG over a date range")
    bsub = p.add_subparsers(dest="backfill_command", metavar="COMMAND")
    c = bsub.add_parser("create", help="backfill a DAG over [--from-date, --to-date]")
    c.add_argument("--dag-id", required=True, help="the DAG to backfill")
    c.add_argument("--from-date", required=True, type=_date, help="earliest logical date")
    c.add_argument("--to-date", required=True, type=_date, help="latest logical date")
    c.add_argument("--dag-run-conf", help="JSON dag run configuration")
    c.add_argument(
        "--run-backwards",
        action="store_true",
        help="most recent logical date first (not with depends_on_past tasks)",
    )
    c.add_argument(
        "--max-active-runs", type=_positive, default=10, help="runs at a time (default 10)"
    )
    c.add_argument(
        "--reprocess-behavior",
        choices=("none", "completed", "failed"),
        default="none",
        help="what to do with dates that already have a run (default none)",
    )
    c.add_argument("--dry-run", action="store_true", help="list the runs it would attempt")
    c.set_defaults(handler=run_create)


def run_create(args: argparse.Namespace) -> int:
    from leoflow.cli.tasks_cmd import _with_session
    from leoflow.engine import backfills

    try:
        conf = json.loads(args.dag_run_conf) if args.dag_run_conf else {}
    except json.JSONDecodeError as exc:
        print(f"error: invalid JSON in --dag-run-conf: {exc}", file=sys.stderr)
        return 2
    if not isinstance(conf, dict):
        print("error: --dag-run-conf must be a JSON object", file=sys.stderr)
        return 2
    req = backfills.Request(
        dag_id=args.dag_id,
        from_date=args.from_date,
        to_date=args.to_date,
        run_backwards=args.run_backwards,
        dag_run_conf=conf,
        reprocess_behavior=args.reprocess_behavior,
        max_active_runs=args.max_active_runs,
    )
    try:
        if args.dry_run:
            infos = asyncio.run(_with_session(lambda s: backfills.dry_run(s, req)))
            print("Performing dry run of backfill.")
            print("Runs to be attempted:")
            for info in infos:
                assert info.logical_date is not None
                print(f"    {info.logical_date.isoformat()}")
            return 0
        created = asyncio.run(_with_session(lambda s: backfills.create(s, req, user=_user())))
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    b = created.backfill
    print(
        json.dumps(
            {
                "backfill_id": b.id,
                "dag_id": b.dag_id,
                "from_date": b.from_date.isoformat(),
                "to_date": b.to_date.isoformat(),
                "reprocess_behavior": b.reprocess_behavior,
                "max_active_runs": b.max_active_runs,
                "run_ids": list(created.run_ids),
            }
        )
    )
    return 0


def _user() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
