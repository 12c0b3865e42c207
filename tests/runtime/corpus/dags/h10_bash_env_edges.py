from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h10_bash_env_edges", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         default_args={"owner": "alice", "email": ["a@example.com", "b@example.com"]}):
    BashOperator(task_id="no_append", bash_command='echo "A=$A HOME=${HOME:-unset} X=${H10_X:-unset}"', env={"A": "1"})
    BashOperator(task_id="templated_env", bash_command='echo "$D-$T"', env={"D": "{{ ds_nodash }}", "T": "{{ task.task_id }}"})
    BashOperator(task_id="int_env", bash_command='echo "$N"', env={"N": 5})
    BashOperator(task_id="append_env", bash_command='echo "$A ${PATH:+haspath}"', env={"A": "z"}, append_env=True)
    BashOperator(task_id="ctx_vars", bash_command='echo "$AIRFLOW_CTX_DAG_ID|$AIRFLOW_CTX_TASK_ID|$AIRFLOW_CTX_TRY_NUMBER|$AIRFLOW_CTX_DAG_OWNER|$AIRFLOW_CTX_DAG_EMAIL|$AIRFLOW_CTX_LOGICAL_DATE|$AIRFLOW_CTX_DAG_RUN_ID"')
    BashOperator(task_id="ctx_vars_with_env", bash_command='echo "$AIRFLOW_CTX_DAG_ID|$AIRFLOW_CTX_TASK_ID|$Q"', env={"Q": "q"})
    BashOperator(task_id="owner_override", owner="carol", bash_command='echo "$AIRFLOW_CTX_DAG_OWNER|$AIRFLOW_CTX_DAG_EMAIL"', email="c@example.com")
