"""`python -m leoflow_shim FILE [--root DIR] [--now ISO]`: print load_file()'s JSON on stdout."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys

from leoflow_shim.loader import load_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="leoflow_shim")
    ap.add_argument("file")
    ap.add_argument("--root", default=None)
    ap.add_argument("--now", default=None, help="freeze now()/today() seen by the DAG file")
    args = ap.parse_args(argv)
    now = dt.datetime.fromisoformat(args.now) if args.now else None
    with contextlib.redirect_stdout(sys.stderr):
        doc = load_file(args.file, root=args.root, now=now)
    sys.stdout.write(json.dumps(doc, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
