#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Docker plugin's interface, org.tender.Agent1.Docker on /org/tender/Agent1/docker: tool
runs over D-Bus (a{sv}), over HTTP below /v1/docker/, and, with [plugin docker]
cortex-api=true, on seed 002's own paths with its bodies and answers; ToolFinished; and polkit
deciding who may read and who may run."""

import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dockerlab  # noqa: E402
from dockerlab import BUSYBOX_IMAGE, docker  # noqa: E402
from tenderlab import (DBusError, Gio, GLib, run, tenderd_pid,  # noqa: E402
                       tenderd_restart_settings, wait_for)
from test_docker_runtime import (CONF, DockerTestCase, restart_tenderd,  # noqa: E402
                                 write_file)
from test_docker_tools import containers_of, starts_of  # noqa: E402
from test_http import ROOT_TOKEN, TOKENS, curl  # noqa: E402
from test_polkit import USER, ensure_user  # noqa: E402

PATH = "/org/tender/Agent1/docker"
IFACE = "org.tender.Agent1.Docker"
# prints its parameters as the tool's JSON result, and what came on stdin to stderr
ECHO = ["/bin/sh", "-c", 'echo "{\\"got\\": $PARAMETERS}"; cat >&2']
# seed 002's result members, in its order (ToolExecutionResult)
CORTEX_RESULT = ["execution_id", "tool_name", "session_id", "status", "started_at",
                 "completed_at", "exit_code", "stdout", "stderr", "result", "container_id",
                 "execution_time_seconds", "memory_used_mb", "error"]


def request(**extra):
    req = {"tool_name": "echo", "session_id": "s1", "image": BUSYBOX_IMAGE,
           "command": GLib.Variant("as", ECHO),
           "parameters": GLib.Variant("a{sv}", {"n": GLib.Variant("x", 7)})}
    req.update(extra)
    return {k: v if isinstance(v, GLib.Variant) else GLib.Variant(
        {bool: "b", str: "s", int: "x"}[type(v)], v) for k, v in req.items()}


class DockerServiceTest(DockerTestCase):
    def setUp(self):
        super().setUp()
        # root's token for the TCP listener
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        fd = os.open(TOKENS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"{ROOT_TOKEN} 0\n")
        self.addCleanup(os.unlink, TOKENS)

    def call(self, method, signature, *args):
        return self.tender.call(method, signature, *args, path=PATH, iface=IFACE)

    def test_dbus(self):
        """ExecuteTool, GetTool, GetToolLogs, ListTools and CancelTool as a{sv}; ToolFinished."""
        finished = []
        sub = self.tender.bus.signal_subscribe(
            "org.tender.Agent1", IFACE, "ToolFinished", PATH, None, Gio.DBusSignalFlags.NONE,
            lambda *a: finished.append(a[5].unpack()))
        self.addCleanup(self.tender.bus.signal_unsubscribe, sub)
        tool = self.call("ExecuteTool", "a{sv}", request())[0]
        self.assertEqual((tool["status"], tool["exit_code"], tool["result"]),
                         ("completed", 0, {"got": {"n": 7}}), tool)
        self.assertTrue(tool["id"].startswith("exec_"))
        self.assertEqual(self.call("GetTool", "s", tool["id"])[0]["status"], "completed")
        out, err = self.call("GetToolLogs", "s", tool["id"])
        self.assertEqual((json.loads(out), json.loads(err)), ({"got": {"n": 7}}, {"n": 7}))
        ids = [t["id"] for t in self.call("ListTools", "s", "s1")[0]]
        self.assertIn(tool["id"], ids)
        self.assertEqual(self.call("ListTools", "s", "other")[0], [])
        context = GLib.MainContext.default()
        self.assertTrue(wait_for(lambda: (context.iteration(False), finished)[1], timeout=10))
        self.assertIn((tool["id"], "completed"), finished)
        # a tool that runs on, cancelled: its status says so, and it has no exit code
        tool = self.call("ExecuteTool", "a{sv}",
                         request(command=GLib.Variant("as", ["sleep", "60"]), wait=False))[0]
        self.call("CancelTool", "s", tool["id"])
        self.assertTrue(wait_for(lambda: self.call("GetTool", "s", tool["id"])[0]["status"]
                                 == "cancelled", timeout=20))
        self.assertNotIn("exit_code", self.call("GetTool", "s", tool["id"])[0])
        # errors by name
        with self.assertRaises(DBusError) as ctx:
            self.call("GetTool", "s", "exec_0000000000000000")
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.NotFound")
        with self.assertRaises(DBusError) as ctx:
            self.call("ExecuteTool", "a{sv}", request(tool_name=GLib.Variant("x", 3)))
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")
        self.assertIn("tool_name", ctx.exception.message)

    def test_http(self):
        """POST /v1/docker/tools (waiting, and not), GET one, its logs, the list, cancel."""
        body = {"tool_name": "echo", "session_id": "s2", "image": BUSYBOX_IMAGE,
                "command": ECHO, "parameters": {"file": "a.pdf"}}
        for unix, token in ((True, None), (False, ROOT_TOKEN)):
            status, hdrs, text = curl("POST", "/v1/docker/tools", body, unix=unix, token=token)
            self.assertEqual(status, 200, text)
            tool = json.loads(text)
            self.assertEqual((tool["status"], tool["result"]),
                             ("completed", {"got": {"file": "a.pdf"}}), tool)
        status, _, text = curl("GET", f"/v1/docker/tools/{tool['id']}")
        self.assertEqual((status, json.loads(text)["id"]), (200, tool["id"]), text)
        status, _, text = curl("GET", f"/v1/docker/tools/{tool['id']}/logs")
        self.assertEqual(json.loads(json.loads(text)["stderr"]), {"file": "a.pdf"}, text)
        status, _, text = curl("GET", "/v1/docker/tools?session_id=s2")
        self.assertEqual(len(json.loads(text)["tools"]), 2, text)
        # not waiting: 202 and the id, then the result
        status, _, text = curl("POST", "/v1/docker/tools",
                               dict(body, command=["sleep", "60"], wait=False))
        self.assertEqual(status, 202, text)
        tool = json.loads(text)
        status, _, text = curl("POST", f"/v1/docker/tools/{tool['id']}/cancel", {})
        self.assertEqual((status, json.loads(text)), (200, {"status": "cancelled",
                                                             "id": tool["id"]}), text)
        # errors: the mirror's
        status, _, text = curl("GET", "/v1/docker/tools/exec_0000000000000000")
        self.assertEqual(status, 404, text)
        status, _, text = curl("POST", "/v1/docker/tools", dict(body, image=7))
        self.assertEqual(status, 400, text)
        self.assertIn("image", json.loads(text)["error"]["message"])
        # the seed's paths are not served unless asked for
        self.assertEqual(curl("GET", "/containers/tool/x")[0], 404)

    def test_dockerd_stopped(self):
        """dockerd gone: a new run is Unavailable (503) at once, results kept are still
        served; dockerd back: runs again, without a restart of tenderd."""
        tool = self.call("ExecuteTool", "a{sv}", request())[0]
        dockerlab.stop_dockerd()
        self.addCleanup(dockerlab.start_with_images)
        self.assertTrue(wait_for(lambda: curl("POST", "/v1/docker/tools", {
            "tool_name": "t", "session_id": "s3", "image": BUSYBOX_IMAGE})[0] == 503,
            timeout=15))
        status, _, text = curl("POST", "/v1/docker/tools", {
            "tool_name": "t", "session_id": "s3", "image": BUSYBOX_IMAGE})
        error = json.loads(text)["error"]
        self.assertEqual(error["name"], "org.tender.Agent1.Error.Unavailable", text)
        self.assertIn("dockerd is not answering at /run/docker.sock", error["message"])
        with self.assertRaises(DBusError) as ctx:
            self.call("ExecuteTool", "a{sv}", request())
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.Unavailable")
        self.assertEqual(self.call("GetTool", "s", tool["id"])[0]["status"], "completed")
        dockerlab.start_with_images()
        self.assertTrue(wait_for(lambda: curl("POST", "/v1/docker/tools", {
            "tool_name": "t", "session_id": "s3", "image": BUSYBOX_IMAGE,
            "command": "true"})[0] == 200, timeout=30))

    def test_kill9_mid_tool(self):
        """A kill -9 of tenderd while a tool runs and another waits in the queue: the next
        tenderd adopts the running one (the same container, started once), runs the queued
        one, and both results are there, with ToolFinished."""
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(lambda: setattr(self, "tenderd_pid", restart_tenderd()))
        self.addCleanup(write_file, CONF, saved)
        write_file(CONF, f"{saved}\n[plugin docker]\nmax-concurrent=1\n")
        self.tenderd_pid = restart_tenderd()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))
        since = time.time() - 1
        slow = {"tool_name": "slow", "session_id": "k9", "image": BUSYBOX_IMAGE,
                "command": "sleep 3; echo '{\"slow\": 1}'", "wait": False}
        quick = dict(slow, tool_name="quick", command="echo '{\"quick\": 2}'")
        status, _, text = curl("POST", "/v1/docker/tools", slow)
        self.assertEqual(status, 202, text)
        running = json.loads(text)
        status, _, text = curl("POST", "/v1/docker/tools", quick)
        self.assertEqual(status, 202, text)
        queued = json.loads(text)
        self.assertEqual((running["status"], queued["status"]), ("running", "queued"))
        self.addCleanup(tenderd_restart_settings(1))
        old = self.tenderd_pid
        run(["systemctl", "kill", "-s", "KILL", "tenderd.service"])
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old), timeout=30))
        self.tenderd_pid = tenderd_pid()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))
        done = {}
        sub = self.tender.bus.signal_subscribe(
            "org.tender.Agent1", IFACE, "ToolFinished", PATH, None, Gio.DBusSignalFlags.NONE,
            lambda *a: done.__setitem__(*a[5].unpack()))
        self.addCleanup(self.tender.bus.signal_unsubscribe, sub)
        context = GLib.MainContext.default()
        self.assertTrue(wait_for(lambda: (context.iteration(False), len(done) == 2)[1],
                                 timeout=30), done)
        self.assertEqual(done, {running["id"]: "completed", queued["id"]: "completed"})
        results = {t["id"]: self.call("GetTool", "s", t["id"])[0] for t in (running, queued)}
        self.assertEqual(results[running["id"]]["container_id"], running["container_id"])
        self.assertEqual(results[running["id"]]["result"], {"slow": 1})
        self.assertEqual(results[queued["id"]]["result"], {"quick": 2})
        for t in (running, queued):
            self.assertEqual(starts_of(t["id"], since), 1, t["id"])
            self.assertTrue(wait_for(lambda: containers_of(t["id"]) == []), t["id"])

    def test_polkit(self):
        """An unprivileged user may not run tools, over D-Bus or HTTP."""
        ensure_user()
        r = run(["setpriv", f"--reuid={USER}", f"--regid={USER}", "--clear-groups", "busctl",
                 "call", "org.tender.Agent1", PATH, IFACE, "ListTools", "s", ""], check=False)
        self.assertIn("Not authorized to inspect Docker containers "
                      "(polkit action org.tender.docker.read)", r.stderr)
        self.assertNotEqual(r.returncode, 0)

    def test_cortex_api(self):
        """With cortex-api=true, seed 002's paths, bodies and answers."""
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(lambda: setattr(self, "tenderd_pid", restart_tenderd()))
        self.addCleanup(write_file, CONF, saved)
        write_file(CONF, f"{saved}\n[plugin docker]\ncortex-api=true\n")
        self.tenderd_pid = restart_tenderd()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))
        # the seed's example, as it stands (its image is ours)
        example = {"tool_name": "pdf_extractor", "session_id": "session_abc123",
                   "parameters": {"file": "document.pdf"}, "image": BUSYBOX_IMAGE,
                   "resource_limits": {"memory_mb": 512, "cpu_limit": 1.0,
                                       "timeout_seconds": 300},
                   "cleanup": True, "command": "echo '{\"ok\": true}'"}
        status, hdrs, text = curl("POST", "/containers/tool/execute", example, unix=False,
                                  token=ROOT_TOKEN)
        self.assertEqual(status, 200, text)
        result = json.loads(text)
        self.assertEqual(list(result), CORTEX_RESULT, text)
        self.assertEqual((result["status"], result["exit_code"], result["result"],
                          result["tool_name"], result["session_id"]),
                         ("success", 0, {"ok": True}, "pdf_extractor", "session_abc123"))
        eid = result["execution_id"]
        status, _, text = curl("GET", f"/containers/tool/{eid}")
        self.assertEqual((status, json.loads(text)["execution_id"]), (200, eid))
        status, _, text = curl("GET", f"/containers/tool/{eid}/logs")
        self.assertEqual(list(json.loads(text)), ["stdout", "stderr"], text)
        # the seed's errors, as FastAPI's
        status, _, text = curl("GET", "/containers/tool/nope")
        self.assertEqual((status, json.loads(text)),
                         (404, {"detail": "Execution not found: nope"}))
        status, _, text = curl("POST", f"/containers/tool/{eid}/cancel", {})
        self.assertEqual((status, json.loads(text)), (400, {
            "detail": f"Could not cancel execution: {eid} (not found or not running)"}))
        # its containers are gone (cleanup), and are tender's
        self.assertEqual(docker("ps", "-aq", "--filter", f"label=org.tender.id={eid}")
                         .stdout.split(), [])

    def test_cortex_api_deferred(self):
        """With cortex-api=true and no dockerd when tenderd starts, seed 002's paths answer
        503 as FastAPI would, naming dockerd, rather than 404; once dockerd is up, they are
        served, without a restart of tenderd."""
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(lambda: setattr(self, "tenderd_pid", restart_tenderd()))
        self.addCleanup(write_file, CONF, saved)
        self.addCleanup(dockerlab.start_with_images)
        dockerlab.stop_dockerd()
        write_file(CONF, f"{saved}\n[plugin docker]\ncortex-api=true\n")
        self.tenderd_pid = restart_tenderd()
        self.assertTrue(wait_for(lambda: (self.plugin_status() or "").startswith("deferred"),
                                 timeout=30), self.plugin_status())
        for method, path in (("GET", "/containers/tool/exec_0123456789abcdef"),
                             ("POST", "/containers/tool/execute")):
            status, _, text = curl(method, path, {} if method == "POST" else None)
            self.assertEqual(status, 503, text)
            self.assertRegex(json.loads(text)["detail"],
                             r"^Plugin docker is not serving yet: dockerd is not answering at "
                             r"/run/docker.sock")
        self.assertEqual(curl("GET", "/containersX/tool/1")[0], 404)
        dockerlab.start_with_images()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))
        status, _, text = curl("GET", "/containers/tool/exec_0123456789abcdef")
        self.assertEqual((status, json.loads(text)),
                         (404, {"detail": "Execution not found: exec_0123456789abcdef"}))


if __name__ == "__main__":
    unittest.main()
