"""Reporting DAG with user_defined_macros / user_defined_filters, datetime arithmetic on the
logical date, and templated op_kwargs / templates_dict."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pendulum

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task

REPORT_WINDOW_DAYS = 7


def fiscal_quarter(d) -> str:
    if isinstance(d, str):
        d = date.fromisoformat(d)
    q = (d.month - 1) // 3 + 1
    return f"FY{d.year % 100}Q{q}"


def week_start(ds: str) -> str:
    d = date.fromisoformat(ds)
    return (d - timedelta(days=d.weekday())).isoformat()


def render_report(window_start, window_end, quarter, templates_dict=None, **context):
    days = (date.fromisoformat(window_end) - date.fromisoformat(window_start)).days
    return {
        "window": [window_start, window_end],
        "days": days,
        "quarter": quarter,
        "td": templates_dict,
        "li": context["logical_date"].isoformat(),
        "prev": context["prev_data_interval_start_success"] is None,
    }


with DAG(
    dag_id="rwh_user_macros",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    user_defined_macros={
        "window_days": REPORT_WINDOW_DAYS,
        "fiscal_quarter": fiscal_quarter,
        "env": "prod",
    },
    user_defined_filters={"week_start": week_start, "quarter": fiscal_quarter},
) as dag:
    report = PythonOperator(
        task_id="build_report",
        python_callable=render_report,
        op_kwargs={
            "window_start": "{{ macros.ds_add(ds, -window_days) }}",
            "window_end": "{{ ds }}",
            "quarter": "{{ fiscal_quarter(logical_date.date()) }}",
        },
        templates_dict={
            "week": "{{ ds | week_start }}",
            "q": "{{ ds | quarter }}",
            "env": "{{ env }}-{{ dag.dag_id }}",
            "ts": "{{ macros.datetime(2024, 2, 29).strftime('%j') }}",
            "next": "{{ (logical_date + macros.timedelta(days=1)).strftime('%Y%m%d') }}",
        },
    )

    announce = BashOperator(
        task_id="announce",
        bash_command="echo {{ env }} {{ ds_nodash }} {{ ds | quarter }} "
        "{{ ti.xcom_pull(task_ids='build_report')['days'] }}",
    )

    @task
    def compute_deadline(**context):
        ld = context["logical_date"]
        deadline = ld + timedelta(days=REPORT_WINDOW_DAYS, hours=6)
        p = pendulum.instance(ld).add(months=1).start_of("month")
        return {
            "deadline": deadline.isoformat(),
            "next_month": p.to_date_string(),
            "weekday": ld.strftime("%A"),
            "is_weekend": ld.weekday() >= 5,
        }

    report >> announce >> compute_deadline()
