"""`leoflow compile PATH [--json] [--out DIR] [--timeout S]`."""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

from leoflow.errors import LeoflowError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing slows every compile's start
if TYPE_CHECKING:
    import argparse

# (pattern, hint); compiled on first use (only the human output shows hints)
_HINTS: list[tuple[str, str]] = [
    (
        r"took longer than",
        "move slow work (network calls, big queries) into a task, or raise --timeout",
    ),
    (
        r"ran out of memory|killed by signal 9",
        "build large data inside a task, not at import time",
    ),
    (
        r"No module named '(?!airflow)([\w.]+)'",
        "install the package in the DAG environment (`packages:` in leoflow.yaml) "
        "or fix the import",
    ),
    (r"os\._exit|sys\.exit", "do not exit the interpreter at import time"),
    (r"os\.fork\(\)", "start processes inside a task, not at import time"),
    (r"^SyntaxError|^IndentationError", "fix the syntax error at this line"),
]
DEFAULT_HINT = "run `leoflow compile FILE --json` to see the full traceback"


def headline(message: str) -> str:
    """The line that says what went wrong: a traceback's last line, else the first line."""
    lines = [line for line in message.splitlines() if line.strip()]
    if not lines:
        return ""
    if lines[0].startswith("Traceback") or lines[0].lstrip().startswith('File "'):
        return lines[-1].strip()
    return lines[0]


def hint_for(message: str) -> str:
    """The next step for an import error, unless the message already gives one."""
    if "hint:" in message:
        return ""
    import re  # not at the top: a warm `leoflow compile` spends a fifth of its time importing re

    for pattern, hint in _HINTS:
        if re.search(pattern, message):
            return hint
    return DEFAULT_HINT


_VALUED = ("--out", "--timeout", "--root")  # the options of `compile` that take a value


def parse_fast(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of `leoflow compile`, as `main.build_parser` would parse them, for plain
    command lines (one path, the options spelled out in full); None for anything else (help,
    abbreviations, errors), which then goes through argparse."""
    ns = SimpleNamespace(path=None, json=False, out=None, timeout=30.0, root=None)
    words = iter(argv)
    for word in words:
        name, eq, value = word.partition("=")
        if word == "--json":
            ns.json = True
        elif name in _VALUED:
            if not eq:
                value = next(words, "")
                if not value or value.startswith("-"):
                    return None
            if name == "--timeout":
                try:
                    ns.timeout = float(value)
                except ValueError:
                    return None
            else:
                setattr(ns, name[2:], value)
        elif word.startswith("-") or ns.path is not None:
            return None
        else:
            ns.path = word
    return ns if ns.path is not None else None


def exit_now(code: int) -> None:
    """End the `leoflow compile` process with `code` once its output is flushed, without the
    interpreter's teardown (freeing every module and object costs a warm compile ~15% of its
    time); returns only when the output cannot be flushed, for the usual exit to report it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    if "logging" in sys.modules:
        import logging

        logging.shutdown()
    os._exit(code)


def run(args: argparse.Namespace | SimpleNamespace) -> int:
    from leoflow import spec
    from leoflow.compiler import client
    from leoflow.compiler.driver import compile_path
    from leoflow.spec import fastjson

    try:
        out = compile_path(
            args.path,
            timeout_s=args.timeout,
            root=getattr(args, "root", None),
            # development hooks: another shim root / interpreter than the default ones
            shim_root=os.environ.get("LEOFLOW_SHIM_ROOT") or None,
            python=os.environ.get("LEOFLOW_DAG_PYTHON") or None,
            server=client.enabled(),
        )
    except LeoflowError as exc:
        print(f"leoflow compile: {exc}", file=sys.stderr)
        return 2
    if args.out:
        from pathlib import Path

        folder = Path(args.out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for doc in out.dags:
                (folder / f"{doc['dag_id']}.json").write_bytes(spec.dump(doc))
        except OSError as exc:
            print(f"leoflow compile: cannot write to --out {args.out}: {exc}", file=sys.stderr)
            return 2
    if args.json:
        text = fastjson.dumps(out.to_json(), sort_keys=True, ensure_ascii=False)
        sys.stdout.write(text + "\n")
    else:
        for doc in out.dags:
            version = spec.short_version(spec.version_of(spec.dump(doc)))
            tasks = len(doc.get("tasks") or [])
            print(f"{doc['dag_id']}  {version}  {doc['fileloc']}  ({tasks} tasks)")
        for err in out.errors:
            where = f"{err['file']}:{err['line']}" if err["line"] else err["file"]
            print(f"{where}: {headline(err['message'])}")
            hint = hint_for(err["message"])
            if hint:
                print(f"  hint: {hint}")
        print(
            f"{len(out.dags)} DAG(s) from {out.files} file(s), {len(out.errors)} error(s)",
            file=sys.stderr,
        )
    return 1 if out.errors else 0
