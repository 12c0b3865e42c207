from __future__ import annotations
from datetime import datetime, timedelta, timezone
import os
from airflow.sdk import DAG, task, PokeReturnValue

D = "/tmp/h14_h14_mapped_sensor"

with DAG("h14_mapped_sensor", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task.sensor(poke_interval=1, timeout=3, mode="poke", soft_fail=True)
    def wait_partition(part: str) -> PokeReturnValue:
        os.makedirs(D, exist_ok=True)
        p = os.path.join(D, part)
        n = int(open(p).read()) + 1 if os.path.exists(p) else 1
        open(p, "w").write(str(n))
        if part == "never":
            return PokeReturnValue(is_done=False)
        return PokeReturnValue(is_done=n >= 2, xcom_value=f"{part}@{n}")

    @task(trigger_rule="all_done")
    def gather(vals):
        return sorted(v for v in vals if v)

    gather(wait_partition.expand(part=["p1", "p2", "never"]))
