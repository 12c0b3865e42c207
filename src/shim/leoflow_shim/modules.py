"""Which `airflow.*` modules the shim models, and where each exported name comes from."""

from __future__ import annotations

_SDK = {
    "DAG": "dag:DAG",
    "dag": "dag:dag",
    "task": "decorators:task",
    "setup": "decorators:setup",
    "teardown": "decorators:teardown",
    "task_group": "taskgroup:task_group",
    "TaskGroup": "taskgroup:TaskGroup",
    "chain": "helpers:chain",
    "chain_linear": "helpers:chain_linear",
    "cross_downstream": "helpers:cross_downstream",
    "Label": "_base:Label",
    "EdgeModifier": "_base:EdgeModifier",
    "Param": "params:Param",
    "ParamsDict": "params:ParamsDict",
    "XComArg": "xcom:XComArg",
    "Asset": "assets:Asset",
    "AssetAlias": "assets:AssetAlias",
    "AssetAll": "assets:AssetAll",
    "AssetAny": "assets:AssetAny",
    "AssetWatcher": "assets:AssetWatcher",
    "Metadata": "assets:Metadata",
    "asset": "assets:asset",
    "Dataset": "assets:Dataset",
    "Model": "assets:Model",
    "BaseOperator": "operator:BaseOperator",
    "BaseOperatorLink": "compat:BaseOperatorLink",
    "BaseSensorOperator": "standard.sensor:BaseSensorOperator",
    "BaseBranchOperator": "standard.operators:BaseBranchOperator",
    "BranchMixIn": "standard.operators:BranchMixIn",
    "SkipMixin": "standard.operators:SkipMixin",
    "PokeReturnValue": "standard.sensor:PokeReturnValue",
    "get_current_context": "compat:get_current_context",
    "get_parsing_context": "compat:get_parsing_context",
    "conf": "compat:conf",
    "TaskInstance": "!opaque",
    "TaskInstanceState": "!opaque",
    "DagRunState": "!opaque",
    "Context": "compat:Context",
    "Variable": "compat:Variable",
    "Connection": "compat:Connection",
    "TriggerRule": "_base:SdkTriggerRule",
    "WeightRule": "_base:SdkWeightRule",
    "BaseNotifier": "compat:BaseNotifier",
    "BaseHook": "compat:BaseHook",
    "ObjectStoragePath": "objectstorage:ObjectStoragePath",
    "literal": "template:literal",
    "CronTriggerTimetable": "timetables:CronTriggerTimetable",
    "DeltaTriggerTimetable": "timetables:DeltaTriggerTimetable",
    "MultipleCronTriggerTimetable": "timetables:MultipleCronTriggerTimetable",
    "CronDataIntervalTimetable": "timetables:CronDataIntervalTimetable",
    "DeltaDataIntervalTimetable": "timetables:DeltaDataIntervalTimetable",
    "EventsTimetable": "timetables:EventsTimetable",
    "AssetOrTimeSchedule": "timetables:AssetOrTimeSchedule",
    "CronPartitionTimetable": "timetables:CronPartitionTimetable",
    "PartitionedAssetTimetable": "timetables:PartitionedAssetTimetable",
    "AllowedKeyMapper": "!mapper",
    "IdentityMapper": "!mapper",
    "ProductMapper": "!mapper",
    "StartOfDayMapper": "!mapper",
    "StartOfHourMapper": "!mapper",
    "StartOfYearMapper": "!mapper",
    "StartOfWeekMapper": "!mapper",
    "StartOfMonthMapper": "!mapper",
    "timezone": "@timezone",
}
# The exception classes of airflow.sdk.exceptions / airflow.exceptions (in _base).
_EXCEPTION_NAMES = (
    "AirflowException",
    "AirflowSkipException",
    "AirflowFailException",
    "AirflowSensorTimeout",
    "AirflowRescheduleException",
    "AirflowNotFoundException",
    "DuplicateTaskIdFound",
    "TaskAlreadyInTaskGroup",
    "ParamValidationError",
    "AirflowDagCycleException",
    "AirflowTimetableInvalid",
    "AirflowTaskTimeout",
    "AirflowTaskTerminated",
    "AirflowRuntimeError",
    "ErrorType",
    "DownstreamTasksSkipped",
    "TaskDeferred",
    "XComNotFound",
    "AirflowConfigException",
    "RemovedInAirflow4Warning",
    "AirflowProviderDeprecationWarning",
    "AirflowOptionalProviderFeatureException",
    "FailFastDagInvalidTriggerRule",
    "TaskAlreadyRunningError",
    "TaskDeferralError",
    "TaskDeferralTimeout",
    "TaskNotFound",
    "AirflowBadRequest",
    "DagNotFound",
    "DagRunNotFound",
    "TaskInstanceNotFound",
    "PoolNotFound",
    "ConnectionNotUnique",
    "VariableNotUnique",
    "SerializationError",
    "DagRunTypeNotAllowed",
)
_EXC = {n: f"_base:{n}" for n in _EXCEPTION_NAMES}
_STD = "standard.operators"
_PY = "standard.python"
_SEN = "standard.sensors"

TABLE: dict[str, dict[str, str]] = {
    "airflow": {
        "DAG": "dag:DAG",
        "Asset": "assets:Asset",
        "XComArg": "xcom:XComArg",
        "__version__": "=3.2.1",
    },
    "airflow.sdk": _SDK,
    "airflow.sdk.exceptions": _EXC,
    "airflow.exceptions": _EXC,
    "airflow.sdk.definitions": {},
    "airflow.sdk.definitions.dag": {"DAG": "dag:DAG", "dag": "dag:dag"},
    "airflow.sdk.definitions.taskgroup": {
        "TaskGroup": "taskgroup:TaskGroup",
        "MappedTaskGroup": "taskgroup:MappedTaskGroup",
    },
    "airflow.sdk.definitions.param": {"Param": "params:Param", "ParamsDict": "params:ParamsDict"},
    "airflow.sdk.definitions.asset": {k: v for k, v in _SDK.items() if v.startswith("assets:")},
    "airflow.sdk.definitions.edges": {"Label": "_base:Label", "EdgeModifier": "_base:EdgeModifier"},
    "airflow.sdk.definitions.xcom_arg": {"XComArg": "xcom:XComArg"},
    "airflow.sdk.definitions.template": {"literal": "template:literal"},
    "airflow.sdk.io": {"ObjectStoragePath": "objectstorage:ObjectStoragePath"},
    "airflow.sdk.io.path": {"ObjectStoragePath": "objectstorage:ObjectStoragePath"},
    "airflow.sdk.definitions.context": {
        "Context": "compat:Context",
        "get_current_context": "compat:get_current_context",
    },
    "airflow.sdk.bases": {},
    "airflow.sdk.bases.operator": {
        "BaseOperator": "operator:BaseOperator",
        "chain": "helpers:chain",
        "chain_linear": "helpers:chain_linear",
        "cross_downstream": "helpers:cross_downstream",
    },
    "airflow.sdk.bases.sensor": {
        "BaseSensorOperator": "standard.sensor:BaseSensorOperator",
        "PokeReturnValue": "standard.sensor:PokeReturnValue",
        "poke_mode_only": "standard.sensor:poke_mode_only",
    },
    "airflow.sdk.bases.branch": {
        "BaseBranchOperator": f"{_STD}:BaseBranchOperator",
        "BranchMixIn": f"{_STD}:BranchMixIn",
    },
    "airflow.sdk.bases.skipmixin": {"SkipMixin": f"{_STD}:SkipMixin"},
    "airflow.sdk.bases.operatorlink": {"BaseOperatorLink": "compat:BaseOperatorLink"},
    "airflow.sdk.bases.notifier": {"BaseNotifier": "compat:BaseNotifier"},
    "airflow.sdk.bases.hook": {"BaseHook": "compat:BaseHook"},
    "airflow.sdk.timezone": {"@": "@timezone"},
    "airflow.sdk.execution_time": {},
    "airflow.sdk.execution_time.task_runner": {"RuntimeTaskInstance": "!opaque"},
    "airflow.sdk.execution_time.context": {"Context": "compat:Context"},
    "airflow.decorators": {
        "dag": "dag:dag",
        "task": "decorators:task",
        "task_group": "taskgroup:task_group",
        "setup": "decorators:setup",
        "teardown": "decorators:teardown",
    },
    "airflow.models": {
        "DAG": "dag:DAG",
        "BaseOperator": "operator:BaseOperator",
        "Param": "params:Param",
        "Variable": "compat:ModelsVariable",
        "Connection": "compat:Connection",
        "TaskInstance": "!opaque",
        "DagRun": "!opaque",
        "XComArg": "xcom:XComArg",
    },
    "airflow.models.dag": {"DAG": "dag:DAG"},
    "airflow.models.baseoperator": {
        "BaseOperator": "operator:BaseOperator",
        "chain": "helpers:chain",
        "chain_linear": "helpers:chain_linear",
        "cross_downstream": "helpers:cross_downstream",
    },
    "airflow.models.param": {"Param": "params:Param", "ParamsDict": "params:ParamsDict"},
    "airflow.models.variable": {"Variable": "compat:ModelsVariable"},
    "airflow.models.connection": {"Connection": "compat:Connection"},
    "airflow.models.taskinstance": {"TaskInstance": "!opaque"},
    "airflow.models.dagrun": {"DagRun": "!opaque"},
    "airflow.models.xcom_arg": {"XComArg": "xcom:XComArg"},
    "airflow.configuration": {"conf": "compat:conf"},
    "airflow.plugins_manager": {"AirflowPlugin": "compat:AirflowPlugin"},
    "airflow.listeners": {"hookimpl": "compat:hookimpl"},
    "airflow.task": {},
    "airflow.task.priority_strategy": {"PriorityWeightStrategy": "compat:PriorityWeightStrategy"},
    "airflow.task.trigger_rule": {"TriggerRule": "_base:TriggerRule"},
    "airflow.task.weight_rule": {"WeightRule": "_base:WeightRule"},
    "airflow.timetables": {},
    "airflow.timetables.base": {
        "Timetable": "timetables:Timetable",
        "DagRunInfo": "compat:DagRunInfo",
        "DataInterval": "compat:DataInterval",
        "TimeRestriction": "compat:TimeRestriction",
    },
    "airflow.timetables.trigger": {
        n: f"timetables:core_{n}"
        for n in ("CronTriggerTimetable", "DeltaTriggerTimetable", "MultipleCronTriggerTimetable")
    },
    "airflow.timetables.interval": {
        n: f"timetables:core_{n}"
        for n in ("CronDataIntervalTimetable", "DeltaDataIntervalTimetable")
    },
    "airflow.timetables.events": {"EventsTimetable": "timetables:core_EventsTimetable"},
    "airflow.timetables.simple": {
        n: f"timetables:core_{n}"
        for n in (
            "NullTimetable",
            "OnceTimetable",
            "ContinuousTimetable",
            "AssetTriggeredTimetable",
        )
    },
    "airflow.timetables.assets": {"AssetOrTimeSchedule": "timetables:core_AssetOrTimeSchedule"},
    "airflow.utils": {},
    "airflow.utils.state": {
        "TaskInstanceState": "!opaque",
        "DagRunState": "!opaque",
        "State": "!opaque",
    },
    "airflow.utils.trigger_rule": {"TriggerRule": "_base:TriggerRule"},
    "airflow.utils.weight_rule": {"WeightRule": "_base:WeightRule"},
    "airflow.utils.task_group": {"TaskGroup": "taskgroup:TaskGroup"},
    "airflow.utils.edgemodifier": {"Label": "_base:Label", "EdgeModifier": "_base:EdgeModifier"},
    "airflow.utils.helpers": {},  # chain & co. moved to airflow.sdk in Airflow 3
    "airflow.utils.dates": {"cron_presets": "timetables:CRON_PRESETS"},
    "airflow.utils.timezone": {"@": "@timezone"},
    "airflow.providers": {},
    "airflow.providers.common": {},
    "airflow.providers.common.compat": {},
    "airflow.providers.common.compat.sdk": {**_SDK, **_EXC},
    "airflow.providers.standard": {},
    "airflow.providers.standard.operators": {},
    "airflow.providers.standard.operators.bash": {"BashOperator": f"{_STD}:BashOperator"},
    "airflow.providers.standard.operators.empty": {"EmptyOperator": f"{_STD}:EmptyOperator"},
    "airflow.providers.standard.operators.smooth": {"SmoothOperator": f"{_STD}:SmoothOperator"},
    "airflow.providers.standard.operators.branch": {
        "BaseBranchOperator": f"{_STD}:BaseBranchOperator",
        "BranchMixIn": f"{_STD}:BranchMixIn",
    },
    "airflow.providers.standard.operators.latest_only": {
        "LatestOnlyOperator": f"{_STD}:LatestOnlyOperator"
    },
    "airflow.providers.standard.operators.trigger_dagrun": {
        "TriggerDagRunOperator": f"{_STD}:TriggerDagRunOperator"
    },
    "airflow.providers.standard.operators.datetime": {
        "BranchDateTimeOperator": f"{_STD}:BranchDateTimeOperator"
    },
    "airflow.providers.standard.operators.weekday": {
        "BranchDayOfWeekOperator": f"{_STD}:BranchDayOfWeekOperator"
    },
    "airflow.providers.standard.operators.hitl": {
        n: f"{_STD}:{n}"
        for n in ("HITLOperator", "ApprovalOperator", "HITLBranchOperator", "HITLEntryOperator")
    },
    "airflow.providers.standard.operators.python": {
        n: f"{_PY}:{n}"
        for n in (
            "PythonOperator",
            "BranchPythonOperator",
            "ShortCircuitOperator",
            "PythonVirtualenvOperator",
            "BranchPythonVirtualenvOperator",
            "ExternalPythonOperator",
            "BranchExternalPythonOperator",
            "get_current_context",
        )
    },
    "airflow.providers.standard.sensors": {},
    "airflow.providers.standard.sensors.external_task": {
        "ExternalTaskSensor": f"{_SEN}:ExternalTaskSensor",
        "ExternalTaskMarker": f"{_SEN}:ExternalTaskMarker",
        "ExternalDagLink": f"{_SEN}:ExternalDagLink",
    },
    "airflow.providers.standard.sensors.time": {
        "TimeSensor": f"{_SEN}:TimeSensor",
        "TimeSensorAsync": f"{_SEN}:TimeSensorAsync",
    },
    "airflow.providers.standard.sensors.time_delta": {
        "TimeDeltaSensor": f"{_SEN}:TimeDeltaSensor",
        "TimeDeltaSensorAsync": f"{_SEN}:TimeDeltaSensorAsync",
        "WaitSensor": f"{_SEN}:WaitSensor",
    },
    "airflow.providers.standard.sensors.date_time": {
        "DateTimeSensor": f"{_SEN}:DateTimeSensor",
        "DateTimeSensorAsync": f"{_SEN}:DateTimeSensorAsync",
    },
    "airflow.providers.standard.sensors.filesystem": {"FileSensor": f"{_SEN}:FileSensor"},
    "airflow.providers.standard.sensors.bash": {"BashSensor": f"{_SEN}:BashSensor"},
    "airflow.providers.standard.sensors.python": {"PythonSensor": f"{_SEN}:PythonSensor"},
    "airflow.providers.standard.sensors.weekday": {"DayOfWeekSensor": f"{_SEN}:DayOfWeekSensor"},
    "airflow.providers.standard.triggers": {},
    "airflow.providers.standard.triggers.file": {"FileDeleteTrigger": "compat:FileDeleteTrigger"},
    "airflow.providers.standard.utils": {},
    "airflow.providers.standard.utils.weekday": {"WeekDay": f"{_STD}:WeekDay"},
    "airflow.providers.standard.utils.skipmixin": {"SkipMixin": f"{_STD}:SkipMixin"},
    "airflow.providers.standard.decorators": {},
    "airflow.triggers": {},
    "airflow.triggers.base": {
        "BaseTrigger": "compat:BaseTrigger",
        "BaseEventTrigger": "compat:BaseEventTrigger",
    },
}

# Airflow 3.2.1's deprecated aliases, copied from the `__deprecated_classes` tables its packages
# hand to `airflow.utils.deprecation_tools.add_deprecated_classes` (airflow/sensors, operators,
# hooks, triggers, notifications and models `__init__.py`). Each legacy module is virtual there: a
# name resolves to the target object itself, so `operator_class` is the target's. A ">" spec is
# resolved by importing the target module through the shim (standard provider classes, other
# providers' generic classes, SDK classes). Only `airflow.models.operator.Operator` and
# `airflow.models.abstractoperator.*` are left out (the first fails in Airflow 3.2.1 too).
_SSEN = "airflow.providers.standard.sensors"
_SOPS = "airflow.providers.standard.operators"
_LEGACY: dict[str, dict[str, dict[str, str]]] = {
    "airflow.sensors": {
        "base": {
            "BaseSensorOperator": "airflow.sdk.bases.sensor.BaseSensorOperator",
            "PokeReturnValue": "airflow.sdk.bases.sensor.PokeReturnValue",
            "poke_mode_only": "airflow.sdk.bases.sensor.poke_mode_only",
        },
        "python": {"PythonSensor": f"{_SSEN}.python.PythonSensor"},
        "bash": {"BashSensor": f"{_SSEN}.bash.BashSensor"},
        "date_time": {
            "DateTimeSensor": f"{_SSEN}.date_time.DateTimeSensor",
            "DateTimeSensorAsync": f"{_SSEN}.date_time.DateTimeSensorAsync",
        },
        "time_sensor": {
            "TimeSensor": f"{_SSEN}.time.TimeSensor",
            "TimeSensorAsync": f"{_SSEN}.time.TimeSensorAsync",
        },
        "weekday": {"DayOfWeekSensor": f"{_SSEN}.weekday.DayOfWeekSensor"},
        "time_delta": {
            "TimeDeltaSensor": f"{_SSEN}.time_delta.TimeDeltaSensor",
            "TimeDeltaSensorAsync": f"{_SSEN}.time_delta.TimeDeltaSensorAsync",
        },
        "filesystem": {"FileSensor": f"{_SSEN}.filesystem.FileSensor"},
        "external_task": {
            "ExternalTaskSensor": f"{_SSEN}.external_task.ExternalTaskSensor",
            "ExternalTaskMarker": f"{_SSEN}.external_task.ExternalTaskMarker",
            "ExternalDagLink": f"{_SSEN}.external_task.ExternalDagLink",
        },
    },
    "airflow.operators": {
        "python": {
            **{
                n: f"{_SOPS}.python.{n}"
                for n in (
                    "PythonOperator",
                    "BranchPythonOperator",
                    "ShortCircuitOperator",
                    "PythonVirtualenvOperator",
                    "ExternalPythonOperator",
                    "BranchExternalPythonOperator",
                    "BranchPythonVirtualenvOperator",
                )
            },
            "get_current_context": "airflow.sdk.get_current_context",
        },
        "bash": {"BashOperator": f"{_SOPS}.bash.BashOperator"},
        "datetime": {"BranchDateTimeOperator": f"{_SOPS}.datetime.BranchDateTimeOperator"},
        "generic_transfer": {
            "GenericTransfer": "airflow.providers.common.sql.operators.generic_transfer."
            "GenericTransfer"
        },
        "weekday": {"BranchDayOfWeekOperator": f"{_SOPS}.weekday.BranchDayOfWeekOperator"},
        "trigger_dagrun": {
            "TriggerDagRunOperator": f"{_SOPS}.trigger_dagrun.TriggerDagRunOperator"
        },
        "latest_only": {"LatestOnlyOperator": f"{_SOPS}.latest_only.LatestOnlyOperator"},
        "empty": {"EmptyOperator": f"{_SOPS}.empty.EmptyOperator"},
        "email": {"EmailOperator": "airflow.providers.smtp.operators.smtp.EmailOperator"},
        "smooth": {"SmoothOperator": f"{_SOPS}.smooth.SmoothOperator"},
        "branch": {
            "BranchMixIn": "airflow.sdk.bases.branch.BranchMixIn",
            "BaseBranchOperator": "airflow.sdk.bases.branch.BaseBranchOperator",
        },
    },
    "airflow.hooks": {
        "filesystem": {"FSHook": "airflow.providers.standard.hooks.filesystem.FSHook"},
        "package_index": {
            "PackageIndexHook": "airflow.providers.standard.hooks.package_index.PackageIndexHook"
        },
        "subprocess": {
            "SubprocessHook": "airflow.providers.standard.hooks.subprocess.SubprocessHook"
        },
        "base": {"BaseHook": "airflow.sdk.bases.hook.BaseHook"},
    },
    "airflow.triggers": {
        "external_task": {
            "WorkflowTrigger": "airflow.providers.standard.triggers.external_task.WorkflowTrigger",
            "DagStateTrigger": "airflow.providers.standard.triggers.external_task.DagStateTrigger",
        },
        "file": {"FileTrigger": "airflow.providers.standard.triggers.file.FileTrigger"},
        "temporal": {
            "DateTimeTrigger": "airflow.providers.standard.triggers.temporal.DateTimeTrigger",
            "TimeDeltaTrigger": "airflow.providers.standard.triggers.temporal.TimeDeltaTrigger",
        },
    },
    "airflow.notifications": {
        "basenotifier": {"BaseNotifier": "airflow.sdk.bases.notifier.BaseNotifier"},
    },
    "airflow.models": {
        "param": {
            "Param": "airflow.sdk.Param",
            "ParamsDict": "airflow.sdk.definitions.param.ParamsDict",
        },
        "baseoperator": {
            n: f"airflow.sdk.bases.operator.{n}"
            for n in ("BaseOperator", "chain", "chain_linear", "cross_downstream")
        },
        "baseoperatorlink": {"BaseOperatorLink": "airflow.sdk.BaseOperatorLink"},
        "skipmixin": {"SkipMixin": "airflow.sdk.bases.skipmixin.SkipMixin"},
        "operator": {"BaseOperator": "airflow.sdk.BaseOperator"},
    },
}
for _pkg, _mods in _LEGACY.items():
    TABLE.setdefault(_pkg, {})
    for _sub, _names in _mods.items():
        TABLE.setdefault(f"{_pkg}.{_sub}", {}).update({n: f">{t}" for n, t in _names.items()})

HINTS = {
    "airflow.contrib": "airflow.contrib was removed in Airflow 2; Leoflow compiles Airflow 3.2 "
    "DAGs. Import the operator from its provider, e.g. "
    "`airflow.providers.<name>.operators.<module>`",
}
