"""`leoflow compile PATH [--json] [--out DIR] [--timeout S]`."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from leoflow.errors import LeoflowError

_HINTS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"took longer than"),
        "move slow work (network calls, big queries) into a task, or raise --timeout",
    ),
    (
        re.compile(r"ran out of memory|killed by signal 9"),
        "build large data inside a task, not at import time",
    ),
    (
        re.compile(r"No module named '(?!airflow)([\w.]+)'"),
        "install the package in the DAG environment (`packages:` in leoflow.yaml) "
        "or fix the import",
    ),
    (re.compile(r"os\._exit|sys\.exit"), "do not exit the interpreter at import time"),
    (re.compile(r"os\.fork\(\)"), "start processes inside a task, not at import time"),
    (re.compile(r"^SyntaxError|^IndentationError"), "fix the syntax error at this line"),
]
DEFAULT_HINT = "run `leoflow compile FILE --json` to see the full traceback"


def hint_for(message: str) -> str:
    """The next step for an import error, unless the message already gives one."""
    if "hint:" in message:
        return ""
    for pattern, hint in _HINTS:
        if pattern.search(message):
            return hint
    return DEFAULT_HINT


def run(args: argparse.Namespace) -> int:
    from leoflow import spec
    from leoflow.compiler import compile_path

    try:
        out = compile_path(
            args.path,
            timeout_s=args.timeout,
            root=getattr(args, "root", None),
            # development hooks: another shim root / interpreter than the default ones
            shim_root=os.environ.get("LEOFLOW_SHIM_ROOT") or None,
            python=os.environ.get("LEOFLOW_DAG_PYTHON") or None,
        )
    except LeoflowError as exc:
        print(f"leoflow compile: {exc}", file=sys.stderr)
        return 2
    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        for doc in out.dags:
            (folder / f"{doc['dag_id']}.json").write_bytes(spec.dump(doc))
    if args.json:
        sys.stdout.write(json.dumps(out.to_json(), sort_keys=True, ensure_ascii=False) + "\n")
    else:
        for doc in out.dags:
            version = spec.short_version(spec.version_of(spec.dump(doc)))
            tasks = len(doc.get("tasks") or [])
            print(f"{doc['dag_id']}  {version}  {doc['fileloc']}  ({tasks} tasks)")
        for err in out.errors:
            where = f"{err['file']}:{err['line']}" if err["line"] else err["file"]
            first, *_ = err["message"].splitlines() or [""]
            print(f"{where}: {first}")
            hint = hint_for(err["message"])
            if hint:
                print(f"  hint: {hint}")
        print(
            f"{len(out.dags)} DAG(s) from {out.files} file(s), {len(out.errors)} error(s)",
            file=sys.stderr,
        )
    return 1 if out.errors else 0
