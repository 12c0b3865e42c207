from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_ti_methods", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def prev(**context):
        ti = context["ti"]
        return [ti.get_previous_ti(), ti.get_previous_dagrun()]

    @task
    def tmpl_ctx(**context):
        ti = context["ti"]
        c = ti.get_template_context()
        return [c["ds"], c["ti"].task_id, c["run_id"], sorted(k for k in c if k in ("ds", "ts", "params", "var", "conn", "macros"))]

    @task
    def ti_fields(**context):
        ti = context["ti"]
        return [ti.is_mapped, ti.rendered_map_index, str(ti.state), ti.get_dag().dag_id if hasattr(ti, "get_dag") else None]

    @task
    def mapped_fields(x, **context):
        ti = context["ti"]
        return [ti.is_mapped, ti.map_index, context["expanded_ti_count"]]

    @task
    def dr_fields(**context):
        dr = context["dag_run"]
        return [dr.clear_number, str(dr.run_type), dr.logical_date == dr.data_interval_start, dr.conf, dr.end_date, str(dr.state)]

    @task
    def dr_triggered(**context):
        return str(context["dag_run"].triggered_by)

    prev()
    tmpl_ctx()
    ti_fields()
    mapped_fields.expand(x=[1, 2])
    dr_fields()
    dr_triggered()


d()
