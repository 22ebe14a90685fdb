#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Docker plugin's stats and cleanups (issue 14 §4), against the real tenderd and the lab's
dockerd: the figures of a tender container (its memory limit as asked, its processes, the CPU
of a busy loop), of one and of all; cleanup of a session (its tools, relics and network) with
and without force, leaving another session's and foreign containers and networks alone; the
cleanup of unused networks; seed 002's paths and shapes; tenderctl docker stats and cleanup;
polkit refusing cleanups to an unprivileged user."""

import json
import os
import re
import secrets
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dockerlab import BUSYBOX_IMAGE, WEB_IMAGE, docker  # noqa: E402
from tenderlab import DBusError, run, wait_for  # noqa: E402
from test_docker_runtime import (CHECKOUT, CONF, TENDERCTL, DockerTestCase,  # noqa: E402
                                 ctl, restart_tenderd, write_file)
from test_http import ROOT_TOKEN, TOKENS, curl  # noqa: E402
from test_polkit import USER, ensure_user  # noqa: E402

PATH = "/org/tender/Agent1/docker"
IFACE = "org.tender.Agent1.Docker"
MIB = 1024 * 1024
BUSY = "while :; do :; done"
# seed 002's ContainerStats and SessionCleanupResult, members in its order
CORTEX_STATS = ["container_id", "name", "status", "running", "cpu_percent", "memory_used_mb",
                "memory_limit_mb", "memory_percent", "network_rx_mb", "network_tx_mb",
                "disk_read_mb", "disk_write_mb", "created_at", "started_at"]
CORTEX_CLEANUP = ["session_id", "containers_removed", "networks_removed", "volumes_removed",
                  "errors"]
STATS = ["id", "kind", "session_id", "container_id", "name", "status", "running",
         "cpu_percent", "memory_usage_bytes", "memory_limit_bytes", "memory_percent",
         "network_rx_bytes", "network_tx_bytes", "block_read_bytes", "block_write_bytes",
         "pids", "created_at", "started_at"]
FOREIGN = "tender-test-foreign"


def labels(**kv):
    out = []
    for key, value in kv.items():
        out += ["--label", f"org.tender.{key}={value}"]
    return out


def network_names():
    return docker("network", "ls", "--format", "{{.Name}}").stdout.split()


def session_containers(session):
    return docker("ps", "-aq", "--filter", "label=org.tender.owner=tender",
                  "--filter", f"label=org.tender.session={session}").stdout.split()


class DockerStatsTest(DockerTestCase):
    def setUp(self):
        super().setUp()
        self.made = []  # (kind, name) made by hand, removed before tearDown's check
        self.running = []  # tools to cancel before it

    def tearDown(self):
        for tool_id in self.running:
            curl("POST", f"/v1/docker/tools/{tool_id}/cancel", {})
        for kind, name in reversed(self.made):
            if kind == "container":
                docker("rm", "-f", name, check=False)
            else:
                docker("network", "rm", name, check=False)
        super().tearDown()

    def call(self, method, signature, *args):
        return self.tender.call(method, signature, *args, path=PATH, iface=IFACE)

    def tool(self, session, command, wait=False, **extra):
        """A tool run over HTTP: its record (once its container runs, without wait)."""
        body = {"tool_name": "t", "session_id": session, "image": BUSYBOX_IMAGE,
                "command": ["sh", "-c", command], "wait": wait}
        body.update(extra)
        status, _, text = curl("POST", "/v1/docker/tools", body)
        self.assertIn(status, (200, 202), text)
        tool = json.loads(text)
        if not wait:
            self.assertTrue(wait_for(lambda: self.get_tool(tool["id"]).get("container_id")
                                     and self.get_tool(tool["id"])["status"] == "running",
                                     timeout=30), tool)
            tool = self.get_tool(tool["id"])
        return tool

    def get_tool(self, tool_id):
        return json.loads(curl("GET", f"/v1/docker/tools/{tool_id}")[2])

    def network(self, name, tender=True, session=None):
        args = labels(owner="tender", kind="network", session=session or name) if tender else []
        docker("network", "create", *args, name)
        self.made.append(("network", name))

    def relic(self, session):
        """A relic's container as the relics engine makes it, on its session's network, which
        tenderd adopts when it starts: its id."""
        relic_id = "relic_" + secrets.token_hex(8)
        name = f"relic_web_{session}_{relic_id[6:14]}"
        network = f"tender-session-{session}"
        if network not in network_names():
            self.network(network, session=session)
        docker("run", "-d", "--name", name, "--network", network, "--network-alias", name,
               *labels(owner="tender", kind="relic", session=session, id=relic_id, relic="web",
                       port="8080"), WEB_IMAGE)
        self.made.append(("container", name))
        return relic_id

    def foreign(self, *extra, name=FOREIGN):
        """A container tender did not make (no owner label)."""
        docker("run", "-d", "--name", name, *extra, BUSYBOX_IMAGE, "sleep", "600")
        self.made.append(("container", name))

    def restart(self):
        self.tenderd_pid = restart_tenderd()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))

    def test_stats(self):
        """A busy tool's figures: its memory limit as asked, its processes, its CPU; one by
        tender id, container name or id, and all; NotFound for unknown and foreign ones."""
        self.foreign()
        tool = self.tool("st1", BUSY, resource_limits={"memory_mb": 96, "cpu_limit": 1.0,
                                                       "timeout_seconds": 120})
        self.running.append(tool["id"])
        stats = self.call("GetStats", "s", tool["id"])[0]
        self.assertEqual(len(stats), 1, stats)
        one = stats[0]
        self.assertEqual((one["id"], one["kind"], one["session_id"], one["container_id"],
                          one["status"], one["running"]),
                         (tool["id"], "tool", "st1", tool["container_id"], "running", True))
        self.assertEqual(one["memory_limit_bytes"], 96 * MIB)
        self.assertGreaterEqual(one["pids"], 1)
        self.assertGreater(one["memory_usage_bytes"], 0)
        # a busy loop on one CPU: near 100%, well above 0
        self.assertGreater(one["cpu_percent"], 20.0, one)
        self.assertLess(one["cpu_percent"], 150.0, one)
        self.assertAlmostEqual(one["memory_percent"],
                               one["memory_usage_bytes"] * 100.0 / one["memory_limit_bytes"])
        # by its container's name and id, over HTTP: every member, in order
        name = one["name"]
        for key in (name, tool["container_id"], tool["container_id"][:12]):
            status, _, text = curl("GET", f"/v1/docker/stats/{key}")
            self.assertEqual(status, 200, text)
            self.assertEqual(list(json.loads(text)), STATS, text)
            self.assertEqual(json.loads(text)["id"], tool["id"])
        # all: tender's containers, and no foreign one
        status, _, text = curl("GET", "/v1/docker/stats")
        self.assertEqual(status, 200, text)
        names = [c["name"] for c in json.loads(text)["containers"]]
        self.assertIn(name, names)
        self.assertNotIn(FOREIGN, names)
        self.assertIn(tool["id"], [s.get("id") for s in self.call("GetStats", "s", "")[0]])
        # unknown, foreign, not an id
        for key in ("exec_0000000000000000", "relic_0000000000000000", "no-such-container",
                    FOREIGN):
            with self.assertRaises(DBusError) as ctx:
                self.call("GetStats", "s", key)
            self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.NotFound", key)
            self.assertEqual(curl("GET", f"/v1/docker/stats/{key}")[0], 404, key)
        with self.assertRaises(DBusError) as ctx:
            self.call("GetStats", "s", "../x")
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")

    def test_cleanup_session(self):
        """Without force, what runs is left and said; with force, the session's tools, relics
        and network go; another session's, and foreign containers and networks, stay."""
        relic_a = self.relic("cl_a")
        relic_b = self.relic("cl_b")
        # a foreign container that says it is of the session, on a foreign network
        self.network("tender-test-foreign-net", tender=False)
        self.foreign("--network", "tender-test-foreign-net",
                     "--label", "org.tender.session=cl_a")
        self.restart()
        kept = self.tool("cl_a", "true", wait=True, cleanup=False)
        self.assertEqual(kept["status"], "completed")
        running = self.tool("cl_a", "sleep 600")
        other = self.tool("cl_b", "true", wait=True)
        result = self.call("CleanupSession", "sb", "cl_a", False)[0]
        self.assertEqual(result["session_id"], "cl_a")
        self.assertEqual(result["tools_removed"], [kept["id"]], result)
        self.assertEqual(result["containers_removed"], [kept["container_id"]], result)
        self.assertEqual(result["relics_removed"], [], result)
        self.assertEqual(result["networks_removed"], [], result)
        self.assertEqual(sorted(result["left"]),
                         sorted([running["id"], relic_a, "tender-session-cl_a"]), result)
        self.assertTrue(any(running["id"] in e and "force" in e for e in result["errors"]),
                        result)
        self.assertNotIn(kept["container_id"][:12], docker("ps", "-aq").stdout)
        self.assertEqual(self.get_tool(running["id"])["status"], "running")
        self.assertEqual(len(session_containers("cl_a")), 2)
        # with force: everything of cl_a
        result = self.call("CleanupSession", "sb", "cl_a", True)[0]
        self.assertEqual((result["tools_removed"], result["relics_removed"],
                          result["networks_removed"], result["left"], result["errors"]),
                         ([running["id"]], [relic_a], ["tender-session-cl_a"], [], []), result)
        self.assertEqual(session_containers("cl_a"), [])
        self.assertNotIn("tender-session-cl_a", network_names())
        with self.assertRaises(DBusError) as ctx:
            self.call("GetTool", "s", running["id"])
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.NotFound")
        # cl_b, and the foreign container and network, are there still
        self.assertEqual(len(session_containers("cl_b")), 1)
        self.assertIn("tender-session-cl_b", network_names())
        self.assertIn("tender-test-foreign-net", network_names())
        self.assertIn(FOREIGN, docker("ps", "--format", "{{.Names}}").stdout.split())
        self.assertEqual(self.get_tool(other["id"])["status"], "completed")
        # over HTTP, cl_b's; and a bad session id
        status, _, text = curl("POST", "/v1/docker/cleanup/session",
                               {"session_id": "cl_b", "force": True})
        self.assertEqual(status, 200, text)
        result = json.loads(text)
        self.assertEqual((result["relics_removed"], result["tools_removed"],
                          result["networks_removed"]),
                         ([relic_b], [other["id"]], ["tender-session-cl_b"]), text)
        with self.assertRaises(DBusError) as ctx:
            self.call("CleanupSession", "sb", "../x", True)
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")
        for body in ({"force": True}, {"session_id": 3}, {"session_id": "a", "force": "yes"},
                     {"session_id": "a", "everything": True}):
            status, _, text = curl("POST", "/v1/docker/cleanup/session", body)
            self.assertEqual(status, 400, text)

    def test_cleanup_networks(self):
        """Only tender's networks that no container uses go; one a stopped container is
        connected to stays, and so does a foreign one."""
        self.network("tender-session-n1")
        self.network("tender-session-n2")
        self.network("tender-test-foreign-unused", tender=False)
        docker("create", "--name", "tender-test-n2-user", "--network", "tender-session-n2",
               *labels(owner="tender", kind="relic", session="n2"), BUSYBOX_IMAGE, "true")
        self.made.append(("container", "tender-test-n2-user"))
        status, _, text = curl("POST", "/v1/docker/cleanup/networks", {})
        self.assertEqual(status, 200, text)
        result = json.loads(text)
        self.assertIn("tender-session-n1", result["networks_removed"], text)
        self.assertNotIn("tender-session-n2", result["networks_removed"], text)
        self.assertIn("tender-session-n2", result["left"], text)
        self.assertEqual(result["errors"], [])
        names = network_names()
        self.assertNotIn("tender-session-n1", names)
        self.assertIn("tender-session-n2", names)
        self.assertIn("tender-test-foreign-unused", names)
        docker("rm", "tender-test-n2-user")
        result = self.call("CleanupNetworks", "")[0]
        self.assertIn("tender-session-n2", result["networks_removed"], result)
        self.assertIn("tender-test-foreign-unused", network_names())

    def test_cortex_api(self):
        """With cortex-api=true, seed 002's stats and cleanup paths, shapes and errors."""
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(lambda: setattr(self, "tenderd_pid", restart_tenderd()))
        self.addCleanup(write_file, CONF, saved)
        write_file(CONF, f"{saved}\n[plugin docker]\ncortex-api=true\n")
        self.restart()
        # root's token, for the TCP listener
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        with open(TOKENS, "w", opener=lambda path, flags: os.open(path, flags, 0o600)) as f:
            f.write(f"{ROOT_TOKEN} 0\n")
        self.addCleanup(os.unlink, TOKENS)
        tool = self.tool("cx", "sleep 600", resource_limits={"memory_mb": 64})
        kept = self.tool("cx", "true", wait=True, cleanup=False)
        self.network("tender-session-cx-unused", session="cx-unused")
        status, _, text = curl("GET", "/containers/stats", unix=False, token=ROOT_TOKEN)
        self.assertEqual(status, 200, text)
        stats = json.loads(text)
        self.assertIsInstance(stats, list)
        self.assertEqual(list(stats[0]), CORTEX_STATS, text)
        status, _, text = curl("GET", f"/containers/stats/{tool['container_id']}")
        self.assertEqual(status, 200, text)
        one = json.loads(text)
        self.assertEqual(list(one), CORTEX_STATS, text)
        self.assertEqual((one["container_id"], one["status"], one["running"],
                          one["memory_limit_mb"]),
                         (tool["container_id"], "running", True, 64.0), text)
        self.assertRegex(one["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$")
        status, _, text = curl("GET", "/containers/stats/nope")
        self.assertEqual((status, json.loads(text)),
                         (404, {"detail": "Container not found or no stats available: nope"}))
        # cleanup: without force (the seed's default) the running tool is left, in errors
        status, _, text = curl("POST", "/containers/cleanup/session", {"session_id": "cx"})
        self.assertEqual(status, 200, text)
        result = json.loads(text)
        self.assertEqual(list(result), CORTEX_CLEANUP, text)
        self.assertEqual((result["session_id"], result["containers_removed"],
                          result["networks_removed"], result["volumes_removed"]),
                         ("cx", 1, 0, 0), text)
        self.assertEqual(len(result["errors"]), 1, text)
        self.assertIn(tool["id"], result["errors"][0])
        status, _, text = curl("POST", "/containers/cleanup/session",
                               {"session_id": "cx", "force": True})
        self.assertEqual(json.loads(text)["containers_removed"], 1, text)
        self.assertEqual(session_containers("cx"), [])
        self.assertNotIn(kept["container_id"][:12], docker("ps", "-aq").stdout)
        status, _, text = curl("POST", "/containers/cleanup/session", {"force": True})
        self.assertEqual((status, json.loads(text)),
                         (422, {"detail": "Member 'session_id' is required"}))
        status, _, text = curl("POST", "/containers/cleanup/all-networks", {})
        self.assertEqual(status, 200, text)
        result = json.loads(text)
        self.assertEqual(list(result), ["status", "networks_removed"], text)
        self.assertEqual(result["status"], "completed")
        self.assertGreaterEqual(result["networks_removed"], 1, text)
        self.assertNotIn("tender-session-cx-unused", network_names())

    def test_polkit(self):
        """An unprivileged user may not clean up (manage), over D-Bus."""
        ensure_user()
        for args in (["CleanupSession", "sb", "s1", "true"], ["CleanupNetworks"]):
            r = run(["setpriv", f"--reuid={USER}", f"--regid={USER}", "--clear-groups",
                     "busctl", "call", "org.tender.Agent1", PATH, IFACE, *args], check=False)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("(polkit action org.tender.docker.manage)", r.stderr)

    def test_tenderctl(self):
        """tenderctl docker stats [ID] [--json] and docker cleanup --session/--networks."""
        tool = self.tool("ctl_s", BUSY, resource_limits={"memory_mb": 80})
        kept = self.tool("ctl_s", "true", wait=True, cleanup=False)
        out = ctl("docker", "stats")
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["CONTAINER", "NAME", "KIND", "ID", "CPU", "%",
                                            "MEM", "USAGE", "/", "LIMIT", "MEM", "%",
                                            "NET", "I/O", "BLOCK", "I/O", "PIDS"], out.stdout)
        row = [line for line in lines if tool["id"] in line]
        self.assertEqual(len(row), 1, out.stdout)
        self.assertIn(" / 80M ", row[0])
        self.assertTrue(row[0].startswith(tool["container_id"][:12]), row[0])
        one = json.loads(ctl("--json", "docker", "stats", tool["id"]).stdout)
        self.assertEqual(len(one), 1)
        self.assertEqual((one[0]["id"], one[0]["memory_limit_bytes"]), (tool["id"], 80 * MIB))
        out = ctl("docker", "stats", "exec_0000000000000000", check=False)
        self.assertEqual((out.returncode, out.stderr),
                         (1, "tenderctl: No tool run exec_0000000000000000\n"))
        out = ctl("docker", "cleanup", "--session", "ctl_s")
        self.assertIn(f"left: {tool['id']}", out.stdout)
        self.assertIn(f"removed tool {kept['id']}", out.stdout)
        out = ctl("--json", "docker", "cleanup", "--session", "ctl_s", "--force")
        result = json.loads(out.stdout)
        self.assertEqual(result["tools_removed"], [tool["id"]], out.stdout)
        self.assertEqual(session_containers("ctl_s"), [])
        self.network("tender-session-ctl-unused")
        out = ctl("docker", "cleanup", "--networks")
        self.assertIn("removed network tender-session-ctl-unused", out.stdout)
        # usage
        for args, message in ((("docker",), "'docker' needs a verb: stats or cleanup"),
                              (("docker", "cleanup"), "needs --session ID or --networks"),
                              (("docker", "cleanup", "--networks", "--session", "a"),
                               "either --session ID or --networks"),
                              (("docker", "cleanup", "--networks", "--force"),
                               "--force is for --session"),
                              (("docker", "stats", "a", "b"), "at most one")):
            out = ctl(*args, check=False)
            self.assertEqual(out.returncode, 2, out.stderr)
            self.assertIn(message, out.stderr)
        for verb in ("stats", "cleanup"):
            out = ctl("docker", verb, "--help")
            self.assertIn(f"docker {verb}", out.stdout)

    def test_readme(self):
        """README's "Stats and cleanup" examples, as they stand there: its sh blocks, run in
        order by bash with this build's tenderctl first on PATH."""
        readme = open(os.path.join(CHECKOUT, "README.md")).read()
        section = re.split(r"\n##+ ", readme.split("\n### Stats and cleanup\n", 1)[1])[0]
        script = "\n".join(["set -e", *re.findall(r"```sh\n(.*?)```", section, re.S)])
        self.assertTrue(all(word in script for word in ("tenderctl", "busctl", "curl")))
        path = f"{os.path.dirname(TENDERCTL)}:{os.environ['PATH']}"
        out = subprocess.run(["bash", "-xc", script], env={**os.environ, "PATH": path},
                             capture_output=True, text=True, timeout=180)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertRegex(out.stdout, r"left: exec_[0-9a-f]{16}")
        self.assertEqual(session_containers("demo"), [])

if __name__ == "__main__":
    unittest.main()
