"""Small parse-time stand-ins: Variable, Connection, conf, plugins, partition mappers, ..."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from leoflow_shim import connections
from leoflow_shim._base import ShimError


class Variable:
    """airflow.sdk.Variable. While a file compiles, the variables are those of the environment
    (`AIRFLOW_VAR_<KEY>`, Airflow's first secrets backend); `get` of another without a default
    raises as Airflow's."""

    @staticmethod
    def get(key: str, default: Any = ..., deserialize_json: bool = False) -> Any:
        from leoflow_shim import runtime

        answered, value = runtime.variable(key, default, deserialize_json)
        if answered:
            return value
        env = os.environ.get(f"AIRFLOW_VAR_{key.upper()}")
        return runtime.resolve_variable(key, env is not None, env, default, deserialize_json)

    @staticmethod
    def set(
        key: str,
        value: Any,
        description: str | None = None,
        serialize_json: bool = False,
        **kwargs: Any,
    ) -> None:
        """In a task: store the variable through the execution API, as Airflow's worker (a value
        that is not a string needs `serialize_json=True`: Airflow's PutVariable refuses it)."""
        from leoflow_shim import runtime

        if runtime.VARIABLE_SET is None:
            raise ShimError("Variable.set() cannot run while a DAG file is compiled")
        if serialize_json:
            import json

            value = json.dumps(value, indent=2)
        if value is not None and not isinstance(value, str):
            raise ValueError(
                "1 validation error for PutVariable\nvalue\n  Input should be a valid string "
                f"[type=string_type, input_value={value!r}, input_type={type(value).__name__}]"
            )
        runtime.VARIABLE_SET(key, value, description)

    @staticmethod
    def delete(key: str, **kwargs: Any) -> None:
        """In a task: delete the variable through the execution API."""
        from leoflow_shim import runtime

        if runtime.VARIABLE_DELETE is None:
            raise ShimError("Variable.delete() cannot run while a DAG file is compiled")
        runtime.VARIABLE_DELETE(key)

    @staticmethod
    def setdefault(key: str, default: Any, deserialize_json: bool = False) -> Any:
        return default


class ModelsVariable(Variable):
    """airflow.models.Variable: its `get` names the default `default_var` (the SDK's `default`
    is a TypeError there, as `default_var` is for the SDK's)."""

    @staticmethod
    def get(  # type: ignore[override]
        key: str,
        default_var: Any = ...,
        deserialize_json: bool = False,
        team_name: str | None = None,
    ) -> Any:
        return Variable.get(key, default_var, deserialize_json)


ModelsVariable.__name__ = ModelsVariable.__qualname__ = "Variable"


def get_parsing_context() -> Any:
    """Airflow's AirflowParsingContext: the DAG and task a worker parses the file for (from
    the same environment variables), None and None otherwise."""
    from collections import namedtuple

    ctx = namedtuple("AirflowParsingContext", ["dag_id", "task_id"])
    return ctx(
        os.environ.get("_AIRFLOW_PARSING_CONTEXT_DAG_ID"),
        os.environ.get("_AIRFLOW_PARSING_CONTEXT_TASK_ID"),
    )


Connection = connections.Connection


class _Conf:
    """airflow.configuration.conf with Airflow's defaults (no config file at compile time)."""

    _DEFAULTS = {
        ("core", "load_examples"): "True",
        ("core", "default_timezone"): "utc",
        ("operators", "default_owner"): "airflow",
        ("operators", "default_queue"): "default",
        ("core", "dags_folder"): "",
    }

    def get(self, section: str, key: str, fallback: Any = None, **kwargs: Any) -> Any:
        env = os.environ.get(f"AIRFLOW__{section.upper()}__{key.upper()}")
        if env is not None:
            return env
        return self._DEFAULTS.get((section, key), fallback)

    def getboolean(self, section: str, key: str, fallback: Any = False, **kwargs: Any) -> bool:
        v = self.get(section, key, None)
        if v is None:
            return bool(fallback)
        return str(v).strip().lower() in ("t", "true", "1")

    def getint(self, section: str, key: str, fallback: Any = 0, **kwargs: Any) -> int:
        v = self.get(section, key, None)
        return int(v) if v is not None else fallback

    def getfloat(self, section: str, key: str, fallback: Any = 0.0, **kwargs: Any) -> float:
        v = self.get(section, key, None)
        return float(v) if v is not None else fallback

    def has_option(self, section: str, key: str) -> bool:
        return (section, key) in self._DEFAULTS

    get_mandatory_value = get


conf = _Conf()


class AirflowPlugin:
    name: str | None = None
    timetables: list[Any] = []
    listeners: list[Any] = []
    priority_weight_strategies: list[Any] = []


def hookimpl(f: Any) -> Any:
    return f


class PriorityWeightStrategy:
    def get_weight(self, ti: Any) -> int:
        raise NotImplementedError


PriorityWeightStrategy.__module__ = "airflow.task.priority_strategy"


class _Opaque:
    """A runtime-only class (TaskInstance, DagRun, ...): importable, not usable at parse time."""


def opaque(name: str, module: str) -> type:
    cls = type(name, (_Opaque,), {})
    cls.__module__ = module
    return cls


class DataInterval:
    def __init__(self, start: Any, end: Any) -> None:
        self.start, self.end = start, end

    @classmethod
    def exact(cls, at: Any) -> DataInterval:
        return cls(at, at)


class TimeRestriction:
    def __init__(self, earliest: Any, latest: Any, catchup: bool) -> None:
        self.earliest, self.latest, self.catchup = earliest, latest, catchup


class DagRunInfo:
    def __init__(self, run_after: Any, data_interval: Any, partition_key: Any = None) -> None:
        self.run_after, self.data_interval = run_after, data_interval

    @classmethod
    def exact(cls, at: Any) -> DagRunInfo:
        return cls(at, DataInterval.exact(at))

    @classmethod
    def interval(cls, start: Any, end: Any) -> DagRunInfo:
        return cls(end, DataInterval(start, end))


for _c in (DataInterval, TimeRestriction, DagRunInfo):
    _c.__module__ = "airflow.timetables.base"


class _Captured:
    """Base for classes that only record their constructor arguments (triggers, notifiers...)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._init_args = args
        self._init_kwargs = kwargs
        for k, v in kwargs.items():
            if not hasattr(type(self), k):
                object.__setattr__(self, k, v)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v}" for k, v in self._init_kwargs.items())
        return f"<{type(self).__module__}.{type(self).__qualname__} {inner}>"


class BaseTrigger(_Captured):
    pass


class BaseEventTrigger(BaseTrigger):
    pass


class BaseNotifier(_Captured):
    """airflow.sdk.BaseNotifier. Called with a context (as a task's or a DAG's callback), it
    renders its template fields against that context, then calls `notify(context)`; in a task
    the agent renders them (`runtime.RENDER_WITH`), with the DAG's Jinja environment."""

    template_fields: Sequence[str] = ()
    template_ext: Sequence[str] = ()
    context: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        context = kwargs.get("context", args[0] if len(args) == 1 else None)
        self.context = context if isinstance(context, dict) and context else {}

    @property
    def log(self) -> logging.Logger:
        """Airflow's LoggingMixin logger, `<module>.<class>`."""
        cls = type(self)
        return logging.getLogger(f"{cls.__module__}.{cls.__name__}")

    def _update_context(self, context: Any) -> Any:
        """As Airflow: the context gets the template fields' (unrendered) values."""
        context.update((f, getattr(self, f)) for f in self.template_fields)
        return context

    def render_template(
        self,
        content: Any,
        context: Any,
        jinja_env: Any = None,
        seen_oids: set[int] | None = None,
    ) -> Any:
        """Templater.render_template, with the running DAG's environment and `context`."""
        from leoflow_shim import runtime

        if runtime.RENDER_WITH is None:
            raise ShimError("templates are rendered at run time, not while compiling")
        return runtime.RENDER_WITH(
            content,
            context,
            tuple(self.template_ext),
            getattr(self, "render_template_as_native_obj", None),
            set() if seen_oids is None else seen_oids,
        )

    def render_template_fields(self, context: Any, jinja_env: Any = None) -> None:
        """Render every attribute of `template_fields` in place (Templater's
        `_do_render_template_fields`: an empty result keeps the template)."""
        seen: set[int] = set()
        for name in self.template_fields:
            rendered = self.render_template(getattr(self, name), context, jinja_env, seen)
            if rendered:
                setattr(self, name, rendered)

    def notify(self, context: Any) -> None:
        cls = type(self)
        if cls.__module__.startswith("airflow.providers."):
            raise NotImplementedError(
                f"{cls.__module__}.{cls.__qualname__} is a provider's notifier, which Leoflow "
                "does not implement: its notify() cannot run"
            )
        raise NotImplementedError

    async def async_notify(self, context: Any) -> None:
        raise NotImplementedError

    def __call__(self, *args: Any) -> None:
        """Send the notification: a task callback passes the context; a DAG's SLA callback
        (dag, task_list, blocking_task_list, blocking_tis)."""
        if len(args) == 1:
            context = args[0]
        else:
            context = {
                "dag": args[0],
                "task_list": args[1],
                "blocking_task_list": args[2],
                "blocking_tis": args[3],
            }
        self._update_context(context)
        self.render_template_fields(context)
        try:
            self.notify(context)
        except Exception as e:
            self.log.error("Failed to send notification (sync): %s", e)
            raise


class BaseHook(_Captured):
    @classmethod
    def get_connection(cls, conn_id: str) -> Any:
        return Connection.get(conn_id)


class BaseOperatorLink:
    """An operator's extra link (UI only: Leoflow records nothing of it)."""

    name: str = ""

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        raise NotImplementedError


BaseOperatorLink.__module__ = "airflow.sdk.bases.operatorlink"
BaseTrigger.__module__ = "airflow.triggers.base"
BaseEventTrigger.__module__ = "airflow.triggers.base"
BaseNotifier.__module__ = "airflow.sdk.bases.notifier"
BaseHook.__module__ = "airflow.sdk.bases.hook"


class FileDeleteTrigger(BaseEventTrigger):
    def __init__(self, filepath: str, poke_interval: float = 5.0, **kwargs: Any) -> None:
        super().__init__(filepath=filepath, poke_interval=poke_interval, **kwargs)

    def __repr__(self) -> str:
        return (
            f"<airflow.providers.standard.triggers.file.FileDeleteTrigger "
            f"filepath={self.filepath}, poke_interval={self.poke_interval}>"
        )


FileDeleteTrigger.__module__ = "airflow.providers.standard.triggers.file"


class _Mapper(_Captured):
    pass


def mapper(name: str) -> type:
    cls = type(name, (_Mapper,), {})
    cls.__module__ = "airflow.sdk.definitions.partition_mappers"
    return cls


def get_current_context() -> Any:
    from leoflow_shim import runtime
    from leoflow_shim._base import AirflowException

    if runtime.CONTEXT is not None:
        return runtime.CONTEXT
    raise AirflowException(
        "Current context was requested but no context was found! Are you running within an "
        "Airflow task?"
    )


class Context(dict):  # type: ignore[type-arg]
    pass
