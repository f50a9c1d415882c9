#!/usr/bin/env python3
"""Where a run's time goes, from a Spark event log: one line per SQL execution and one per job step.

    mkdir -p /tmp/ev   # Spark does not create the event log folder
    SPARK_SUBMIT_EXTRA="--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file:///tmp/ev" \
      scripts/run-local.sh --lake-root /tmp/lake
    scripts/event-log-summary.py /tmp/ev/local-*

Per execution: seconds since the application started, the gap before it (driver work between actions:
analysis, planning, listing, commits, manifests; and Spark jobs outside SQL such as a Parquet footer read),
its duration, its Spark jobs and tasks, its description (the job step that ran it). Per step (the first word
of the description): executions, Spark jobs, seconds in executions and in the gaps before them.
A profiling aid (needs python3); nothing in the build or the jobs uses it.
"""
import collections
import json
import sys


def main(path):
    app_start = None
    executions = {}
    jobs = 0
    jobs_outside_sql = 0
    with open(path) as log:
        for line in log:
            event = json.loads(line)
            kind = event["Event"]
            if kind == "SparkListenerApplicationStart":
                app_start = event["Timestamp"]
            elif kind.endswith("SparkListenerSQLExecutionStart"):
                executions[event["executionId"]] = {
                    "start": event["time"], "end": event["time"], "jobs": 0, "tasks": 0,
                    "description": event.get("description", "")}
            elif kind.endswith("SparkListenerSQLExecutionEnd"):
                executions[event["executionId"]]["end"] = event["time"]
            elif kind == "SparkListenerJobStart":
                jobs += 1
                execution_id = event.get("Properties", {}).get("spark.sql.execution.id")
                if execution_id is None or int(execution_id) not in executions:
                    jobs_outside_sql += 1
                    continue
                execution = executions[int(execution_id)]
                execution["jobs"] += 1
                execution["tasks"] += sum(stage["Number of Tasks"] for stage in event["Stage Infos"])
    if app_start is None:
        sys.exit(f"Cannot summarise {path}: no application start event (not a Spark event log?)")
    steps = collections.OrderedDict()
    previous_end = app_start
    print(f"{'id':>4} {'at s':>7} {'gap s':>6} {'dur s':>6} {'jobs':>4} {'tasks':>5}  description")
    for execution_id, e in sorted(executions.items()):
        gap = (e["start"] - previous_end) / 1000
        duration = (e["end"] - e["start"]) / 1000
        previous_end = e["end"]
        print(f"{execution_id:4d} {(e['start'] - app_start) / 1000:7.2f} {gap:6.2f} {duration:6.2f} "
              f"{e['jobs']:4d} {e['tasks']:5d}  {e['description'][:90]}")
        step = steps.setdefault(e["description"].split(" ")[0].rstrip(":"), [0, 0, 0.0, 0.0])
        step[0] += 1
        step[1] += e["jobs"]
        step[2] += duration
        step[3] += gap
    print()
    print(f"{'step':<18} {'executions':>10} {'jobs':>5} {'in executions s':>16} {'in gaps s':>10}")
    for name, (count, step_jobs, in_executions, in_gaps) in steps.items():
        print(f"{name:<18} {count:10d} {step_jobs:5d} {in_executions:16.2f} {in_gaps:10.2f}")
    print(f"\n{len(executions)} SQL executions, {jobs} Spark jobs ({jobs_outside_sql} outside SQL), "
          f"{sum((e['end'] - e['start']) for e in executions.values()) / 1000:.1f} s in executions, "
          f"last one ended {(previous_end - app_start) / 1000:.1f} s after the application started")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/event-log-summary.py <Spark event log file>")
    try:
        main(sys.argv[1])
    except OSError as error:
        sys.exit(f"Cannot read {sys.argv[1]}: {error.strerror}")
    except (ValueError, KeyError) as error:
        sys.exit(f"Cannot summarise {sys.argv[1]}: not an uncompressed, single-file Spark event log ({error})")
