#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""root_api as a drop-in for seed 000's Container Control Core: a client written for the real
core (container_control_core.py, FastAPI on pydantic v1) gets the core's answers from a
root_api=true instance, exec and script alike: every route in every state (running, not
running, declined, unsupported, raising, missing key, no body) with the exact status,
Content-Type and body; the /metrics exposition with the core's series and the adapter's own
lines; the pre-start and post-stop hooks in the core's order; and polkit's refusals in the
core's {"detail": ...} form."""

import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import cgroup_file, wait_for  # noqa: E402
from test_adapters import (INSTANCES, MIB, STATE, TIMESTAMP, USER, USER_UID,  # noqa: E402
                           WORK, AdapterTestCase, configure, journal, proc_uid)
from test_http import NOBODY, curl  # noqa: E402

JSON = "application/json"
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"
# FastAPI's validation errors (pydantic v1): a body parameter that is missing or JSON null,
# one that is not a dict (body: dict, and the StopBody model), a force that is no boolean
FIELD_REQUIRED = {"detail": [{"loc": ["body"], "msg": "field required",
                              "type": "value_error.missing"}]}
NOT_A_DICT = {"detail": [{"loc": ["body"], "msg": "value is not a valid dict",
                          "type": "type_error.dict"}]}
NOT_A_BOOL = {"detail": [{"loc": ["body", "force"],
                          "msg": "value could not be parsed to a boolean",
                          "type": "type_error.bool"}]}
# the core's HTTPException details, and its own answers
NOT_RUNNING = {"detail": "application not running"}
DECLINED = {"detail": "adapter declined update"}
UNSUPPORTED = {"detail": "live\u2011update not supported"}  # U+2011, as in the core
START_INITIATED = {"message": "start initiated"}
UPDATE_APPLIED = {"message": "update applied"}
STOP_INITIATED = {"message": "stop initiated"}
NOTHING_TO_STOP = {"message": "nothing to stop"}
# the core's /metrics: five HELP lines, each followed by its sample, in this order
CORE_SERIES = [
    ("container_cpu_percent", "CPU usage %", r"\d{1,3}\.\d"),
    ("container_memory_percent", "Mem usage %", r"\d{1,3}\.\d"),
    ("container_memory_used_bytes", "Used bytes", r"\d+"),
    ("container_network_bytes_sent_total", "Bytes sent", r"\d+"),
    ("container_network_bytes_recv_total", "Bytes recv", r"\d+"),
]
# an adapter's own Prometheus lines; the bad ones are dropped, the good ones kept in order
GOOD_LINES = ["# HELP app_flows_total Flows run", "# TYPE app_flows_total counter",
              'app_flows_total{flow="a b"} 3', "app_up 1"]
BAD_LINES = ["not a metric line", "container_cpu_percent 5"]
ADAPTER_LINES = GOOD_LINES[:2] + BAD_LINES[:1] + GOOD_LINES[2:3] + BAD_LINES[1:] + GOOD_LINES[3:]
MEMORY_MAX_MIB = 512

# the script adapter of ScriptRootApiTest: the update op answers what the payload's "do" says,
# the hooks append "pre NOTE" / "post NOTE", the prometheus op answers the start payload's
# "prom" lines, the metrics op answers {} for a start payload with "no_metrics"
ROOT_SCRIPT = """#!/usr/bin/python3
import json, os, signal, sys
req = json.loads(sys.stdin.readline())
op, p, pid = req["op"], req["payload"] or {}, req["main_pid"]
base = "%(work)s/" + req["instance"]
def sh(line, *args):
    return ["/bin/sh", "-c", line, "sh", *args]
if op == "start" and not str(p["flowfile"]).startswith("/"):
    reply = {"error": "flowfile must be an absolute path"}
elif op == "start":
    reply = {"argv": ["/bin/sh", p["flowfile"]]}
elif op == "pre_start":
    reply = {"commands": [sh('echo "$1" >> "$2"', "pre " + str(p.get("note", "")),
                             base + ".hooks")]}
elif op == "post_stop":
    reply = {"commands": [sh('echo "$1" >> "$2"; id -u > "$3"; '
                             'echo "$TENDER_EXIT_CODE $TENDER_EXIT_STATUS" > "$4"',
                             "post " + str(p.get("note", "")), base + ".hooks",
                             base + ".postuid", base + ".exit")]}
elif op == "update" and p.get("do") == "applied":
    os.kill(pid, signal.SIGUSR1)
    reply = {"result": "applied"}
elif op == "update" and p.get("do") in ("declined", "unsupported"):
    reply = {"result": p["do"]}
elif op == "update" and p.get("do") == "raise":
    reply = {"error": "boom"}
elif op == "metrics" and p and not p.get("no_metrics"):
    reply = {"metrics": {"flowfile": p["flowfile"], "script_uid": os.getuid()}}
elif op == "prometheus" and p.get("prom"):
    reply = {"lines": p["prom"]}
else:
    reply = {}
print(json.dumps(reply))
""" % {"work": WORK}


def exec_instance(name, updates=True):
    hooks, post_uid, exit_file = (f"{WORK}/{name}.{s}" for s in ("hooks", "postuid", "exit"))
    post_stop = (f"echo \"post $TENDER_PAYLOAD_NOTE\" >> {hooks}; id -u > {post_uid}; "
                 f"echo \"$TENDER_EXIT_CODE $TENDER_EXIT_STATUS\" > {exit_file}")
    text = f"""[adapter]
type=exec
primary_payload_key=command
run_as_user={USER}
root_api=true

[limits]
memory_max={MEMORY_MAX_MIB}M
"""
    if not updates:
        return text
    return text + f"""
[exec]
pre_start.1=/bin/sh -c 'echo "pre $TENDER_PAYLOAD_NOTE" >> {hooks}'
post_stop.1=/bin/sh -c '{post_stop}'
update.log_level.file={WORK}/{name}.level
update.log_level.signal=SIGUSR1
update.broken.file={WORK}/nosuch/{name}.broken
prometheus_file={WORK}/{name}.prom
"""


def script_instance(name):
    return f"""[adapter]
type=script
primary_payload_key=flowfile
run_as_user={USER}
root_api=true

[limits]
memory_max={MEMORY_MAX_MIB}M

[script]
program={WORK}/root-adapter.py
timeout=30
"""


def cgroup_memory(cgroup):
    """The memory a cgroup uses, in bytes (cgroup v1's memory controller, or v2)."""
    try:
        return int(cgroup_file("memory", cgroup, "memory.usage_in_bytes"))
    except FileNotFoundError:
        return int(cgroup_file("", cgroup, "memory.current"))


def host_used_memory():
    with open("/proc/meminfo") as f:
        info = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f}
    return info["MemTotal"] - info["MemFree"]


def decimals(value, places):
    return round(value, places) == value


class RootApiCase(AdapterTestCase):
    """A class of its own root_api=true instance NAME (only one instance may have root_api);
    tenderd goes back to test_adapters.py's standard instances after the class."""
    NAME = None
    INSTANCES = None

    @classmethod
    def setUpClass(cls):
        os.makedirs(WORK, exist_ok=True)
        os.chmod(WORK, 0o1777)
        with open(f"{WORK}/root-adapter.py", "w") as f:
            f.write(ROOT_SCRIPT)
        os.chmod(f"{WORK}/root-adapter.py", 0o755)
        # no payload kept from an earlier run: the instance has never started
        cls.forget_payload()
        configure(cls.INSTANCES)

    @classmethod
    def tearDownClass(cls):
        configure(INSTANCES)
        cls.forget_payload()

    @classmethod
    def forget_payload(cls):
        path = f"{STATE}/{cls.NAME}.json"
        if os.path.exists(path):
            os.unlink(path)

    def setUp(self):
        super().setUp()
        for suffix in ("ready", "go", "usr1", "level", "hooks", "postuid", "exit", "prom"):
            self.remove(self.file(suffix))
        self.forget(self.NAME)
        listed = {n for n, _, _ in self.tender.call("ListAdapters", "")[0]}
        self.assertIn(self.NAME, listed, "the instance was not loaded: " +
                      "".join(line for line in journal().splitlines(keepends=True)
                              if self.NAME in line))

    # --- helpers ---

    def file(self, suffix):
        return f"{WORK}/{self.NAME}.{suffix}"

    @staticmethod
    def remove(path):
        if os.path.exists(path):
            os.unlink(path)

    def read(self, suffix):
        try:
            with open(self.file(suffix)) as f:
                return f.read()
        except FileNotFoundError:
            return None

    def work_script(self, body):
        path = f"{WORK}/{self.NAME}.sh"
        with open(path, "w") as f:
            f.write(body)
        os.chmod(path, 0o755)
        return path

    def sleeper(self):
        """A shell that notes every SIGUSR1 and says when it is ready."""
        return self.work_script(
            f"trap 'echo usr1 >> {self.file('usr1')}' USR1\n"
            f": > {self.file('ready')}\n"
            "while :; do sleep 0.1 || :; done\n")

    def exiter(self, status):
        """A shell that exits with @status once the test creates the go file."""
        return self.work_script(
            f": > {self.file('ready')}\n"
            f"while [ ! -e {self.file('go')} ]; do sleep 0.05; done\n"
            f"exit {status}\n")

    def payload(self, script, **extra):
        raise NotImplementedError

    def workload(self):
        return self.tender.props(f"adapter-{self.NAME}")

    def assertAnswer(self, answer, status, body, content_type=JSON):
        code, hdrs, text = answer
        self.assertEqual(code, status, text)
        self.assertEqual(hdrs.get("content-type"), content_type, text)
        self.assertEqual(json.loads(text), body, text)

    def post(self, route, body=None, **kwargs):
        return curl("POST", route, body, **kwargs)

    def start(self, script=None, **extra):
        """Starts the instance through /api/start; returns the workload's PID."""
        self.remove(self.file("ready"))
        self.assertAnswer(self.post("/api/start", self.payload(script or self.sleeper(), **extra)),
                          200, START_INITIATED)
        self.assertTrue(wait_for(lambda: os.path.exists(self.file("ready")), timeout=30),
                        "the workload never got ready")
        props = self.workload()
        self.assertEqual(props["State"], "running")
        return props["MainPID"]

    def app_status(self):
        status, hdrs, text = curl("GET", "/api/health")
        self.assertEqual((status, hdrs.get("content-type")), (200, JSON), text)
        health = json.loads(text)
        self.assertEqual(set(health), {"status", "app_status"}, text)
        self.assertEqual(health["status"], "healthy")
        return health["app_status"]

    def assertAppStatus(self, expected, wait=False):
        if wait:
            wait_for(lambda: self.app_status() == expected, timeout=30, interval=0.05)
        self.assertAnswer(curl("GET", "/api/health"), 200,
                          {"status": "healthy", "app_status": expected})

    def prometheus(self, route="/metrics"):
        """The exposition's lines, after checking the core's own ten of them."""
        status, hdrs, text = curl("GET", route)
        self.assertEqual(status, 200, text)
        self.assertEqual(hdrs.get("content-type"), PROMETHEUS)
        self.assertTrue(text.endswith("\n"), text)
        lines = text[:-1].split("\n")
        self.assertGreaterEqual(len(lines), 10, text)
        for i, (name, help_text, value) in enumerate(CORE_SERIES):
            self.assertEqual(lines[2 * i], f"# HELP {name} {help_text}", text)
            self.assertRegex(lines[2 * i + 1], rf"^{name} {value}$", text)
        return lines


class RootRoutesMixin:
    """The core's request/response pairs; the classes say how their adapter is driven."""
    # update payloads that the adapter applies, declines, and fails to apply
    UPDATE_APPLIED = None
    UPDATE_DECLINED = None
    UPDATE_RAISES = None
    UPDATE_UNSUPPORTED = None  # an update payload the adapter does not support, if any

    def check_raised(self, detail):
        raise NotImplementedError

    def refused(self):
        """A start payload the adapter refuses, and its message."""
        raise NotImplementedError

    def expected_metrics(self, payload):
        """The adapter's metrics while the workload started with @payload runs."""
        raise NotImplementedError

    def with_prometheus(self, lines):
        """The start payload's extra keys that make the adapter say @lines."""
        raise NotImplementedError

    def test_health_follows_the_workload(self):
        self.assertAppStatus("initializing")
        payload, _ = self.refused()
        self.assertEqual(self.post("/api/start", payload)[0], 400)
        self.assertAppStatus("error")
        self.start()
        self.assertAppStatus("running")
        self.assertAnswer(self.post("/api/stop", {}), 200, STOP_INITIATED)
        self.assertAppStatus("stopped")
        # a workload that ends by itself: status 0 is "stopped", another is "error"
        for status, app_status in ((0, "stopped"), (3, "error")):
            self.remove(self.file("go"))
            self.start(self.exiter(status))
            self.assertAppStatus("running")
            open(self.file("go"), "w").close()
            self.assertAppStatus(app_status, wait=True)
            props = self.workload()
            self.assertEqual((props["State"], props["ExitCode"]), ("exited", status))
            self.assertAnswer(self.post("/api/stop", {}), 200, NOTHING_TO_STOP)

    def test_start_bodies(self):
        key = self.PRIMARY
        for state in ("not running", "running"):
            pid = self.start() if state == "running" else 0
            self.assertAnswer(self.post("/api/start"), 422, FIELD_REQUIRED)
            self.assertAnswer(self.post("/api/start", raw_body="null"), 422, FIELD_REQUIRED)
            for raw in ("[1]", '"x"', "3"):
                self.assertAnswer(self.post("/api/start", raw_body=raw), 422, NOT_A_DICT)
            self.assertAnswer(self.post("/api/start", {"note": "x"}), 400,
                              {"detail": f"missing key '{key}'"})
            self.assertAnswer(self.post("/api/start", {}), 400, {"detail": f"missing key '{key}'"})
            # not JSON: FastAPI's jsondecode error, at the parser's position and with its text
            status, hdrs, text = self.post("/api/start", raw_body='{"' + key + '": ')
            self.assertEqual((status, hdrs.get("content-type")), (422, JSON), text)
            detail = json.loads(text)["detail"]
            self.assertEqual(len(detail), 1, text)
            self.assertEqual(set(detail[0]), {"loc", "msg", "type", "ctx"}, text)
            self.assertEqual(detail[0]["type"], "value_error.jsondecode", text)
            self.assertEqual(len(detail[0]["loc"]), 2, text)
            self.assertEqual(detail[0]["loc"][0], "body", text)
            self.assertIsInstance(detail[0]["loc"][1], int, text)
            self.assertIsInstance(detail[0]["msg"], str, text)
            # pydantic's ctx is the JSONDecodeError's: msg, doc, pos, lineno, colno; the msg
            # says where, as Python's does
            ctx = detail[0]["ctx"]
            self.assertEqual(set(ctx), {"msg", "doc", "pos", "lineno", "colno"}, text)
            self.assertEqual(ctx["doc"], '{"' + key + '": ', text)
            self.assertEqual(ctx["pos"], detail[0]["loc"][1], text)
            self.assertEqual(detail[0]["msg"],
                             f"{ctx['msg']}: line {ctx['lineno']} column {ctx['colno']} "
                             f"(char {ctx['pos']})", text)
            # pydantic 1 made the body a dict with dict(): [] is {}, pairs are keys
            self.assertAnswer(self.post("/api/start", raw_body="[]"), 400,
                              {"detail": f"missing key '{key}'"})
            self.assertAnswer(self.post("/api/start", raw_body='[["note", "x"]]'), 400,
                              {"detail": f"missing key '{key}'"})
            if pid:
                # none of them touched the running workload
                props = self.workload()
                self.assertEqual((props["State"], props["MainPID"]), ("running", pid))
                self.assertAppStatus("running")
                self.assertAnswer(self.post("/api/stop", {}), 200, STOP_INITIATED)
        # a payload the adapter refuses: 400 with its message, and the app is in error
        payload, message = self.refused()
        self.assertAnswer(self.post("/api/start", payload), 400, {"detail": message})
        self.assertAppStatus("error")

    def test_start_while_running(self):
        first = self.start()
        second = self.start()
        self.assertNotEqual(first, second)
        self.assertFalse(os.path.exists(f"/proc/{first}"), "the old workload still runs")
        props = self.workload()
        self.assertEqual((props["State"], props["MainPID"]), ("running", second))
        self.assertAppStatus("running")

    def test_update(self):
        # not running: the body is checked first, then the state
        self.assertAnswer(self.post("/api/update"), 422, FIELD_REQUIRED)
        self.assertAnswer(self.post("/api/update", raw_body="[1]"), 422, NOT_A_DICT)
        self.assertAnswer(self.post("/api/update", self.UPDATE_APPLIED), 400, NOT_RUNNING)
        pid = self.start()
        self.assertAnswer(self.post("/api/update"), 422, FIELD_REQUIRED)
        self.assertAnswer(self.post("/api/update", raw_body='"x"'), 422, NOT_A_DICT)
        # applied: the workload got its signal, and is the same process
        self.assertAnswer(self.post("/api/update", self.UPDATE_APPLIED), 200, UPDATE_APPLIED)
        self.assertTrue(wait_for(lambda: self.read("usr1") == "usr1\n"), self.read("usr1"))
        # declined: nothing happened
        self.assertAnswer(self.post("/api/update", self.UPDATE_DECLINED), 409, DECLINED)
        # raised: 500 with the error's text
        status, hdrs, text = self.post("/api/update", self.UPDATE_RAISES)
        self.assertEqual((status, hdrs.get("content-type")), (500, JSON), text)
        body = json.loads(text)
        self.assertEqual(set(body), {"detail"}, text)
        self.check_raised(body["detail"])
        if self.UPDATE_UNSUPPORTED is not None:
            self.assertAnswer(self.post("/api/update", self.UPDATE_UNSUPPORTED), 409, UNSUPPORTED)
        # tender's own route keeps its shape, declined included
        status, _, text = curl("POST", f"/v1/adapters/{self.NAME}/api/update",
                               self.UPDATE_DECLINED)
        self.assertEqual((status, json.loads(text)), (409, {"result": "declined"}), text)
        self.assertEqual(self.read("usr1"), "usr1\n")
        props = self.workload()
        self.assertEqual((props["State"], props["MainPID"]), ("running", pid))
        self.assertAppStatus("running")
        self.assertAnswer(self.post("/api/stop", {}), 200, STOP_INITIATED)
        self.assertAnswer(self.post("/api/update", self.UPDATE_APPLIED), 400, NOT_RUNNING)

    def test_stop(self):
        # not running
        self.assertAnswer(self.post("/api/stop"), 422, FIELD_REQUIRED)
        self.assertAnswer(self.post("/api/stop", raw_body="null"), 422, FIELD_REQUIRED)
        self.assertAnswer(self.post("/api/stop", raw_body="[1]"), 422, NOT_A_DICT)
        self.assertAnswer(self.post("/api/stop", {"force": "maybe"}), 422, NOT_A_BOOL)
        self.assertAnswer(self.post("/api/stop", {}), 200, NOTHING_TO_STOP)
        self.assertAnswer(self.post("/api/stop", {"force": True}), 200, NOTHING_TO_STOP)
        # running: a bad body stops nothing; {} stops it
        pid = self.start()
        self.assertAnswer(self.post("/api/stop"), 422, FIELD_REQUIRED)
        self.assertAnswer(self.post("/api/stop", {"force": "maybe"}), 422, NOT_A_BOOL)
        self.assertEqual(self.workload()["MainPID"], pid)
        self.assertAnswer(self.post("/api/stop", {}), 200, STOP_INITIATED)
        self.assertEqual(self.workload()["State"], "stopped")
        self.assertFalse(os.path.exists(f"/proc/{pid}"), "the workload still runs")
        self.assertAppStatus("stopped")
        self.assertAnswer(self.post("/api/stop", {}), 200, NOTHING_TO_STOP)

    def api_metrics(self):
        status, hdrs, text = curl("GET", "/api/metrics")
        self.assertEqual((status, hdrs.get("content-type")), (200, JSON), text)
        m = json.loads(text)
        self.assertEqual(set(m), {"timestamp", "app_status", "container_status", "network",
                                  "system", "metrics"}, text)
        self.assertRegex(m["timestamp"], TIMESTAMP)
        self.assertEqual(m["container_status"], "running")
        self.assertEqual(set(m["network"]),
                         {"bytes_sent", "bytes_recv", "packets_sent", "packets_recv"}, text)
        for key, value in m["network"].items():
            self.assertTrue(isinstance(value, int) and not isinstance(value, bool), (key, text))
            self.assertGreaterEqual(value, 0, key)
        system = m["system"]
        self.assertEqual(set(system), {"cpu_percent", "memory_percent", "memory_available_mb",
                                       "memory_used_mb"}, text)
        for key, value in system.items():
            self.assertIsInstance(value, float, (key, text))
            self.assertGreaterEqual(value, 0.0, key)
        self.assertLessEqual(system["cpu_percent"], 100.0)
        self.assertLessEqual(system["memory_percent"], 100.0)
        self.assertTrue(decimals(system["cpu_percent"], 1), text)
        self.assertTrue(decimals(system["memory_percent"], 1), text)
        self.assertTrue(decimals(system["memory_used_mb"], 2), text)
        self.assertTrue(decimals(system["memory_available_mb"], 2), text)
        self.assertIsInstance(m["metrics"], dict, text)
        return m

    def test_api_metrics(self):
        m = self.api_metrics()
        self.assertEqual(m["app_status"], "initializing")
        # a workload that holds 64 MiB and keeps one CPU busy
        script = self.work_script(
            "exec python3 -c 'b = b\"x\" * (64 << 20)\n"
            f"open(\"{self.file('ready')}\", \"w\").close()\n"
            "while True: pass'\n")
        payload = self.payload(script)
        self.start(script)
        cgroup = self.workload()["ControlGroup"]
        m = self.api_metrics()
        self.assertEqual(m["app_status"], "running")
        self.assertEqual(m["metrics"], self.expected_metrics(payload))
        # the workload's own cgroup, read a moment apart, not the host's
        used = m["system"]["memory_used_mb"]
        self.assertGreaterEqual(used, 64)
        self.assertLess(abs(used * MIB - cgroup_memory(cgroup)), 8 * MIB)
        self.assertLess(used * MIB, host_used_memory())
        # in percent of the instance's memory_max, and what is left of it
        self.assertLess(abs(m["system"]["memory_available_mb"] - (MEMORY_MAX_MIB - used)), 0.05)
        self.assertLess(abs(m["system"]["memory_percent"] - 100 * used / MEMORY_MAX_MIB), 0.1)
        # the busy workload's CPU, between two reads
        self.assertTrue(wait_for(lambda: self.api_metrics()["system"]["cpu_percent"] >= 5,
                                 timeout=20, interval=0.5), "cpu_percent stays below 5")
        # an adapter without metrics of its own: {}
        self.assertAnswer(self.post("/api/stop", {}), 200, STOP_INITIATED)
        m = self.api_metrics()
        self.assertEqual(m["app_status"], "stopped")
        self.check_no_metrics()

    def test_prometheus(self):
        # no adapter lines: the core's ten, nothing more
        self.start()
        cgroup = self.workload()["ControlGroup"]
        lines = self.prometheus()
        self.assertEqual(len(lines), 10, lines)
        used = int(lines[5].split()[1])
        self.assertLess(abs(used - cgroup_memory(cgroup)), 8 * MIB)
        self.assertLess(used, host_used_memory())
        self.assertLessEqual(float(lines[1].split()[1]), 100.0)
        self.assertLessEqual(float(lines[3].split()[1]), 100.0)
        # the adapter's own lines follow, less the ones that are not exposition text or reuse
        # a name of the core's
        self.start(**self.with_prometheus(ADAPTER_LINES))
        lines = self.prometheus()
        self.assertEqual(lines[10:], GOOD_LINES)
        # tender's own exposition of the instance has them too
        status, _, text = curl("GET", f"/v1/adapters/{self.NAME}/metrics")
        self.assertEqual(status, 200, text)
        own = text.splitlines()
        for line in GOOD_LINES:
            self.assertIn(line, own)
        for line in BAD_LINES:
            self.assertNotIn(line, own)

    def test_unauthorized_user(self):
        pid = self.start()
        for method, route, body in (("POST", "/api/start", self.payload(self.sleeper())),
                                    ("POST", "/api/update", self.UPDATE_APPLIED),
                                    ("POST", "/api/stop", {}), ("GET", "/api/metrics", None),
                                    ("GET", "/metrics", None)):
            status, hdrs, text = curl(method, route, body, user=NOBODY)
            self.assertEqual((status, hdrs.get("content-type")), (403, JSON),
                             f"{method} {route}: {text}")
            body = json.loads(text)
            self.assertEqual(set(body), {"detail"}, text)
            self.assertIsInstance(body["detail"], str, text)
            self.assertTrue(body["detail"], text)
        # liveness needs no authorization
        status, _, text = curl("GET", "/api/health", user=NOBODY)
        self.assertEqual((status, json.loads(text)), (200, {"status": "healthy",
                                                            "app_status": "running"}), text)
        props = self.workload()
        self.assertEqual((props["State"], props["MainPID"]), ("running", pid))
        self.assertIsNone(self.read("usr1"))

    def test_hooks_in_the_cores_order(self):
        """A running workload is stopped and cleaned up before the next one is set up; the
        hooks run as root, the workload as run_as_user."""
        pid = self.start(note="a")
        self.assertEqual(proc_uid(pid), USER_UID)
        self.assertEqual(self.read("hooks"), "pre a\n")
        self.start(note="b")
        self.assertEqual(self.read("hooks"), "pre a\npost a\npre b\n")
        self.assertEqual(self.read("postuid"), "0\n")
        self.assertAnswer(self.post("/api/stop", {}), 200, STOP_INITIATED)
        self.assertTrue(wait_for(lambda: self.read("hooks") == "pre a\npost a\npre b\npost b\n"),
                        self.read("hooks"))
        self.assertEqual(self.read("postuid"), "0\n")

    def test_post_stop_hook_when_the_workload_exits(self):
        self.start(self.exiter(3), note="x")
        self.assertEqual(self.read("hooks"), "pre x\n")
        open(self.file("go"), "w").close()
        self.assertTrue(wait_for(lambda: self.read("hooks") == "pre x\npost x\n", timeout=30),
                        self.read("hooks"))
        self.assertTrue(wait_for(lambda: self.read("exit") is not None))
        self.assertEqual(self.read("exit"), "exited 3\n")
        self.assertEqual(self.read("postuid"), "0\n")
        self.assertAppStatus("error", wait=True)


class ExecRootApiTest(RootRoutesMixin, RootApiCase):
    NAME = "t-root-exec"
    PRIMARY = "command"
    INSTANCES = {NAME: exec_instance(NAME)}
    UPDATE_APPLIED = {"log_level": "debug"}
    UPDATE_DECLINED = {"colour": "red"}
    UPDATE_RAISES = {"broken": "x"}

    def payload(self, script, **extra):
        return {"command": ["/bin/sh", script], **extra}

    def refused(self):
        return {"command": [1]}, "Payload key 'command' must be an array of strings"

    def check_raised(self, detail):
        # the file lies in a directory that does not exist
        self.assertIsInstance(detail, str)
        self.assertRegex(detail, r"'broken'.*No such file or directory")
        self.assertIn(f"{WORK}/nosuch/", detail)

    def expected_metrics(self, payload):
        return {"updates_applied": 0, "running": True}

    def check_no_metrics(self):
        # the exec adapter always has its two
        self.assertEqual(self.api_metrics()["metrics"], {"updates_applied": 0, "running": False})

    def with_prometheus(self, lines):
        with open(self.file("prom"), "w") as f:
            f.write("".join(f"{line}\n" for line in lines))
        return {}


class ScriptRootApiTest(RootRoutesMixin, RootApiCase):
    NAME = "t-root-script"
    PRIMARY = "flowfile"
    INSTANCES = {NAME: script_instance(NAME)}
    UPDATE_APPLIED = {"do": "applied"}
    UPDATE_DECLINED = {"do": "declined"}
    UPDATE_RAISES = {"do": "raise"}
    UPDATE_UNSUPPORTED = {"do": "unsupported"}

    def payload(self, script, **extra):
        return {"flowfile": script, **extra}

    def refused(self):
        return {"flowfile": "relative"}, "flowfile must be an absolute path"

    def check_raised(self, detail):
        self.assertEqual(detail, "boom")

    def expected_metrics(self, payload):
        # the script ran as run_as_user
        return {"flowfile": payload["flowfile"], "script_uid": USER_UID}

    def check_no_metrics(self):
        self.start(no_metrics=True)
        self.assertEqual(self.api_metrics()["metrics"], {})

    def with_prometheus(self, lines):
        return {"prom": lines}


class ExecWithoutUpdatesRootApiTest(RootApiCase):
    """An exec instance without update.* keys: every update is unsupported."""
    NAME = "t-root-noupd"
    PRIMARY = "command"
    INSTANCES = {NAME: exec_instance(NAME, updates=False)}

    def payload(self, script, **extra):
        return {"command": ["/bin/sh", script], **extra}

    def test_update_unsupported(self):
        self.assertAnswer(self.post("/api/update", {"log_level": "debug"}), 400, NOT_RUNNING)
        pid = self.start()
        for body in ({"log_level": "debug"}, {}):
            self.assertAnswer(self.post("/api/update", body), 409, UNSUPPORTED)
        status, _, text = curl("POST", f"/v1/adapters/{self.NAME}/api/update",
                               {"log_level": "debug"})
        self.assertEqual((status, json.loads(text)), (409, {"result": "unsupported"}), text)
        props = self.workload()
        self.assertEqual((props["State"], props["MainPID"]), ("running", pid))
        self.assertIsNone(self.read("usr1"))


if __name__ == "__main__":
    unittest.main()
