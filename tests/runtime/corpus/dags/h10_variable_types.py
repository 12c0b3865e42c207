from datetime import datetime, timezone
from airflow.sdk import dag, task, Variable


@dag(dag_id="h10_variable_types", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def set_int():
        Variable.set("h10_int", 5)
        return "ok"

    @task
    def set_json():
        Variable.set("h10_js", {"b": [1, 2], "a": None}, serialize_json=True)
        Variable.set("h10_plain", "not json")
        Variable.set("h10_list", [3, 4])
        return "ok"

    @task
    def get_all():
        return {
            "int": Variable.get("h10_int"),
            "js_raw": Variable.get("h10_js"),
            "js": Variable.get("h10_js", deserialize_json=True),
            "list_raw": Variable.get("h10_list"),
            "missing_default_none": Variable.get("h10_missing", default=None),
            "missing_default_json": Variable.get("h10_missing", default={"z": 1}, deserialize_json=True),
        }

    @task
    def bad_json():
        return Variable.get("h10_plain", deserialize_json=True)

    @task
    def missing():
        return Variable.get("h10_really_missing")

    @task
    def templ(**context):
        return context["templates_dict"]

    t = templ.override(templates_dict={"a": "{{ var.value.h10_int }}", "b": "{{ var.json.h10_js.b }}", "c": "{{ var.value.get('nope', 'fb') }}"})()
    s1, s2 = set_int(), set_json()
    [s1, s2] >> get_all()
    [s1, s2] >> bad_json()
    [s1, s2] >> missing()
    [s1, s2] >> t


d()
