#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tenderctl: restart policy and runtime options, inspect of the new properties, export and
import."""

import json
import os
import re
import signal
import subprocess
import threading
import unittest

from tenderlab import wait_for  # noqa: E402
from test_tenderctl import TENDERCTL, TenderctlTest, tenderctl


class TenderctlPolicyTest(TenderctlTest):
    def test_run_with_restart_policy(self):
        name = self.workload("ctl-restarting")
        self.assertOk(tenderctl("run", name, "--restart", "on-failure", "--restart-max", "2",
                                "--restart-delay", "50ms", "--", "sh", "-c", "exit 4"))
        p = self.tender.wait_state(name, "failed")
        self.assertEqual((p["Reason"], p["RestartCount"], p["ExitCode"]),
                         ("restart-limit", 2, 4))
        spec = p["Spec"]
        self.assertEqual((spec["restart"], spec["restart_max"], spec["restart_delay_ms"]),
                         ("on-failure", 2, 50))
        r = tenderctl("inspect", name)
        self.assertOk(r)
        self.assertRegex(r.stdout, r"(?m)^ *RestartCount: 2$")
        self.assertRegex(r.stdout, r"(?m)^ *OOMKilled: no$")
        self.assertRegex(r.stdout, r"(?m)^ *Health: none$")
        self.assertRegex(r.stdout, r"(?m)^ *Reason: restart-limit$")

    def test_run_with_max_runtime(self):
        name = self.workload("ctl-bounded")
        self.assertOk(tenderctl("run", name, "--max-runtime", "1s", "--", "sleep", "300"))
        self.assertEqual(self.tender.prop(name, "Spec")["max_runtime_sec"], 1)
        p = self.tender.wait_state(name, "failed", timeout=15)
        self.assertEqual(p["Reason"], "timeout")

    def test_bad_policy_options(self):
        name = "ctl-bad-policy"
        self.workload(name)
        self.assertUsageError(tenderctl("run", name, "--restart-delay", "soon", "--", "true"),
                              "run", "Invalid duration 'soon'")
        self.assertUsageError(tenderctl("run", name, "--max-runtime", "1500ms", "--", "true"),
                              "run", "whole seconds")
        self.assertUsageError(tenderctl("run", name, "--restart-max", "x", "--", "true"),
                              "run", "Invalid number of restarts 'x'")
        # what only tenderd can judge comes back as a plain sentence
        self.assertPlainError(tenderctl("run", name, "--restart", "sometimes", "--", "true"),
                              "'restart' must be one of")
        self.assertNoWorkload(name)

    def test_export_and_import(self):
        name = self.workload("ctl-exported")
        self.assertOk(tenderctl("create", name, "--memory", "64M", "--restart", "always",
                                "--label", "team=core", "--", "sleep", "300"))
        r = tenderctl("export", name)
        self.assertOk(r)
        exported = json.loads(r.stdout)
        self.assertEqual(exported["format"], "tender-workload/1")
        self.assertEqual(exported["spec"]["labels"], {"team": "core"})

        path = self.tmpfile("ctl-exported.json")
        self.assertOk(tenderctl("export", name, "-o", path))
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path) as f:
            self.assertEqual(json.load(f), exported)

        # the same name is taken; another one is not
        self.assertPlainError(tenderctl("import", path), "exists already")
        copy = self.workload("ctl-imported")
        self.assertOk(tenderctl("import", path, "--name", copy))
        self.assertEqual(self.tender.prop(copy, "Spec"), self.tender.prop(name, "Spec"))
        self.assertEqual(self.tender.prop(copy, "State"), "created")
        # from standard input
        piped = self.workload("ctl-piped")
        env = dict(os.environ, LC_ALL="C.UTF-8")
        r = subprocess.run([TENDERCTL, "import", "-", "--name", piped], input=r.stdout,
                           capture_output=True, text=True, env=env, timeout=60)
        self.assertOk(r)
        self.assertEqual(self.tender.prop(piped, "Spec"), self.tender.prop(name, "Spec"))

    def test_import_errors(self):
        bad = self.tmpfile("ctl-bad.json")
        with open(bad, "w") as f:
            f.write('{"format": "tender-workload/1", "name": "ctl-bad-import", '
                    '"spec": {"argv": ["true"], "memory_max": 5}}')
        r = tenderctl("import", bad)
        self.assertPlainError(r, f"Cannot import {bad}", "'memory_max'")
        self.assertNoWorkload("ctl-bad-import")
        self.assertPlainError(tenderctl("import", "/nonexistent/ctl.json"), "/nonexistent/ctl.json")
        self.assertPlainError(tenderctl("export", "ctl-nothing"), "ctl-nothing")
        self.assertUsageError(tenderctl("import"), "import", "exactly one argument")
        self.assertUsageError(tenderctl("export", "a", "b"), "export", "exactly one argument")
        big = self.tmpfile("ctl-big.json")
        with open(big, "w") as f:
            f.write(" " * (1024 * 1024 + 1))
        self.assertPlainError(tenderctl("import", big), "more than 1048576 bytes")
        deep = self.tmpfile("ctl-deep.json")
        with open(deep, "w") as f:
            f.write("[" * 400000)
        self.assertPlainError(tenderctl("import", deep), f"Cannot import {deep}",
                              "deeper than the limit of 64 levels")

    def events(self, *args):
        """Starts `tenderctl events ARGS`; returns the process and the list its lines go to,
        once it is seen to receive events."""
        env = dict(os.environ, LC_ALL="C.UTF-8")
        probe = self.workload("ctl-ev-probe")
        if any(not a.startswith("-") for a in args):
            args = (*args, probe)
        proc = subprocess.Popen([TENDERCTL, "events", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")))
        reader.start()
        self.addCleanup(reader.join)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        # it subscribes in the background: a probe tells when it hears
        for _ in range(50):
            self.tender.create(probe, argv=["true"])
            self.tender.start(probe)
            self.tender.remove(probe, force=True)
            if wait_for(lambda: any(probe in line for line in lines), timeout=0.5):
                break
        self.assertTrue(any(probe in line for line in lines), "tenderctl events hears nothing")
        return proc, lines

    def test_events(self):
        name = self.workload("ctl-ev")
        other = self.workload("ctl-ev-other")
        proc, lines = self.events("--json", name)
        seen = len(lines)
        self.tender.create(other, argv=["true"])
        self.tender.start(other)
        self.tender.create(name, argv=["sh", "-c", "exit 3"])
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        self.assertTrue(wait_for(lambda: sum(name in line for line in lines[seen:]) >= 3))
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=10), 0)
        got = [json.loads(line) for line in lines[seen:]]
        got = [e for e in got if e["name"] != "ctl-ev-probe"]
        self.assertEqual([(e["name"], e["old_state"], e["new_state"], e["reason"]) for e in got],
                         [(name, "created", "starting", ""), (name, "starting", "running", ""),
                          (name, "running", "exited", "exit-code: 3")])
        for e in got:
            self.assertRegex(e["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

    def test_events_text(self):
        name = self.workload("ctl-ev-text")
        proc, lines = self.events()
        seen = len(lines)
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        self.tender.kill(name, signal.SIGKILL)
        self.tender.wait_state(name, "failed")
        self.assertTrue(wait_for(lambda: sum(name in line for line in lines[seen:]) >= 3))
        proc.terminate()
        self.assertEqual(proc.wait(timeout=10), 0)
        mine = [line.split(" ", 1)[1].rstrip("\n") for line in lines[seen:] if name in line]
        self.assertEqual(mine, [f"{name} created -> starting", f"{name} starting -> running",
                                f"{name} running -> failed (signal: KILL)"])

    def test_help_mentions_new_options(self):
        r = tenderctl("run", "--help")
        self.assertOk(r)
        for option in ("--restart=POLICY", "--restart-max=N", "--restart-delay=DURATION",
                       "--max-runtime=DURATION"):
            self.assertIn(option, r.stdout)
        r = tenderctl("--help")
        self.assertOk(r)
        self.assertTrue(re.search(r"(?m)^ +export +", r.stdout), r.stdout)
        self.assertTrue(re.search(r"(?m)^ +import +", r.stdout), r.stdout)


if __name__ == "__main__":
    unittest.main()
