from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.python import PythonOperator


def ret(**kw):
    return {k: v for k, v in kw.items() if k.startswith("v_")}


with DAG("h10_templates_misc", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         user_defined_filters={"twice": lambda s: f"{s}{s}"}):
    PythonOperator(task_id="t", python_callable=ret, op_kwargs={
        "v_key_str": "{{ task_instance_key_str }}",
        "v_ds_format": "{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}",
        "v_ds_add_neg": "{{ macros.ds_add(ds, -400) }}",
        "v_tokyo": "{{ logical_date.in_timezone('Asia/Tokyo').isoformat() }}",
        "v_dow": "{{ (logical_date + macros.timedelta(hours=36)).strftime('%A') }}",
        "v_leap": "{{ macros.datetime(2024, 2, 29).isoformat() }}",
        "v_rel": "{{ (logical_date + macros.dateutil.relativedelta.relativedelta(months=-1)).date() }}",
        "v_json": "{{ macros.json.dumps({'b': 1, 'a': 2}, sort_keys=True) }}",
        "v_uuid": "{{ macros.uuid.UUID('12345678123456781234567812345678') }}",
        "v_filters": "{{ logical_date | ds_nodash }}|{{ logical_date | ts_nodash }}|{{ logical_date | ts_nodash_with_tz }}|{{ logical_date | ts }}",
        "v_user_filter": "{{ 'ab' | twice }}",
        "v_di": "{{ data_interval_start }}|{{ data_interval_end }}",
        "v_expanded": "{{ expanded_ti_count }}",
        "v_run_type": "{{ dag_run.run_type }}",
        "v_task_repr": "{{ task }}",
        "v_ti_repr": "{{ ti.task_id }}:{{ ti.map_index }}:{{ ti.try_number }}",
        "v_prev": "{{ prev_data_interval_start_success }}|{{ prev_start_date_success }}|{{ prev_end_date_success }}",
        "v_conf": "{{ dag_run.conf.get('x', 'dx') }}|{{ dag_run.conf | tojson }}",
        "v_ts_tz": "{{ ts_nodash_with_tz }}|{{ ds_nodash }}",
        "v_macros_time": "{{ macros.datetime.strptime('2024-03-05', '%Y-%m-%d').strftime('%j') }}",
        "v_timedelta": "{{ (macros.datetime(2024,1,2) - macros.datetime(2024,1,1)).total_seconds() }}",
        "v_range": "{% for i in range(3) %}{{ i }}{% endfor %}",
        "v_conn_dflt": "{{ conn.get('nope_conn', None) }}",
    })
