"""Adapted from example_params_trigger_ui / example_params_ui_tutorial: a DAG with many typed
Params, read in several ways by the tasks."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from airflow.sdk import DAG, Param, get_current_context, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id=Path(__file__).stem,
    dag_display_name="Params Trigger UI",
    description=__doc__.partition(".")[0],
    doc_md=__doc__,
    schedule=None,
    start_date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    tags=["example", "params"],
    params={
        "names": Param(
            ["Linda", "Martha", "Thomas"],
            type="array",
            description="Define the list of names for which greetings should be generated in the logs.",
            title="Names to greet",
        ),
        "english": Param(True, type="boolean", title="English"),
        "german": Param(True, type="boolean", title="German (Formal)"),
        "french": Param(False, type="boolean", title="French"),
        "pick_one": Param(
            "value 42",
            type="string",
            title="Select one Value",
            enum=[f"value {i}" for i in range(16, 64)],
        ),
        "bool": Param(True, type="boolean", section="Typed parameters with Param object"),
        "date_time": Param(
            f"{datetime.date(2024, 3, 1).isoformat()}T08:00:00+00:00",
            type="string",
            format="date-time",
        ),
        "date": Param(f"{datetime.date.today().isoformat()}", type="string", format="date"),
        "integer": Param(7, type="integer", minimum=3, maximum=20),
        "number": Param(2.5, type=["number", "null"]),
        "multi_select": Param(["two", "three"], type="array", examples=["one", "two", "three", "four"]),
        "array_of_numbers": Param([1, 2, 3], type="array", items={"type": "number"}),
        "object": Param(
            {"key": "value", "nested": {"n": 1}},
            type="object",
            properties={"key": {"type": "string"}},
            required=["key"],
        ),
        "optional_text": Param(None, type=["null", "string"], description_md="Optional **markdown**"),
        "plain": "just a string",
        "plain_int": 12,
    },
) as dag:

    @task(task_id="get_names", task_display_name="Get names")
    def get_names(**kwargs) -> list[str]:
        params = kwargs["params"]
        if "names" not in params:
            return []
        return params["names"]

    @task.python
    def select_languages(**kwargs) -> list[str]:
        params = kwargs["params"]
        selected_languages = []
        for lang in ["english", "german", "french"]:
            if params[lang]:
                selected_languages.append(lang)
        return selected_languages

    @task.python
    def generate_greeting(name: str, lang: str):
        if lang == "english":
            return f"Hello {name}"
        if lang == "german":
            return f"Sehr geehrter Herr/Frau {name}."
        return f"Bonjour {name}"

    @task.python
    def summarise():
        ctx = get_current_context()
        p = ctx["params"]
        return {
            "types": {k: type(v).__name__ for k, v in sorted(p.items())},
            "integer_x2": p["integer"] * 2,
            "sum": sum(p["array_of_numbers"]),
            "dt": datetime.datetime.fromisoformat(p["date_time"]).hour,
            "obj": json.dumps(p["object"], sort_keys=True),
        }

    @task.python
    def print_greetings(greetings: list[str]):
        out = sorted(greetings)
        for g in out:
            print(g)
        return out

    greetings = generate_greeting.expand(name=get_names(), lang=select_languages())
    print_greetings(greetings) >> summarise()

    BashOperator(
        task_id="bash_params",
        bash_command='echo "{{ params.pick_one }} {{ params.integer + 1 }} {{ params.object.key }} {{ params.optional_text }}"',
    )
