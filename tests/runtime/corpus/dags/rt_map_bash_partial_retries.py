"""BashOperator.partial(retries=1).expand(bash_command=...): index 1 fails once, then succeeds
(marker file in /tmp); index 2 always fails and is retried once; depends_on_past and
wait_for_downstream on the mapped task in the DAG's first run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

ONCE = (
    "test -e /tmp/rt_map_bash_partial_retries.marker && echo second "
    "|| { touch /tmp/rt_map_bash_partial_retries.marker; exit 1; }"
)

with DAG(
    dag_id="rt_map_bash_partial_retries",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "retries", "bash"],
):
    runs = BashOperator.partial(
        task_id="runs",
        retries=1,
        retry_delay=timedelta(seconds=1),
        depends_on_past=True,
        wait_for_downstream=True,
    ).expand(bash_command=["echo first", ONCE, "exit 2"])
    runs >> EmptyOperator(task_id="after_all_done", trigger_rule="all_done")
