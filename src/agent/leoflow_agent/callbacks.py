"""Task-level state callbacks (`on_execute_callback`, `on_success_callback`, ...), run as
Airflow's task runner runs them: in the try's process, after the end state is decided and before
it is reported (so a downstream task starts only once they are done); a callback that raises is
logged and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import error_detail
from .live import load_live

if TYPE_CHECKING:
    from .runtime import Runtime

# The callback Airflow's `finalize` runs for each end state.
KIND_OF_STATE = {
    "success": "on_success_callback",
    "skipped": "on_skipped_callback",
    "up_for_retry": "on_retry_callback",
    "failed": "on_failure_callback",
}


def _callables(task: Any, kind: str) -> list[Any]:
    value = getattr(task, kind, None)
    if not value:
        partial = getattr(task, "partial_kwargs", None)  # a mapped task keeps them there
        value = partial.get(kind) if isinstance(partial, Mapping) else None
    if not value:
        return []
    if callable(value):
        return [value]
    return list(value) if isinstance(value, Iterable) else []


def run_callbacks(rt: Runtime, kind: str, context: Callable[[], dict[str, Any]]) -> None:
    """Call the task's `kind` callbacks with `context()`. Nothing to do (not even loading the
    DAG file) unless dag.json says the task has some."""
    if not rt.task_doc.get(f"has_{kind}"):
        return
    try:
        if rt.live_task is None:
            load_live(rt)
        callbacks = _callables(rt.live_task, kind)
        ctx = context()
    except Exception as exc:
        rt.journal.error(f"Cannot run the task's {kind}: {exc!r}")
        return
    for index, callback in enumerate(callbacks):
        try:
            callback(ctx)
        except Exception as exc:
            rt.journal.error(  # as Airflow's task runner logs it
                "Failed to run task callback",
                kind=kind,
                index=index,
                callback=repr(callback),
                error_detail=error_detail(exc),
            )


def render_with_context(
    rt: Runtime,
    value: Any,
    context: Any,
    template_ext: tuple[str, ...],
    native: bool | None,
    seen: set[int],
) -> Any:
    """Render `value` as Airflow's Templater renders a notifier's template fields: the DAG's
    Jinja environment (`dag.get_template_env()`, native when the DAG renders natively), the
    context the notifier was called with, its own `template_ext`; the pieces are joined natively
    when the notifier says so, else as the DAG says (not as the task does)."""
    from .runner import _jinja_env
    from .templates import Renderer

    factory, _task_native, plain_ok = _jinja_env(rt, False)
    if native is None:
        dag_native = getattr(rt.live_dag, "render_template_as_native_obj", None)
        if dag_native is None:
            dag_native = rt.dag_doc.get("render_template_as_native_obj", False)
        native = bool(dag_native)
    renderer = Renderer(
        factory,
        dict(context) if isinstance(context, Mapping) else {},
        template_ext=template_ext,
        native=bool(native),
        plain_fast_path=plain_ok,
    )
    return renderer.render(value, seen)


def run_execute_hook(rt: Runtime, which: str, context: dict[str, Any], *args: Any) -> None:
    """The task's `pre_execute=` / `post_execute=` hook (Airflow's `_pre_execute_hook` /
    `_post_execute_hook`, also how `@task.run_if` / `skip_if` work), when dag.json says it has
    one. What it raises is the try's: AirflowSkipException skips the task."""
    if not (rt.task_doc.get("leoflow") or {}).get(f"has_{which}_hook"):
        return
    if rt.live_task is None:
        load_live(rt)
    task = rt.live_task
    hook = getattr(task, f"_{which}_hook", None)
    if hook is None:  # a mapped task keeps it with its partial arguments
        partial = getattr(task, "partial_kwargs", None)
        hook = partial.get(which) if isinstance(partial, Mapping) else None
    if callable(hook):
        hook(context, *args)


def run_state_callbacks(
    rt: Runtime,
    state: str,
    error: BaseException | None,
    context: Callable[[], dict[str, Any]],
) -> None:
    """The callbacks of the end state `state`; `context["exception"]` is the try's error."""
    kind = KIND_OF_STATE.get(state)
    if kind is None:
        return

    def with_error() -> dict[str, Any]:
        ctx = context()
        ctx["exception"] = error
        return ctx

    run_callbacks(rt, kind, with_error)
