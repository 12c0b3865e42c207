"""200 bash tasks in 5 parallel chains of 40 (deep, so the run outlasts twenty kills); each try appends `task_id try_number` to the
file named by $LEOFLOW_SIDE_EFFECTS, then sleeps a little (the crash test's side effect)."""

from datetime import datetime, timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

CHAINS = 5
LENGTH = 40

with DAG(
    dag_id="crash_chains",
    start_date=datetime(2025, 1, 1),
    schedule=None,
    catchup=False,
    max_active_tasks=CHAINS,
    # A scheduler kill resets a try and counts it against max_tries, as Airflow does.
    default_args={"retries": 10, "retry_delay": timedelta(seconds=1)},
):
    for c in range(CHAINS):
        previous = None
        for i in range(LENGTH):
            task = BashOperator(
                task_id=f"c{c:02d}_t{i:02d}",
                bash_command=(
                    'echo "{{ ti.task_id }} {{ ti.try_number }}" >> "$LEOFLOW_SIDE_EFFECTS"'
                    " && sleep ${LEOFLOW_TASK_SLEEP_S:-0.3}"
                ),
            )
            if previous is not None:
                previous >> task
            previous = task
