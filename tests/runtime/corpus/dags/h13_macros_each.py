from datetime import datetime, timezone
from airflow.sdk import DAG, task

def mk(name, fn):
    @task(task_id=name)
    def t(**context):
        return fn(context["macros"])
    return t()

with DAG(dag_id="h13_macros_each", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    mk("add", lambda m: m.ds_add("2025-01-31", 1))
    mk("fmt", lambda m: m.ds_format("2025-01-05", "%Y-%m-%d", "%d/%m/%y"))
    mk("uuid_type", lambda m: type(m.uuid.uuid4()).__name__)
    mk("diff_aware", lambda m: m.datetime_diff_for_humans(datetime(2025,1,1,tzinfo=timezone.utc), datetime(2025,1,3,tzinfo=timezone.utc)))
    mk("diff_naive", lambda m: m.datetime_diff_for_humans(datetime(2025,1,3), datetime(2025,1,1)))
    mk("random_type", lambda m: type(m.random).__name__)
    mk("dt_name", lambda m: m.datetime.__name__)
    mk("td", lambda m: str(m.timedelta(days=1)))
    mk("json", lambda m: m.json.dumps({"a": 1}))
    mk("dateutil", lambda m: str(m.dateutil.relativedelta.relativedelta(days=2)))
    mk("time_type", lambda m: type(m.time).__name__)
    mk("ds_add_zero", lambda m: m.ds_add("2025-01-31", 0))
    mk("fmt_locale", lambda m: m.ds_format_locale("2025-01-05", "%Y-%m-%d", "EEEE dd MMMM", "en_US"))
