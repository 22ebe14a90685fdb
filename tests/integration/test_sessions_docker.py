#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The sessions plugin on the docker backend: every case of test_sessions.py again, each
session a container of the lab's dockerd (dockerlab.py), plus what is the Docker backend's
own: its workload's spec, and a sandbox over its memory_limit OOM-killed, said so and
brought back by the health monitor."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dockerlab  # noqa: E402
from dockerlab import BUSYBOX_IMAGE, docker  # noqa: E402
from tenderlab import DBusError, GLib, wait_for  # noqa: E402
from test_sessions import (WORKSPACES, SessionExecTest, SessionsTest,  # noqa: E402
                           sandbox_sleeps, write_file)

def start_docker():
    """dockerd and its busybox image, for a class's sessions."""
    dockerlab.start_dockerd()
    try:
        dockerlab.build_images(web=False)
    except BaseException:
        dockerlab.stop_dockerd()
        raise


class SessionExecDockerTest(SessionExecTest):
    """Every case of SessionExecTest, each session a container of dockerd's."""
    INHERIT_CASES = True
    CONFIG = {"image": BUSYBOX_IMAGE, "backend": "docker"}
    USER_PREFIX = "dx"

    @classmethod
    def setUpClass(cls):
        start_docker()
        try:
            super().setUpClass()
        except BaseException:
            dockerlab.stop_dockerd()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            dockerlab.stop_dockerd()

    def setUp(self):
        super().setUp()
        self.assertTrue(wait_for(lambda: {n: s for n, _, s in self.tender.call(
            "ListPlugins", "")[0]}.get("docker") == "active", timeout=30))


class SessionsDockerTest(SessionsTest):
    # list-cases.py: SessionsTest's cases are this class's too
    INHERIT_CASES = True
    BACKEND = "docker"
    IMAGE = BUSYBOX_IMAGE

    @classmethod
    def setUpClass(cls):
        start_docker()
        try:
            super().setUpClass()
        except BaseException:
            dockerlab.stop_dockerd()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            dockerlab.stop_dockerd()

    def setUp(self):
        super().setUp()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30),
                        self.plugin_status())

    def plugin_status(self):
        return {n: s for n, _, s in self.tender.call("ListPlugins", "")[0]}.get("docker")

    def kill_sandbox(self, path):
        """Removes the sandbox's container from outside, as `docker rm -f` does."""
        docker("rm", "-f", "tender-" + self.describe(path)["workload"])

    def unrecoverable_session(self):
        """On docker: a session of an image of its own, container and image then removed."""
        docker("tag", BUSYBOX_IMAGE, "tender-test/doomed:latest")
        self.addCleanup(docker, "rmi", "-f", "tender-test/doomed:latest")
        path, _ = self.get("gus", "doom", image="tender-test/doomed:latest")

        def take_away():
            self.kill_sandbox(path)
            docker("rmi", "-f", "tender-test/doomed:latest")
        return path, take_away

    def test_docker_workload(self):
        """The sandbox is a container of dockerd's: the workload's spec, the workspace bound
        at /workspace (its working directory), the caller's env and user."""
        path, _ = self.get("mia", "dk", env=GLib.Variant("a{ss}", {"GREETING": "hi"}))
        spec = self.tender.props("session-mia-dk")["Spec"]
        self.assertEqual((spec["runtime"], spec["x-docker"]["image"],
                          spec["x-docker"]["workdir"]), ("docker", BUSYBOX_IMAGE, "/workspace"))
        self.assertIn((f"{WORKSPACES}/mia/dk", "/workspace", False), spec["volumes"])
        inspect = docker("inspect", "tender-session-mia-dk").stdout
        self.assertIn('"/workspace"', inspect)
        code, _, out, _ = self.exec_in(path, 'echo "$GREETING $(pwd)"')
        self.assertEqual((code, out), (0, "hi /workspace\n"))
        self.scall(path, "WriteFile", "saya{sv}", "from-dbus.txt", b"x", {})
        self.assertEqual(self.exec_in(path, "cat /workspace/from-dbus.txt")[2], "x")

    def test_memory_oom(self):
        """A sandbox over its memory_limit is OOM-killed; the session says so, and the
        health monitor brings it back."""
        path, _ = self.get("jo", "oom", memory_limit="32m")
        pid = self.describe(path)["main_pid"]
        # the sandbox's command first in line for the OOM killer
        for sleeper in sandbox_sleeps():
            write_file(f"/proc/{sleeper}/oom_score_adj", "1000")
        try:
            self.exec_in(path, "x=$(head -c 67108864 /dev/zero | tr '\\0' x); echo no")
        except DBusError:
            pass
        info = self.wait_recovered(path, pid)
        self.assertIn("OOM-killed", info["last_error"])
        self.assertIn(str(32 * 1024 * 1024), info["last_error"])
        self.assertEqual(self.exec_in(path, "echo back")[2], "back\n")


if __name__ == "__main__":
    unittest.main()
