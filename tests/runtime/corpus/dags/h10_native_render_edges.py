from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.python import PythonOperator


def ident(**kw):
    return {k: [type(v).__name__, v if not isinstance(v, (set, tuple)) else list(v)] for k, v in kw.items()}


with DAG("h10_native_render_edges", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         render_template_as_native_obj=True, params={"n": 3, "d": {"k": [1, 2]}}):
    PythonOperator(task_id="t", python_callable=ident, op_kwargs={
        "concat_ints": "{{ 1 }}{{ 2 }}",
        "leading_zero": "{{ '007' }}",
        "true_str": "{{ 'True' }}",
        "spaces": "  {{ 5 }}  ",
        "list_sp": "{{ [1, 2] }} ",
        "none": "{{ None }}",
        "param_n": "{{ params.n }}",
        "param_d": "{{ params.d }}",
        "tuple": "{{ (1, 2) }}",
        "neg": "{{ -4 }}",
        "float_str": "{{ '1e3' }}",
        "dict_lit": "{'a': {{ params.n }}}",
        "ds": "{{ ds }}",
        "plain": "no template",
        "mixed": "n={{ params.n }}",
        "nested": {"x": "{{ params.n + 1 }}", "y": ["{{ params.d.k }}"]},
        "ld": "{{ logical_date.year }}",
    })
