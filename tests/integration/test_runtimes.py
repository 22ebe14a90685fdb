#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runtimes of plugins, against the real tenderd: the test plugin fakert registers the runtime
"fakert", whose runs run no process (tests/plugins/fakert.c).  A spec picks it with
"runtime"; its own keys are "x-fakert".  Workloads a plugin creates are its own."""

import json
import os
import sys
import unittest

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import tenderd_pid, wait_for  # noqa: E402
from test_http import curl  # noqa: E402
from test_plugins import PluginTestCase, restart_tenderd  # noqa: E402

FAKERT_PATH = "/org/tender/Agent1/plugin/fakert/service"
FAKERT_IFACE = "org.tender.Test.Fakert"
FAKERT_STATE = "/var/lib/tender/plugins/fakert"


def fakert(exit_after_ms=None, exit_code=None, **spec):
    """The spec keys of a workload in the runtime fakert."""
    x = {}
    if exit_after_ms is not None:
        x["exit_after_ms"] = GLib.Variant("u", exit_after_ms)
    if exit_code is not None:
        x["exit_code"] = GLib.Variant("i", exit_code)
    spec["runtime"] = GLib.Variant("s", "fakert")
    spec["x-fakert"] = GLib.Variant("a{sv}", x)
    return spec


class PluginRuntimeTest(PluginTestCase):
    def fakert(self, method, signature, *args):
        return self.tender.call(method, signature, *args, path=FAKERT_PATH, iface=FAKERT_IFACE)

    def test_plugin_is_active(self):
        self.assertEqual(self.plugins()["fakert"], ("0.1", "active"))

    def test_run_that_exits(self):
        name = self.workload("rt-exit")
        self.tender.create(name, argv=["anything"], **fakert(exit_after_ms=300, exit_code=7))
        props = self.tender.props(name)
        self.assertEqual(props["Spec"]["runtime"], "fakert")
        self.assertEqual(props["Spec"]["x-fakert"], {"exit_after_ms": 300, "exit_code": 7})
        self.assertEqual(props["Owner"], "")
        self.tender.start(name)
        props = self.tender.wait_state(name, ["exited"])
        self.assertEqual(props["Reason"], "exit-code: 7")
        self.assertEqual(props["ExitCode"], 7)
        self.assertEqual(props["MainPID"], 0)
        self.assertNotEqual(props["StartedAt"], "")
        self.assertNotEqual(props["StoppedAt"], "")
        # no scope, no cgroup: nothing of systemd was asked, and no unit is claimed
        self.assertEqual(props["ControlGroup"], "")
        self.assertEqual(props["Unit"], "")

    def test_run_until_stopped(self):
        name = self.workload("rt-long")
        self.tender.create(name, argv=["anything"], **fakert())
        self.tender.start(name)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        # the plugin's numbers; what it cannot do is NotSupported
        metrics = self.tender.call("GetMetrics", "s", name)[0]
        self.assertEqual(metrics["memory_bytes"], 1024 * 1024)
        self.assertEqual(metrics["cpu_usage_nsec"], 7000000)
        self.assertDBusError("NotSupported", self.tender.call, "PauseWorkload", "s", name)
        status, _, text = curl("POST", f"/v1/workloads/{name}/pause")
        self.assertEqual(status, 501, text)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        # a signal it ignores, then the stop
        self.tender.kill(name, 10)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        self.tender.stop(name)
        props = self.tender.props(name)
        self.assertEqual((props["State"], props["Reason"]), ("stopped", ""))

    def test_exec_and_volumes_not_supported(self):
        """A runtime without exec (fakert) cannot run commands in its workloads, and one
        without check_spec does not take volumes."""
        name = self.workload("rt-exec")
        self.tender.create(name, argv=["anything"], **fakert())
        self.tender.start(name)
        e = self.assertDBusError("NotSupported", self.tender.call, "ExecWorkload", "sasa{sv}",
                                 name, ["true"], {})
        self.assertIn("fakert", e.message)
        status, _, text = curl("POST", f"/v1/workloads/{name}/exec", {"argv": ["true"]})
        self.assertEqual(status, 501, text)
        e = self.assertDBusError("NotSupported", self.tender.create, self.workload("rt-vol"),
                                 argv=["anything"],
                                 volumes=GLib.Variant("a(ssb)", [("/tmp", "/data", False)]),
                                 **fakert())
        self.assertIn("volumes", e.message)

    def test_restart_policy(self):
        name = self.workload("rt-restart")
        self.tender.create(name, argv=["anything"], restart="on-failure", restart_max=2,
                           restart_delay_ms=100, **fakert(exit_after_ms=100, exit_code=3))
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "Reason") == "restart-limit",
                                 timeout=20), self.tender.props(name))
        props = self.tender.props(name)
        self.assertEqual(props["State"], "failed")
        self.assertEqual(props["RestartCount"], 2)
        self.assertEqual(props["ExitCode"], 3)

    def test_export_import(self):
        name = self.workload("rt-export")
        copy = self.workload("rt-copy")
        self.tender.create(name, argv=["anything"], **fakert(exit_after_ms=50, exit_code=1))
        exported = json.loads(self.tender.export(name))
        self.assertEqual(exported["spec"]["runtime"], "fakert")
        self.assertIn("x-fakert", exported["spec"])
        self.assertNotIn("owner", exported)
        self.tender.import_(json.dumps(exported), name=copy)
        self.assertEqual(self.tender.prop(copy, "Spec"), self.tender.prop(name, "Spec"))
        self.tender.start(copy)
        props = self.tender.wait_state(copy, ["exited"])
        self.assertEqual(props["ExitCode"], 1)

    def test_unknown_runtime(self):
        name = self.workload("rt-nope")
        err = self.assertDBusError("NotSupported", self.tender.create, name, argv=["true"],
                                   runtime=GLib.Variant("s", "nope"))
        self.assertIn("runtime 'nope'", err.message)
        self.assertIn("fakert", err.message)
        self.assertIn("scope", err.message)
        self.assertNotIn(name, [w[0] for w in self.tender.list()])
        text = json.dumps({"format": "tender-workload/1", "name": name,
                           "spec": {"argv": ["true"], "runtime": "nope"}})
        self.assertDBusError("NotSupported", self.tender.import_, text)
        status, _, text = curl("POST", "/v1/workloads",
                               {"name": name, "spec": {"argv": ["true"], "runtime": "nope"}})
        self.assertEqual(status, 501, text)
        self.assertEqual(json.loads(text)["error"]["name"],
                         "org.tender.Agent1.Error.NotSupported")
        self.assertNotIn(name, [w[0] for w in self.tender.list()])

    def test_plugins_own_what_they_create(self):
        own = self.workload("rt-owned")
        users = self.workload("rt-users")
        hellos = self.workload("rt-hellos")
        self.fakert("Create", "sas", own, ["anything"])
        props = self.tender.props(own)
        self.assertEqual((props["Owner"], props["Spec"]["runtime"]), ("fakert", "fakert"))
        self.assertEqual(json.loads(self.tender.export(own))["owner"], "fakert")
        self.fakert("Manage", "ss", "start", own)
        self.assertEqual(self.tender.prop(own, "State"), "running")
        # a workload of the users, and one of another plugin: not fakert's to manage
        self.tender.create(users, argv=["sleep", "1000"])
        self.tender.start(users)
        self.hello("Spawn", "sas", hellos, ["sleep", "1000"])
        self.assertEqual(self.tender.prop(hellos, "Owner"), "hello")
        for verb in ["stop", "kill", "remove", "start"]:
            err = self.assertDBusError("AccessDenied", self.fakert, "Manage", "ss", verb, users)
            self.assertIn("belongs to the users", err.message)
            err = self.assertDBusError("AccessDenied", self.fakert, "Manage", "ss", verb,
                                       hellos)
            self.assertIn("belongs to plugin 'hello'", err.message)
        self.assertEqual(self.tender.prop(users, "State"), "running")
        self.assertEqual(self.tender.prop(hellos, "State"), "running")
        # users manage any
        self.tender.stop(hellos)
        self.tender.stop(own)
        self.fakert("Manage", "ss", "remove", own)
        self.assertNotIn(own, [w[0] for w in self.tender.list()])
        # the view over HTTP is the same
        status, _, text = curl("GET", f"/v1/workloads/{hellos}")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["Owner"], "hello")

    def test_workloads_wait_for_their_runtime(self):
        """tenderd restarts before the plugin of a runtime is active: its workloads are kept,
        say why they cannot be reached, and are taken over once it is there."""
        running = self.workload("rt-wait")
        idle = self.workload("rt-idle")
        gone = self.workload("rt-gone")
        for name in [running, idle, gone]:
            self.tender.create(name, argv=["anything"], **fakert())
        self.tender.start(running)
        # three deferred probes: 1 + 2 + 4 s before it is active again
        with open(os.path.join(FAKERT_STATE, "defer"), "w") as f:
            f.write("3\n")
        restart_tenderd()
        self.tenderd_pid = tenderd_pid()
        self.assertTrue(self.plugins()["fakert"][1].startswith("deferred: "))
        props = self.tender.props(running)
        self.assertEqual((props["State"], props["Reason"]), ("running", "no-runtime: fakert"))
        self.assertEqual(self.tender.prop(idle, "Reason"), "no-runtime: fakert")
        err = self.assertDBusError("NotSupported", self.tender.start, idle)
        self.assertIn("runtime 'fakert'", err.message)
        self.assertDBusError("NotSupported", self.tender.stop, running)
        self.assertDBusError("NotSupported", self.tender.call, "GetMetrics", "s", running)
        self.tender.remove(gone)
        self.assertNotIn(gone, [w[0] for w in self.tender.list()])
        # the runtime comes: fakert cannot take over a run, so the run that was running ends
        self.assertTrue(wait_for(lambda: self.plugins()["fakert"] == ("0.1", "active"),
                                 timeout=30), self.plugins()["fakert"])
        props = self.tender.wait_state(running, ["failed"])
        self.assertEqual(props["Reason"], "lost: its runtime cannot take over runs")
        self.assertEqual(self.tender.prop(idle, "Reason"), "")
        self.tender.start(idle)
        self.assertEqual(self.tender.prop(idle, "State"), "running")

    def test_dbus_interface_has_owner(self):
        xml = self.tender.call("Introspect", "", path="/org/tender/Agent1",
                               iface="org.freedesktop.DBus.Introspectable")[0]
        self.assertIn("Workload", xml)
        name = self.workload("rt-introspect")
        self.tender.create(name, argv=["true"])
        xml = self.tender.call("Introspect", "", path=self.tender.path(name),
                               iface="org.freedesktop.DBus.Introspectable")[0]
        self.assertIn('<property type="s" name="Owner" access="read"', xml)



if __name__ == "__main__":
    unittest.main()
