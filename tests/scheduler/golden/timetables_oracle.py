# Generates timetables_oracle.json with real Airflow 3.2.1:
#   $(/work/shared/tools/airflow_venv.sh | tail -n1) timetables_oracle.py > timetables_oracle.json
import time_machine, datetime as dt, json
from airflow.timetables.trigger import CronTriggerTimetable, DeltaTriggerTimetable, MultipleCronTriggerTimetable
from airflow.timetables.interval import CronDataIntervalTimetable, DeltaDataIntervalTimetable
from airflow.timetables.base import TimeRestriction, DataInterval
import pendulum
now = pendulum.datetime(2025,3,10,13,17, tz="UTC")
start = pendulum.datetime(2025,3,1, tz="UTC")
cases = {
 "cron_trigger": CronTriggerTimetable("0 * * * *", timezone="Europe/Amsterdam", interval=dt.timedelta(hours=1)),
 "cron_trigger_ri": CronTriggerTimetable("0 0 * * *", timezone="UTC", run_immediately=True),
 "cron_interval": CronDataIntervalTimetable("30 2 * * *", pendulum.timezone("America/New_York")),
 "delta_interval": DeltaDataIntervalTimetable(dt.timedelta(hours=6)),
 "delta_trigger": DeltaTriggerTimetable(dt.timedelta(hours=4)),
 "multi": MultipleCronTriggerTimetable("0 3 * * *", "30 12 * * *", timezone="UTC"),
}
out={}
with time_machine.travel(now, tick=False):
  for name, tt in cases.items():
    for catchup in (True, False):
      for earliest in (start, None):
        r = TimeRestriction(earliest=earliest, latest=None, catchup=catchup)
        i1 = tt.next_dagrun_info(last_automated_data_interval=None, restriction=r)
        i2 = tt.next_dagrun_info(last_automated_data_interval=i1.data_interval, restriction=r) if i1 else None
        f=lambda i: None if i is None else [i.run_after.isoformat(), i.data_interval.start.isoformat(), i.data_interval.end.isoformat()]
        out[f"{name}|{catchup}|{earliest is not None}"]=[f(i1),f(i2)]
    m = tt.infer_manual_data_interval(run_after=now)
    out[f"{name}|manual"]=[m.start.isoformat(), m.end.isoformat()]
print(json.dumps(out, indent=0))
