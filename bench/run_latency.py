#!/usr/bin/env python3
"""Task-to-task latency and throughput of Leoflow's runtime (run by hand).

    .venv/bin/python bench/run_latency.py [-n 3] [--only chain_task_20,fan_task_1000]
                                          [--no-forkserver] [--out F.json]

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
  server and every try it forked) / tasks. Postgres is not counted. The load average is
  printed too (shared machines).

Airflow 3.2.1's figures on this machine (LocalExecutor + scheduler, shared/bench-airflow/
results/sched_noex.json): gap median 0.934 s (bash) / 0.969 s (task), per-task overhead
1.075 s / 1.031 s; `airflow dags test` (results/dags_test.json) 2.34 s per task. No Airflow
figure was recorded for the 100-task chains or the fan-out; the 20-task ones are used as the
reference for the 100-task chains. The ratios printed are Airflow / Leoflow.
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

AIRFLOW = {  # recorded in /work/shared/bench-airflow/results (sched_noex.json, dags_test.json)
    "chain_bash_20": {"gap_median_s": 0.934, "per_task_s": 1.075},
    "chain_task_20": {"gap_median_s": 0.969, "per_task_s": 1.031},
    "chain_bash_100": {"gap_median_s": 0.934, "per_task_s": 1.075},  # the 20-task figures
    "chain_task_100": {"gap_median_s": 0.969, "per_task_s": 1.031},
}
AIRFLOW_DAGS_TEST_PER_TASK_S = 2.34

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


async def one_run(path: Path, dag_id: str) -> dict[str, float]:
    from leoflow.cli.dags_cmd import run_dag_test
    from leoflow.config import load_settings
    from leoflow.engine import repo
    from leoflow.store.db import make_engine, open_store

    t0, c0, k0 = time.perf_counter(), cpu_s(), children_cpu_s()
    doc = await run_dag_test(
        path=path, dag_id=dag_id, logical_date=None, conf={}, fast_retries=False, quiet=True
    )
    wall, cpu, kids = time.perf_counter() - t0, cpu_s() - c0, children_cpu_s() - k0
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
        "load_1m": os.getloadavg()[0],
    }


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="leoflow-bench-"))
    os.environ.setdefault("LEOFLOW_HOME", str(work / "home"))
    if args.no_forkserver:
        os.environ["LEOFLOW_AGENT_FORKSERVER"] = "0"
    files = {
        "chain_bash_20": chain_bash(20),
        "chain_task_20": chain_task(20),
        "chain_bash_100": chain_bash(100),
        "chain_task_100": chain_task(100),
        "fan_task_1000": fan_task(1000),
    }
    if args.only:
        files = {k: v for k, v in files.items() if k in args.only.split(",")}
    out: dict[str, object] = {}
    for dag_id, source in files.items():
        path = work / f"{dag_id}.py"
        path.write_text(source)
        await one_run(path, dag_id)  # warm-up (first start of the embedded Postgres, caches)
        n = 1 if dag_id.startswith("fan_") else args.n
        runs = [await one_run(path, dag_id) for _ in range(n)]
        summary = {k: round(statistics.median(r[k] for r in runs), 4) for k in runs[0]}
        out[dag_id] = {"median": summary, "runs": runs}
        common = (
            f"dags test {summary['dags_test_per_task_s'] * 1000:.0f} ms/task "
            f"(Airflow {AIRFLOW_DAGS_TEST_PER_TASK_S * 1000:.0f}), "
            f"engine CPU {summary['engine_cpu_per_task_s'] * 1000:.1f} ms/task, "
            f"agents+compile CPU {summary['agents_cpu_per_task_s'] * 1000:.1f} ms/task, "
            f"load {summary['load_1m']:.1f}"
        )
        ref = AIRFLOW.get(dag_id)
        if ref is None:
            print(
                f"{dag_id}: {summary['tasks_per_s']:.0f} tasks/s, "
                f"per task {summary['per_task_s'] * 1000:.1f} ms, {common}"
            )
            continue
        summary["ratio_gap"] = round(ref["gap_median_s"] / summary["gap_median_s"], 1)
        summary["ratio_per_task"] = round(ref["per_task_s"] / summary["per_task_s"], 1)
        print(
            f"{dag_id}: gap median {summary['gap_median_s'] * 1000:.0f} ms "
            f"(Airflow {ref['gap_median_s'] * 1000:.0f} ms, {summary['ratio_gap']}x), "
            f"per task {summary['per_task_s'] * 1000:.0f} ms "
            f"(Airflow {ref['per_task_s'] * 1000:.0f} ms, {summary['ratio_per_task']}x), {common}"
        )
    from leoflow.config import load_settings
    from leoflow.store.db import stop_embedded

    settings = load_settings()
    if settings.embedded:
        await asyncio.to_thread(stop_embedded, settings.pg_dir)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--no-forkserver", action="store_true", help="a fresh interpreter per try")
    ap.add_argument("--only", help="comma-separated DAG ids (default: all five)")
    ap.add_argument("--out", help="write the figures as JSON here")
    args = ap.parse_args()
    out = asyncio.run(main_async(args))
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
