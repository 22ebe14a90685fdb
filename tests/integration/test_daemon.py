#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tenderd's command line: --bus ADDRESS, --config, --state-dir, --version, bad options."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from tenderlab import Gio, GLib, vardict, SPEC_TYPES, run, wait_for

TENDERD = "/usr/sbin/tenderd"


class PrivateBusTest(unittest.TestCase):
    """A second tenderd on a private bus, with its own config and state dir."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tenderd-test-")
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                                    stdout=subprocess.PIPE, text=True)
        self.address = self.bus.stdout.readline().strip()
        self.tenderd = None

    def tearDown(self):
        if self.tenderd is not None:
            self.tenderd.terminate()
            self.assertEqual(self.tenderd.wait(timeout=10), 0)
        self.bus.terminate()
        self.bus.wait(timeout=10)
        self.bus.stdout.close()
        shutil.rmtree(self.tmp)

    def start_tenderd(self, *args):
        self.tenderd = subprocess.Popen([TENDERD, "--bus", self.address, *args])
        conn = Gio.DBusConnection.new_for_address_sync(
            self.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        for _ in range(200):
            owner = conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "NameHasOwner",
                                   GLib.Variant("(s)", ("org.tender.Agent1",)), None,
                                   Gio.DBusCallFlags.NONE, -1, None).unpack()[0]
            if owner:
                return conn
            self.assertIsNone(self.tenderd.poll(), "tenderd exited")
            time.sleep(0.05)
        self.fail("tenderd never took its name on the private bus")

    def call(self, conn, method, sig, *args):
        reply = conn.call_sync("org.tender.Agent1", "/org/tender/Agent1",
                               "org.tender.Agent1.Manager", method,
                               GLib.Variant(f"({sig})", args) if sig else None, None,
                               Gio.DBusCallFlags.NONE, 60000, None)
        return reply.unpack()

    def test_private_bus_config_and_state_dir(self):
        conf = os.path.join(self.tmp, "tenderd.conf")
        state_dir = os.path.join(self.tmp, "state")
        with open(conf, "w") as f:
            f.write("[daemon]\nmax-workloads=1\nstop-timeout-sec=3\n")
        conn = self.start_tenderd("--config", conf, "--state-dir", state_dir)
        spec = vardict({"argv": ["sh", "-c", "exit 4"]}, SPEC_TYPES)
        self.call(conn, "CreateWorkload", "sa{sv}a{sv}", "private-one", spec, {})
        # max-workloads=1 from the config file: a limit, named as one
        with self.assertRaises(GLib.Error) as ctx:
            self.call(conn, "CreateWorkload", "sa{sv}a{sv}", "private-two", spec, {})
        self.assertEqual(Gio.DBusError.get_remote_error(ctx.exception),
                         "org.tender.Agent1.Error.LimitReached")
        self.assertIn("max-workloads", ctx.exception.message)
        self.call(conn, "StartWorkload", "sa{sv}", "private-one", {})
        path = self.call(conn, "GetWorkload", "s", "private-one")[0]

        def state():
            return conn.call_sync("org.tender.Agent1", path, "org.freedesktop.DBus.Properties",
                                  "Get", GLib.Variant("(ss)", ("org.tender.Agent1.Workload",
                                                               "State")),
                                  None, Gio.DBusCallFlags.NONE, -1, None).unpack()[0]

        self.assertTrue(wait_for(lambda: state() == "exited"), f"still {state()}")
        # the shim wrote its exit record into the --state-dir
        record = os.path.join(state_dir, "exit", "private-one.json")
        with open(record) as f:
            self.assertEqual(json.load(f)["exit_code"], 4)
        # the main tenderd on the system bus knows nothing of it
        system = run(["busctl", "call", "org.tender.Agent1", "/org/tender/Agent1",
                      "org.tender.Agent1.Manager", "ListWorkloads"]).stdout
        self.assertNotIn("private-one", system)
        self.call(conn, "RemoveWorkload", "sa{sv}", "private-one", {})

    def test_bad_config_is_refused(self):
        conf = os.path.join(self.tmp, "bad.conf")
        with open(conf, "w") as f:
            f.write("[daemon]\nstop-timeout-sec=forever\n")
        r = run([TENDERD, "--bus", self.address, "--config", conf], check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("stop-timeout-sec=forever", r.stderr)
        r = run([TENDERD, "--bus", self.address, "--config", "/nonexistent.conf"], check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("/nonexistent.conf", r.stderr)


class CommandLineTest(unittest.TestCase):
    def test_version_and_help(self):
        r = run([TENDERD, "--version"])
        self.assertRegex(r.stdout, r"^tenderd \d+\.\d+\.\d+\n$")
        r = run([TENDERD, "--help"])
        for opt in ("--config", "--state-dir", "--bus", "--verbose"):
            self.assertIn(opt, r.stdout)

    def test_bad_usage(self):
        r = run([TENDERD, "--no-such-option"], check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--help", r.stderr)
        r = run([TENDERD, "stray"], check=False)
        self.assertEqual(r.returncode, 2)

    def test_second_instance_refuses(self):
        """A second tenderd cannot take the name from the running one and says so."""
        r = run([TENDERD], check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("another tenderd", r.stderr)


if __name__ == "__main__":
    unittest.main()
