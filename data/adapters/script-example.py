#!/usr/bin/python3
# A script adapter for tender (seed 000's my_adapter.py): one JSON request on stdin, one JSON
# reply on stdout.  Install it as the program= of a [script] instance file.
import json, os, signal, sys

req = json.loads(sys.stdin.readline())
op, payload, pid = req["op"], req["payload"] or {}, req["main_pid"]
if op == "start":
    reply = {"argv": ["python3", "my_tool.py", "--flows", payload["flowfile"]]}
elif op == "pre_start":  # run as root by tender, before the workload
    reply = {"commands": [["tc", "qdisc", "replace", "dev", "eth0", "root", "tbf", "rate",
                           "%dmbit" % int(payload.get("bandwidth", 20)),
                           "latency", "50ms", "burst", "32k"]]}
elif op == "post_stop":  # asked at start; run as root by tender once the workload has ended
    reply = {"commands": [["tc", "qdisc", "del", "dev", "eth0", "root"]]}
elif op == "update":  # "unsupported": no live updates at all
    if set(payload) != {"log_level"}:
        reply = {"result": "declined"}  # live updates, but not this one: nothing changed
    else:
        try:
            os.kill(pid, signal.SIGUSR1)
            reply = {"result": "applied"}
        except OSError as e:  # the update went wrong: HTTP 500 with this text
            reply = {"error": "cannot signal the workload: %s" % e}
elif op == "metrics":
    reply = {"metrics": {"running": pid != 0}}
elif op == "prometheus":  # lines for /metrics, as Prometheus text
    reply = {"lines": ["# HELP flows_sent_total Flows sent.",
                       "# TYPE flows_sent_total counter",
                       "flows_sent_total 42"]}
else:
    reply = {}
print(json.dumps(reply))
