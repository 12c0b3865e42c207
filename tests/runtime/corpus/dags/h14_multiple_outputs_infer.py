from __future__ import annotations
from datetime import datetime, timedelta, timezone
from typing import Dict, TypedDict
from airflow.sdk import DAG, task


class Stats(TypedDict):
    mean: float
    n: int


with DAG("h14_multiple_outputs_infer", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def typing_dict() -> Dict[str, int]:
        return {"a": 1, "b": 2}

    @task
    def builtin_dict() -> dict:
        return {"c": 3}

    @task
    def typed_dict() -> Stats:
        return {"mean": 1.5, "n": 2}

    @task(multiple_outputs=False)
    def forced_off() -> dict[str, int]:
        return {"d": 4}

    @task
    def use(a, c, whole):
        return [a, c, whole]

    t = typing_dict()
    b = builtin_dict()
    use(t["a"], b["c"], forced_off())
    typed_dict()
