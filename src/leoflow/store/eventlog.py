"""The audit events of task instance tries, as Airflow's execution API writes them.

Airflow 3.2.1 adds one `log` row when a try starts (`ti_run`: event `running`) and one when
it ends (`ti_update_state`: event = the new state, e.g. `success`, `failed`, `up_for_retry`),
with the try's ids, its run's logical date, `owner` = the DAG's owners and
`extra` = `{"host_name": ...}` (None without a host name). Leoflow's start and end of a try
are single statements (`engine.repo`), so the row is written by a data-modifying CTE of the
same statement: no extra round trip, and only when the guarded UPDATE moved the try.
(API calls are audited by `leoflow.api.audit`.)
"""

from __future__ import annotations

from leoflow.store.models import DagModel, DagRun, EventLog


def try_event_cte(name: str, *, source: str, event: str, hostname: str) -> str:
    """`<name> AS (INSERT INTO log ...)`: one event per row of the CTE `source` (columns
    dag_id, run_id, task_id, map_index, try_number); `event` and `hostname` are SQL
    expressions (a bound parameter, a literal or a column of `source` as `s.<column>`)."""
    log, run, dag = EventLog.__tablename__, DagRun.__tablename__, DagModel.__tablename__
    return (
        f"{name} AS (INSERT INTO {log} (event, dag_id, task_id, run_id, map_index, "
        "try_number, logical_date, owner, extra) "
        f"SELECT {event}, s.dag_id, s.task_id, s.run_id, s.map_index, s.try_number, "
        f"(SELECT r.logical_date FROM {run} AS r "
        "WHERE r.dag_id = s.dag_id AND r.run_id = s.run_id), "
        f"(SELECT d.owners FROM {dag} AS d WHERE d.dag_id = s.dag_id), "
        f"CASE WHEN COALESCE({hostname}, '') <> '' "
        f"THEN '{{\"host_name\": ' || to_json(CAST({hostname} AS text)) || '}}' END "
        f"FROM {source} AS s)"
    )
