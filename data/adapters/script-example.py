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
elif op == "update":
    if set(payload) != {"log_level"}:
        reply = {"result": "unsupported"}
    else:
        os.kill(pid, signal.SIGUSR1)
        reply = {"result": "applied"}
elif op == "metrics":
    reply = {"metrics": {"running": pid != 0}}
else:
    reply = {}
print(json.dumps(reply))
