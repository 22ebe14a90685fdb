#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Health checks: command and http_url checks, retries, start period, timeout, on_unhealthy,
the check process in the workload's scope, and tenderctl's --health-* options."""

import os
import signal
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import (WORKLOAD_IFACE, Gio, GLib, StateRecorder, TenderTestCase,  # noqa: E402
                       run, tenderd_pid, wait_for)
from test_tenderctl import TenderctlTest, tenderctl  # noqa: E402

# an HTTP server that answers every GET with STATUS (and Location: LOCATION, if given), and
# appends a line to LOG for each request
HTTP_SERVER = r"""
import http.server, sys
port, status, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
location = sys.argv[4] if len(sys.argv) > 4 else None
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log, "a") as f:
            f.write(self.path + "\n")
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def alive(pid):
    """Whether @pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


class HealthRecorder:
    """Records the values the Health property of each workload takes, from PropertiesChanged."""

    def __init__(self, tender):
        self.tender = tender
        self.values = {}  # object path → [Health, ...]
        self.id = tender.bus.signal_subscribe(
            "org.tender.Agent1", "org.freedesktop.DBus.Properties", "PropertiesChanged", None,
            WORKLOAD_IFACE, Gio.DBusSignalFlags.NONE, self._on_signal)

    def _on_signal(self, conn, sender, path, iface, signal, params):
        _, changed, _ = params.unpack()
        if "Health" in changed:
            self.values.setdefault(path, []).append(changed["Health"])

    def of(self, name):
        ctx = GLib.MainContext.default()
        while ctx.iteration(False):
            pass
        return list(self.values.get(self.tender.path(name), []))

    def wait(self, name, value, count=1, timeout=30.0):
        ok = wait_for(lambda: self.of(name).count(value) >= count, timeout=timeout)
        if not ok:
            raise AssertionError(f"Health of {name} never became {value} {count} times: "
                                 f"{self.of(name)}, now {self.tender.prop(name, 'Health')}")
        return self.of(name)

    def close(self):
        self.tender.bus.signal_unsubscribe(self.id)


class HealthTestCase(TenderTestCase):
    def setUp(self):
        super().setUp()
        self.events = StateRecorder(self.tender)
        self.addCleanup(self.events.close)
        self.health = HealthRecorder(self.tender)
        self.addCleanup(self.health.close)

    def start(self, name, argv=("sleep", "300"), **spec):
        self.tender.create(self.workload(name), argv=list(argv), **spec)
        self.tender.start(name)
        return self.tender.props(name)


class CommandCheckTest(HealthTestCase):
    def test_passing_check(self):
        name = "h-pass"
        p = self.start(name, health={"command": ["true"], "interval_sec": 1})
        self.assertIn(p["Health"], ("starting", "healthy"))
        self.health.wait(name, "healthy")
        self.assertEqual(self.health.of(name), ["starting", "healthy"])
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Health"]), ("running", "healthy"))

    def test_failing_check_after_retries(self):
        name = "h-fail"
        count = self.tmpfile(f"{name}.count")
        self.start(name, health={"command": ["sh", "-c", f"echo x >> {count}; exit 1"],
                                 "interval_sec": 1, "retries": 3})
        self.health.wait(name, "unhealthy")
        self.assertGreaterEqual(len(lines(count)), 3)
        self.assertEqual(self.health.of(name), ["starting", "unhealthy"])
        # on_unhealthy "none": only the property says so, the workload runs on, still checked
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Health"], p["Reason"]), ("running", "unhealthy", ""))
        n = len(lines(count))
        self.assertTrue(wait_for(lambda: len(lines(count)) > n, timeout=10))
        self.assertEqual([e[1] for e in self.events.of(name)], ["starting", "running"])

    def test_fewer_failures_than_retries(self):
        # fails twice, then passes: with retries 3 it never becomes unhealthy
        name = "h-flaky"
        count = self.tmpfile(f"{name}.count")
        script = f"n=$(cat {count} 2>/dev/null | wc -l); echo x >> {count}; [ $n -ge 2 ]"
        self.start(name, health={"command": ["sh", "-c", script], "interval_sec": 1,
                                 "retries": 3})
        self.health.wait(name, "healthy")
        self.assertEqual(self.health.of(name), ["starting", "healthy"])
        self.assertGreaterEqual(len(lines(count)), 3)

    def test_start_period(self):
        # failures within the start period do not count...
        name = "h-slow-start"
        count = self.tmpfile(f"{name}.count")
        self.start(name, health={"command": ["sh", "-c", f"echo x >> {count}; exit 1"],
                                 "interval_sec": 1, "retries": 1, "start_period_sec": 3600})
        self.assertTrue(wait_for(lambda: len(lines(count)) >= 3, timeout=30))
        self.assertEqual(self.tender.prop(name, "Health"), "starting")
        self.assertEqual(self.health.of(name), ["starting"])
        # ...but a success does, at once
        name = "h-slow-start-ok"
        count = self.tmpfile(f"{name}.count")
        script = f"n=$(cat {count} 2>/dev/null | wc -l); echo x >> {count}; [ $n -ge 2 ]"
        self.start(name, health={"command": ["sh", "-c", script], "interval_sec": 1,
                                 "retries": 1, "start_period_sec": 3600})
        self.health.wait(name, "healthy")
        self.assertEqual(self.health.of(name), ["starting", "healthy"])

    def test_check_runs_in_the_workload(self):
        name = "h-inside"
        pidfile = self.tmpfile(f"{name}.pid")
        p = self.start(name, env=["HC_VAR=hello"], working_directory="/tmp",
                       memory_max=64 << 20, tasks_max=100, cpu_quota_percent=200,
                       health={"command": ["sh", "-c", f"echo $$ > {pidfile}; exec sleep 60"],
                               "interval_sec": 1, "timeout_sec": 120})
        main = p["MainPID"]
        self.assertTrue(wait_for(lambda: lines(pidfile), timeout=30))
        pid = int(lines(pidfile)[0])

        def is_sleeping():
            with open(f"/proc/{pid}/cmdline") as f:
                return f.read().split("\0")[:2] == ["sleep", "60"]
        self.assertTrue(wait_for(is_sleeping))
        # in the scope, in every hierarchy, as the command is
        with open(f"/proc/{pid}/cgroup") as f:
            check_cgroups = f.read()
        with open(f"/proc/{main}/cgroup") as f:
            main_cgroups = f.read()
        self.assertEqual(check_cgroups, main_cgroups)
        self.assertIn(f"name=systemd:{p['ControlGroup']}\n", check_cgroups)
        for ctrl in ("memory", "pids", "cpu"):
            self.assertIn(f":{ctrl}:{p['ControlGroup']}\n", check_cgroups)
        scope_procs = run(["cat", f"/sys/fs/cgroup/systemd{p['ControlGroup']}/cgroup.procs"])
        self.assertIn(str(pid), scope_procs.stdout.split())
        # with the workload's environment, directory and user, and nothing of tenderd's
        with open(f"/proc/{pid}/environ") as f:
            env = f.read().split("\0")
        with open(f"/proc/{main}/environ") as f:
            main_env = [v for v in f.read().split("\0") if v]
        for var in main_env:
            self.assertIn(var, env)
        self.assertIn("HC_VAR=hello", env)
        self.assertFalse([v for v in env if v.startswith("INVOCATION_ID=")], env)
        self.assertEqual(os.readlink(f"/proc/{pid}/cwd"), "/tmp")
        self.assertEqual(os.stat(f"/proc/{pid}").st_uid, os.stat(f"/proc/{main}").st_uid)
        # a child of tenderd, in a process group of its own, with only stdin, stdout, stderr
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        self.assertEqual(int(fields[1]), tenderd_pid())
        self.assertEqual(int(fields[2]), pid)
        self.assertEqual(sorted(os.listdir(f"/proc/{pid}/fd")), ["0", "1", "2"])
        for fd in ("0", "1", "2"):
            self.assertEqual(os.readlink(f"/proc/{pid}/fd/{fd}"), "/dev/null")

    def test_hanging_check_is_killed(self):
        name = "h-hang"
        pids = self.tmpfile(f"{name}.pids")
        self.start(name, health={"command": ["sh", "-c", f"sleep 300 & echo $! >> {pids}; wait"],
                                 "interval_sec": 1, "timeout_sec": 1, "retries": 2})
        self.health.wait(name, "unhealthy", timeout=60)
        self.assertEqual(self.health.of(name), ["starting", "unhealthy"])
        self.assertGreaterEqual(len(lines(pids)), 2)
        # the check and what it started are gone
        first = int(lines(pids)[0])
        self.assertTrue(wait_for(lambda: not alive(first)), f"{first} is still there")

    def test_checks_end_with_the_run(self):
        name = "h-stopped"
        pids = self.tmpfile(f"{name}.pids")
        self.start(name, health={"command": ["sh", "-c", f"echo $$ >> {pids}; exec sleep 100"],
                                 "interval_sec": 1, "timeout_sec": 300})
        self.assertTrue(wait_for(lambda: lines(pids), timeout=30))
        check = int(lines(pids)[0])
        self.assertTrue(alive(check))
        self.tender.stop(name)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Health"]), ("stopped", "none"))
        self.assertTrue(wait_for(lambda: not alive(check)), f"check {check} is still there")
        n = len(lines(pids))
        time.sleep(2.5)
        self.assertEqual(len(lines(pids)), n, "a check ran after the workload stopped")

    def test_health_none_when_it_ends(self):
        name = "h-ends"
        done = self.tmpfile(f"{name}.done")
        self.start(name, argv=["sh", "-c", f"while [ ! -e {done} ]; do sleep 0.1; done"],
                   health={"command": ["true"], "interval_sec": 1})
        self.health.wait(name, "healthy")
        open(done, "w").close()
        p = self.tender.wait_state(name, "exited")
        self.assertEqual(p["Health"], "none")
        self.assertEqual(self.health.of(name), ["starting", "healthy", "none"])

    def test_no_health_check(self):
        name = "h-without"
        self.start(name)
        time.sleep(1.5)
        self.assertEqual(self.tender.prop(name, "Health"), "none")
        self.assertEqual(self.health.of(name), [])


class ReadoptionTest(HealthTestCase):
    def test_checks_go_on_after_a_restart_of_tenderd(self):
        name = "h-readopted"
        parents = self.tmpfile(f"{name}.parents")
        p = self.start(name, health={"command": ["sh", "-c", f"echo $PPID >> {parents}"],
                                     "interval_sec": 1})
        self.health.wait(name, "healthy")
        old = self.tenderd_pid
        os.kill(old, signal.SIGKILL)
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old), timeout=30),
                        "systemd did not restart tenderd")
        self.assertTrue(wait_for(lambda: run(["systemctl", "is-active", "tenderd.service"],
                                             check=False).stdout.strip() == "active"))
        self.tenderd_pid = tenderd_pid()
        # the same run, checked again from the start by the new tenderd
        after = self.tender.props(name)
        self.assertEqual((after["State"], after["MainPID"]), ("running", p["MainPID"]))
        self.assertIn(after["Health"], ("starting", "healthy"))
        self.assertTrue(wait_for(lambda: str(self.tenderd_pid) in lines(parents), timeout=30))
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "Health") == "healthy"))


class OnUnhealthyTest(HealthTestCase):
    def test_stop(self):
        name = "h-stop"
        self.start(name, restart="always", restart_delay_ms=10,
                   health={"command": ["false"], "interval_sec": 1, "retries": 1,
                           "on_unhealthy": "stop"})
        self.events.wait(name, "stopped")
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"], p["Health"], p["RestartCount"]),
                         ("stopped", "unhealthy", "none", 0))
        self.assertEqual(self.events.of(name),
                         [("created", "starting", ""), ("starting", "running", ""),
                          ("running", "stopping", ""), ("stopping", "stopped", "unhealthy")])
        self.assertEqual(self.health.of(name), ["starting", "unhealthy", "none"])
        # restart=always does not undo it
        time.sleep(1.5)
        self.assertEqual(self.tender.prop(name, "State"), "stopped")
        self.assertEqual(len(self.events.of(name)), 4)

    def test_restart(self):
        # unhealthy in the first run only: the check passes once the command ran twice
        name = "h-restart"
        runs = self.tmpfile(f"{name}.runs")
        p = self.start(name, argv=["sh", "-c", f"echo x >> {runs}; exec sleep 300"],
                       restart_delay_ms=10,
                       health={"command": ["sh", "-c", f"[ $(wc -l < {runs}) -ge 2 ]"],
                               "interval_sec": 1, "retries": 1, "on_unhealthy": "restart"})
        first = p["MainPID"]
        self.health.wait(name, "healthy")
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Health"], p["RestartCount"]),
                         ("running", "healthy", 1))
        self.assertNotEqual(p["MainPID"], first)
        self.assertEqual(len(lines(runs)), 2)
        self.assertEqual(self.health.of(name),
                         ["starting", "unhealthy", "none", "starting", "healthy"])
        self.assertEqual(self.events.of(name),
                         [("created", "starting", ""), ("starting", "running", ""),
                          ("running", "stopping", ""), ("stopping", "stopped", "unhealthy"),
                          ("stopped", "starting", ""), ("starting", "running", "")])

    def test_restart_until_restart_max(self):
        name = "h-restart-max"
        self.start(name, restart_max=2, restart_delay_ms=10,
                   health={"command": ["false"], "interval_sec": 1, "retries": 1,
                           "on_unhealthy": "restart"})
        self.events.wait(name, "stopped", count=3, timeout=60)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"], p["Health"], p["RestartCount"]),
                         ("stopped", "unhealthy", "none", 2))
        self.assertEqual(self.health.of(name), ["starting", "unhealthy", "none"] * 3)
        time.sleep(1.5)
        self.assertEqual([e[1] for e in self.events.of(name)].count("running"), 3)
        self.assertEqual(self.tender.prop(name, "State"), "stopped")

    def test_stop_workload_cancels_the_restart(self):
        # a StopWorkload while the unhealthy run stops: it stays stopped
        name = self.workload("h-restart-stopped")
        self.tender.create(name, argv=["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"],
                           restart_delay_ms=10,
                           health={"command": ["false"], "interval_sec": 1, "retries": 1,
                                   "on_unhealthy": "restart"})
        self.tender.start(name)
        self.events.wait(name, "stopping")
        self.tender.stop(name, timeout_sec=1)
        time.sleep(1)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["RestartCount"]), ("stopped", 0))
        self.assertEqual([e[1] for e in self.events.of(name)].count("running"), 1)


class HttpCheckTest(HealthTestCase):
    def start_server(self, name, status, location=None, **health):
        port = free_port()
        log = self.tmpfile(f"{name}.requests")
        argv = ["python3", "-c", HTTP_SERVER, str(port), str(status), log]
        if location:
            argv.append(location)
        self.start(name, argv=argv,
                   health=dict({"http_url": f"http://127.0.0.1:{port}/health",
                                "interval_sec": 1, "timeout_sec": 5}, **health))
        return log

    def test_ok(self):
        name = "h-http-ok"
        log = self.start_server(name, 200)
        self.health.wait(name, "healthy")
        self.assertIn("/health", lines(log))

    def test_server_error(self):
        name = "h-http-500"
        log = self.start_server(name, 500, retries=2)
        self.health.wait(name, "unhealthy")
        self.assertTrue(wait_for(lambda: len(lines(log)) >= 2))
        self.assertEqual(self.tender.prop(name, "State"), "running")

    def test_redirect_is_healthy_and_not_followed(self):
        # were the redirect followed, every check would fail (nothing listens there) and,
        # within the start period, it would stay "starting"
        name = "h-http-302"
        log = self.start_server(name, 302, location="http://127.0.0.1:1/elsewhere",
                                start_period_sec=3600)
        self.health.wait(name, "healthy")
        self.assertEqual(self.health.of(name), ["starting", "healthy"])
        self.assertNotIn("/elsewhere", lines(log))

    def test_nothing_listening(self):
        name = "h-http-closed"
        self.start(name, health={"http_url": f"http://127.0.0.1:{free_port()}/",
                                 "interval_sec": 1, "retries": 1})
        self.health.wait(name, "unhealthy")

    def test_http_stop(self):
        name = "h-http-stop"
        self.start_server(name, 503, retries=1, on_unhealthy="stop")
        p = self.tender.wait_state(name, "stopped")
        self.assertEqual((p["Reason"], p["Health"]), ("unhealthy", "none"))


class TenderctlHealthTest(TenderctlTest):
    def test_run_with_health_options(self):
        name = self.workload("ctl-health")
        self.assertOk(tenderctl("run", name, "--health-cmd", "test -d /tmp && true",
                                "--health-interval", "1s", "--health-timeout", "1m",
                                "--health-retries", "2", "--health-start-period", "10s",
                                "--health-on-unhealthy", "stop", "--", "sleep", "300"))
        health = self.tender.prop(name, "Spec")["health"]
        self.assertEqual(health, {"command": ["sh", "-c", "test -d /tmp && true"],
                                  "interval_sec": 1, "timeout_sec": 60, "retries": 2,
                                  "start_period_sec": 10, "on_unhealthy": "stop"})
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "Health") == "healthy",
                                 timeout=30))
        r = tenderctl("inspect", name)
        self.assertOk(r)
        self.assertRegex(r.stdout, r"(?m)^ *Health: healthy$")
        self.assertRegex(r.stdout, r"(?m)^ +health +command=sh -c 'test -d /tmp && true'$")
        self.assertRegex(r.stdout, r"(?m)^ +interval_sec=1$")
        self.assertRegex(r.stdout, r"(?m)^ +on_unhealthy=stop$")

    def test_run_with_health_url(self):
        name = self.workload("ctl-health-url")
        self.assertOk(tenderctl("create", name, "--health-url", "http://127.0.0.1:1/",
                                "--", "sleep", "300"))
        health = self.tender.prop(name, "Spec")["health"]
        self.assertEqual(health["http_url"], "http://127.0.0.1:1/")
        self.assertEqual((health["interval_sec"], health["timeout_sec"], health["retries"],
                          health["start_period_sec"], health["on_unhealthy"]),
                         (30, 30, 3, 0, "none"))

    def test_bad_health_options(self):
        name = "ctl-bad-health"
        self.workload(name)
        self.assertUsageError(tenderctl("run", name, "--health-cmd", "true",
                                        "--health-interval", "1500ms", "--", "true"),
                              "run", "Invalid --health-interval '1500ms': it must be whole "
                              "seconds")
        self.assertUsageError(tenderctl("run", name, "--health-cmd", "true",
                                        "--health-timeout", "soon", "--", "true"),
                              "run", "Invalid duration 'soon'")
        self.assertUsageError(tenderctl("run", name, "--health-cmd", "true",
                                        "--health-retries", "x", "--", "true"),
                              "run", "Invalid number of health check retries 'x'")
        self.assertUsageError(tenderctl("run", name, "--health-retries", "2", "--", "true"),
                              "run", "--health-retries needs a health check")
        self.assertUsageError(tenderctl("run", name, "--health-cmd", "true", "--health-url",
                                        "http://127.0.0.1/", "--", "true"),
                              "run", "cannot be given together")
        self.assertUsageError(tenderctl("run", name, "--health-cmd", "", "--", "true"),
                              "run", "the value is empty")
        # what only tenderd can judge comes back as a plain sentence
        self.assertPlainError(tenderctl("run", name, "--health-cmd", "true",
                                        "--health-on-unhealthy", "reboot", "--", "true"),
                              "'health.on_unhealthy' must be one of")
        self.assertPlainError(tenderctl("run", name, "--health-url", "ftp://x/", "--", "true"),
                              "'health.http_url'")
        self.assertPlainError(tenderctl("run", name, "--health-cmd", "true",
                                        "--health-interval", "0s", "--", "true"),
                              "'health.interval_sec'")
        self.assertNoWorkload(name)


if __name__ == "__main__":
    unittest.main()
