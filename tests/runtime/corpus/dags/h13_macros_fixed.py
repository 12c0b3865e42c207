from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

@task
def m(**context):
    macros = context["macros"]
    return {
        "add": macros.ds_add("2025-01-31", 1),
        "sub": macros.ds_add("2025-03-01", -1),
        "fmt": macros.ds_format("2025-01-05", "%Y-%m-%d", "%d/%m/%y"),
        "uuid_type": type(macros.uuid.uuid4()).__name__,
        "diff": macros.datetime_diff_for_humans(datetime(2025,1,1,tzinfo=timezone.utc), datetime(2025,1,3,tzinfo=timezone.utc)),
        "diff2": macros.datetime_diff_for_humans(datetime(2025,1,3), datetime(2025,1,1)),
        "random_type": type(macros.random).__name__,
        "dt_name": macros.datetime.__name__,
        "td": str(macros.timedelta(days=1)),
        "json": macros.json.dumps({"a": 1}),
    }

with DAG(dag_id="h13_macros_fixed", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    m()
    BashOperator(task_id="tpl", bash_command="echo '{{ macros.ds_add(ds, 10) }}|{{ macros.ds_format(ds, \"%Y-%m-%d\", \"%Y%m%d\") }}|{{ macros.datetime_diff_for_humans(logical_date, macros.datetime(2025,1,1,0,0,5, tzinfo=logical_date.tzinfo)) }}|{{ macros.ds_add(\"2025-12-31\", 1) }}'")
    BashOperator(task_id="tpl_uuid", bash_command="echo '{{ macros.uuid.UUID(\"12345678123456781234567812345678\") }}|{{ macros.dateutil.relativedelta.relativedelta(months=1) }}'")
