from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator

with DAG("h10_trigger_dupe", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    first = TriggerDagRunOperator(task_id="first", trigger_dag_id="h10_trigger_target",
                                  trigger_run_id="h10_fixed_run", conf={"src": "{{ task.task_id }}"})
    again_skip = TriggerDagRunOperator(task_id="again_skip", trigger_dag_id="h10_trigger_target",
                                       trigger_run_id="h10_fixed_run", skip_when_already_exists=True)
    again_fail = TriggerDagRunOperator(task_id="again_fail", trigger_dag_id="h10_trigger_target",
                                       trigger_run_id="h10_fixed_run")
    templ = TriggerDagRunOperator(task_id="templ", trigger_dag_id="h10_trigger_target",
                                  trigger_run_id="h10_{{ ds_nodash }}_{{ task.task_id }}", logical_date=None)
    first >> again_skip >> again_fail >> templ
