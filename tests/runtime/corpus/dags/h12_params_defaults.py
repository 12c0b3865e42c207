from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task, Param
from airflow.providers.standard.operators.bash import BashOperator

@dag(dag_id="h12_params_defaults", schedule=None, start_date=START, catchup=False,
     params={"n": Param(5, type="integer", minimum=1), "s": Param(None, type=["null", "string"]),
             "l": Param([1, 2], type="array"), "o": Param({"a": 1}, type="object"), "plain": 3.5,
             "e": Param("b", enum=["a", "b"]), "dt": Param("2024-02-03", type="string", format="date")})
def d():
    @task
    def show(params=None, dag_run=None):
        return {"params": dict(params), "conf": dag_run.conf, "types": {k: type(v).__name__ for k, v in params.items()}}

    b = BashOperator(task_id="b", bash_command="echo {{ params.n + 1 }} {{ params.s }} {{ params.l | length }} {{ params.o.a }} {{ params.plain * 2 }} {{ dag_run.conf.get('x', 'absent') }} {{ dag_run.conf }} {{ params.dt }}")

    @task(params={"n": 9, "extra": Param("e", type="string")})
    def override(params=None):
        return [params["n"], params["extra"], params["l"]]

    @task
    def tpl(v):
        return v
    t = tpl("{{ params }}")
    show() >> b >> override() >> t
d()
