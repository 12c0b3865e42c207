"""Entry point of the `leoflow` command. Imports stay lazy: `leoflow compile` must start fast.

A subcommand's module is imported only when that subcommand runs; a plain `leoflow compile`
command line does not even build the argparse parser (`compile_cmd.parse_fast`).
"""

from __future__ import annotations

import sys

from leoflow import __version__

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing slows every command's start
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence

    Handler = Callable[[argparse.Namespace], int]


def _cmd_compile(args: argparse.Namespace) -> int:
    from leoflow.cli.compile_cmd import run

    return run(args)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser. The `dags` subcommands are defined by their (heavy) module, loaded only
    when `argv` runs one of them; otherwise `dags` is listed with its one-line help."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="leoflow",
        description="Run Apache Airflow 3.2 DAG files without Airflow's control plane.",
    )
    parser.add_argument("--version", action="version", version=f"leoflow {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("compile", help="compile DAG files into dag.json")
    p.add_argument("path", help="a DAG file or a folder of DAG files")
    p.add_argument("--json", action="store_true", help='print {"dags": [...], "errors": [...]}')
    p.add_argument("--out", metavar="DIR", help="write one <dag_id>.json per DAG into DIR")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per file (default 30)")
    p.add_argument(
        "--root", metavar="DIR", help="workspace root for fileloc (default: nearest leoflow.yaml)"
    )
    p.set_defaults(handler=_cmd_compile)

    words = list(sys.argv[1:] if argv is None else argv)
    if "dags" in words:
        from leoflow.cli.dags_cmd import add_parsers as add_dags_parsers  # imports asyncio

        add_dags_parsers(sub)
    else:
        sub.add_parser("dags", help="run and inspect DAGs")
    if "lite" in words or "ui" in words:
        from leoflow.cli.lite_cmd import add_parsers as add_lite_parsers  # imports asyncio

        add_lite_parsers(sub)
    else:
        sub.add_parser("lite", help="run a workspace locally: UI, API, scheduler, hot reload")
        sub.add_parser("ui", help="the Airflow UI bundle")
    if "tasks" in words:
        from leoflow.cli.tasks_cmd import add_parsers as add_tasks_parsers

        add_tasks_parsers(sub)
    else:
        sub.add_parser("tasks", help="act on task instances (clear, list, state)")
    if "backfill" in words:
        from leoflow.cli.backfill_cmd import add_parsers as add_backfill_parsers

        add_backfill_parsers(sub)
    else:
        sub.add_parser("backfill", help="create backfills of a DAG over a date range")
    if "scheduler" in words:
        from leoflow.cli.scheduler_cmd import add_parser as add_scheduler_parser

        add_scheduler_parser(sub)
    else:
        sub.add_parser("scheduler", help="run the scheduler of a DAG folder (restartable)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line. What no command handled itself still ends as one `error:` line
    and exit code 1, never a traceback (`LEOFLOW_DEBUG=1` shows it); Ctrl-C exits with 130."""
    import os

    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("LEOFLOW_DEBUG"):
            raise
        from leoflow.errors import LeoflowError

        if isinstance(exc, (LeoflowError, OSError)):
            print(f"error: {exc}", file=sys.stderr)
        else:
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
            print(
                "  hint: this is a Leoflow bug; LEOFLOW_DEBUG=1 shows where it happened",
                file=sys.stderr,
            )
        return 1


def _main(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["compile"]:
        from leoflow.cli.compile_cmd import parse_fast, run

        fast = parse_fast(words[1:])
        if fast is not None:
            code = run(fast)
            if argv is None:  # the `leoflow` command itself: nothing left to do but exit
                from leoflow.cli.compile_cmd import exit_now

                exit_now(code)
            return code
    parser = build_parser(words)
    args = parser.parse_args(words)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
