from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task, task_group

@dag(dag_id="h12_branch_mapped_group", schedule=None, start_date=START, catchup=False)
def d():
    @task_group
    def grp(n):
        @task.branch
        def choose(n):
            if n == 0:
                return []
            if n % 2:
                return "grp.odd"
            return ["grp.even", "grp.odd"] if n == 4 else "grp.even"

        @task
        def odd(n):
            return f"odd{n}"

        @task
        def even(n):
            return f"even{n}"

        @task(trigger_rule="none_failed_min_one_success")
        def join(n):
            return n

        c = choose(n)
        j = join(n)
        c >> [odd(n), even(n)] >> j
        return j

    @task(trigger_rule="all_done")
    def after(vals):
        return list(vals)

    @task
    def after_strict(vals):
        return list(vals)

    g = grp.expand(n=[0, 1, 2, 4])
    @task
    def cnt():
        return 1
    j = cnt()
    g >> j
    after(g)
    after_strict(g)
d()
