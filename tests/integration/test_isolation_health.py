#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Health checks and ExecWorkload in isolated workloads: the command check of a standard or
strict workload runs inside it as ExecWorkload runs a command (its namespaces and root, so it
sees the image and not the host), is killed after timeout_sec and counted failed, and ends
with the run; an exec into a workload with an image gets the image's Env and WorkingDir
under the spec's, as the workload's own command does.  The images are busybox OCI layouts
from images.py, with a config of their own, in a store on tmpfs (test_isolation.py's)."""

import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
from test_exec import ExecTestCase, scope_procs  # noqa: E402
from test_health import HealthRecorder, alive  # noqa: E402
from test_isolation import CHECKOUT, ImageStoreMixin, IsolationCase  # noqa: E402
from tenderlab import wait_for  # noqa: E402

# the image's config: no Entrypoint or Cmd (the spec's argv runs as it is), an Env of its
# own, and /srv (which busybox_rootfs makes) as WorkingDir
APP_CONFIG = {
    "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "FOO=from-image", "BAR=from-image"],
    "WorkingDir": "/srv",
}
APP = "hc-app"
# in the image only (its second layer), not on the host
IMAGE_ONLY = "/" + images.LAYER2_FILE
# on the host only, not in the image
HOST_ONLY = os.path.join(CHECKOUT, "README.md")


def namespaces(pid):
    """The inodes of @pid's PID and mount namespaces."""
    return tuple(os.stat(f"/proc/{pid}/ns/{ns}").st_ino for ns in ("pid", "mnt"))


class AppImageMixin(ImageStoreMixin):
    """The store with APP: the busybox layout whose config is APP_CONFIG."""

    IMAGES = {APP: "app"}

    @classmethod
    def setUpClass(cls):
        cls.app_dir = tempfile.mkdtemp(prefix="tender-test-iso-health.")
        cls.app = images.busybox_oci(os.path.join(cls.app_dir, "app.tar"), config=APP_CONFIG)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.app_dir, ignore_errors=True)


class IsolatedHealthTest(AppImageMixin, IsolationCase):
    def setUp(self):
        super().setUp()
        self.health = HealthRecorder(self.tender)
        self.addCleanup(self.health.close)

    def start(self, name, check, isolation="strict", timeout_sec=5, retries=1):
        self.create(name, ["/bin/sleep", "300"], isolation=isolation, image=APP,
                    health={"command": ["sh", "-c", check], "interval_sec": 1,
                            "timeout_sec": timeout_sec, "retries": retries})
        self.tender.start(name)
        return self.tender.wait_state(name, "running")

    def test_check_sees_the_image_not_the_host(self):
        self.assertTrue(os.path.exists(HOST_ONLY))
        self.assertFalse(os.path.exists(IMAGE_ONLY))
        self.start("hc-image", f"test -f {IMAGE_ONLY}")
        self.start("hc-host", f"test -f {HOST_ONLY}")
        self.health.wait("hc-image", "healthy")
        self.health.wait("hc-host", "unhealthy")
        self.assertEqual(self.health.of("hc-image"), ["starting", "healthy"])
        self.assertEqual(self.health.of("hc-host"), ["starting", "unhealthy"])
        # the image's Env and WorkingDir, as the workload's command and an exec get them
        self.start("hc-env", 'test "$FOO" = from-image && test "$(pwd)" = /srv',
                   isolation="standard")
        self.health.wait("hc-env", "healthy")

    def sleeper(self, p, argv):
        """The host's PID of the process of @p's scope that runs @argv, or None."""
        for pid in scope_procs(p["ControlGroup"]):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if f.read().split(b"\0")[:-1] == [a.encode() for a in argv]:
                        return int(pid)
            except FileNotFoundError:
                pass
        return None

    def test_overrunning_check_is_killed_and_fails(self):
        name = "hc-hang"
        begun = time.monotonic()
        p = self.start(name, "exec sleep 301", timeout_sec=1, retries=2)
        self.assertTrue(wait_for(lambda: self.sleeper(p, ["sleep", "301"])))
        first = self.sleeper(p, ["sleep", "301"])
        # inside: in the workload's PID and mount namespaces
        self.assertEqual(namespaces(first), namespaces(p["MainPID"]))
        self.health.wait(name, "unhealthy", timeout=60)
        self.assertEqual(self.health.of(name), ["starting", "unhealthy"])
        # two checks, each killed after timeout_sec, interval_sec after the one before
        self.assertGreaterEqual(time.monotonic() - begun, 4)
        self.assertFalse(alive(first))
        self.assertEqual(self.tender.prop(name, "State"), "running")

    def test_check_under_way_when_the_run_ends(self):
        name = "hc-stopped"
        p = self.start(name, "exec sleep 302", timeout_sec=300)
        self.assertTrue(wait_for(lambda: self.sleeper(p, ["sleep", "302"])))
        check = self.sleeper(p, ["sleep", "302"])
        self.assertEqual(namespaces(check), namespaces(p["MainPID"]))
        self.tender.stop(name, timeout_sec=5)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Health"]), ("stopped", "none"))
        self.assertTrue(wait_for(lambda: not alive(check)))
        time.sleep(1.5)
        # no verdict came late (tearDown: tenderd is the same process)
        self.assertEqual(self.health.of(name), ["starting", "none"])


class IsolatedExecTest(AppImageMixin, IsolationCase, ExecTestCase):
    def run_app(self, name, **spec):
        self.create(name, ["/bin/sleep", "300"], isolation="standard", image=APP, **spec)
        self.tender.start(name)
        return self.tender.wait_state(name, "running")

    def out(self, name, script, **options):
        code, signo, out, err, _ = self.exec_(name, ["sh", "-c", script], **options)
        self.assertEqual((code, signo), (0, 0), err)
        return out.decode().splitlines()

    def test_image_env_and_working_directory(self):
        name = "hc-exec"
        p = self.run_app(name, env=["BAR=from-spec"])
        # the image's Env under the spec's env, its WorkingDir
        self.assertEqual(self.out(name, "echo $FOO $BAR; pwd"),
                         ["from-image from-spec", "/srv"])
        # just the environment of the workload's own command
        code, _, out, err, _ = self.exec_(name, ["cat", "/proc/self/environ"])
        self.assertEqual(code, 0, err)
        with open(f"/proc/{p['MainPID']}/environ", "rb") as f:
            self.assertEqual(sorted(out.split(b"\0")), sorted(f.read().split(b"\0")))
        # the call's env over both, and its working directory, even /
        self.assertEqual(self.out(name, "echo $FOO $BAR; pwd", env=["FOO=from-call"],
                                  working_directory="/"),
                         ["from-call from-spec", "/"])

    def test_spec_working_directory_wins(self):
        name = "hc-exec-wd"
        self.run_app(name, working_directory="/etc", env=["FOO=from-spec"])
        self.assertEqual(self.out(name, "echo $FOO $BAR; pwd"),
                         ["from-spec from-image", "/etc"])


if __name__ == "__main__":
    unittest.main()
