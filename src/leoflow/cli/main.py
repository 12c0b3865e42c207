"""Entry point of the `leoflow` command. Imports stay lazy: `leoflow compile` must start fast."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from leoflow import __version__

Handler = Callable[[argparse.Namespace], int]


def _cmd_compile(args: argparse.Namespace) -> int:
    from leoflow.cli.compile_cmd import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
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
    p.set_defaults(handler=_cmd_compile)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
