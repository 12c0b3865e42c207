"""Legacy ``airflow.utils.*`` helpers: TaskGroup, Label, timezone, WeightRule, baseoperator chains."""

from __future__ import annotations

from airflow.models.baseoperator import chain, chain_linear, cross_downstream
from airflow.models.dag import DAG
from airflow.operators.empty import EmptyOperator
from airflow.utils import timezone
from airflow.utils.edgemodifier import Label
from airflow.utils.task_group import TaskGroup
from airflow.utils.trigger_rule import TriggerRule
from airflow.utils.weight_rule import WeightRule

with DAG(
    dag_id="fid_legacy_utils",
    start_date=timezone.datetime(2024, 2, 1),
    end_date=timezone.datetime(2030, 1, 1),
    schedule="@weekly",
    catchup=False,
    default_args={"weight_rule": WeightRule.UPSTREAM},
) as dag:
    begin = EmptyOperator(task_id="begin")
    with TaskGroup("ingest", tooltip="Pull the raw files") as ingest:
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b")
        c = EmptyOperator(task_id="c")
        chain(a, [b, c])
    with TaskGroup("clean") as clean:
        x1 = EmptyOperator(task_id="x1")
        x2 = EmptyOperator(task_id="x2")
        y1 = EmptyOperator(task_id="y1")
        y2 = EmptyOperator(task_id="y2")
        cross_downstream([x1, x2], [y1, y2])
    p = EmptyOperator(task_id="p")
    q = EmptyOperator(task_id="q")
    r = EmptyOperator(task_id="r")
    s = EmptyOperator(task_id="s")
    chain_linear(p, [q, r], s)
    finish = EmptyOperator(task_id="finish", trigger_rule=TriggerRule.ALL_DONE, weight_rule=WeightRule.ABSOLUTE)

    begin >> Label("raw files") >> ingest >> Label("cleaned") >> clean
    clean >> p
    s >> Label("all done") >> finish
