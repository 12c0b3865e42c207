"""User-defined operators and sensors declared in the DAG file itself."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, BaseOperator, BaseSensorOperator
from airflow.providers.standard.operators.bash import BashOperator


class GreetOperator(BaseOperator):
    """Templated greeting with a file-extension template and UI colors."""

    template_fields = ("name", "greeting_file")
    template_ext = (".txt",)
    template_fields_renderers = {"name": "py"}
    ui_color = "#e8f7e4"
    ui_fgcolor = "#000000"
    custom_operator_name = "Greet"

    def __init__(self, *, name: str, greeting_file: str = "", loud: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.name = name
        self.greeting_file = greeting_file
        self.loud = loud

    def execute(self, context):
        message = f"Hello {self.name}"
        return message.upper() if self.loud else message


class LoudGreetOperator(GreetOperator):
    """A subclass of a subclass, with one more ctor parameter."""

    def __init__(self, *, times: int = 2, **kwargs):
        super().__init__(loud=True, **kwargs)
        self.times = times


class QueueDrainedSensor(BaseSensorOperator):
    template_fields = ("queue_name",)

    def __init__(self, *, queue_name: str, threshold: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.queue_name = queue_name
        self.threshold = threshold

    def poke(self, context) -> bool:
        return True


class EchoBashOperator(BashOperator):
    """Subclass of a standard operator that fixes its command."""

    def __init__(self, *, word: str, **kwargs):
        super().__init__(bash_command=f"echo {word}", **kwargs)
        self.word = word


with DAG(
    dag_id="fid_custom_operator",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:
    greet = GreetOperator(task_id="greet", name="{{ dag_run.conf.get('who', 'world') }}")
    loud = LoudGreetOperator(task_id="loud", name="team", times=3)
    drained = QueueDrainedSensor(
        task_id="drained",
        queue_name="jobs-{{ ds }}",
        threshold=5,
        mode="reschedule",
        poke_interval=datetime.timedelta(minutes=2),
        timeout=3600,
        exponential_backoff=True,
        max_wait=datetime.timedelta(minutes=20),
        soft_fail=True,
    )
    echo = EchoBashOperator(task_id="echo", word="done")
    mapped = GreetOperator.partial(task_id="mapped_greet", loud=True).expand(name=["a", "b"])
    greet >> loud >> drained >> echo >> mapped
