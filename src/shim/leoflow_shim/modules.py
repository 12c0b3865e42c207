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
    "BaseSensorOperator": "standard.sensor:BaseSensorOperator",
    "PokeReturnValue": "standard.sensor:PokeReturnValue",
    "get_current_context": "compat:get_current_context",
    "Context": "compat:Context",
    "Variable": "compat:Variable",
    "Connection": "compat:Connection",
    "TriggerRule": "_base:TriggerRule",
    "WeightRule": "_base:WeightRule",
    "BaseNotifier": "compat:BaseNotifier",
    "BaseHook": "compat:BaseHook",
    "ObjectStoragePath": "compat:ObjectStoragePath",
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
_EXC = {
    n: f"_base:{n}"
    for n in (
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
    )
}
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
    },
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
        "Variable": "compat:Variable",
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
    "airflow.models.variable": {"Variable": "compat:Variable"},
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
    "airflow.operators": {},
    "airflow.operators.empty": {"EmptyOperator": f"{_STD}:EmptyOperator"},
    "airflow.operators.bash": {"BashOperator": f"{_STD}:BashOperator"},
    "airflow.operators.python": {
        n: f"{_PY}:{n}"
        for n in (
            "PythonOperator",
            "BranchPythonOperator",
            "ShortCircuitOperator",
            "PythonVirtualenvOperator",
            "ExternalPythonOperator",
            "get_current_context",
        )
    },
    "airflow.sensors": {},
    "airflow.sensors.base": {
        "BaseSensorOperator": "standard.sensor:BaseSensorOperator",
        "PokeReturnValue": "standard.sensor:PokeReturnValue",
    },
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
    },
    "airflow.providers.standard.sensors.time": {"TimeSensor": f"{_SEN}:TimeSensor"},
    "airflow.providers.standard.sensors.time_delta": {
        "TimeDeltaSensor": f"{_SEN}:TimeDeltaSensor",
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

HINTS = {
    "airflow.contrib": "airflow.contrib was removed in Airflow 2; Leoflow compiles Airflow 3.2 "
    "DAGs. Import the operator from its provider, e.g. "
    "`airflow.providers.<name>.operators.<module>`",
}
