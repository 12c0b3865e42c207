from datetime import datetime, timedelta, timezone
from airflow.sdk import dag, task, task_group


@dag(dag_id="h10_context_task_attrs", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
     tags=["b", "a"], description="desc here", default_args={"retries": 2, "retry_delay": timedelta(seconds=1)})
def d():
    @task
    def first():
        return 1

    @task(pool_slots=1, priority_weight=3)
    def attrs(x, **context):
        t = context["task"]
        return {
            "up": sorted(t.upstream_task_ids),
            "down": sorted(t.downstream_task_ids),
            "tr": str(t.trigger_rule),
            "retries": t.retries,
            "retry_delay": t.retry_delay.total_seconds(),
            "owner": t.owner,
            "pool": t.pool,
            "queue": t.queue,
            "pw": t.priority_weight,
            "wr": str(t.weight_rule),
            "dnp": t.depends_on_past,
            "max_tries": context["ti"].max_tries,
            "task_type": t.task_type,
            "email_on_failure": t.email_on_failure,
        }

    @task
    def dag_attrs(**context):
        dg = context["dag"]
        return {
            "task_ids": sorted(dg.task_ids),
            "tags": sorted(dg.tags),
            "desc": dg.description,
            "owner": dg.owner,
            "catchup": dg.catchup,
            "max_active_runs": dg.max_active_runs,
            "max_active_tasks": dg.max_active_tasks,
            "fileloc_name": dg.fileloc.rsplit("/", 1)[-1],
        }

    @task_group(group_id="g")
    def g():
        @task
        def inner(**context):
            t = context["task"]
            return [t.task_id, t.task_group.group_id, sorted(t.upstream_task_ids), context["ti"].task_id]

        inner()

    @task
    def last():
        return None

    f = first()
    a = attrs(f)
    a >> last()
    f >> dag_attrs()
    f >> g()


d()
