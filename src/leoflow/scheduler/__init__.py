"""The scheduler's decision logic: pure functions over in-memory snapshots of one DAG run.

Nothing here touches the database or the clock on its own: callers pass the parsed DAG
(`dagmodel.load_dag`), the task instance states of one run and `now`; the functions answer
with decisions (schedule, skip, upstream_failed, ...) that the store applies as guarded
updates. The semantics are Apache Airflow 3.2.1's (TriggerRuleDep, DagRun.update_state,
TaskMap.expand_mapped_task, the timetables), so a DAG ends the way it would under Airflow.
"""

from __future__ import annotations

from leoflow.errors import LeoflowError


class SchedulerError(LeoflowError):
    """The scheduler cannot interpret a DAG document or a run snapshot."""
