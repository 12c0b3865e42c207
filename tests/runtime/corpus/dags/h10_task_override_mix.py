from datetime import datetime, timedelta, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_task_override_mix", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task(retries=3, retry_delay=timedelta(seconds=1))
    def flaky(n, **context):
        if context["ti"].try_number <= n:
            raise RuntimeError(f"try {context['ti'].try_number}")
        return context["ti"].try_number

    @task
    def show(v, **context):
        return [v, context["ti"].max_tries]

    a = flaky.override(task_id="once")(1)
    b = flaky.override(task_id="never_enough", retries=1)(5)
    c = flaky.override(task_id="mapped_flaky", retries=2).expand(n=[0, 1, 2, 3])
    show.override(task_id="show_a")(a)
    show.override(task_id="show_b", trigger_rule="all_done")(b)
    show.override(task_id="show_c", trigger_rule="all_done")(c)


d()
