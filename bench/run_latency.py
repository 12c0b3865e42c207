#!/usr/bin/env python3
"""Task-to-task latency and throughput of Leoflow's runtime (run by hand).

    .venv/bin/python bench/run_latency.py [-n 3] [--only chain_task_20,fan_task_1000]
                                          [--no-forkserver] [--no-airflow] [--airflow-timeout 600]
                                          [--out F.json]

Writes chain_bash_N (BashOperator "true"), chain_task_N (trivial @task) for N = 20 and 100, and
fan_task_1000 (1 -> 998 -> 1 @task, the 1 -> 1,000 -> 1 fan-out) exactly as
/work/shared/bench-airflow/gen_synthetic.py does, runs each through `leoflow dags test`'s code
path (compile, embedded Postgres under a throw-away LEOFLOW_HOME, engine, execution API,
one agent per try) once to warm up and n times measured (the fan-out once), and reads the task
instances back:

- gap: start of task i+1 - end of task i (chain order), median over the run;
- per-task wall: (dag run end - dag run start) / tasks;
- span: first task start -> last task end;
- tasks/s: tasks / (dag run end - dag run start) (the fan-out's figure);
- dags test per task: the whole `dags test` call (compile included) / tasks;
- engine CPU per task: CPU time of this process (engine + execution API) / tasks;
- agents+compile CPU per task: CPU time of the child processes (the compile, the agents' fork
  server and every try it forked) / tasks;
- Postgres CPU per task: CPU time of the embedded Postgres (postmaster, its live children and
  the children it reaped) / tasks, compile and setup of the run included;
- SQL per task: statements this process sent (SQLAlchemy's `before_cursor_execute`, and the
  engine's own asyncpg statements, `FastSQL.executed`) / tasks.
  The load average is printed too (shared machines).

By default Airflow 3.2.1 runs the same DAG files in the same run, after Leoflow (bench/
airflow_side.py: /work/shared/bench-airflow/e2e_scheduler.py -- scheduler + LocalExecutor, SQLite,
inside `unshare -n` when available -- for the gap, per-task wall and the fan-out's tasks/s, under
--airflow-timeout for the fan-out; e2e_dags_test.py for `airflow dags test` per task, chains
only: 1,000 tasks would take ~40 min). Airflow's per-task wall is trigger -> observed done /
tasks (e2e_scheduler.py does no warm-up run), its tasks/s tasks / (queued -> end); its CPU is
only known per whole script call (this process's children CPU), printed for `dags test` as an
upper bound per task (migrate and warm-up included). `--no-airflow` uses the figures recorded
in shared/bench-airflow/results instead (20-task chains only), and says so. The ratios printed
are Airflow / Leoflow (> 1: Leoflow is faster).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import airflow_side

HEADER = """import pendulum
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
"""


def chain_bash(n: int) -> str:
    return (
        HEADER
        + f"""
with DAG("chain_bash_{n}", schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
         catchup=False, tags=["bench"]):
    prev = None
    for i in range({n}):
        t = BashOperator(task_id=f"t_{{i:04d}}", bash_command="true")
        if prev is not None:
            prev >> t
        prev = t
"""
    )


def chain_task(n: int) -> str:
    return (
        HEADER
        + f"""
with DAG("chain_task_{n}", schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
         catchup=False, tags=["bench"]):

    @task
    def noop():
        return None

    prev = None
    for i in range({n}):
        t = noop.override(task_id=f"t_{{i:04d}}")()
        if prev is not None:
            prev >> t
        prev = t
"""
    )


def fan_task(n: int) -> str:
    return (
        HEADER
        + f"""
with DAG("fan_task_{n}", schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
         catchup=False, tags=["bench"]):

    @task
    def source():
        return 1

    @task
    def work(x):
        return x + 1

    @task
    def sink(values):
        return len(values)

    s = source()
    sink([work.override(task_id=f"w_{{i:04d}}")(s) for i in range({n - 2})])
"""
    )


def cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def children_cpu_s() -> float:
    """CPU of the waited-for descendants: the compile, the fork server and every agent it
    forked (the fork server waits for each try; this process waits for the server at stop)."""
    t = os.times()
    return t.children_user + t.children_system


def postgres_cpu_s() -> float:
    """CPU of the embedded Postgres: the postmaster, its live children and those it reaped
    (0.0 when it is not running or not embedded)."""
    from leoflow.config import load_settings

    try:
        pid = int((load_settings().pg_dir / "postmaster.pid").read_text().split()[0])
        ticks = 0
        for line in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = line.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if line.parent.name == str(pid):  # utime stime cutime cstime
                ticks += sum(int(f) for f in fields[11:15])
            elif fields[1] == str(pid):  # a child: utime stime
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class SqlCounter:
    """Counts the statements every SQLAlchemy engine of this process sends."""

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._one)

    def _one(self, *_args: Any) -> None:
        self.count += 1

    @property
    def total(self) -> int:
        """SQLAlchemy's statements and those the engine runs on asyncpg directly."""
        try:
            from leoflow.engine.fastsql import FastSQL
        except ImportError:  # an older tree (A/B runs)
            return self.count
        return self.count + FastSQL.executed


SQL: SqlCounter | None = None


async def one_run(path: Path, dag_id: str) -> dict[str, float]:
    global SQL
    from leoflow.cli.dags_cmd import run_dag_test
    from leoflow.config import load_settings
    from leoflow.engine import repo
    from leoflow.store.db import make_engine, open_store

    SQL = SQL or SqlCounter()
    t0, c0, k0 = time.perf_counter(), cpu_s(), children_cpu_s()
    q0, p0 = SQL.total, postgres_cpu_s()
    doc = await run_dag_test(
        path=path, dag_id=dag_id, logical_date=None, conf={}, fast_retries=False, quiet=True
    )
    wall, cpu, kids = time.perf_counter() - t0, cpu_s() - c0, children_cpu_s() - k0
    queries, pg = SQL.total - q0, postgres_cpu_s() - p0
    assert doc["run_state"] == "success", doc
    urls = await open_store(load_settings())
    db = make_engine(urls.async_url)
    try:
        from sqlalchemy.ext.asyncio import async_sessionmaker

        async with async_sessionmaker(db)() as s:
            tis = sorted(await repo.run_tis(s, dag_id, doc["run_id"]), key=lambda t: t.task_id)
            run = await repo.get_run(s, dag_id, doc["run_id"])
    finally:
        await db.dispose()
    assert run is not None
    assert run.start_date is not None
    assert run.end_date is not None
    starts = [t.start_date.timestamp() for t in tis]  # type: ignore[union-attr]
    ends = [t.end_date.timestamp() for t in tis]  # type: ignore[union-attr]
    gaps = [starts[i + 1] - ends[i] for i in range(len(tis) - 1)] or [0.0]
    durations = [e - s for s, e in zip(starts, ends, strict=True)]
    dagrun = (run.end_date - run.start_date).total_seconds()
    return {
        "wall_s": wall,
        "dagrun_s": dagrun,
        "span_s": max(ends) - min(starts),
        "gap_median_s": statistics.median(gaps),
        "gap_max_s": max(gaps),
        "task_duration_median_s": statistics.median(durations),
        "per_task_s": dagrun / len(tis),
        "tasks_per_s": len(tis) / dagrun,
        "dags_test_per_task_s": wall / len(tis),
        "engine_cpu_per_task_s": cpu / len(tis),
        "agents_cpu_per_task_s": kids / len(tis),
        "postgres_cpu_per_task_s": pg / len(tis),
        "sql_per_task": queries / len(tis),
        "load_1m": os.getloadavg()[0],
    }


def cases(only: str | None) -> dict[str, str]:
    files = {
        "chain_bash_20": chain_bash(20),
        "chain_task_20": chain_task(20),
        "chain_bash_100": chain_bash(100),
        "chain_task_100": chain_task(100),
        "fan_task_1000": fan_task(1000),
    }
    if only:
        files = {k: v for k, v in files.items() if k in only.split(",")}
    return files


async def leoflow(work: Path, files: dict[str, str], n: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for dag_id, source in files.items():
        path = work / f"{dag_id}.py"
        path.write_text(source)
        await one_run(path, dag_id)  # warm-up (first start of the embedded Postgres, caches)
        runs = [await one_run(path, dag_id) for _ in range(1 if dag_id.startswith("fan_") else n)]
        summary = {k: round(statistics.median(r[k] for r in runs), 4) for k in runs[0]}
        out[dag_id] = {"median": summary, "runs": runs}
        print(f"leoflow {dag_id}: {summary['per_task_s'] * 1000:.0f} ms/task", flush=True)
    from leoflow.config import load_settings
    from leoflow.store.db import stop_embedded

    settings = load_settings()
    if settings.embedded:
        await asyncio.to_thread(stop_embedded, settings.pg_dir)
    return out


# (label, key, unit scale, format, which cases) -- ratios are always Airflow / Leoflow, so for
# tasks/s (higher is better) the ratio is inverted.
ROWS = (
    ("gap median", "gap_median_s", 1000, "{:.0f} ms", "chain"),
    ("per-task wall", "per_task_s", 1000, "{:.0f} ms", "all"),
    ("tasks/s", "tasks_per_s", 1, "{:.1f}", "fan"),
    ("dags test /task", "dags_test_per_task_s", 1000, "{:.0f} ms", "chain"),
)


def ratio(key: str, leo: float, af: float) -> float:
    return leo / af if key == "tasks_per_s" else af / leo


def missing(err: str | None) -> str:
    return "n/a" if err is None else "timed out" if err.startswith("timed") else "failed"


def table(out: dict[str, dict[str, Any]], note: str) -> str:
    lines = [note, f"{'case':<15} {'metric':<16} {'Leoflow':>10} {'Airflow':>12} {'AF/Leo':>8}"]
    for dag_id, case in out.items():
        leo, af = case["median"], case["airflow"]
        name = dag_id
        for label, key, scale, fmt, kinds in ROWS:
            if kinds != "all" and not dag_id.startswith(kinds):
                continue
            err = af.get("dags_test_error" if key == "dags_test_per_task_s" else "error")
            ref = af.get(key)
            if ref is None:
                af_s, r_s = missing(err), "-"
            else:
                af_s = fmt.format(ref * scale)
                r_s = f"{ratio(key, leo[key], ref):.1f}x"
                case.setdefault("ratios", {})[key] = round(ratio(key, leo[key], ref), 2)
            lines.append(
                f"{name:<15} {label:<16} {fmt.format(leo[key] * scale):>10} {af_s:>12} {r_s:>8}"
            )
            name = ""
        if err := af.get("error") or af.get("dags_test_error"):
            lines.append(f"{'':<15} airflow: {err}")
        lines.append(
            f"{'':<15} Leoflow CPU/task: engine {leo['engine_cpu_per_task_s'] * 1000:.1f} ms, "
            f"agents+compile {leo['agents_cpu_per_task_s'] * 1000:.1f} ms, "
            f"Postgres {leo['postgres_cpu_per_task_s'] * 1000:.1f} ms; "
            f"SQL statements/task {leo['sql_per_task']:.1f}"
            + (
                f"; Airflow dags test CPU/task <= {af['dags_test_cpu_per_task_s'] * 1000:.0f} ms"
                if af.get("dags_test_cpu_per_task_s") is not None
                else ""
            )
        )
        loads = [f"Leoflow {leo['load_1m']:.1f}"] + [
            f"Airflow {what} {af[k]:.1f}"
            for what, k in (("scheduler", "load_1m"), ("dags test", "dags_test_load_1m"))
            if af.get(k) is not None
        ]
        lines.append(f"{'':<15} load 1m: {', '.join(loads)}; Airflow: {af['source']}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--no-forkserver", action="store_true", help="a fresh interpreter per try")
    ap.add_argument("--only", help="comma-separated DAG ids (default: all five)")
    ap.add_argument("--out", help="write the figures (Leoflow's and Airflow's) as JSON here")
    ap.add_argument(
        "--no-airflow", action="store_true", help="use Airflow's recorded figures, do not run it"
    )
    ap.add_argument(
        "--airflow-timeout", type=float, default=600, help="seconds for Airflow's fan-out run"
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="leoflow-bench-"))
    os.environ.setdefault("LEOFLOW_HOME", str(work / "home"))
    if args.no_forkserver:
        os.environ["LEOFLOW_AGENT_FORKSERVER"] = "0"
    files = cases(args.only)
    out = asyncio.run(leoflow(work, files, args.n))
    if args.no_airflow:
        rec = airflow_side.recorded()
        af = {d: rec.get(d, {"source": "not recorded"}) for d in files}
        note = "--no-airflow: Airflow 3.2.1 figures RECORDED earlier (shared/bench-airflow/results)"
    else:
        af, note = airflow_side.measure(work, files, args.n, args.airflow_timeout)
    for d in out:
        out[d]["airflow"] = af[d]
    print(table(out, note))
    if args.out:
        Path(args.out).write_text(json.dumps({"airflow_note": note, **out}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
