"""chain, chain_linear, cross_downstream (airflow.sdk), Labels on edges, set_upstream/set_downstream."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, Label, chain, chain_linear, cross_downstream, task
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(
    dag_id="fid_chain_and_labels",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:
    t = {name: EmptyOperator(task_id=name) for name in "abcdefghijklmnop"}

    chain(t["a"], [t["b"], t["c"]], [t["d"], t["e"]], t["f"])
    chain_linear(t["f"], [t["g"], t["h"]], [t["i"], t["j"]])
    cross_downstream([t["i"], t["j"]], [t["k"], t["l"]])

    t["k"].set_downstream(t["m"])
    t["n"].set_upstream(t["l"])
    t["m"] << t["o"]

    @task.branch
    def pick() -> str:
        return "p"

    choice = pick()
    t["n"] >> choice
    choice >> Label("yes, go") >> t["p"]
    choice >> Label("no") >> t["o"]
    chain(t["p"], Label("chained label"), EmptyOperator(task_id="after_label"))
