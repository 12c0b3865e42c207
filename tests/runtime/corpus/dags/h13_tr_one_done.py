from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowSkipException
from airflow.providers.standard.operators.empty import EmptyOperator

@task
def ok(): return 1
@task
def skip(): raise AirflowSkipException("s")
@task
def fail(): raise RuntimeError("f")

with DAG(dag_id="h13_tr_one_done", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    s1 = skip.override(task_id="s1")(); s2 = skip.override(task_id="s2")()
    f1 = fail.override(task_id="f1")(); o1 = ok.override(task_id="o1")()
    # one_done after only skips
    od_skips = EmptyOperator(task_id="od_skips", trigger_rule="one_done")
    [s1, s2] >> od_skips
    # one_done after a failure and skip
    od_fail = EmptyOperator(task_id="od_fail", trigger_rule="one_done")
    [s1, f1] >> od_fail
    # all_done_min_one_success after skips only
    ad_skips = EmptyOperator(task_id="ad_skips", trigger_rule="all_done_min_one_success")
    [s1, s2] >> ad_skips
    # all_done_min_one_success after fail + success
    ad_mix = EmptyOperator(task_id="ad_mix", trigger_rule="all_done_min_one_success")
    [f1, o1] >> ad_mix
    # all_done_min_one_success after fail+skip
    ad_fs = EmptyOperator(task_id="ad_fs", trigger_rule="all_done_min_one_success")
    [f1, s2] >> ad_fs
    # chain after upstream_failed
    uf = EmptyOperator(task_id="uf")
    f1 >> uf
    od_uf = EmptyOperator(task_id="od_uf", trigger_rule="one_done")
    uf >> od_uf
    adm_uf = EmptyOperator(task_id="adm_uf", trigger_rule="all_done_min_one_success")
    [uf, o1] >> adm_uf
    # skipped upstream via all_success chain
    sk_chain = EmptyOperator(task_id="sk_chain")
    s1 >> sk_chain
    od_chain = EmptyOperator(task_id="od_chain", trigger_rule="one_done")
    [sk_chain, o1] >> od_chain
