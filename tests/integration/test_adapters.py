#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Adapters (seed 000's Container Control Core contract): instances of the exec and script
adapter plugins configured in /etc/tender/adapters, driven over HTTP (every route and status
code), D-Bus and tenderctl, against the real tenderd and systemd: restart on start, live
updates without a restart, the pre-start hook as root and the workload as run_as_user, the
workload's own metrics, the root_api routes, broken instance files skipped, and polkit."""

import json
import os
import re
import shutil
import subprocess
import sys
import unittest

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import (DBusError, TenderTestCase, cgroup_file, run, tenderd_pid,  # noqa: E402
                       wait_for)
from test_http import NOBODY, curl  # noqa: E402

ADAPTERS = "/etc/tender/adapters"
WORK = "/tmp/tender-adapters"
STATE = "/var/lib/tender/adapters"
TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"
ADAPTER_IFACE = "org.tender.Agent1.Adapter"
MIB = 1024 * 1024
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
USER = "nobody"
USER_UID = 65534

# seed 000's "15-40 lines" adapter, as a script adapter in a few lines of Python
SCRIPT = """#!/usr/bin/python3
import json, os, signal, sys
req = json.loads(sys.stdin.readline())
op, p, pid = req["op"], req["payload"] or {}, req["main_pid"]
if p.get("deep_reply"):
    print("[" * 400000)
    sys.exit()
if op == "start" and not p["flowfile"].startswith("/"):
    reply = {"error": "flowfile must be an absolute path"}
elif op == "start":
    reply = {"argv": ["/bin/sh", p["flowfile"]], "env": {"NOTE": str(p.get("note", ""))}}
elif op == "pre_start":
    reply = {"commands": [["/bin/sh", "-c", "id -u > %(work)s/t-script.prestart"]]}
elif op == "update":
    if not p or set(p) - {"log_level"}:
        reply = {"result": "unsupported"}
    else:
        os.kill(pid, signal.SIGUSR1)
        reply = {"result": "applied"}
elif op == "metrics":
    reply = {"metrics": {"running": pid != 0, "script_uid": os.getuid()}}
else:
    reply = {}
print(json.dumps(reply))
""" % {"work": WORK}

INSTANCES = {
    "t-exec": f"""[adapter]
type=exec
primary_payload_key=command
run_as_user={USER}

[limits]
memory_max=512M
tasks_max=64

[exec]
pre_start.1=/bin/sh -c 'id -u > {WORK}/t-exec.prestart; echo "$TENDER_PAYLOAD_NOTE" >> {WORK}/t-exec.prestart'
update.log_level.file={WORK}/t-exec.level
update.log_level.signal=SIGUSR1
""",
    "t-script": f"""[adapter]
type=script
primary_payload_key=flowfile
run_as_user={USER}

[limits]
memory_max=512M

[script]
program={WORK}/adapter.py
timeout=30
""",
    # refused, each with a message naming the problem; tenderd runs on
    "t-unknown-type": "[adapter]\ntype=nosuch\nprimary_payload_key=x\n",
    "t-bad-key": "[adapter]\ntype=exec\nprimary_payload_key=x\ncolour=red\n",
    "t-bad-limit": "[adapter]\ntype=exec\nprimary_payload_key=x\n[limits]\nmemory_max=lots\n",
    "Not_Valid!": "[adapter]\ntype=exec\nprimary_payload_key=x\n",
}
ROOT_INSTANCES = {
    "t-root": "[adapter]\ntype=exec\nprimary_payload_key=command\nroot_api=true\n",
    # a second root_api instance is refused
    "t-zz-root": "[adapter]\ntype=exec\nprimary_payload_key=command\nroot_api=true\n",
}
LOADED = {"t-exec", "t-script"}


def restart_tenderd():
    # the tests restart tenderd more often than its unit's start rate limit allows
    run(["systemctl", "reset-failed", "tenderd.service"], check=False)
    run(["systemctl", "restart", "tenderd.service"])
    assert wait_for(lambda: run(["busctl", "status", "org.tender.Agent1"], check=False)
                    .returncode == 0, timeout=30)


def journal():
    """What the running tenderd logged."""
    return run(["journalctl", "-u", "tenderd.service", f"_PID={tenderd_pid()}", "-o", "cat",
                "--no-pager"]).stdout


def configure(instances):
    """Makes /etc/tender/adapters hold exactly @instances (and the script), restarting tenderd
    only if that changes anything or tenderd has not loaded them."""
    os.makedirs(WORK, exist_ok=True)
    os.chmod(WORK, 0o1777)
    with open(f"{WORK}/adapter.py", "w") as f:
        f.write(SCRIPT)
    os.chmod(f"{WORK}/adapter.py", 0o755)
    os.makedirs(ADAPTERS, exist_ok=True)
    changed = False
    for name in os.listdir(ADAPTERS):
        if name.endswith(".conf") and name[:-5] not in instances:
            os.unlink(os.path.join(ADAPTERS, name))
            changed = True
    for name, text in instances.items():
        path = os.path.join(ADAPTERS, f"{name}.conf")
        if os.path.exists(path) and open(path).read() == text:
            continue
        with open(path, "w") as f:
            f.write(text)
        changed = True
    expected = LOADED | ({"t-root"} if "t-root" in instances else set())
    listed = run(["busctl", "--json=short", "call", "org.tender.Agent1", "/org/tender/Agent1",
                  "org.tender.Agent1.Manager", "ListAdapters"], check=False)
    loaded = set()
    if listed.returncode == 0:
        loaded = {entry[0] for entry in json.loads(listed.stdout)["data"][0]}
    if changed or loaded != expected:
        restart_tenderd()


def tenderctl(*args, user=None):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("TENDER_BUS", None)
    cmd = [TENDERCTL, *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def proc_uid(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    return None


class AdapterTestCase(TenderTestCase):
    INSTANCES = INSTANCES

    @classmethod
    def setUpClass(cls):
        configure(cls.INSTANCES)

    def api(self, method, instance, route, body=None, **kwargs):
        status, hdrs, text = curl(method, f"/v1/adapters/{instance}/{route}", body, **kwargs)
        return status, hdrs, text

    def workload_props(self, instance):
        return self.tender.props(f"adapter-{instance}")

    def forget(self, instance):
        """Stops and removes the instance's workload after the test."""
        def cleanup():
            curl("POST", f"/v1/adapters/{instance}/api/stop")
            self.tender.cleanup(f"adapter-{instance}")
        self.addCleanup(cleanup)


class RoutesMixin:
    """The seed's routes, for one instance; the subclasses say how to start it."""
    NAME = None
    PRIMARY = None

    def work_script(self, body):
        path = f"{WORK}/{self.NAME}.sh"
        with open(path, "w") as f:
            f.write(body)
        os.chmod(path, 0o755)
        return path

    def sleeper(self):
        """A shell that says when it is ready and notes every SIGUSR1."""
        for suffix in ("ready", "usr1", "prestart", "level"):
            if os.path.exists(f"{WORK}/{self.NAME}.{suffix}"):
                os.unlink(f"{WORK}/{self.NAME}.{suffix}")
        return self.work_script(
            f"trap 'echo usr1 >> {WORK}/{self.NAME}.usr1' USR1\n"
            f": > {WORK}/{self.NAME}.ready\n"
            "while :; do sleep 0.1 || :; done\n")

    def payload(self, script, **extra):
        raise NotImplementedError

    def start(self, script=None, **extra):
        self.forget(self.NAME)
        ready = f"{WORK}/{self.NAME}.ready"
        if os.path.exists(ready):
            os.unlink(ready)
        status, _, text = self.api("POST", self.NAME, "api/start",
                                   self.payload(script or self.sleeper(), **extra))
        self.assertEqual(status, 200, text)
        answer = json.loads(text)
        self.assertEqual(answer["status"], "started")
        self.assertTrue(wait_for(lambda: os.path.exists(ready), timeout=30),
                        "the workload never got ready")
        return answer

    def test_start_and_stop(self):
        answer = self.start()
        props = self.workload_props(self.NAME)
        self.assertEqual(props["State"], "running")
        self.assertEqual(answer["main_pid"], props["MainPID"])
        self.assertEqual(answer["workload"], f"adapter-{self.NAME}")
        self.assertRegex(answer["timestamp"], TIMESTAMP)
        # the core set the label and the instance's limits
        self.assertEqual(props["Spec"]["labels"], {"tender.adapter": self.NAME})
        self.assertEqual(props["Spec"]["memory_max"], 512 * MIB)
        status, _, text = self.api("GET", self.NAME, "api/health")
        self.assertEqual(status, 200, text)
        health = json.loads(text)
        self.assertEqual((health["status"], health["running"]), ("ok", True))
        status, _, text = self.api("POST", self.NAME, "api/stop")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["status"], "stopped")
        self.assertEqual(self.workload_props(self.NAME)["State"], "stopped")
        self.assertFalse(os.path.exists(f"/proc/{props['MainPID']}"))
        self.assertFalse(json.loads(self.api("GET", self.NAME, "api/health")[2])["running"])
        # stopping what does not run is no error
        self.assertEqual(self.api("POST", self.NAME, "api/stop")[0], 200)

    def test_start_needs_the_primary_key(self):
        for body in ({"note": "x"}, {self.PRIMARY: None}, None):
            status, _, text = self.api("POST", self.NAME, "api/start", body)
            self.assertEqual(status, 400, text)
            error = json.loads(text)["error"]
            self.assertEqual(error["name"], "org.tender.Agent1.Error.InvalidArgument")
            self.assertIn(f"'{self.PRIMARY}'", error["message"])

    def test_start_restarts_a_running_workload(self):
        first = self.start()["main_pid"]
        second = self.start()["main_pid"]
        self.assertNotEqual(first, second)
        self.assertFalse(os.path.exists(f"/proc/{first}"), "the old workload still runs")
        self.assertEqual(self.workload_props(self.NAME)["MainPID"], second)

    def test_update_applied_without_a_restart(self):
        pid = self.start()["main_pid"]
        status, _, text = self.api("POST", self.NAME, "api/update", {"log_level": "debug"})
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text), {"result": "applied"})
        # the workload took the signal, and is the same process
        self.assertTrue(wait_for(lambda: os.path.exists(f"{WORK}/{self.NAME}.usr1")))
        props = self.workload_props(self.NAME)
        self.assertEqual((props["MainPID"], props["State"]), (pid, "running"))

    def test_update_of_a_key_without_action(self):
        pid = self.start()["main_pid"]
        status, _, text = self.api("POST", self.NAME, "api/update", {"colour": "red"})
        self.assertEqual(status, 409, text)
        self.assertEqual(json.loads(text), {"result": self.UNKNOWN_KEY})
        self.assertEqual(self.workload_props(self.NAME)["MainPID"], pid)
        self.assertFalse(os.path.exists(f"{WORK}/{self.NAME}.usr1"))

    def test_update_not_running(self):
        self.start()
        self.assertEqual(self.api("POST", self.NAME, "api/stop")[0], 200)
        status, _, text = self.api("POST", self.NAME, "api/update", {"log_level": "debug"})
        self.assertEqual(status, 400, text)
        self.assertEqual(json.loads(text), {"result": "not-running"})

    def test_pre_start_as_root_workload_as_user(self):
        pid = self.start(note="hello")["main_pid"]
        with open(f"{WORK}/{self.NAME}.prestart") as f:
            self.assertEqual(f.readline().strip(), "0")
        self.assertEqual(proc_uid(pid), USER_UID)
        self.assertEqual(self.workload_props(self.NAME)["Spec"]["user"], USER)

    def test_metrics_are_the_workloads_own(self):
        script = self.work_script(
            "exec python3 -c 'import time\n"
            "b = b\"x\" * (64 << 20)\n"
            f"open(\"{WORK}/{self.NAME}.ready\", \"w\").close()\n"
            "time.sleep(1000)'\n")
        self.start(script)
        status, _, text = self.api("GET", self.NAME, "api/metrics")
        self.assertEqual(status, 200, text)
        m = json.loads(text)
        cg = self.workload_props(self.NAME)["ControlGroup"]
        in_cgroup = int(cgroup_file("memory", cg, "memory.usage_in_bytes"))
        with open("/proc/meminfo") as f:
            info = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f}
        host_used = info["MemTotal"] - info["MemFree"]
        self.assertGreaterEqual(m["memory_bytes"], 64 * MIB)
        # the scope's own cgroup, read a moment apart, not the host's
        self.assertLess(abs(m["memory_bytes"] - in_cgroup), 8 * MIB)
        self.assertLess(m["memory_bytes"], host_used)
        self.assertEqual((m["instance"], m["running"], m["state"]), (self.NAME, True, "running"))
        self.assertGreaterEqual(m["tasks"], 1)
        self.assertRegex(m["timestamp"], TIMESTAMP)
        self.assertIsInstance(m["adapter"], dict)
        self.check_adapter_metrics(m["adapter"])

    def test_prometheus(self):
        self.start()
        status, hdrs, text = self.api("GET", self.NAME, "metrics")
        self.assertEqual(status, 200, text)
        self.assertTrue(hdrs["content-type"].startswith("text/plain; version=0.0.4"))
        labels = f'{{adapter="{self.NAME}"}}'
        self.assertRegex(text, rf"(?m)^tender_adapter_memory_bytes{re.escape(labels)} \d+")
        self.assertIn(f"tender_adapter_running{labels} 1\n", text)
        self.assertIn(f"tender_adapter_custom_running{labels} 1\n", text)
        for line in text.splitlines():
            self.assertTrue(line.startswith("# TYPE ") or re.match(r"^\w+\{.*\} \S+$", line),
                            line)

    def test_dbus(self):
        self.forget(self.NAME)
        path = dict((n, p) for n, _, p in self.tender.call("ListAdapters", "")[0])[self.NAME]
        props = self.tender.call("GetAll", "s", ADAPTER_IFACE, path=path,
                                 iface="org.freedesktop.DBus.Properties")[0]
        self.assertEqual(props["Name"], self.NAME)
        self.assertEqual(props["Workload"], f"adapter-{self.NAME}")
        self.assertEqual(props["RunAsUser"], USER)
        self.assertEqual(props["PrimaryPayloadKey"], self.PRIMARY)
        self.assertFalse(props["RootApi"])
        payload = self.payload(self.sleeper())
        self.tender.call("StartJson", "s", json.dumps(payload), path=path, iface=ADAPTER_IFACE)
        self.assertEqual(self.workload_props(self.NAME)["State"], "running")
        self.assertTrue(wait_for(lambda: os.path.exists(f"{WORK}/{self.NAME}.ready")))
        pid = self.workload_props(self.NAME)["MainPID"]
        result = self.tender.call("Update", "a{sv}", {"log_level": GLib.Variant("s", "info")},
                                  path=path, iface=ADAPTER_IFACE)[0]
        self.assertEqual(result, "applied")
        result = self.tender.call("UpdateJson", "s", '{"colour": "red"}', path=path,
                                  iface=ADAPTER_IFACE)[0]
        self.assertEqual(result, self.UNKNOWN_KEY)
        self.assertEqual(self.workload_props(self.NAME)["MainPID"], pid)
        metrics = json.loads(self.tender.call("GetMetrics", "", path=path,
                                              iface=ADAPTER_IFACE)[0])
        self.assertEqual(metrics["main_pid"], pid)
        self.assertEqual(metrics["app_status"], "running")
        self.assertEqual(set(metrics["system"]), {"cpu_percent", "memory_percent",
                                                  "memory_available_mb", "memory_used_mb"})
        # the same, and the adapter's own Prometheus lines (checked: a list of strings)
        text, lines = self.tender.call("GetPrometheus", "", path=path, iface=ADAPTER_IFACE)
        self.assertEqual(json.loads(text)["main_pid"], pid)
        self.assertTrue(all(isinstance(line, str) for line in lines), lines)
        with self.assertRaises(DBusError) as ctx:
            self.tender.call("Start", "a{sv}", {"other": GLib.Variant("i", 1)}, path=path,
                             iface=ADAPTER_IFACE)
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")
        self.assertEqual(self.workload_props(self.NAME)["MainPID"], pid)
        self.tender.call("Stop", "", path=path, iface=ADAPTER_IFACE)
        self.assertEqual(self.workload_props(self.NAME)["State"], "stopped")
        result = self.tender.call("UpdateJson", "s", '{"log_level": "x"}', path=path,
                                  iface=ADAPTER_IFACE)[0]
        self.assertEqual(result, "not-running")

    def test_tenderctl(self):
        self.forget(self.NAME)
        listed = tenderctl("adapters")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertRegex(listed.stdout, rf"(?m)^{self.NAME}\s+{self.TYPE}\s+/org/tender/")
        script = self.sleeper()
        args = self.tenderctl_start_args(script)
        result = tenderctl("adapter", "start", self.NAME, *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(wait_for(lambda: os.path.exists(f"{WORK}/{self.NAME}.ready")))
        pid = self.workload_props(self.NAME)["MainPID"]
        result = tenderctl("adapter", "update", self.NAME, "log_level=debug")
        self.assertEqual((result.returncode, result.stdout), (0, "applied\n"), result.stderr)
        result = tenderctl("adapter", "update", self.NAME, "colour=red")
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.startswith("tenderctl: "), result.stderr)
        self.assertIn(f"({self.UNKNOWN_KEY})", result.stderr)
        result = tenderctl("adapter", "metrics", self.NAME)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["main_pid"], pid)
        self.assertEqual(tenderctl("adapter", "stop", self.NAME).returncode, 0)
        self.assertEqual(self.workload_props(self.NAME)["State"], "stopped")
        result = tenderctl("adapter", "update", self.NAME, "log_level=debug")
        self.assertEqual(result.returncode, 1)
        self.assertIn("not-running", result.stderr)
        # usage errors
        for bad in (["adapter", "frobnicate", self.NAME], ["adapter", "start"],
                    ["adapter", "stop", self.NAME, "a=b"], ["adapter", "start", self.NAME, "x"],
                    ["adapter", "start", self.NAME, "--payload", "[1]"]):
            result = tenderctl(*bad)
            self.assertEqual(result.returncode, 2, bad)
            self.assertTrue(result.stderr.startswith("tenderctl: "), result.stderr)
        # a payload nested deeper than 64 levels is refused before it is parsed
        result = tenderctl("adapter", "start", self.NAME, "--payload", "[" * 100000)
        self.assertEqual(result.returncode, 2, result.stderr[:200])
        self.assertIn("--payload is not valid JSON: it nests deeper than the limit of 64 levels",
                      result.stderr)
        result = tenderctl("adapter", "start", "t-nosuch", "command=x")
        self.assertEqual(result.returncode, 1)
        self.assertIn("No adapter instance 't-nosuch'", result.stderr)
        help_text = tenderctl("adapter", "--help")
        self.assertEqual(help_text.returncode, 0)
        self.assertIn("start|update|stop|metrics INSTANCE", help_text.stdout)

    def test_unauthorized_user(self):
        self.start()
        pid = self.workload_props(self.NAME)["MainPID"]
        for method, route, body in (("POST", "api/start", self.payload(self.sleeper())),
                                    ("POST", "api/update", {"log_level": "x"}),
                                    ("POST", "api/stop", None), ("GET", "api/metrics", None),
                                    ("GET", "metrics", None)):
            status, _, text = self.api(method, self.NAME, route, body, user=NOBODY)
            self.assertEqual(status, 403, f"{method} {route}: {text}")
            error = json.loads(text)["error"]
            self.assertEqual(error["name"], "org.tender.Agent1.Error.AccessDenied")
            self.assertIn("org.tender.adapters.", error["message"])
        # liveness needs no authorization
        self.assertEqual(self.api("GET", self.NAME, "api/health", user=NOBODY)[0], 200)
        result = tenderctl("adapter", "stop", self.NAME, user=NOBODY)
        self.assertEqual(result.returncode, 1)
        self.assertIn("Not authorized", result.stderr)
        props = self.workload_props(self.NAME)
        self.assertEqual((props["State"], props["MainPID"]), ("running", pid))


class ExecAdapterTest(RoutesMixin, AdapterTestCase):
    NAME = "t-exec"
    TYPE = "exec"
    PRIMARY = "command"
    # it does live updates (update.log_level.*), but has no action for other keys
    UNKNOWN_KEY = "declined"

    def payload(self, script, **extra):
        return {"command": ["/bin/sh", script], **extra}

    def tenderctl_start_args(self, script):
        return ["--payload", json.dumps({"command": ["/bin/sh", script]}), "note=from tenderctl"]

    def check_adapter_metrics(self, adapter):
        self.assertEqual(adapter["running"], True)
        self.assertIn("updates_applied", adapter)

    def test_update_rewrites_the_file_then_signals(self):
        self.start()
        self.assertEqual(self.api("POST", self.NAME, "api/update", {"log_level": "warn"})[0], 200)
        with open(f"{WORK}/{self.NAME}.level") as f:
            self.assertEqual(f.read(), "warn\n")
        self.assertTrue(wait_for(lambda: os.path.exists(f"{WORK}/{self.NAME}.usr1")))

    def test_payload_values_are_data(self):
        """A payload value reaches a pre-start hook as an environment variable, never as
        part of a command line."""
        mark = f"{WORK}/injected"
        if os.path.exists(mark):
            os.unlink(mark)
        self.start(note=f"$(touch {mark}); touch {mark}")
        with open(f"{WORK}/{self.NAME}.prestart") as f:
            self.assertEqual(f.read(), f"0\n$(touch {mark}); touch {mark}\n")
        self.assertFalse(os.path.exists(mark))

    def test_command_as_a_line(self):
        self.forget(self.NAME)
        script = self.sleeper()
        status, _, text = self.api("POST", self.NAME, "api/start",
                                   {"command": f"/bin/sh '{script}'"})
        self.assertEqual(status, 200, text)
        self.assertEqual(self.workload_props(self.NAME)["Command"], ["/bin/sh", script])
        status, _, text = self.api("POST", self.NAME, "api/start", {"command": 5})
        self.assertEqual(status, 400, text)
        self.assertIn("'command'", json.loads(text)["error"]["message"])


class ScriptAdapterTest(RoutesMixin, AdapterTestCase):
    NAME = "t-script"
    TYPE = "script"
    PRIMARY = "flowfile"
    # SCRIPT answers unsupported for keys it has no action for
    UNKNOWN_KEY = "unsupported"

    def payload(self, script, **extra):
        return {"flowfile": script, **extra}

    def tenderctl_start_args(self, script):
        return [f"flowfile={script}"]

    def check_adapter_metrics(self, adapter):
        # the script ran as run_as_user
        self.assertEqual(adapter, {"running": True, "script_uid": USER_UID})

    def test_script_error_is_the_scripts_message(self):
        self.forget(self.NAME)
        status, _, text = self.api("POST", self.NAME, "api/start", {"flowfile": "relative"})
        self.assertEqual(status, 400, text)
        self.assertEqual(json.loads(text)["error"]["message"], "flowfile must be an absolute path")
        # a script that fails without a reply fails the start, and tenderd says why
        status, _, text = self.api("POST", self.NAME, "api/start", {"flowfile": 5})
        self.assertEqual(status, 500, text)
        self.assertIn(f"The adapter script {WORK}/adapter.py failed (exit status 1)",
                      json.loads(text)["error"]["message"])

    def test_deeply_nested_reply(self):
        """A reply nested deeper than 64 levels fails the call; 400,000 levels used to overflow
        tenderd's stack."""
        self.forget(self.NAME)
        status, _, text = self.api("POST", self.NAME, "api/start",
                                   {"flowfile": "/x", "deep_reply": True})
        self.assertEqual(status, 500, text)
        self.assertEqual(json.loads(text)["error"]["message"], "The adapter script's reply is "
                         "not JSON: it nests deeper than the limit of 64 levels")
        self.assertEqual(curl("GET", "/api/health")[0], 200)


class ListAndFilesTest(AdapterTestCase):
    def test_deeply_nested_payload_file_is_ignored(self):
        """A saved payload nested deeper than 64 levels is ignored unparsed; 400,000 levels
        used to overflow the stack of every tenderd that started."""
        path = f"{STATE}/t-exec.json"
        os.makedirs(STATE, mode=0o700, exist_ok=True)
        with open(path, "w") as f:
            f.write('{"command": ' + "[" * 400000 + "]" * 400000 + "}")
        self.addCleanup(lambda: os.path.exists(path) and os.unlink(path))
        restart_tenderd()
        self.tenderd_pid = tenderd_pid()
        self.assertIn(f"adapter t-exec: ignoring {path}: it nests deeper than the limit of 64 "
                      "levels", journal())
        self.assertEqual(curl("GET", "/api/health")[0], 200)

    def test_list(self):
        status, _, text = curl("GET", "/v1/adapters")
        self.assertEqual(status, 200, text)
        listed = {a["name"]: a for a in json.loads(text)}
        self.assertEqual(set(listed), LOADED)
        self.assertEqual(listed["t-exec"]["type"], "exec")
        self.assertEqual(listed["t-script"]["primary_payload_key"], "flowfile")
        self.assertEqual(listed["t-exec"]["object_path"],
                         "/org/tender/Agent1/adapter/t_2dexec")
        self.assertEqual(sorted(n for n, _, _ in self.tender.call("ListAdapters", "")[0]),
                         sorted(LOADED))
        status, _, text = curl("GET", "/v1/adapters/t-nosuch/api/metrics")
        self.assertEqual(status, 404, text)

    def test_bad_files_are_skipped_with_a_message(self):
        log = journal()
        self.assertIn("adapter instance t-unknown-type skipped: "
                      f"{ADAPTERS}/t-unknown-type.conf: [adapter] type: no loaded plugin "
                      "provides the adapter type 'nosuch'", log)
        self.assertIn(f"adapter instance t-bad-key skipped: {ADAPTERS}/t-bad-key.conf: "
                      "[adapter] colour: unknown key", log)
        self.assertIn(f"adapter instance t-bad-limit skipped: {ADAPTERS}/t-bad-limit.conf: "
                      "[limits] memory_max:", log)
        self.assertIn("adapter instance Not_Valid! skipped:", log)
        self.assertIn(f"adapter instance t-exec (exec) loaded from {ADAPTERS}/t-exec.conf", log)
        # and tenderd serves
        self.assertEqual(curl("GET", "/api/health")[0], 200)

    def start_sleeper(self, note):
        """Starts t-exec with a payload that carries @note; returns the command's PID."""
        self.forget("t-exec")
        with open(f"{WORK}/t-exec.sh", "w") as f:
            f.write(f": > {WORK}/t-exec.ready\nexec sleep 1000\n")
        status, _, text = curl("POST", "/v1/adapters/t-exec/api/start",
                               {"command": ["/bin/sh", f"{WORK}/t-exec.sh"], "note": note})
        self.assertEqual(status, 200, text)
        return json.loads(text)["main_pid"]

    def test_payload_survives_a_restart(self):
        pid = self.start_sleeper("kept")
        path = f"{STATE}/t-exec.json"
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path) as f:
            self.assertEqual(json.load(f)["note"], "kept")
        restart_tenderd()
        self.tenderd_pid = tenderd_pid()
        # the workload ran on; the instance knows it, and updates it
        status, _, text = curl("GET", "/v1/adapters/t-exec/api/metrics")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["main_pid"], pid)
        status, _, text = curl("POST", "/v1/adapters/t-exec/api/update", {"log_level": "x"})
        self.assertEqual(status, 200, text)

    def test_payload_that_cannot_be_kept_changes_nothing(self):
        """A start whose payload cannot be written fails, and the running workload and the
        kept payload stay as they were."""
        pid = self.start_sleeper("first")
        os.makedirs(STATE, exist_ok=True)
        run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", STATE])
        self.addCleanup(lambda: run(["umount", STATE]))
        with open(f"{STATE}/t-exec.json", "w") as f:
            json.dump({"note": "first"}, f)
        with open(f"{STATE}/filler", "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        self.addCleanup(lambda: os.unlink(f"{STATE}/filler"))
        status, _, text = curl("POST", "/v1/adapters/t-exec/api/start",
                               {"command": ["/bin/sh", f"{WORK}/t-exec.sh"], "note": "second"})
        self.assertEqual(status, 500, text)
        self.assertIn("No space left on device", text)
        self.assertEqual(self.workload_props("t-exec")["MainPID"], pid)
        self.assertEqual(self.workload_props("t-exec")["State"], "running")
        with open(f"{STATE}/t-exec.json") as f:
            self.assertEqual(json.load(f)["note"], "first")


class RootApiTest(AdapterTestCase):
    INSTANCES = dict(INSTANCES, **ROOT_INSTANCES)

    @classmethod
    def tearDownClass(cls):
        configure(INSTANCES)

    def test_root_api(self):
        """The paths of seed 000's core go to the root_api instance (its answers, case by
        case, are test_root_api.py's); tender's own exposition moves to /v1/metrics."""
        self.forget("t-root")
        log = journal()
        self.assertIn("adapter instance t-zz-root skipped: ", log)
        self.assertIn("only one instance may", log)
        with open(f"{WORK}/t-root.sh", "w") as f:
            f.write("exec sleep 1000\n")
        status, _, text = curl("POST", "/api/start", {"nothing": 1})
        self.assertEqual((status, json.loads(text)), (400, {"detail": "missing key 'command'"}))
        status, _, text = curl("POST", "/api/start", {"command": ["/bin/sh", f"{WORK}/t-root.sh"]})
        self.assertEqual((status, json.loads(text)), (200, {"message": "start initiated"}))
        self.assertEqual(self.workload_props("t-root")["State"], "running")
        status, _, text = curl("GET", "/api/health")
        self.assertEqual((status, json.loads(text)), (200, {"status": "healthy",
                                                            "app_status": "running"}))
        status, _, text = curl("GET", "/metrics")
        self.assertIn("\ncontainer_cpu_percent ", text)
        self.assertNotIn("tender_workloads ", text)
        # tender's own exposition stays reachable
        status, _, text = curl("GET", "/v1/metrics")
        self.assertEqual(status, 200, text)
        self.assertIn("tender_workloads ", text)
        self.assertEqual(curl("POST", "/api/stop", {})[0], 200)
        self.assertEqual(self.workload_props("t-root")["State"], "stopped")


class NoRootApiTest(AdapterTestCase):
    def test_api_routes_need_a_root_instance(self):
        status, _, text = curl("POST", "/api/start", {"command": ["true"]})
        self.assertEqual(status, 404, text)
        self.assertIn("root_api", json.loads(text)["error"]["message"])
        status, _, text = curl("GET", "/metrics")
        self.assertIn("tender_workloads ", text)
        status, _, text = curl("GET", "/v1/metrics")
        self.assertIn("tender_workloads ", text)


LATE_PLUGIN_DIR = "/var/lib/tender-test/adapter-plugins"
CONF = "/etc/tender/tenderd.conf"
PLUGIN_SOURCES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "plugins")


class DeferredAdapterTest(AdapterTestCase):
    """An adapter type of a plugin that becomes active after tenderd started (its probe
    defers once): the instances of the type come then, over D-Bus and HTTP, without a
    restart."""
    INSTANCES = dict(INSTANCES, **{
        "t-late": "[adapter]\ntype=late\nprimary_payload_key=command\n",
    })

    @classmethod
    def setUpClass(cls):
        with open(CONF) as f:
            cls.saved_conf = f.read()
        # built as a user would: cc and pkg-config, nothing of the build tree
        os.makedirs(LATE_PLUGIN_DIR, exist_ok=True)
        flags = run(["pkg-config", "--cflags", "--libs", "tender-plugin-1"]).stdout.split()
        out = os.path.join(LATE_PLUGIN_DIR, "deferred-adapter.so")
        run(["cc", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter",
             "-o", out, os.path.join(PLUGIN_SOURCES, "deferred-adapter.c"), *flags])
        with open(CONF, "w") as f:
            f.write(f"[plugins]\npath={LATE_PLUGIN_DIR}\n")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        with open(CONF, "w") as f:
            f.write(cls.saved_conf)
        configure(INSTANCES)
        restart_tenderd()

    def listed(self):
        return {n: p for n, _, p in self.tender.call("ListAdapters", "")[0]}

    def plugin_status(self):
        return {n: st for n, _, st in self.tender.call("ListPlugins", "")[0]}["deferred-adapter"]

    def test_instances_come_with_the_plugin(self):
        restart_tenderd()
        self.tenderd_pid = tenderd_pid()
        self.forget("t-late")
        # deferred: the type it registered in its first probe is not there, nor its instance
        self.assertTrue(self.plugin_status().startswith("deferred: its service is not up yet"),
                        self.plugin_status())
        self.assertNotIn("t-late", self.listed())
        self.assertEqual(set(self.listed()), LOADED)
        self.assertEqual(curl("GET", "/v1/adapters/t-late/api/health")[0], 404)
        self.assertIn("adapter instance t-late skipped: ", journal())
        # its second probe, a second later, succeeds: the instance comes
        self.assertTrue(wait_for(lambda: "t-late" in self.listed(), timeout=30),
                        self.plugin_status())
        self.assertEqual(self.plugin_status(), "active")
        self.assertIn(f"adapter instance t-late (late) loaded from {ADAPTERS}/t-late.conf",
                      journal())
        # over D-Bus
        path = self.listed()["t-late"]
        self.assertEqual(path, "/org/tender/Agent1/adapter/t_2dlate")
        props = self.tender.call("GetAll", "s", ADAPTER_IFACE, path=path,
                                 iface="org.freedesktop.DBus.Properties")[0]
        self.assertEqual((props["Name"], props["Type"], props["Workload"]),
                         ("t-late", "late", "adapter-t-late"))
        # and over HTTP
        status, _, text = curl("GET", "/v1/adapters")
        self.assertEqual(status, 200, text)
        self.assertEqual({a["name"]: a["type"] for a in json.loads(text)}["t-late"], "late")
        status, _, text = curl("POST", "/v1/adapters/t-late/api/start",
                               {"command": ["/bin/sleep", "1000"]})
        self.assertEqual(status, 200, text)
        pid = json.loads(text)["main_pid"]
        self.assertEqual(self.workload_props("t-late")["MainPID"], pid)
        status, _, text = curl("GET", "/v1/adapters/t-late/api/health")
        self.assertEqual((status, json.loads(text)["running"]), (200, True))
        self.tender.call("Stop", "", path=path, iface=ADAPTER_IFACE)
        self.assertEqual(self.workload_props("t-late")["State"], "stopped")

if __name__ == "__main__":
    unittest.main()
