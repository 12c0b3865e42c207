from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_run_if_mapped", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task.run_if(lambda ctx: ctx["ti"].map_index % 2 == 0)
    @task
    def even_only(x):
        return x

    @task.skip_if(lambda ctx: ctx["params"].get("skip_it", True))
    @task
    def skipper():
        return "ran"

    @task.run_if(lambda ctx: True, skip_message="never")
    @task.skip_if(lambda ctx: ctx["ti"].task_id.endswith("x"))
    @task.bash
    def bash_x():
        return "echo bx"

    @task(trigger_rule="none_failed")
    def collect(vals):
        return sorted(vals)

    @task
    def after_skip(v):
        return v

    collect(even_only.expand(x=[10, 11, 12, 13]))
    after_skip(skipper())
    bash_x()


d()
