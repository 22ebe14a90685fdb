#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Relics on org.tender.Agent1.Docker (/org/tender/Agent1/docker), against the lab's dockerd:
StartRelic, GetRelic, ListRelics, StopRelic, DeleteRelic and RelicChanged over D-Bus; the
same below /v1/docker/relics; seed 002's /containers/relic paths with cortex-api=true, byte
for byte; relics following dockerd's events (a container killed, stopped, started or removed
behind tender's back); restart policies; periodic health checks; a kill -9 of tenderd during
a health wait; polkit; tenderctl relic; README's "Relics" examples."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dockerlab import BUSYBOX_IMAGE, WEB_IMAGE, docker  # noqa: E402
from tenderlab import (DBusError, Gio, GLib, run, tenderd_pid,  # noqa: E402
                       tenderd_restart_settings, wait_for)
from test_docker_runtime import (CHECKOUT, CONF, TENDERCTL, DockerTestCase,  # noqa: E402
                                 ctl, restart_tenderd, write_file)
from test_http import ROOT_TOKEN, TOKENS, curl  # noqa: E402
from test_polkit import USER, ensure_user  # noqa: E402

PATH = "/org/tender/Agent1/docker"
IFACE = "org.tender.Agent1.Docker"
# seed 002's RelicInfo, its members in its order
CORTEX_MEMBERS = ["relic_id", "relic_name", "session_id", "status", "started_at",
                  "container_id", "container_name", "network_id", "network_name",
                  "internal_url", "healthy", "last_health_check", "memory_used_mb",
                  "cpu_percent"]
TYPES = {bool: "b", str: "s", int: "x"}


def request(session, **extra):
    req = {"relic_name": "web", "session_id": session, "image": WEB_IMAGE}
    req.update(extra)
    return {k: v if isinstance(v, GLib.Variant) else GLib.Variant(TYPES[type(v)], v)
            for k, v in req.items()}


def compact(obj):
    """JSON as tenderd and FastAPI write it."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def docker_api(method, path):
    """The Engine API, behind tender's back."""
    return run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket",
                "/run/docker.sock", "-X", method, f"http://docker/v1.41{path}"]).stdout


class RelicTestCase(DockerTestCase):
    def setUp(self):
        super().setUp()
        self.changes = []
        sub = self.tender.bus.signal_subscribe(
            "org.tender.Agent1", IFACE, "RelicChanged", PATH, None, Gio.DBusSignalFlags.NONE,
            lambda *a: self.changes.append(a[5].unpack()))
        self.addCleanup(self.tender.bus.signal_unsubscribe, sub)

    def tearDown(self):
        # the relics and the session networks of the test go before the base's check
        ids = docker("ps", "-aq", "--filter", "label=org.tender.kind=relic").stdout.split()
        if ids:
            docker("rm", "-f", *ids, check=False)
        for name in docker("network", "ls", "-q", "--filter",
                           "label=org.tender.kind=network").stdout.split():
            docker("network", "rm", name, check=False)
        super().tearDown()

    def call(self, method, signature, *args):
        return self.tender.call(method, signature, *args, path=PATH, iface=IFACE)

    def start(self, session, **extra):
        return self.call("StartRelic", "a{sv}", request(session, **extra))[0]

    def status(self, relic_id):
        return self.call("GetRelic", "s", relic_id)[0]["status"]

    def changed(self, change, timeout=20):
        """Waits for RelicChanged(id, status)."""
        context = GLib.MainContext.default()
        return wait_for(lambda: (context.iteration(False), change in self.changes)[1],
                        timeout=timeout, interval=0.05)

    def token(self):
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        fd = os.open(TOKENS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"{ROOT_TOKEN} 0\n")
        self.addCleanup(os.unlink, TOKENS)


class DockerRelicServiceTest(RelicTestCase):
    def test_dbus(self):
        """StartRelic, GetRelic, ListRelics, StopRelic, DeleteRelic; RelicChanged; the
        internal_url reached from another container on the session's network; errors."""
        relic = self.start("rs1")
        rid, name = relic["relic_id"], relic["container_name"]
        self.assertEqual((relic["status"], relic["healthy"], relic["port"]),
                         ("running", True, 8080), relic)
        self.assertEqual(relic["internal_url"], f"http://{name}:8080")
        self.assertEqual(relic["network_name"], "tender-session-rs1")
        self.assertTrue(self.changed((rid, "running")), self.changes)
        answer = docker("run", "--rm", "--network", "tender-session-rs1", BUSYBOX_IMAGE,
                        "wget", "-qO-", f"{relic['internal_url']}/health").stdout
        self.assertEqual(answer, "ok\n")
        container = json.loads(docker("inspect", relic["container_id"]).stdout)[0]
        self.assertEqual(container["HostConfig"]["RestartPolicy"]["Name"], "unless-stopped")
        self.assertEqual(self.call("GetRelic", "s", rid)[0], relic)
        other = self.start("rs2", restart_policy="no")
        self.assertEqual([r["relic_id"] for r in self.call("ListRelics", "s", "rs1")[0]], [rid])
        self.assertEqual(sorted(r["relic_id"] for r in self.call("ListRelics", "s", "")[0]),
                         sorted([rid, other["relic_id"]]))
        self.assertEqual(self.call("ListRelics", "s", "nope")[0], [])
        stopped = self.call("StopRelic", "s", rid)[0]
        self.assertEqual((stopped["status"], stopped["healthy"]), ("stopped", False))
        self.assertTrue(self.changed((rid, "stopped")), self.changes)
        self.assertFalse(json.loads(docker("inspect", name).stdout)[0]["State"]["Running"])
        self.call("DeleteRelic", "s", rid)
        self.assertTrue(self.changed((rid, "deleted")), self.changes)
        self.assertEqual(docker("ps", "-aq", "--filter", f"name={name}").stdout, "")
        # errors, by name
        for method in ("GetRelic", "StopRelic", "DeleteRelic"):
            with self.assertRaises(DBusError) as ctx:
                self.call(method, "s", rid)
            self.assertEqual((ctx.exception.name, ctx.exception.message),
                             ("org.tender.Agent1.Error.NotFound", f"Relic not found: {rid}"))
        for extra, message in (
                ({"bogus": 1}, "Member 'bogus' is not one of a relic request's"),
                ({"restart_policy": "sometimes"},
                 "Member 'restart_policy' must be no, on-failure, always or unless-stopped"),
                ({"health_check_interval_seconds": 0},
                 "Member 'health_check_interval_seconds' must be an integer from 1 to 3600"),
                ({"image": BUSYBOX_IMAGE},
                 "Member 'port' is required: the image exposes 0 ports, not one")):
            with self.assertRaises(DBusError) as ctx:
                self.start("rs3", **extra)
            self.assertEqual((ctx.exception.name, ctx.exception.message),
                             ("org.tender.Agent1.Error.InvalidArgument", message))
        self.assertEqual(self.call("ListRelics", "s", "rs3")[0], [])

    def test_events(self):
        """A container killed through dockerd's API behind tender's back: exited at once
        (RelicChanged), saved; started again: running; stopped: stopped; removed: gone. With
        restart_policy always, a container whose process dies is started again by dockerd,
        and the relic follows."""
        relic = self.start("rs4", restart_policy="no")
        rid, cid = relic["relic_id"], relic["container_id"]
        self.changes.clear()
        self.assertEqual(docker_api("POST", f"/containers/{cid}/kill"), "204")
        self.assertTrue(self.changed((rid, "exited")), self.changes)
        self.assertEqual(self.status(rid), "exited")

        def saved():
            with open(f"/var/lib/tender/plugins/docker/relics/{rid}.json") as f:
                return json.load(f)["status"]
        self.assertTrue(wait_for(lambda: saved() == "exited", timeout=5), saved())
        self.changes.clear()
        docker("start", cid)
        self.assertTrue(self.changed((rid, "running")), self.changes)
        docker("stop", "-t", "1", cid)
        self.assertTrue(self.changed((rid, "stopped")), self.changes)
        docker("rm", cid)
        self.assertTrue(self.changed((rid, "deleted")), self.changes)
        with self.assertRaises(DBusError):
            self.call("GetRelic", "s", rid)
        # restart policy always: dockerd starts it again
        relic = self.start("rs4", relic_name="web2", restart_policy="always")
        rid, cid = relic["relic_id"], relic["container_id"]
        container = json.loads(docker("inspect", cid).stdout)[0]
        self.assertEqual(container["HostConfig"]["RestartPolicy"]["Name"], "always")
        self.changes.clear()
        os.kill(container["State"]["Pid"], signal.SIGKILL)
        self.assertTrue(self.changed((rid, "exited")), self.changes)
        self.assertTrue(self.changed((rid, "running")), self.changes)
        self.assertTrue(wait_for(lambda: self.status(rid) == "running", timeout=10),
                        self.changes)
        self.assertTrue(json.loads(docker("inspect", cid).stdout)[0]["State"]["Running"])

    def test_periodic_health(self):
        """health_check_interval_seconds: the endpoint keeps being asked; it goes away:
        unhealthy (RelicChanged); it is back: running and healthy again."""
        relic = self.start("rs5", health_check_interval_seconds=1)
        rid, cid = relic["relic_id"], relic["container_id"]
        self.assertEqual((relic["status"], relic["healthy"]), ("running", True))
        self.changes.clear()
        docker("exec", cid, "rm", "/www/health")
        self.assertTrue(self.changed((rid, "unhealthy")), self.changes)
        got = self.call("GetRelic", "s", rid)[0]
        self.assertEqual((got["status"], got["healthy"]), ("unhealthy", False))
        self.changes.clear()
        docker("exec", cid, "sh", "-c", "echo ok > /www/health")
        self.assertTrue(self.changed((rid, "running")), self.changes)
        self.assertTrue(self.call("GetRelic", "s", rid)[0]["healthy"])
        # without it, nothing asks after the start
        quiet = self.start("rs5", relic_name="quiet")
        docker("exec", quiet["container_id"], "rm", "/www/health")
        time.sleep(3)
        self.assertEqual(self.status(quiet["relic_id"]), "running")

    def test_http(self):
        """POST /v1/docker/relics (201), the list by session, one, stop, delete; errors."""
        self.token()
        body = {"relic_name": "web", "session_id": "rs6", "image": WEB_IMAGE}
        status, _, text = curl("POST", "/v1/docker/relics", body)
        self.assertEqual(status, 201, text)
        relic = json.loads(text)
        rid = relic["relic_id"]
        self.assertEqual((relic["status"], relic["healthy"]), ("running", True))
        status, _, text = curl("POST", "/v1/docker/relics", body, unix=False, token=ROOT_TOKEN)
        self.assertEqual(status, 201, text)
        status, _, text = curl("GET", "/v1/docker/relics?session_id=rs6")
        self.assertEqual((status, len(json.loads(text)["relics"])), (200, 2), text)
        status, _, text = curl("GET", "/v1/docker/relics?session_id=other")
        self.assertEqual((status, json.loads(text)), (200, {"relics": []}), text)
        status, _, text = curl("GET", f"/v1/docker/relics/{rid}")
        self.assertEqual((status, json.loads(text)), (200, relic), text)
        status, _, text = curl("POST", f"/v1/docker/relics/{rid}/stop", {})
        self.assertEqual((status, json.loads(text)["status"]), (200, "stopped"), text)
        status, _, text = curl("DELETE", f"/v1/docker/relics/{rid}")
        self.assertEqual((status, json.loads(text)), (200, {"status": "deleted",
                                                             "relic_id": rid}), text)
        status, _, text = curl("GET", f"/v1/docker/relics/{rid}")
        self.assertEqual(status, 404, text)
        self.assertEqual(json.loads(text)["error"]["message"], f"Relic not found: {rid}")
        status, _, text = curl("POST", "/v1/docker/relics", dict(body, port="80"))
        self.assertEqual(status, 400, text)
        self.assertIn("'port'", json.loads(text)["error"]["message"])
        # the seed's paths are not served unless asked for
        self.assertEqual(curl("GET", "/containers/relic")[0], 404)

    def test_cortex_api(self):
        """With cortex-api=true, seed 002's relic paths: its example request as it stands
        (its image is ours), RelicInfo in its member order, its answers and errors byte for
        byte."""
        self.token()
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(lambda: setattr(self, "tenderd_pid", restart_tenderd()))
        self.addCleanup(write_file, CONF, saved)
        write_file(CONF, f"{saved}\n[plugin docker]\ncortex-api=true\n")
        self.tenderd_pid = restart_tenderd()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))
        example = {"relic_name": "research_cache", "session_id": "session_abc123",
                   "image": WEB_IMAGE,
                   "resource_limits": {"memory_mb": 1024, "cpu_limit": 2.0,
                                       "timeout_seconds": 600},
                   "create_private_network": True, "health_check_endpoint": "/health",
                   "health_check_timeout_seconds": 30}
        status, _, text = curl("POST", "/containers/relic/start", example, unix=False,
                               token=ROOT_TOKEN)
        self.assertEqual(status, 200, text)
        relic = json.loads(text)
        self.assertEqual(list(relic), CORTEX_MEMBERS, text)
        self.assertEqual(text, compact(relic))
        rid = relic["relic_id"]
        self.assertTrue(re.fullmatch(r"relic_[0-9a-f]{16}", rid), rid)
        self.assertEqual((relic["relic_name"], relic["session_id"], relic["status"],
                          relic["healthy"], relic["network_name"]),
                         ("research_cache", "session_abc123", "running", True,
                          "tender-session-session_abc123"))
        self.assertEqual(relic["container_name"],
                         f"relic_research_cache_session_abc123_{rid[6:14]}")
        self.assertEqual(relic["internal_url"], f"http://{relic['container_name']}:8080")
        status, _, text = curl("GET", f"/containers/relic/{rid}")
        self.assertEqual((status, list(json.loads(text))), (200, CORTEX_MEMBERS), text)
        status, _, text = curl("GET", "/containers/relic?session_id=session_abc123")
        self.assertEqual(status, 200, text)
        self.assertEqual([list(r) for r in json.loads(text)], [CORTEX_MEMBERS], text)
        self.assertEqual(curl("GET", "/containers/relic?session_id=other")[2], "[]")
        self.assertEqual(len(json.loads(curl("GET", "/containers/relic")[2])), 1)
        status, _, text = curl("POST", f"/containers/relic/{rid}/stop", {})
        self.assertEqual((status, text), (200, compact({"status": "stopped", "relic_id": rid})))
        self.assertEqual(json.loads(curl("GET", f"/containers/relic/{rid}")[2])["status"],
                         "exited")
        status, _, text = curl("DELETE", f"/containers/relic/{rid}")
        self.assertEqual((status, text), (200, compact({"status": "deleted", "relic_id": rid})))
        # its errors, as FastAPI's
        for method, path in (("GET", f"/containers/relic/{rid}"),
                             ("POST", f"/containers/relic/{rid}/stop"),
                             ("DELETE", f"/containers/relic/{rid}")):
            status, _, text = curl(method, path, {} if method == "POST" else None)
            self.assertEqual((status, text), (404, compact({"detail":
                                                            f"Relic not found: {rid}"})))
        status, _, text = curl("POST", "/containers/relic/start",
                               dict(example, image=BUSYBOX_IMAGE))
        self.assertEqual((status, text), (422, compact({
            "detail": "Member 'port' is required: the image exposes 0 ports, not one"})))
        status, _, text = curl("POST", "/containers/relic/start",
                               dict(example, image="tender-test/absent:latest", port=80))
        self.assertEqual(status, 500, text)
        self.assertTrue(json.loads(text)["detail"].startswith("Failed to start relic: "), text)

    def test_kill9_in_health_wait(self):
        """A kill -9 of tenderd while a relic waits for its health: once tenderd is back the
        relic is there, once, with its container, and the rest of its health wait makes it
        healthy."""
        self.addCleanup(tenderd_restart_settings(3))
        start = subprocess.Popen(
            ["busctl", "call", "--timeout=120", "org.tender.Agent1", PATH, IFACE, "StartRelic",
             "a{sv}", "5", "relic_name", "s", "slow", "session_id", "s", "rs7", "image", "s",
             WEB_IMAGE, "health_check_endpoint", "s", "/later",
             "health_check_timeout_seconds", "x", "60"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(start.wait)

        def container():
            ids = docker("ps", "-q", "--filter", "label=org.tender.session=rs7").stdout.split()
            return ids[0] if ids else None
        self.assertTrue(wait_for(container, timeout=30))
        time.sleep(1)
        old = self.tenderd_pid
        run(["systemctl", "kill", "-s", "KILL", "tenderd.service"])
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old), timeout=30))
        self.tenderd_pid = tenderd_pid()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))
        docker("exec", container(), "sh", "-c", "echo ok > /www/later")
        relics = self.call("ListRelics", "s", "rs7")[0]
        self.assertEqual(len(relics), 1, relics)
        self.assertEqual(relics[0]["container_id"][:12], container()[:12])
        self.assertTrue(wait_for(lambda: self.call("GetRelic", "s", relics[0]["relic_id"])[0]
                                 .get("healthy"), timeout=60))
        self.assertEqual(self.status(relics[0]["relic_id"]), "running")
        self.assertEqual(len(docker("ps", "-aq", "--filter", "label=org.tender.session=rs7")
                             .stdout.split()), 1)

    def test_polkit(self):
        """An unprivileged user may not start relics."""
        ensure_user()
        r = run(["setpriv", f"--reuid={USER}", f"--regid={USER}", "--clear-groups", "busctl",
                 "call", "org.tender.Agent1", PATH, IFACE, "StartRelic", "a{sv}", "3",
                 "relic_name", "s", "web", "session_id", "s", "rs8", "image", "s", WEB_IMAGE],
                check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("(polkit action org.tender.docker.manage)", r.stderr)
        self.assertEqual(docker("ps", "-aq", "--filter", "label=org.tender.session=rs8")
                         .stdout, "")


class DockerRelicCtlTest(RelicTestCase):
    def test_verbs(self):
        """tenderctl relic start, list, show, stop, rm; --json; errors; --help."""
        out = ctl("relic", "start", WEB_IMAGE, "--session", "rc1", "--name", "kv", "-e",
                  "A=b", "--memory", "64", "--cpus", "0.5")
        match = re.search(r"(relic_[0-9a-f]{16})", out.stdout)
        self.assertIsNotNone(match, out.stdout)
        rid = match.group(1)
        self.assertIn(f"http://relic_kv_rc1_{rid[6:14]}:8080", out.stdout)
        self.assertIn("running", out.stdout)
        container = json.loads(docker("ps", "-q", "--filter", f"label=org.tender.id={rid}",
                                      "--format", "{{json .ID}}").stdout)
        info = json.loads(docker("inspect", container).stdout)[0]
        self.assertIn("A=b", info["Config"]["Env"])
        self.assertEqual(info["HostConfig"]["Memory"], 64 * 1024 * 1024)
        out = ctl("relic", "start", WEB_IMAGE, "--session", "rc1", "--json")
        second = json.loads(out.stdout)
        self.assertEqual((second["relic_name"], second["status"]), ("web", "running"))
        out = ctl("relic", "list", "--session", "rc1")
        self.assertIn(rid, out.stdout)
        self.assertIn(second["relic_id"], out.stdout)
        self.assertNotIn(rid, ctl("relic", "list", "--session", "rc2").stdout)
        out = ctl("relic", "show", rid)
        self.assertIn("tender-session-rc1", out.stdout)
        self.assertIn("running", ctl("relic", "show", rid).stdout)
        self.assertIn("stopped", ctl("relic", "stop", rid).stdout)
        ctl("relic", "rm", rid)
        out = ctl("relic", "show", rid, check=False)
        self.assertEqual((out.returncode, out.stderr),
                         (1, f"tenderctl: Relic not found: {rid}\n"))
        out = ctl("relic", "start", BUSYBOX_IMAGE, "--session", "rc1", check=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("Member 'port' is required", out.stderr)
        out = ctl("relic", "start", WEB_IMAGE, "--port", "x", check=False)
        self.assertEqual(out.returncode, 2)
        self.assertTrue(out.stderr.startswith(
            "tenderctl: Invalid port 'x': expected a whole number\n"), out.stderr)
        out = ctl("relic", check=False)
        self.assertEqual(out.returncode, 2)
        self.assertIn("start, list, show, stop or rm", out.stderr)
        for verb in ("start", "list", "show", "stop", "rm"):
            out = ctl("relic", verb, "--help")
            self.assertIn(f"relic {verb}", out.stdout)
        self.assertIn("--health", ctl("relic", "start", "--help").stdout)

    def test_readme(self):
        """README's "Relics" examples, as they stand there."""
        self.token()
        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = re.split(r"\n##+ ", readme.split("\n### Relics\n", 1)[1])[0]
        commands = re.findall(r"```sh\n(.*?)```", section, re.S)
        script = "set -e\n" + "\n".join(commands)
        for tool in ("tenderctl", "busctl", "curl"):
            self.assertIn(tool, script)
        env = dict(os.environ, PATH=os.path.dirname(TENDERCTL) + ":" + os.environ["PATH"])
        out = subprocess.run(["bash", "-xc", script], capture_output=True, text=True,
                             timeout=180, env=env)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("ok\n", out.stdout)
        self.assertIn('"status" s "running"', out.stdout)
        self.assertEqual(len(docker("ps", "-q", "--filter", "label=org.tender.session=demo",
                                    "--filter", "label=org.tender.kind=relic")
                             .stdout.split()), 3)


if __name__ == "__main__":
    unittest.main()
