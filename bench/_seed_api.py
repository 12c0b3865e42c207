"""Seed a Leoflow store (and an Airflow 3.2.1 database beside it) for bench/api.py.

The data set: `dags` DAGs (20-task BashOperator chains compiled by Leoflow's compiler), each
with `runs` daily scheduled runs (the newest running, every 17th failed at its 11th task, the
rest successful) and one task instance per task and run, plus NDJSON logs on disk for every
task of the newest `LOG_RUNS` runs of the first `LOG_DAGS` DAGs. Runs and task instances are
generated server-side (`INSERT ... SELECT generate_series`), so 2,000,000 rows take about a
minute, not an hour of ORM inserts.

The Airflow side gets the same shape in a second database (`airflow`) of the same embedded
Postgres: the DAGs are parsed and serialized by Airflow's own DagBag and `sync_bag_to_db` (in the
oracle virtualenv, see `airflow_seed_script`), the runs and task instances are generated with
the same SQL against Airflow's tables.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

T0 = datetime(2025, 1, 1, tzinfo=UTC)
LOG_DAGS = 20
LOG_RUNS = 5
LOG_LINES = 60
FAILED_EVERY = 17  # run r fails when r % FAILED_EVERY == 5
FAILED_TASK = 10  # ... at this task; the rest are upstream_failed

CHAIN_SOURCE = """import pendulum
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

for n in range({dags}):
    with DAG(
        f"bench_{{n:04d}}",
        schedule="@daily",
        start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
        catchup=False,
        tags=["bench", f"group_{{n % 10}}"],
        description="a {tasks}-task chain",
    ) as dag:
        prev = None
        for i in range({tasks}):
            t = BashOperator(task_id=f"t_{{i:02d}}", bash_command="echo hi")
            if prev is not None:
                prev >> t
            prev = t
    globals()[f"dag_{{n}}"] = dag
"""


def dag_ids(dags: int) -> list[str]:
    return [f"bench_{n:04d}" for n in range(dags)]


def task_ids(tasks: int) -> list[str]:
    return [f"t_{i:02d}" for i in range(tasks)]


def run_id(r: int) -> str:
    return f"scheduled__{(T0 + timedelta(days=r)).isoformat()}"


def compile_chain(workdir: Path, tasks: int) -> dict[str, Any]:
    """One chain DAG compiled by Leoflow (the template of every DAG's dag.json)."""
    from leoflow.compiler.driver import compile_path

    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bench_dags.py"
    path.write_text(CHAIN_SOURCE.format(dags=1, tasks=tasks))
    out = compile_path(path, python=sys.executable)
    if out.errors or not out.dags:
        raise SystemExit(f"compiling the chain failed: {out.errors}")
    return dict(out.dags[0])


# -- the SQL shared by both stores -----------------------------------------------------------


def run_state_sql(r: str, runs: int) -> str:
    return (
        f"CASE WHEN {r} = {runs - 1} THEN 'running' "
        f"WHEN {r} % {FAILED_EVERY} = 5 THEN 'failed' ELSE 'success' END"
    )


def ti_state_sql(run_state: str, i: str) -> str:
    return (
        f"CASE WHEN {run_state} = 'success' THEN 'success' "
        f"WHEN {run_state} = 'failed' THEN (CASE WHEN {i} < {FAILED_TASK} THEN 'success' "
        f"WHEN {i} = {FAILED_TASK} THEN 'failed' ELSE 'upstream_failed' END) "
        f"ELSE (CASE WHEN {i} < 3 THEN 'success' WHEN {i} = 3 THEN 'running' END) END"
    )


def write_logs(logs_dir: Path, dags: int, runs: int, tasks: int, *, airflow: bool) -> int:
    """NDJSON logs of the newest LOG_RUNS runs of the first LOG_DAGS DAGs; files written."""
    written = 0
    for dag_id in dag_ids(min(dags, LOG_DAGS)):
        for r in range(max(0, runs - LOG_RUNS), runs):
            rid = run_id(r)
            safe = rid if airflow else rid.replace(":", "_").replace("+", "_")
            for i, task_id in enumerate(task_ids(tasks)):
                folder = logs_dir / f"dag_id={dag_id}" / f"run_id={safe}" / f"task_id={task_id}"
                folder.mkdir(parents=True, exist_ok=True)
                start = T0 + timedelta(days=r + 1, seconds=i * 3)
                lines = [
                    json.dumps(
                        {
                            "timestamp": (start + timedelta(milliseconds=10 * n)).isoformat(),
                            "event": f"line {n} of {task_id}: echo hi",
                            "level": "info",
                            "logger": "task.stdout",
                        }
                    )
                    for n in range(LOG_LINES)
                ]
                (folder / "attempt=1.log").write_text("\n".join(lines) + "\n")
                written += 1
    return written


# -- Leoflow -----------------------------------------------------------------------------------


async def seed_leoflow(
    url: str, logs_dir: Path, workdir: Path, *, dags: int, runs: int, tasks: int
) -> None:
    """Register the DAG versions (the store's own code), then generate runs and TIs in SQL."""
    import psycopg

    from leoflow.store import queries
    from leoflow.store.db import libpq_url, make_engine, make_sessionmaker

    template = compile_chain(workdir, tasks)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as s:
        for dag_id in dag_ids(dags):
            doc = json.loads(json.dumps(template).replace('"bench_0000"', json.dumps(dag_id)))
            doc["dag_id"] = doc["dag_display_name"] = dag_id
            await queries.register_version(
                s,
                doc,
                CHAIN_SOURCE,
                fileloc=str(workdir / "bench_dags.py"),
                paused_by_default=False,
            )
    await engine.dispose()
    state = run_state_sql("r", runs)
    ids = task_ids(tasks)
    names = "ARRAY[" + ",".join(f"'{t}'" for t in ids) + "]"
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute(
            f"""
            INSERT INTO dag_run (dag_id, run_id, logical_date, run_after, data_interval_start,
                data_interval_end, queued_at, start_date, end_date, state, run_type,
                triggered_by, conf, dag_version_id, clear_number, updated_at)
            SELECT d.dag_id,
                'scheduled__' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
                    || '+00:00',
                t, t + interval '1 day', t, t + interval '1 day',
                t + interval '1 day', t + interval '1 day',
                CASE WHEN {state} = 'running' THEN NULL
                     ELSE t + interval '1 day' + interval '1 minute' END,
                {state}, 'scheduled', 'timetable', '{{}}'::jsonb, d.latest_version_id, 0,
                t + interval '1 day'
            FROM dag d
            CROSS JOIN generate_series(0, {runs - 1}) AS r
            CROSS JOIN LATERAL (SELECT timestamptz '{T0.isoformat()}' + r * interval '1 day')
                AS x(t)
            ORDER BY r, d.dag_id
            """
        )
        ti_state = ti_state_sql("dr.state", "i")
        conn.execute(
            f"""
            INSERT INTO task_instance (id, dag_id, run_id, task_id, map_index,
                task_display_name, try_number, max_tries, state, start_date, end_date,
                duration, queued_dttm, scheduled_dttm, hostname, unixname, pool, pool_slots,
                queue, priority_weight, operator, executor, dag_version_id, updated_at)
            SELECT gen_random_uuid(), dr.dag_id, dr.run_id, ({names})[i + 1], -1,
                ({names})[i + 1], CASE WHEN s.st IS NULL THEN 0 ELSE 1 END, 0, s.st,
                CASE WHEN s.st IN ('success', 'failed', 'running')
                     THEN dr.start_date + i * interval '3 seconds' END,
                CASE WHEN s.st IN ('success', 'failed', 'upstream_failed')
                     THEN dr.start_date + i * interval '3 seconds' + interval '2 seconds' END,
                CASE WHEN s.st IN ('success', 'failed') THEN 2.0 END,
                CASE WHEN s.st IS NOT NULL THEN dr.start_date + i * interval '3 seconds' END,
                CASE WHEN s.st IS NOT NULL THEN dr.start_date + i * interval '3 seconds' END,
                'localhost', 'leoflow', 'default_pool', 1, 'default', {tasks} - i,
                'BashOperator', 'LocalExecutor', dr.dag_version_id, dr.updated_at
            FROM dag_run dr
            CROSS JOIN generate_series(0, {tasks - 1}) AS i
            CROSS JOIN LATERAL (SELECT {ti_state}) AS s(st)
            ORDER BY dr.id, i
            """
        )
        conn.execute("VACUUM ANALYZE")
    write_logs(logs_dir, dags, runs, tasks, airflow=False)


# -- Airflow -----------------------------------------------------------------------------------

# Runs in the oracle virtualenv (`python - DAGS_FOLDER`): parse the chains with Airflow's DagBag
# and write dag, dag_version, serialized_dag, dag_code rows with Airflow's own code.
AIRFLOW_SYNC = """
import sys
from airflow.dag_processing.bundles.manager import DagBundlesManager
from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db
from airflow.utils.session import create_session

DagBundlesManager().sync_bundles_to_db()
bag = DagBag(dag_folder=sys.argv[1], include_examples=False, safe_mode=False)
assert not bag.import_errors, bag.import_errors
sync_bag_to_db(bag, "dags-folder", None)
print("synced", len(bag.dags))
"""


def seed_airflow_rows(url: str, *, runs: int, tasks: int) -> None:
    """Runs and task instances in Airflow's tables (after AIRFLOW_SYNC made the DAG rows)."""
    import psycopg

    from leoflow.store.db import libpq_url

    state = run_state_sql("r", runs)
    ids = task_ids(tasks)
    names = "ARRAY[" + ",".join(f"'{t}'" for t in ids) + "]"
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("UPDATE dag SET is_paused = false")
        conn.execute(
            f"""
            INSERT INTO dag_run (dag_id, run_id, logical_date, run_after, data_interval_start,
                data_interval_end, queued_at, start_date, end_date, state, run_type,
                triggered_by, conf, created_dag_version_id, clear_number, updated_at,
                log_template_id, last_scheduling_decision, span_status)
            SELECT d.dag_id,
                'scheduled__' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
                    || '+00:00',
                t, t + interval '1 day', t, t + interval '1 day',
                t + interval '1 day', t + interval '1 day',
                CASE WHEN {state} = 'running' THEN NULL
                     ELSE t + interval '1 day' + interval '1 minute' END,
                {state}, 'scheduled', 'TIMETABLE', '{{}}'::jsonb, v.id, 0,
                t + interval '1 day',
                (SELECT max(id) FROM log_template), t + interval '1 day', 'not_started'
            FROM dag d
            JOIN LATERAL (SELECT id FROM dag_version WHERE dag_version.dag_id = d.dag_id
                          ORDER BY version_number DESC LIMIT 1) AS v ON true
            CROSS JOIN generate_series(0, {runs - 1}) AS r
            CROSS JOIN LATERAL (SELECT timestamptz '{T0.isoformat()}' + r * interval '1 day')
                AS x(t)
            ORDER BY r, d.dag_id
            """
        )
        ti_state = ti_state_sql("dr.state", "i")
        conn.execute(
            f"""
            INSERT INTO task_instance (id, dag_id, run_id, task_id, map_index,
                task_display_name, try_number, max_tries, state, start_date, end_date,
                duration, queued_dttm, scheduled_dttm, hostname, unixname, pool, pool_slots,
                queue, priority_weight, operator, custom_operator_name, executor,
                dag_version_id, updated_at, span_status, rendered_map_index)
            SELECT gen_random_uuid(), dr.dag_id, dr.run_id, ({names})[i + 1], -1,
                ({names})[i + 1], CASE WHEN s.st IS NULL THEN 0 ELSE 1 END, 0, s.st,
                CASE WHEN s.st IN ('success', 'failed', 'running')
                     THEN dr.start_date + i * interval '3 seconds' END,
                CASE WHEN s.st IN ('success', 'failed', 'upstream_failed')
                     THEN dr.start_date + i * interval '3 seconds' + interval '2 seconds' END,
                CASE WHEN s.st IN ('success', 'failed') THEN 2.0 END,
                CASE WHEN s.st IS NOT NULL THEN dr.start_date + i * interval '3 seconds' END,
                CASE WHEN s.st IS NOT NULL THEN dr.start_date + i * interval '3 seconds' END,
                'localhost', 'airflow', 'default_pool', 1, 'default', {tasks} - i,
                'BashOperator', 'BashOperator', 'LocalExecutor', dr.created_dag_version_id,
                dr.updated_at, 'not_started', NULL
            FROM dag_run dr
            CROSS JOIN generate_series(0, {tasks - 1}) AS i
            CROSS JOIN LATERAL (SELECT {ti_state}) AS s(st)
            ORDER BY dr.id, i
            """
        )
        conn.execute("VACUUM ANALYZE")


def counts(url: str) -> dict[str, int]:
    import psycopg

    from leoflow.store.db import libpq_url

    out = {}
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        for table in ("dag", "dag_run", "task_instance"):
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
    return out


if __name__ == "__main__":  # pragma: no cover - a helper of bench/api.py
    print("run bench/api.py instead", file=sys.stderr)
    os._exit(2)
