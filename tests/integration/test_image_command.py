#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What an image's config says to run: a workload with an image and no argv runs the image's
Entrypoint and Cmd, over D-Bus, HTTP and `tenderctl run --image` (without `--`), and its
Command shows it; an argv replaces the Cmd; a spec of which nothing says what to run is
refused at create (and at a start, once the image changed).  And a container's upper layer
never goes over another image of the same name: a start after a forced removal and another
import is refused, saying why, and the changes stay.

The images are busybox trees from images.py with configs of their own; the store and the
container directories are tmpfs, as test_isolation.py sets them up."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
import test_images  # noqa: E402
import test_isolation as isolation  # noqa: E402
from tenderlab import GLib, run, wait_for  # noqa: E402

TENDERCTL = isolation.TENDERCTL
CONTAINERS = f"{isolation.STATE}/containers"
CMD = ["sh", "-c", "echo from-cmd"]
# an image with a Cmd only, one with an Entrypoint and a Cmd (images.CONFIG), one with neither
CMD_CONFIG = {"Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": CMD}
CMD_IMAGE = "cmd-only"
ENTRYPOINT_IMAGE = "entrypoint"
BARE_IMAGE = "bare"


def variants(**spec):
    return {k: GLib.Variant("s", v) for k, v in spec.items()}


class ImageCommandTest(isolation.ImageStoreMixin, isolation.IsolationCase):
    IMAGES = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cmd_oci = images.busybox_oci(os.path.join(cls.tmp, "cmd-oci.tar"), CMD_CONFIG)
        cls.cmd_docker = images.docker_save(os.path.join(cls.tmp, "cmd-docker.tar"), CMD_CONFIG)
        cls.entrypoint = images.docker_save(os.path.join(cls.tmp, "entrypoint.tar"))
        images.import_image(CMD_IMAGE, cls.cmd_oci)
        images.import_image(ENTRYPOINT_IMAGE, cls.entrypoint)
        images.import_image(BARE_IMAGE, cls.tar)

    def create_from_image(self, name, image, isolation="standard", **spec):
        """CreateWorkload with @image and no argv (unless @spec gives one)."""
        return self.tender.create(self.workload(name), **variants(isolation=isolation,
                                                                  image=image), **spec)

    def logs(self, name):
        entries = self.tender.call("GetLogs", "sa{sv}", name,
                                   {"lines": GLib.Variant("u", 1000)})[0]
        return [e["message"] for e in entries]

    def assertLogged(self, name, line):
        self.assertTrue(wait_for(lambda: line in self.logs(name), timeout=15),
                        f"{name}: {self.logs(name)}")

    def import_again(self, name, path):
        """Replaces image @name, which no workload runs, by the archive at @path."""
        self.tender.call("RemoveImage", "sa{sv}", name, {"force": GLib.Variant("b", True)})
        images.import_image(name, path)

    def test_cmd_over_dbus(self):
        name = "cmd-dbus"
        self.create_from_image(name, CMD_IMAGE)
        p = self.tender.props(name)
        self.assertEqual(p["Command"], CMD)
        self.assertNotIn("argv", p["Spec"])
        self.tender.start(name)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        self.assertLogged(name, "from-cmd")
        # the spec, without argv, goes through an export and an import
        exported = self.tender.export(name)
        self.assertNotIn("argv", json.loads(exported)["spec"])
        self.tender.import_(exported, name=self.workload("cmd-dbus-copy"))
        self.assertEqual(self.tender.prop("cmd-dbus-copy", "Command"), CMD)

    def test_entrypoint_and_cmd(self):
        # the Entrypoint, then the Cmd; an argv replaces the Cmd, the Entrypoint stays
        name = "cmd-entrypoint"
        self.create_from_image(name, ENTRYPOINT_IMAGE, isolation="strict")
        self.assertEqual(self.tender.prop(name, "Command"),
                         images.CONFIG["Entrypoint"] + images.CONFIG["Cmd"])
        self.tender.start(name)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        self.assertLogged(name, "hello from the image")
        name = "cmd-entrypoint-argv"
        self.create_from_image(name, ENTRYPOINT_IMAGE, argv=["echo from-argv"])
        self.assertEqual(self.tender.prop(name, "Command"),
                         images.CONFIG["Entrypoint"] + ["echo from-argv"])
        self.tender.start(name)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        self.assertLogged(name, "from-argv")
        self.assertNotIn("hello from the image", self.logs(name))

    def test_argv_overrides_cmd(self):
        name = "cmd-argv"
        self.create_from_image(name, CMD_IMAGE, argv=["sh", "-c", "echo from-argv"])
        self.assertEqual(self.tender.prop(name, "Command"), ["sh", "-c", "echo from-argv"])
        self.tender.start(name)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        self.assertLogged(name, "from-argv")
        self.assertNotIn("from-cmd", self.logs(name))

    def test_cmd_over_http(self):
        name = self.workload("cmd-http")
        status, body = test_images.curl(
            "-X", "POST", "-H", "Content-Type: application/json", "--data",
            json.dumps({"name": name, "spec": {"isolation": "standard", "image": CMD_IMAGE}}),
            "http://localhost/v1/workloads")
        self.assertEqual(status, 201, body)
        self.assertEqual(json.loads(body)["Command"], CMD)
        status, body = test_images.curl("-X", "POST", f"http://localhost/v1/workloads/{name}/start")
        self.assertEqual(status, 200, body)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        self.assertLogged(name, "from-cmd")
        # neither argv nor anything of the image: 400, InvalidArgument
        status, body = test_images.curl(
            "-X", "POST", "-H", "Content-Type: application/json", "--data",
            json.dumps({"name": self.workload("cmd-http-bare"),
                        "spec": {"isolation": "standard", "image": BARE_IMAGE}}),
            "http://localhost/v1/workloads")
        self.assertEqual(status, 400, body)
        self.assertIn("give a command", body)

    def test_tenderctl_run_without_command(self):
        name = self.workload("cmd-ctl")
        out = run([TENDERCTL, "run", name, "--image", CMD_IMAGE], check=False)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        self.assertLogged(name, "from-cmd")
        out = run([TENDERCTL, "inspect", name])
        self.assertRegex(out.stdout, r"Command: sh -c 'echo from-cmd'\n")
        # a command after '--' replaces the Cmd
        name = self.workload("cmd-ctl-argv")
        out = run([TENDERCTL, "run", name, "--image", CMD_IMAGE, "--", "echo", "from-argv"],
                  check=False)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        self.assertLogged(name, "from-argv")
        # without --image the command is needed, as before; a command not after '--' is not
        # taken for one
        for args, words in ((["cmd-ctl-none"], "The command must follow '--'"),
                            (["cmd-ctl-none", "--image", CMD_IMAGE, "echo", "x"],
                             "The command must follow '--'"),
                            (["cmd-ctl-none", "--image", CMD_IMAGE, "--"],
                             "Missing the command after '--'")):
            out = run([TENDERCTL, "create", *args], check=False)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn(words, out.stderr)
        self.assertDBusError("NotFound", self.tender.props, "cmd-ctl-none")

    def test_no_command_refused(self):
        # at create, saying which workload and what to do
        e = self.assertDBusError("InvalidArgument", self.create_from_image, "cmd-none",
                                 BARE_IMAGE)
        self.assertIn("Workload 'cmd-none'", e.message)
        self.assertIn("give a command", e.message)
        self.assertDBusError("NotFound", self.tender.props, "cmd-none")
        # and without an image, argv is required as ever
        e = self.assertDBusError("InvalidArgument", self.tender.create,
                                 self.workload("cmd-none2"), **variants(isolation="standard"))
        self.assertEqual(e.message, "Spec key 'argv' is required")
        # at a start, once the image no longer says what to run
        name = "cmd-changed"
        image = self.image_of_its_own(name, self.cmd_oci)
        self.create_from_image(name, image)
        self.import_again(image, self.tar)
        e = self.assertDBusError("InvalidArgument", self.tender.start, name)
        self.assertIn(f"Workload '{name}'", e.message)
        self.assertIn("give a command", e.message)
        self.assertEqual(self.tender.prop(name, "State"), "created")

    def image_of_its_own(self, name, path):
        """@name imported from @path, removed after the test."""
        images.import_image(name, path)
        self.addCleanup(self.tender.call, "RemoveImage", "sa{sv}", name,
                        {"force": GLib.Variant("b", True)})
        return name

    def test_stale_upper_layer(self):
        name = "cmd-stale"
        image = self.image_of_its_own("stale", self.cmd_oci)
        old = test_images.sha256(self.cmd_oci)
        new = test_images.sha256(self.cmd_docker)
        self.assertNotEqual(old, new)
        self.create_from_image(name, image, argv=["/bin/sh", "-c",
                                                  "echo changed > /etc/motd; sleep 600"])
        self.tender.start(name)
        upper = f"{CONTAINERS}/{name}/upper"
        self.assertTrue(wait_for(lambda: os.path.exists(f"{upper}/etc/motd")))
        self.tender.stop(name, timeout_sec=5)
        self.tender.wait_state(name, "stopped")
        with open(f"{CONTAINERS}/{name}/image-digest") as f:
            self.assertEqual(f.read(), old + "\n")
        # the same config in another archive: another digest under the same name
        self.import_again(image, self.cmd_docker)
        e = self.assertDBusError("Failed", self.tender.start, name)
        for words in (f"Workload '{name}'", f"image '{image}' {old}", f"is {new} now",
                      f"{CONTAINERS}/{name}/upper",
                      "remove the workload and create it again"):
            self.assertIn(words, e.message)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"]), ("failed", e.message))
        # nothing was deleted, nor made anew
        with open(f"{upper}/etc/motd") as f:
            self.assertEqual(f.read(), "changed\n")
        with open(f"{CONTAINERS}/{name}/image-digest") as f:
            self.assertEqual(f.read(), old + "\n")
        # a workload made again runs over the new image
        self.tender.remove(name)
        self.assertTrue(wait_for(lambda: not os.path.exists(f"{CONTAINERS}/{name}")))
        self.create_from_image(name, image, argv=["/bin/sh", "-c", "cat /etc/motd || true"])
        self.tender.start(name)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        with open(f"{CONTAINERS}/{name}/image-digest") as f:
            self.assertEqual(f.read(), new + "\n")

    def test_digest_adopted(self):
        # a container directory made before tenderd kept digests takes the image's
        name = "cmd-adopt"
        self.create_from_image(name, CMD_IMAGE, argv=["/bin/sh", "-c", "echo run >> /runs"])
        self.tender.start(name)
        self.assertExited(self.tender.wait_state(name, ("exited", "failed")))
        digest = f"{CONTAINERS}/{name}/image-digest"
        os.unlink(digest)
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "State") == "exited"
                                 and os.path.exists(digest)))
        with open(digest) as f:
            self.assertEqual(f.read(), test_images.sha256(self.cmd_oci) + "\n")
        with open(f"{CONTAINERS}/{name}/upper/runs") as f:
            self.assertEqual(f.read(), "run\nrun\n")


if __name__ == "__main__":
    unittest.main()
