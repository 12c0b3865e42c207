"""`leoflow dags test`: compile one DAG file and run one dag run of it to completion, in-process.

Like `airflow dags test`, but through Leoflow's real runtime: the store (embedded Postgres under
LEOFLOW_HOME, or LEOFLOW_DATABASE_URL), the engine, the execution API on 127.0.0.1 and one agent
process per task try. Task state changes are printed as they happen (to stderr with `--json`,
whose stdout is one JSON document).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leoflow.errors import LeoflowError

RUN_TIMEOUT_S = 24 * 3600.0


def _parse_date(value: str | None, option: str = "--logical-date") -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise LeoflowError(
            f"{option} {value!r} is not an ISO-8601 date\n"
            "  hint: e.g. 2025-01-01 or 2025-01-01T00:00:00+00:00"
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _parse_conf(value: str | None) -> dict[str, Any]:
    if not value:
        return {}
    try:
        conf = json.loads(value)
    except ValueError as exc:
        raise LeoflowError(f"--conf is not JSON: {exc}") from exc
    if not isinstance(conf, dict):
        raise LeoflowError("--conf must be a JSON object")
    return conf


def dag_python() -> str:
    """The interpreter that compiles and runs DAG code: LEOFLOW_DAG_PYTHON, else the default
    DAG environment (built on first use), never Leoflow's own interpreter."""
    explicit = os.environ.get("LEOFLOW_DAG_PYTHON")
    if explicit:
        return explicit
    from leoflow import environments

    try:
        return str(environments.ensure().python)
    except Exception as exc:
        raise LeoflowError(
            f"cannot build the default DAG environment: {exc}\n"
            "  hint: check access to the package index, or point LEOFLOW_DAG_PYTHON at a Python "
            "that has the packages your DAGs import"
        ) from exc


def _compile(path: Path, python: str) -> list[dict[str, Any]]:
    from leoflow.compiler import compile_path

    out = compile_path(path, python=python)
    if out.errors:
        lines = [f"{e['file']}:{e['line']}: {e['message']}" for e in out.errors]
        raise LeoflowError("the DAG file does not compile:\n" + "\n".join(lines))
    return out.dags


def _pick(dags: list[dict[str, Any]], dag_id: str | None, what: str) -> dict[str, Any]:
    ids = [d["dag_id"] for d in dags]
    if dag_id is not None:
        for d in dags:
            if d["dag_id"] == dag_id:
                return d
        raise LeoflowError(f"{what} defines no DAG {dag_id!r} (it has: {', '.join(ids) or 'none'})")
    if len(dags) == 1:
        return dags[0]
    if not dags:
        raise LeoflowError(f"{what} defines no DAG")
    raise LeoflowError(f"{what} defines several DAGs ({', '.join(ids)})\n  hint: pass --dag-id")


def _trigger_targets(doc: dict[str, Any]) -> set[str]:
    """Literal `trigger_dag_id`s of the DAG's TriggerDagRunOperators."""
    out = set()
    for task in doc.get("tasks") or []:
        if str(task.get("operator_class", "")).endswith(".TriggerDagRunOperator"):
            target = (task.get("init_args") or {}).get("trigger_dag_id")
            if isinstance(target, str) and "{{" not in target:
                out.add(target)
    return out


def _compile_siblings(
    path: Path, python: str, wanted: set[str]
) -> list[tuple[dict[str, Any], Path]]:
    """DAGs named in `wanted` from the other .py files that mention them: the file's folder (and
    below) and its parent folder."""
    from leoflow.compiler import compile_path

    found: list[tuple[dict[str, Any], Path]] = []
    if not path.is_file():
        return found
    candidates = set(path.parent.rglob("*.py")) | set(path.parent.parent.glob("*.py"))
    for other in sorted(candidates):
        if other == path or other.name.startswith("_"):
            continue
        text = other.read_text(encoding="utf-8", errors="replace")
        if not any(w in text for w in wanted):
            continue
        out = compile_path(other, python=python)
        found += [(d, other.resolve()) for d in out.dags if d["dag_id"] in wanted]
    return found


async def _unbound(result: Any) -> None:
    raise RuntimeError("the executor reported an exit before its engine bound it")


class _Printer:
    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.t0 = time.monotonic()

    def __call__(
        self, dag_id: str, run_id: str, task_id: str, map_index: int, state: str | None, tn: int
    ) -> None:
        name = task_id if map_index < 0 else f"{task_id}[{map_index}]"
        elapsed = time.monotonic() - self.t0
        print(f"{elapsed:7.2f}s  {name:<40} {state or 'none':<18} try {tn}", file=self.stream)


async def run_dag_test(
    *,
    path: Path,
    dag_id: str | None,
    logical_date: datetime | None,
    conf: dict[str, Any],
    fast_retries: bool,
    quiet: bool = False,
    stream: Any = None,
    with_xcom: bool = False,
) -> dict[str, Any]:
    """Compile, store, run, and return the `--json` document of one `dags test`.

    `with_xcom` adds each TI's `xcom_return_value` (absent when it pushed none), for the parity
    tests that compare return values with Airflow's."""
    from leoflow.api.execution import ExecutionServer, answer_in_process
    from leoflow.config import load_settings
    from leoflow.engine import repo
    from leoflow.engine.backend import EngineBackend
    from leoflow.engine.runtime import Engine
    from leoflow.executors.local import LocalExecutor
    from leoflow.spec import dump, version_of
    from leoflow.store.db import make_engine, open_store

    python = dag_python()
    dag_file = await asyncio.to_thread(path.resolve)
    # The agents' fork server (its imports take longest) warms up, and the compile (a child
    # process) runs, while the store opens: both are needed by then.
    executor = LocalExecutor(
        on_exit=_unbound, forkserver=os.environ.get("LEOFLOW_AGENT_FORKSERVER", "1") != "0"
    )
    executor.warm(python)
    compiling = asyncio.create_task(asyncio.to_thread(_compile, path, python), name="compile")
    settings = load_settings()
    try:
        urls = await open_store(settings)
    except BaseException:
        await asyncio.gather(compiling, return_exceptions=True)
        await executor.stop()
        raise
    db = make_engine(urls.async_url)
    printer = None if quiet else _Printer(stream or sys.stdout)
    engine = Engine(
        db,
        logs_dir=settings.logs_dir,
        executor_factory=executor.bind,
        fast_retries=fast_retries,
        on_ti_change=printer,
        run_triggered=False,
        use_pools=False,  # as `airflow dags test`
    )
    backend = EngineBackend(engine)
    answer_in_process(engine.executor, backend)  # forked tries: start and end on their line
    server = ExecutionServer(backend, engine.signer)
    try:
        await engine.start(await server.start())
        dags = await compiling
        chosen = _pick(dags, dag_id, str(path))
        # A TriggerDagRunOperator's target in another file of the folder must exist, as in a
        # deployment of the folder (the oracle deploys the whole folder): register its DAGs too.
        missing = _trigger_targets(chosen) - {d["dag_id"] for d in dags}
        others: list[tuple[dict[str, Any], Path]] = []
        if missing:
            others = await asyncio.to_thread(_compile_siblings, path, python, missing)
        source = await asyncio.to_thread(path.read_text, encoding="utf-8", errors="replace")
        for doc in dags:
            await engine.register(
                doc,
                version_hash=version_of(dump(doc)),
                dag_file=dag_file,
                python=python,
                source=source,
            )
        for doc, file in others:
            await engine.register(
                doc, version_hash=version_of(dump(doc)), dag_file=file, python=python
            )
        the_id = chosen["dag_id"]
        when = logical_date or datetime.now(UTC)
        async with engine.sessions.begin() as s:
            await repo.delete_runs(s, the_id, logical_date=when)
        run_id = await engine.create_run(  # run_after: the logical date, as the run oracle's
            # `dag.test(logical_date=L, run_after=L)` (the id is manual__<logical date>)
            the_id,
            logical_date=when,
            run_after=when,
            conf=conf,
            triggered_by="test",
            start=False,
        )
        await executor.warmed()  # the run starts once its tasks can, as under a running
        # scheduler (agents warm)
        engine.start_run(the_id, run_id)
        state = await engine.wait_run(the_id, run_id, timeout_s=RUN_TIMEOUT_S)
        returns: dict[tuple[str, int], Any] = {}
        async with engine.sessions() as s:
            tis = await repo.run_tis(s, the_id, run_id)
            if with_xcom:
                for t in tis:
                    for mi, value in await repo.get_xcoms(
                        s, the_id, run_id, t.task_id, "return_value", t.map_index
                    ):
                        returns[(t.task_id, mi)] = value
        return {
            "dag_id": the_id,
            "run_id": run_id,
            "run_state": state,
            "task_instances": [
                {
                    "task_id": t.task_id,
                    "map_index": t.map_index,
                    "state": t.state,
                    "try_number": t.try_number,
                    **(
                        {"xcom_return_value": returns[(t.task_id, t.map_index)]}
                        if (t.task_id, t.map_index) in returns
                        else {}
                    ),
                }
                for t in sorted(tis, key=lambda t: (t.task_id, t.map_index))
            ],
        }
    finally:
        await asyncio.gather(compiling, return_exceptions=True)
        await engine.stop()
        await server.stop()
        await db.dispose()


def run_test(args: argparse.Namespace) -> int:
    """`leoflow dags test PATH [--dag-id ID] [--logical-date ISO] [--conf JSON] [--json]`."""
    path = Path(args.path)
    dag_id = args.dag_id
    if args.dagfile_path:  # Airflow's `dags test DAG_ID -f FILE`
        dag_id, path = dag_id or args.path, Path(args.dagfile_path)
    elif not path.exists():
        if path.suffix == ".py" or os.sep in args.path:
            print(f"error: {args.path}: no such file", file=sys.stderr)
            print("  hint: pass a DAG file, or the id of a DAG in this folder", file=sys.stderr)
            return 2
        # `leoflow dags test DAG_ID`: look for it in the current workspace.
        dag_id = dag_id or args.path
        path = Path.cwd()
    if args.logical_date and args.logical_date_option:
        print("error: give the logical date once (positional or --logical-date)", file=sys.stderr)
        return 2
    try:
        doc = asyncio.run(
            run_dag_test(
                path=path,
                dag_id=dag_id,
                logical_date=_parse_date(args.logical_date or args.logical_date_option),
                conf=_parse_conf(args.conf),
                fast_retries=args.fast_retries,
                stream=sys.stderr if args.json else sys.stdout,
            )
        )
    except LeoflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        print(f"dag run {doc['run_id']} of {doc['dag_id']}: {doc['run_state']}")
    return 0 if doc["run_state"] == "success" else 1


def add_parsers(sub: Any) -> None:
    """Add `dags` (test, trigger) to the `leoflow` parser."""
    dags = sub.add_parser("dags", help="run and inspect DAGs")
    dsub = dags.add_subparsers(dest="dags_command", metavar="SUBCOMMAND")
    p = dsub.add_parser("test", help="run one dag run of a DAG file to completion, in-process")
    p.add_argument("path", metavar="PATH_OR_DAG_ID", help="a DAG file (or a DAG id in cwd)")
    p.add_argument(
        "logical_date", nargs="?", metavar="LOGICAL_DATE", help="as Airflow's: the logical date"
    )
    p.add_argument("--dag-id", help="which DAG of the file (when it defines several)")
    p.add_argument(
        "--logical-date",
        dest="logical_date_option",
        metavar="ISO",
        help="the run's logical date (default: now)",
    )
    p.add_argument(
        "-f", "--dagfile-path", metavar="FILE", help="as Airflow's: the file of DAG id PATH"
    )
    p.add_argument("-c", "--conf", metavar="JSON", help="the run's conf (a JSON object)")
    p.add_argument("--json", action="store_true", help="print the run's outcome as JSON")
    p.add_argument(
        "--fast-retries", action="store_true", help="retry failed tries at once (no retry_delay)"
    )
    p.set_defaults(handler=run_test)
    from leoflow.cli.inspect_cmd import add_dags_parsers
    from leoflow.cli.tasks_cmd import add_trigger_parser

    add_trigger_parser(dsub)
    add_dags_parsers(dsub)
