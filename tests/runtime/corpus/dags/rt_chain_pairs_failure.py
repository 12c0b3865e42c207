"""chain() with two lists of the same length wires them pairwise (a0 >> b0, a1 >> b1, not a
cross product): when a0 fails only b0 is upstream_failed and b1 runs; chain_linear() wires
every pair (c after both b's is upstream_failed); cross_downstream() after a Label edge; an
EmptyOperator with all_done closes the DAG."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Label, chain, chain_linear, cross_downstream, task


@task
def ok(name):
    return name


@task
def boom():
    raise ValueError("a0 fails")


with DAG(
    dag_id="rt_chain_pairs_failure",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    start = ok.override(task_id="start")("start")
    a = [boom.override(task_id="a0")(), ok.override(task_id="a1")("a1")]
    b = [ok.override(task_id="b0")("b0"), ok.override(task_id="b1")("b1")]
    chain(start, a, b)
    c = ok.override(task_id="c")("c")
    d = ok.override(task_id="d", trigger_rule="all_done")("d")
    chain_linear(b, [c, d])
    e = [ok.override(task_id="e0", trigger_rule="all_done")("e0"), ok.override(task_id="e1")("e1")]
    f = [ok.override(task_id="f0")("f0"), ok.override(task_id="f1")("f1")]
    d >> Label("after d") >> e
    cross_downstream(e, f)
    end = EmptyOperator(task_id="end", trigger_rule="all_done")
    f >> end
    c >> end
