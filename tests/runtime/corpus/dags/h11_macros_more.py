from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.python import PythonOperator

def ret(**kw):
    return {k: kw[k] for k in sorted(kw)}

with DAG(dag_id="h11_macros_more", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    PythonOperator(task_id="m", python_callable=ret, op_kwargs={
        "ds_add_neg": "{{ macros.ds_add(ds, -3) }}",
        "ds_add_zero": "{{ macros.ds_add(ds, 0) }}",
        "ds_fmt": "{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}",
        "ds_fmt_nodash": "{{ macros.ds_format(ts_nodash, '%Y%m%dT%H%M%S', '%Y|%j') }}",
        "dt": "{{ macros.datetime(2024, 1, 1).isoformat() }}",
        "dt_strptime": "{{ macros.datetime.strptime(ds, '%Y-%m-%d').weekday() }}",
        "td": "{{ (logical_date + macros.timedelta(hours=5)).isoformat() }}",
        "td_days": "{{ macros.timedelta(days=2).total_seconds() }}",
        "json": "{{ macros.json.dumps({'b': 1, 'a': [1, 2]}, sort_keys=True) }}",
        "json_loads": "{{ macros.json.loads('[1,2,3]') | sum }}",
        "humans": "{{ macros.datetime_diff_for_humans(logical_date, macros.datetime(2024, 12, 30, tzinfo=logical_date.tzinfo)) }}",
        "var_default": "{{ var.value.get('h11_missing_var', 'd') }}",
        "var_json_default": "{{ var.json.get('h11_missing_var', {'k': 2}).k }}",
        "dateutil": "{{ (logical_date + macros.dateutil.relativedelta.relativedelta(months=1)).isoformat() }}",
        "time_mod": "{{ macros.time.gmtime(0).tm_year }}",
        "ds_nodash_add": "{{ macros.ds_add(ds, 40) | replace('-', '') }}",
        "ts_fmt": "{{ logical_date.strftime('%A %B') }}",
        "prev": "{{ prev_ds }}|{{ prev_data_interval_start_success }}|{{ prev_start_date_success }}",
        "interval": "{{ data_interval_start }}|{{ data_interval_end }}",
    })
