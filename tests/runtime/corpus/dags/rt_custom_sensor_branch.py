"""User-defined sensor and branch classes in the DAG file: a BaseSensorOperator subclass whose
poke is true on its second call (marker file in /tmp; poke mode), one in reschedule mode
returning a PokeReturnValue, one that never succeeds with soft_fail (skipped), and a
BaseBranchOperator subclass whose choose_branch picks one of two tasks."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, BaseBranchOperator, BaseSensorOperator, PokeReturnValue


class SecondPoke(BaseSensorOperator):
    def __init__(self, *, marker: str, **kwargs):
        super().__init__(**kwargs)
        self.marker = marker

    def poke(self, context):
        p = Path(self.marker)
        if p.exists():
            return True
        p.write_text("1")
        return False


class ValueSensor(BaseSensorOperator):
    def poke(self, context):
        return PokeReturnValue(is_done=True, xcom_value={"ds": context["ds"]})


class Never(BaseSensorOperator):
    def poke(self, context):
        return False


class PickLeft(BaseBranchOperator):
    def choose_branch(self, context):
        return "left"


with DAG(
    dag_id="rt_custom_sensor_branch",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensor"],
):
    s1 = SecondPoke(task_id="second_poke", marker="/tmp/rt_csb_marker", poke_interval=0.5)
    s2 = ValueSensor(task_id="value", mode="reschedule", poke_interval=1)
    s3 = Never(task_id="never", poke_interval=0.5, timeout=2, soft_fail=True)
    b = PickLeft(task_id="pick")
    [s1, s2] >> b >> [EmptyOperator(task_id="left"), EmptyOperator(task_id="right")]
    s3 >> EmptyOperator(task_id="after_never")
