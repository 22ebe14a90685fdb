#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The D-Bus API as a user sees it: busctl, introspection, errors, access."""

import json
import os
import pwd
import subprocess
import unittest

from tenderlab import GLib, TenderTestCase, run

BUSCTL = ["busctl", "--system", "--json=short"]


class ApiTest(TenderTestCase):
    def test_busctl_introspect_and_call(self):
        out = run(["busctl", "introspect", "org.tender.Agent1", "/org/tender/Agent1"]).stdout
        for member in ("org.tender.Agent1.Manager", ".CreateWorkload", ".StartWorkload",
                       ".StopWorkload", ".KillWorkload", ".RemoveWorkload", ".ListWorkloads",
                       ".GetWorkload", ".WorkloadNew", ".WorkloadRemoved", ".Version"):
            self.assertIn(member, out)

        name = self.workload("busctl-made")
        mgr = ["org.tender.Agent1", "/org/tender/Agent1", "org.tender.Agent1.Manager"]
        reply = json.loads(run(BUSCTL + ["call", *mgr, "CreateWorkload", "sa{sv}a{sv}", name,
                                         "2", "argv", "as", "2", "sleep", "300",
                                         "memory_max", "t", "67108864", "0"]).stdout)
        self.assertEqual(reply["data"][0], "/org/tender/Agent1/workload/busctl_2dmade")
        run(BUSCTL + ["call", *mgr, "StartWorkload", "sa{sv}", name, "0"])
        listed = json.loads(run(BUSCTL + ["call", *mgr, "ListWorkloads"]).stdout)["data"][0]
        self.assertIn([name, "running", "tender-busctl-made.scope",
                       "/org/tender/Agent1/workload/busctl_2dmade"], listed)
        state = json.loads(run(BUSCTL + ["get-property", "org.tender.Agent1",
                                         "/org/tender/Agent1/workload/busctl_2dmade",
                                         "org.tender.Agent1.Workload", "State"]).stdout)
        self.assertEqual(state["data"], "running")
        # the scope is real: systemd knows it, in tender.slice
        show = run(["systemctl", "show", "-P", "Slice", "tender-busctl-made.scope"]).stdout
        self.assertEqual(show.strip(), "tender.slice")
        run(BUSCTL + ["call", *mgr, "RemoveWorkload", "sa{sv}", name, "1", "force", "b",
                      "true"])
        listed = json.loads(run(BUSCTL + ["call", *mgr, "ListWorkloads"]).stdout)["data"][0]
        self.assertNotIn(name, [w[0] for w in listed])

    def test_properties(self):
        name = self.workload("props")
        path = self.tender.create(name, argv=["sleep", "300"], description="a sleeper",
                                  labels={"team": "core"})
        p = self.tender.props(name)
        self.assertEqual(p["Name"], name)
        self.assertEqual(p["State"], "created")
        self.assertEqual(p["Unit"], "tender-props.scope")
        self.assertEqual(p["ControlGroup"], "")
        self.assertEqual(p["MainPID"], 0)
        self.assertEqual(p["ExitCode"], -1)
        self.assertEqual(p["ExitSignal"], 0)
        self.assertRegex(p["CreatedAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertEqual(p["StartedAt"], "")
        self.assertEqual(p["StoppedAt"], "")
        self.assertEqual(p["Command"], ["sleep", "300"])
        self.assertEqual(p["Spec"]["labels"], {"team": "core"})
        self.assertEqual(p["Spec"]["description"], "a sleeper")
        self.assertEqual(self.tender.path(name), path)
        self.tender.start(name)
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        self.assertRegex(p["StartedAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertEqual(p["ControlGroup"], "/tender.slice/tender-props.scope")
        desc = run(["systemctl", "show", "-P", "Description", "tender-props.scope"]).stdout
        self.assertEqual(desc.strip(), "a sleeper")

    def test_signals(self):
        """WorkloadNew, WorkloadRemoved and PropertiesChanged reach a subscriber, in order."""
        name = self.workload("signals")
        mon = subprocess.Popen(["busctl", "--system", "--json=short", "monitor",
                                "org.tender.Agent1"], stdout=subprocess.PIPE, text=True)
        try:
            # give the monitor a moment to install its match rules
            run(["busctl", "--system", "call", "org.freedesktop.DBus", "/org/freedesktop/DBus",
                 "org.freedesktop.DBus", "GetId"])
            import time
            time.sleep(0.5)
            self.tender.create(name, argv=["sh", "-c", "exit 3"])
            self.tender.start(name)
            self.tender.wait_state(name, "exited")
            self.tender.remove(name)
            time.sleep(0.5)
        finally:
            mon.terminate()
            out, _ = mon.communicate(timeout=10)
        events = []
        for line in out.splitlines():
            msg = json.loads(line)
            if msg.get("type") != "signal":
                continue
            if msg["member"] in ("WorkloadNew", "WorkloadRemoved"):
                events.append((msg["member"], msg["payload"]["data"][0]))
            elif msg["member"] == "PropertiesChanged":
                changed = msg["payload"]["data"][1]
                if "State" in changed:
                    events.append(("State", changed["State"]["data"]))
        self.assertEqual(events, [("WorkloadNew", name), ("State", "starting"),
                                  ("State", "running"), ("State", "exited"),
                                  ("WorkloadRemoved", name)])

    def test_non_root_is_refused_by_polkit(self):
        """The bus lets any local user call; polkit refuses one in no session by default."""
        if run(["id", "-u", "tenderlabuser"], check=False).returncode != 0:
            run(["useradd", "--system", "--no-create-home", "tenderlabuser"])
        self.addCleanup(run, ["userdel", "tenderlabuser"], check=False)
        uid = pwd.getpwnam("tenderlabuser").pw_uid
        mgr = ["org.tender.Agent1", "/org/tender/Agent1"]
        for method, sig, args in (("ListWorkloads", "", []),
                                  ("CreateWorkload", "sa{sv}a{sv}",
                                   ["evil", "1", "argv", "as", "1", "id", "0"])):
            r = subprocess.run(["busctl", "--system", "call", *mgr, "org.tender.Agent1.Manager",
                                method, *([sig] if sig else []), *args],
                               user=uid, capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("Not authorized to", r.stderr)
            self.assertIn("polkit", r.stderr)
        self.assertNotIn("evil", [w[0] for w in self.tender.list()])
        # what is public is not polkit's to decide
        r = subprocess.run(["busctl", "--system", "get-property", *mgr,
                            "org.tender.Agent1.Manager", "Version"],
                           user=uid, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith('s "'), r.stdout)

class ErrorTest(TenderTestCase):
    def test_invalid_specs(self):
        V = GLib.Variant
        cases = [
            ({}, "'argv' is required"),
            ({"argv": V("as", [])}, "'argv'"),
            ({"argv": V("as", [""])}, "'argv'"),
            ({"argv": V("s", "sleep 1")}, "'argv' must be of type 'as'"),
            ({"argv": V("as", ["true"]), "colour": V("s", "red")}, "Unknown spec key 'colour'"),
            ({"argv": V("as", ["true"]), "memory_max": V("s", "64M")}, "'memory_max'"),
            ({"argv": V("as", ["true"]), "memory_max": V("t", 0)}, "'memory_max'"),
            ({"argv": V("as", ["true"]), "memory_max": V("t", 2**64 - 1)}, "'memory_max'"),
            ({"argv": V("as", ["true"]), "cpu_quota_percent": V("u", 0)}, "'cpu_quota_percent'"),
            ({"argv": V("as", ["true"]), "cpu_quota_percent": V("u", 10**7)},
             "'cpu_quota_percent'"),
            ({"argv": V("as", ["true"]), "tasks_max": V("t", 0)}, "'tasks_max'"),
            ({"argv": V("as", ["true"]), "tasks_max": V("i", 5)}, "'tasks_max'"),
            ({"argv": V("as", ["true"]), "io_read_bandwidth_max": V("t", 0)},
             "'io_read_bandwidth_max'"),
            ({"argv": V("as", ["true"]), "io_write_bandwidth_max": V("t", 2**62)},
             "'io_write_bandwidth_max'"),
            ({"argv": V("as", ["true"]), "working_directory": V("s", "tmp")},
             "'working_directory'"),
            ({"argv": V("as", ["true"]), "env": V("as", ["NOVALUE"])}, "'env'"),
            ({"argv": V("as", ["true"]), "labels": V("as", ["x"])}, "'labels'"),
        ]
        for spec, needle in cases:
            with self.subTest(spec=str(spec)):
                err = self.assertDBusError("InvalidArgument", self.tender.create_raw, "bad", spec)
                self.assertIn(needle, err.message)
        self.assertNotIn("bad", [w[0] for w in self.tender.list()])

    def test_invalid_names(self):
        for name in ("", "-x", ".x", "a b", "a/b", "ä", "x" * 65, "a:b", "a\tb"):
            with self.subTest(name=name):
                err = self.assertDBusError("InvalidArgument", self.tender.create, name,
                                           argv=["true"])
                self.assertIn("name", err.message)
        self.assertDBusError("InvalidArgument", self.tender.start, "a b")

    def test_state_and_lookup_errors(self):
        name = self.workload("errs")
        self.tender.create(name, argv=["sleep", "300"])
        self.assertDBusError("AlreadyExists", self.tender.create, name, argv=["true"])
        self.assertDBusError("NotFound", self.tender.start, "no-such-workload")
        self.assertDBusError("NotFound", self.tender.path, "no-such-workload")
        self.assertDBusError("NotFound", self.tender.remove, "no-such-workload")
        self.assertDBusError("InvalidState", self.tender.stop, name)
        self.assertDBusError("InvalidState", self.tender.kill, name, 15)
        self.tender.start(name)
        self.assertDBusError("InvalidState", self.tender.start, name)
        self.assertDBusError("InvalidState", self.tender.remove, name)
        self.assertDBusError("InvalidArgument", self.tender.kill, name, 0)
        self.assertDBusError("InvalidArgument", self.tender.kill, name, 65)
        self.assertDBusError("InvalidArgument", self.tender.kill, name, -9)
        # unknown and mistyped options
        V = GLib.Variant
        self.assertDBusError("InvalidArgument", self.tender.call, "StopWorkload", "sa{sv}", name,
                             {"timeout": V("u", 1)})
        self.assertDBusError("InvalidArgument", self.tender.call, "StopWorkload", "sa{sv}", name,
                             {"timeout_sec": V("s", "1")})
        self.assertDBusError("InvalidArgument", self.tender.call, "StopWorkload", "sa{sv}", name,
                             {"timeout_sec": V("u", 999999)})
        self.assertDBusError("InvalidArgument", self.tender.call, "RemoveWorkload", "sa{sv}",
                             name, {"force": V("s", "yes")})
        self.assertDBusError("InvalidArgument", self.tender.call, "CreateWorkload",
                             "sa{sv}a{sv}", "other", {"argv": V("as", ["true"])},
                             {"bogus": V("b", True)})
        # nothing of that changed the running workload
        self.assertEqual(self.tender.prop(name, "State"), "running")

    def test_start_failures(self):
        missing = self.workload("no-such-cmd")
        self.tender.create(missing, argv=["/nonexistent/command", "arg"])
        err = self.assertDBusError("Failed", self.tender.start, missing)
        self.assertIn("No such file or directory", err.message)
        p = self.tender.props(missing)
        self.assertEqual(p["State"], "failed")
        self.assertEqual(p["Reason"], "exec: No such file or directory")
        self.assertEqual(p["MainPID"], 0)

        nodir = self.workload("no-such-dir")
        self.tender.create(nodir, argv=["true"], working_directory="/nonexistent/dir")
        err = self.assertDBusError("Failed", self.tender.start, nodir)
        self.assertIn("/nonexistent/dir", err.message)
        self.assertEqual(self.tender.prop(nodir, "State"), "failed")

        noperm = self.workload("not-executable")
        script = "/tmp/tender-not-executable"
        with open(script, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(script, 0o644)
        self.tender.create(noperm, argv=[script])
        err = self.assertDBusError("Failed", self.tender.start, noperm)
        self.assertIn("Permission denied", err.message)

        # no scope is left behind by a start that failed
        for unit in ("tender-no-such-cmd.scope", "tender-no-such-dir.scope",
                     "tender-not-executable.scope"):
            r = run(["systemctl", "is-active", unit], check=False)
            self.assertNotEqual(r.stdout.strip(), "active", unit)

    def test_bad_calls_do_not_hurt(self):
        """Wrong signatures and unknown methods are refused by name; tenderd keeps serving."""
        r = run(["busctl", "--system", "call", "org.tender.Agent1", "/org/tender/Agent1",
                 "org.tender.Agent1.Manager", "CreateWorkload", "s", "x"], check=False)
        self.assertNotEqual(r.returncode, 0)
        r = run(["busctl", "--system", "call", "org.tender.Agent1", "/org/tender/Agent1",
                 "org.tender.Agent1.Manager", "NoSuchMethod"], check=False)
        self.assertNotEqual(r.returncode, 0)
        r = run(["busctl", "--system", "get-property", "org.tender.Agent1",
                 "/org/tender/Agent1/workload/nothing", "org.tender.Agent1.Workload", "State"],
                check=False)
        self.assertNotEqual(r.returncode, 0)
        self.tender.list()

    def test_deeply_nested_import(self):
        """ImportWorkload refuses JSON nested deeper than 64 levels before it parses it; 400,000
        levels used to overflow tenderd's stack."""
        deep = 400000
        for text in ("[" * deep,
                     '{"format": "tender-workload/1", "name": "deep", "spec": {"argv": '
                     + "[" * deep + "]" * deep + "}}"):
            err = self.assertDBusError("InvalidArgument", self.tender.import_, text)
            self.assertEqual(err.message, "The workload to import is not valid JSON: it nests "
                             "deeper than the limit of 64 levels")
        self.assertNotIn("deep", [w[0] for w in self.tender.list()])

    def test_deeply_nested_import_by_anyone(self):
        """tenderd reads the JSON of ImportWorkload for polkit's details before polkit decides:
        a caller polkit refuses must not bring it down either."""
        if run(["id", "-u", "tenderlabuser"], check=False).returncode != 0:
            run(["useradd", "--system", "--no-create-home", "tenderlabuser"])
        self.addCleanup(run, ["userdel", "tenderlabuser"], check=False)
        script = ("from gi.repository import Gio, GLib\n"
                  "bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)\n"
                  "try:\n"
                  "    bus.call_sync('org.tender.Agent1', '/org/tender/Agent1',\n"
                  "                  'org.tender.Agent1.Manager', 'ImportWorkload',\n"
                  "                  GLib.Variant('(sa{sv})', ('[' * 400000, {})), None,\n"
                  "                  Gio.DBusCallFlags.NONE, 60000, None)\n"
                  "except GLib.Error as e:\n"
                  "    print(Gio.DBusError.get_remote_error(e))\n")
        r = subprocess.run(["python3", "-c", script], user=pwd.getpwnam("tenderlabuser").pw_uid,
                           capture_output=True, text=True, timeout=90)
        self.assertEqual(r.stdout.strip(), "org.tender.Agent1.Error.AccessDenied", r.stderr)


if __name__ == "__main__":
    unittest.main()
