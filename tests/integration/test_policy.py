#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Restart policy, max_runtime_sec, OOMKilled, WorkloadStateChanged, export and import."""

import json
import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import StateRecorder, TenderTestCase, wait_for  # noqa: E402


class PolicyTestCase(TenderTestCase):
    def setUp(self):
        super().setUp()
        self.events = StateRecorder(self.tender)
        self.addCleanup(self.events.close)


class RestartTest(PolicyTestCase):
    def test_on_failure_until_the_limit(self):
        name = self.workload("r-failing")
        self.tender.create(name, argv=["sh", "-c", "exit 3"], restart="on-failure",
                           restart_max=2, restart_delay_ms=50)
        self.tender.start(name)
        transitions = self.events.wait(name, "failed")
        exited = ("running", "exited", "exit-code: 3")
        again = [("exited", "starting", ""), ("starting", "running", "")]
        self.assertEqual(transitions,
                         [("created", "starting", ""), ("starting", "running", ""),
                          exited, *again, exited, *again,
                          ("running", "failed", "restart-limit")])
        p = self.tender.props(name)
        self.assertEqual(p["State"], "failed")
        self.assertEqual(p["Reason"], "restart-limit")
        self.assertEqual(p["RestartCount"], 2)
        self.assertEqual(p["ExitCode"], 3)
        # a StartWorkload starts counting again
        self.tender.start(name)
        self.events.wait(name, "failed", count=2)
        self.assertEqual(self.tender.prop(name, "RestartCount"), 2)

    def test_on_failure_leaves_success_alone(self):
        name = self.workload("r-fine")
        self.tender.create(name, argv=["true"], restart="on-failure", restart_delay_ms=10)
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        time.sleep(0.5)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["RestartCount"]), ("exited", 0))

    def test_on_failure_restarts_after_a_signal(self):
        name = self.workload("r-killed")
        self.tender.create(name, argv=["sleep", "300"], restart="on-failure", restart_delay_ms=10)
        self.tender.start(name)
        pid = self.tender.prop(name, "MainPID")
        self.tender.kill(name, signal.SIGKILL)
        self.events.wait(name, "running", count=2)
        p = self.tender.props(name)
        self.assertEqual(p["RestartCount"], 1)
        self.assertNotEqual(p["MainPID"], pid)
        self.assertEqual(p["ControlGroup"], f"/tender.slice/tender-{name}.scope")

    def test_always_with_backoff(self):
        name = self.workload("r-always")
        stamps = self.tmpfile(f"{name}.starts")
        self.tender.create(name, argv=["sh", "-c", f"date +%s.%N >> {stamps}"],
                           restart="always", restart_max=3, restart_delay_ms=200)
        self.tender.start(name)
        self.events.wait(name, "failed", timeout=60)
        p = self.tender.props(name)
        self.assertEqual((p["Reason"], p["RestartCount"]), ("restart-limit", 3))
        with open(stamps) as f:
            starts = [float(line) for line in f]
        self.assertEqual(len(starts), 4)
        # each restart waits at least twice as long as the one before: 200, 400, 800 ms
        for i, delay in enumerate((0.2, 0.4, 0.8)):
            self.assertGreaterEqual(starts[i + 1] - starts[i], delay)

    def test_stop_is_never_undone(self):
        name = self.workload("r-stopped")
        self.tender.create(name, argv=["sleep", "300"], restart="always", restart_delay_ms=10)
        self.tender.start(name)
        self.tender.stop(name)
        time.sleep(0.5)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["RestartCount"]), ("stopped", 0))

    def test_stop_cancels_a_due_restart(self):
        name = self.workload("r-pending")
        self.tender.create(name, argv=["false"], restart="on-failure", restart_delay_ms=2000)
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        self.tender.stop(name)
        time.sleep(2.6)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["RestartCount"]), ("exited", 0))
        self.assertEqual([e[1] for e in self.events.of(name)], ["starting", "running", "exited"])

    def test_bad_restart_keys(self):
        for spec in ({"restart": "sometimes"}, {"restart_max": 10001},
                     {"restart_delay_ms": 60001}, {"max_runtime_sec": 0}):
            key = next(iter(spec))
            e = self.assertDBusError("InvalidArgument", self.tender.create, "r-bad",
                                     argv=["true"], **spec)
            self.assertIn(f"'{key}'", e.message)
        self.assertDBusError("NotFound", self.tender.path, "r-bad")


class RuntimeTest(PolicyTestCase):
    def test_max_runtime(self):
        name = self.workload("r-slow")
        self.tender.create(name, argv=["sleep", "300"], max_runtime_sec=1)
        self.tender.start(name)
        p = self.tender.wait_state(name, "failed", timeout=15)
        self.assertEqual(p["Reason"], "timeout")
        self.assertEqual(p["ExitSignal"], signal.SIGTERM)
        self.assertEqual([e[1] for e in self.events.of(name)],
                         ["starting", "running", "stopping", "failed"])

    def test_oom_killed_property(self):
        name = self.workload("r-hungry")
        self.tender.create(name, argv=["/usr/bin/python3", "-c",
                                       "x = b'a' * (512 << 20); import time; time.sleep(60)"],
                           memory_max=32 << 20)
        self.tender.start(name)
        p = self.tender.wait_state(name, ("failed", "exited"), timeout=60)
        self.assertEqual((p["State"], p["Reason"], p["OOMKilled"]), ("failed", "oom-kill", True))
        self.assertIn(("running", "failed", "oom-kill"), self.events.of(name))
        # a run that is not OOM-killed says so
        name = self.workload("r-modest")
        self.tender.create(name, argv=["true"], memory_max=32 << 20)
        self.tender.start(name)
        p = self.tender.wait_state(name, "exited")
        self.assertFalse(p["OOMKilled"])


class ExportTest(PolicyTestCase):
    def test_export_import_round_trip(self):
        name = self.workload("x-source")
        self.tender.create(name, argv=["sleep", "300"], env=["A=1"], labels={"k": "v"},
                           memory_max=64 << 20, restart="on-failure", max_runtime_sec=3600,
                           health={"command": ["true"], "interval_sec": 5})
        self.tender.start(name)
        exported = json.loads(self.tender.export(name))
        self.assertEqual(exported["format"], "tender-workload/1")
        self.assertEqual(exported["name"], name)
        self.assertEqual(exported["spec"]["argv"], ["sleep", "300"])
        self.assertEqual(exported["spec"]["memory_max"], 64 << 20)
        self.assertEqual(exported["spec"]["health"]["interval_sec"], 5)
        self.assertEqual(exported["state"]["state"], "running")

        # the same name exists
        self.assertDBusError("AlreadyExists", self.tender.import_, json.dumps(exported))
        copy = self.workload("x-copy")
        path = self.tender.import_(json.dumps(exported), name=copy)
        self.assertEqual(path, self.tender.path(copy))
        p = self.tender.props(copy)
        self.assertEqual(p["State"], "created")
        self.assertEqual(p["Spec"], self.tender.prop(name, "Spec"))
        self.assertEqual(json.loads(self.tender.export(copy))["spec"], exported["spec"])

    def test_import_validates_like_create(self):
        good = {"format": "tender-workload/1", "name": "x-bad", "spec": {"argv": ["true"]}}

        def bad(change, fragment, **options):
            doc = json.loads(json.dumps(good))
            change(doc)
            e = self.assertDBusError("InvalidArgument",
                                     lambda: self.tender.import_(json.dumps(doc), **options))
            self.assertIn(fragment, e.message)

        bad(lambda d: d["spec"].update(memory_max=1), "'memory_max'")
        bad(lambda d: d["spec"].update(memory_max="64M"), "'memory_max'")
        bad(lambda d: d["spec"].update(argv=[]), "'argv'")
        bad(lambda d: d["spec"].update(frobnicate=1), "'frobnicate'")
        bad(lambda d: d["spec"].update(health={"command": ["true"], "retries": 0}),
            "'health.retries'")
        bad(lambda d: d.update(format="tender-workload/99"), "format")
        bad(lambda d: d.update(name="no/slashes"), "name")
        bad(lambda d: None, "name", name="-dash")
        self.assertDBusError("InvalidArgument", self.tender.import_, "{ not json")
        self.assertDBusError("InvalidArgument", self.tender.import_, "[]")
        e = self.assertDBusError("InvalidArgument", self.tender.import_,
                                 json.dumps({**good, "pad": "x" * (1 << 20)}))
        self.assertIn("bytes", e.message)
        e = self.assertDBusError("InvalidArgument",
                                 lambda: self.tender.import_(json.dumps(good), timeout_sec=1))
        self.assertIn("timeout_sec", e.message)
        self.assertNotIn("x-bad", [n for n, _, _, _ in self.tender.list()])
        self.assertDBusError("NotFound", self.tender.export, "x-none")


class StateChangedTest(PolicyTestCase):
    def test_every_transition_in_order(self):
        name = self.workload("s-events")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        self.tender.stop(name)
        self.tender.start(name)
        self.tender.kill(name, signal.SIGKILL)
        self.tender.wait_state(name, "failed")
        self.assertTrue(wait_for(lambda: len(self.events.of(name)) >= 7))
        self.assertEqual(self.events.of(name),
                         [("created", "starting", ""), ("starting", "running", ""),
                          ("running", "stopping", ""), ("stopping", "stopped", ""),
                          ("stopped", "starting", ""), ("starting", "running", ""),
                          ("running", "failed", "signal: KILL")])


if __name__ == "__main__":
    unittest.main()
