"""PythonOperator family (incl. virtualenv / external python) and the @asset main operator."""

from __future__ import annotations

import inspect
import types
from collections.abc import Container
from typing import Any

from leoflow_shim._base import AirflowException
from leoflow_shim.standard.operators import BaseBranchOperator, P, SkipMixin, _Native

_SERIALIZERS = ("pickle", "cloudpickle", "dill")


class PythonOperator(_Native):
    template_fields = ("templates_dict", "op_args", "op_kwargs")
    template_fields_renderers = {"templates_dict": "json", "op_args": "py", "op_kwargs": "py"}
    ui_color = "#ffefeb"
    shallow_copy_attrs = ("python_callable", "op_kwargs")

    def __init__(
        self,
        *,
        python_callable: Any,
        op_args: Any = None,
        op_kwargs: Any = None,
        templates_dict: dict[str, Any] | None = None,
        templates_exts: Any = None,
        show_return_value_in_logs: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not callable(python_callable):
            raise AirflowException("`python_callable` param must be callable")
        self.python_callable = python_callable
        self.op_args = op_args or ()
        self.op_kwargs = op_kwargs or {}
        self.templates_dict = templates_dict
        if templates_exts:
            self.template_ext = templates_exts
        self.show_return_value_in_logs = show_return_value_in_logs


class BranchPythonOperator(BaseBranchOperator, PythonOperator):
    pass


class ShortCircuitOperator(PythonOperator, SkipMixin):
    inherits_from_skipmixin = True

    def __init__(self, *, ignore_downstream_trigger_rules: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ignore_downstream_trigger_rules = ignore_downstream_trigger_rules


def _exit_codes(value: Any) -> Any:
    if isinstance(value, Container):
        return value
    return [value] if value is not None else []


class _BasePythonVirtualenvOperator(PythonOperator):
    def __init__(
        self,
        *,
        python_callable: Any,
        serializer: Any = None,
        op_args: Any = None,
        op_kwargs: Any = None,
        string_args: Any = None,
        templates_dict: Any = None,
        templates_exts: Any = None,
        expect_airflow: bool = True,
        skip_on_exit_code: Any = None,
        env_vars: Any = None,
        inherit_env: bool = True,
        **kwargs: Any,
    ) -> None:
        if not isinstance(python_callable, types.FunctionType) or (
            python_callable.__name__ == "<lambda>"
        ):
            raise ValueError(
                f"{type(self).__name__} only supports functions for python_callable arg"
            )
        if inspect.isgeneratorfunction(python_callable):
            raise ValueError(
                f"{type(self).__name__} does not support using 'yield' in python_callable"
            )
        super().__init__(
            python_callable=python_callable,
            op_args=op_args,
            op_kwargs=op_kwargs,
            templates_dict=templates_dict,
            templates_exts=templates_exts,
            **kwargs,
        )
        self.string_args = string_args or []
        serializer = serializer or "pickle"
        if serializer not in _SERIALIZERS:
            raise AirflowException(
                f"Unsupported serializer {serializer!r}. Expected one of {', '.join(_SERIALIZERS)}"
            )
        self.serializer = serializer
        self.expect_airflow = expect_airflow
        self.skip_on_exit_code = _exit_codes(skip_on_exit_code)
        self.env_vars = env_vars
        self.inherit_env = inherit_env


class PythonVirtualenvOperator(_BasePythonVirtualenvOperator):
    template_fields = (
        "index_urls",
        "index_urls_from_connection_ids",
        "venv_cache_path",
        "op_kwargs",
        "templates_dict",
        "op_args",
        "requirements",
    )
    template_ext = (".txt",)

    def __init__(
        self,
        *,
        python_callable: Any,
        requirements: Any = None,
        python_version: str | None = None,
        serializer: Any = None,
        system_site_packages: bool = True,
        pip_install_options: Any = None,
        op_args: Any = None,
        op_kwargs: Any = None,
        string_args: Any = None,
        templates_dict: Any = None,
        templates_exts: Any = None,
        expect_airflow: bool = True,
        skip_on_exit_code: Any = None,
        index_urls: Any = None,
        index_urls_from_connection_ids: Any = None,
        venv_cache_path: Any = None,
        env_vars: Any = None,
        inherit_env: bool = True,
        **kwargs: Any,
    ) -> None:
        if not requirements:
            self.requirements: Any = []
        elif isinstance(requirements, str):
            self.requirements = [requirements]
        else:
            self.requirements = list(requirements)
        self.python_version = python_version
        self.system_site_packages = system_site_packages
        self.pip_install_options = pip_install_options
        if isinstance(index_urls, str):
            index_urls = [index_urls]
        self.index_urls = list(index_urls) if index_urls is not None else None
        if isinstance(index_urls_from_connection_ids, str):
            index_urls_from_connection_ids = [index_urls_from_connection_ids]
        self.index_urls_from_connection_ids = (
            list(index_urls_from_connection_ids)
            if index_urls_from_connection_ids is not None
            else None
        )
        self.venv_cache_path = venv_cache_path
        super().__init__(
            python_callable=python_callable,
            serializer=serializer,
            op_args=op_args,
            op_kwargs=op_kwargs,
            string_args=string_args,
            templates_dict=templates_dict,
            templates_exts=templates_exts,
            expect_airflow=expect_airflow,
            skip_on_exit_code=skip_on_exit_code,
            env_vars=env_vars,
            inherit_env=inherit_env,
            **kwargs,
        )


class BranchPythonVirtualenvOperator(BaseBranchOperator, PythonVirtualenvOperator):
    pass


class ExternalPythonOperator(_BasePythonVirtualenvOperator):
    template_fields = ("op_args", "op_kwargs", "templates_dict", "python")

    def __init__(
        self,
        *,
        python: str,
        python_callable: Any,
        serializer: Any = None,
        op_args: Any = None,
        op_kwargs: Any = None,
        string_args: Any = None,
        templates_dict: Any = None,
        templates_exts: Any = None,
        expect_airflow: bool = True,
        expect_pendulum: bool = False,
        skip_on_exit_code: Any = None,
        env_vars: Any = None,
        inherit_env: bool = True,
        **kwargs: Any,
    ) -> None:
        if not python:
            raise ValueError("Python Path must be defined in ExternalPythonOperator")
        self.python = python
        self.expect_pendulum = expect_pendulum
        super().__init__(
            python_callable=python_callable,
            serializer=serializer,
            op_args=op_args,
            op_kwargs=op_kwargs,
            string_args=string_args,
            templates_dict=templates_dict,
            templates_exts=templates_exts,
            expect_airflow=expect_airflow,
            skip_on_exit_code=skip_on_exit_code,
            env_vars=env_vars,
            inherit_env=inherit_env,
            **kwargs,
        )


class BranchExternalPythonOperator(BaseBranchOperator, ExternalPythonOperator):
    pass


def get_current_context() -> Any:
    from leoflow_shim import compat

    return compat.get_current_context()


for _c in (
    PythonOperator,
    BranchPythonOperator,
    ShortCircuitOperator,
    _BasePythonVirtualenvOperator,
    PythonVirtualenvOperator,
    BranchPythonVirtualenvOperator,
    ExternalPythonOperator,
    BranchExternalPythonOperator,
):
    _c.__module__ = f"{P}.operators.python"


class _AssetMainOperator(PythonOperator):
    def __init__(self, *, definition_name: str, uri: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._definition_name = definition_name


_AssetMainOperator.__module__ = "airflow.sdk.definitions.asset.decorators"
