#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Workloads outlive tenderd: state files, re-adoption, exit codes of runs that ended while
tenderd was away."""

import glob
import json
import os
import signal
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import (TenderTestCase, proc_cgroup, run, tenderd_pid,  # noqa: E402
                       tenderd_restart_settings, wait_for)

STATE_DIR = "/var/lib/tender"

# the properties that must be the same before and after a restart of tenderd
STABLE = ("Name", "State", "Reason", "Unit", "ControlGroup", "MainPID", "ExitCode", "ExitSignal",
          "CreatedAt", "StartedAt", "StoppedAt", "RestartCount", "OOMKilled", "Spec")


def active_scopes(prefix):
    out = run(["systemctl", "list-units", "--type=scope", "--state=active", "--no-legend",
               "--plain", f"tender-{prefix}*"]).stdout
    return sorted(line.split()[0] for line in out.splitlines() if line.strip())


class PersistenceTest(TenderTestCase):
    def restarted_tenderd(self, old_pid):
        """Waits until systemd has started a new tenderd, and adopts it for tearDown."""
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old_pid), timeout=30),
                        "systemd did not restart tenderd")
        self.assertTrue(wait_for(lambda: run(["systemctl", "is-active", "tenderd.service"],
                                             check=False).stdout.strip() == "active"))
        self.tenderd_pid = tenderd_pid()

    def snapshot(self, names):
        return {n: {k: v for k, v in self.tender.props(n).items() if k in STABLE} for n in names}

    def test_twenty_survive_kill9(self):
        go = self.tmpfile("go")
        runners = [self.workload(f"p-run{i:02}") for i in range(15)]
        enders = {self.workload(f"p-end{i}"): 10 + i for i in range(5)}
        for name in runners:
            self.tender.create(name, argv=["sleep", "300"])
        for name, code in enders.items():
            self.tender.create(name, argv=["sh", "-c",
                                           f"while [ ! -e {go} ]; do sleep 0.05; done; exit {code}"])
        for name in runners + list(enders):
            self.tender.start(name)
        before = self.snapshot(runners + list(enders))
        ender_pids = [before[n]["MainPID"] for n in enders]
        self.assertEqual(len(active_scopes("p-")), 20)

        # tenderd dies hard, and stays away long enough for 5 workloads to end meanwhile
        self.addCleanup(tenderd_restart_settings("3s"))
        old = self.tenderd_pid
        os.kill(old, signal.SIGKILL)
        self.assertTrue(wait_for(lambda: tenderd_pid() != old))
        with open(go, "w"):
            pass
        self.assertTrue(wait_for(lambda: not any(os.path.exists(f"/proc/{p}") for p in ender_pids)))
        self.assertEqual(tenderd_pid(), 0, "tenderd came back before the workloads ended")
        self.restarted_tenderd(old)

        listed = {name: state for name, state, _, _ in self.tender.list()}
        after = self.snapshot(runners + list(enders))
        for name in runners:
            self.assertEqual(listed[name], "running")
            # the same process, in its original scope
            self.assertEqual(after[name], before[name])
            self.assertEqual(proc_cgroup(after[name]["MainPID"]),
                             f"/tender.slice/tender-{name}.scope")
        for name, code in enders.items():
            self.assertEqual(listed[name], "exited")
            self.assertEqual(after[name]["ExitCode"], code)
            self.assertEqual(after[name]["Reason"], f"exit-code: {code}")
            self.assertEqual(after[name]["MainPID"], 0)
            self.assertNotEqual(after[name]["StoppedAt"], "")
        # no duplicate scope, no orphan
        self.assertEqual(active_scopes("p-"), sorted(f"tender-{n}.scope" for n in runners))

        # a second restart changes nothing
        old = self.tenderd_pid
        run(["systemctl", "restart", "tenderd.service"])
        self.restarted_tenderd(old)
        self.assertEqual(self.snapshot(runners + list(enders)), after)
        self.assertEqual(active_scopes("p-"), sorted(f"tender-{n}.scope" for n in runners))

        # and the re-adopted runs are tenderd's as before: it sees them end, and stops them
        victim, stopped = runners[0], runners[1]
        os.kill(after[victim]["MainPID"], signal.SIGKILL)
        p = self.tender.wait_state(victim, "failed")
        self.assertEqual(p["Reason"], "signal: KILL")
        self.tender.stop(stopped)
        p = self.tender.props(stopped)
        self.assertEqual(p["State"], "stopped")
        self.assertEqual(p["ExitSignal"], signal.SIGTERM)

    def test_state_files(self):
        name = self.workload("p-file")
        self.tender.create(name, argv=["sleep", "300"], labels={"team": "core"})
        path = f"{STATE_DIR}/workloads/{name}.json"
        with open(path) as f:
            saved = json.load(f)
        self.assertEqual(saved["format"], "tender-workload/1")
        self.assertEqual(saved["spec"]["argv"], ["sleep", "300"])
        self.assertEqual(saved["spec"]["labels"], {"team": "core"})
        self.assertEqual(saved["state"]["state"], "created")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        self.tender.start(name)
        with open(path) as f:
            saved = json.load(f)
        self.assertEqual(saved["state"]["state"], "running")
        self.assertEqual(saved["state"]["main_pid"], self.tender.prop(name, "MainPID"))
        self.assertTrue(saved["run"]["id"])
        self.tender.remove(name, force=True)
        self.assertFalse(os.path.exists(path))

    def test_unreadable_state_files_are_moved_aside(self):
        name = self.workload("p-kept")
        self.tender.create(name, argv=["true"])
        wdir = f"{STATE_DIR}/workloads"
        broken = {
            "p-garbage": "{ this is not json",
            "p-badspec": json.dumps({"format": "tender-workload/1", "name": "p-badspec",
                                     "spec": {"argv": []}, "state": {"state": "created"}}),
            "p-wrongname": json.dumps({"format": "tender-workload/1", "name": "other",
                                       "spec": {"argv": ["true"]},
                                       "state": {"state": "created"}}),
        }
        old = self.tenderd_pid
        run(["systemctl", "stop", "tenderd.service"])
        for bad, text in broken.items():
            with open(f"{wdir}/{bad}.json", "w") as f:
                f.write(text)
        with open(f"{wdir}/{name}.json.tmp.ABC123", "w") as f:
            f.write("{")
        self.addCleanup(lambda: [os.unlink(p) for p in glob.glob(f"{wdir}/p-*.broken-*")])
        since = run(["date", "+%Y-%m-%d %H:%M:%S"]).stdout.strip()
        run(["systemctl", "start", "tenderd.service"])
        self.restarted_tenderd(old)

        # tenderd runs, keeps what it could read, and kept every byte of what it could not
        self.assertEqual(self.tender.prop(name, "State"), "created")
        names = [n for n, _, _, _ in self.tender.list()]
        for bad, text in broken.items():
            self.assertNotIn(bad, names)
            self.assertFalse(os.path.exists(f"{wdir}/{bad}.json"))
            aside = glob.glob(f"{wdir}/{bad}.json.broken-*")
            self.assertEqual(len(aside), 1, aside)
            with open(aside[0]) as f:
                self.assertEqual(f.read(), text)
        self.assertFalse(os.path.exists(f"{wdir}/{name}.json.tmp.ABC123"))
        journal = run(["journalctl", "-u", "tenderd.service", "--since", since,
                       "-p", "warning", "-o", "cat"]).stdout
        for bad in broken:
            self.assertIn(f"cannot use {wdir}/{bad}.json", journal)

    def test_deeply_nested_state_file_is_moved_aside(self):
        """A state file nested deeper than 64 levels is moved aside unparsed; 400,000 levels
        used to overflow the stack of every tenderd that started."""
        wdir = f"{STATE_DIR}/workloads"
        path = f"{wdir}/p-deep.json"
        text = ('{"format": "tender-workload/1", "name": "p-deep", "spec": {"argv": '
                + "[" * 400000 + "]" * 400000 + '}, "state": {"state": "created"}}')
        old = self.tenderd_pid
        run(["systemctl", "stop", "tenderd.service"])
        with open(path, "w") as f:
            f.write(text)
        self.addCleanup(lambda: [os.unlink(p) for p in glob.glob(f"{path}*")])
        since = run(["date", "+%Y-%m-%d %H:%M:%S"]).stdout.strip()
        run(["systemctl", "start", "tenderd.service"])
        self.restarted_tenderd(old)
        self.assertNotIn("p-deep", [n for n, _, _, _ in self.tender.list()])
        self.assertFalse(os.path.exists(path))
        aside = glob.glob(f"{path}.broken-*")
        self.assertEqual(len(aside), 1, aside)
        with open(aside[0]) as f:
            self.assertEqual(f.read(), text)
        journal = run(["journalctl", "-u", "tenderd.service", "--since", since,
                       "-p", "warning", "-o", "cat"]).stdout
        self.assertIn(f"cannot use {path}: it nests deeper than the limit of 64 levels", journal)

    def test_due_restart_survives(self):
        """A restart that was due when tenderd died is carried out by the next tenderd."""
        name = self.workload("p-due")
        self.tender.create(name, argv=["false"], restart="on-failure", restart_delay_ms=2000)
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        self.assertEqual(self.tender.prop(name, "RestartCount"), 0)
        old = self.tenderd_pid
        os.kill(old, signal.SIGKILL)
        self.restarted_tenderd(old)
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "RestartCount") == 1,
                                 timeout=30), "the due restart was lost")
        self.assertEqual(self.tender.wait_state(name, "exited")["ExitCode"], 1)

    def test_paused_survives(self):
        """A paused workload is still paused after a restart of tenderd, and can be resumed,
        paused again and stopped; its freezer cgroup goes with it."""
        name = self.workload("p-paused")
        count = self.tmpfile(f"{name}.count")
        self.tender.create(name, argv=["sh", "-c",
                                       f"i=0; while :; do i=$((i+1)); echo $i > {count}; "
                                       "sleep 0.05; done"])
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: os.path.exists(count)))
        self.tender.call("PauseWorkload", "s", name)
        pid = self.tender.prop(name, "MainPID")
        freezer = f"/sys/fs/cgroup/freezer/tender.slice/tender-{name}.scope"
        old = self.tenderd_pid
        os.kill(old, signal.SIGKILL)
        self.restarted_tenderd(old)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["MainPID"]), ("paused", pid))
        with open(f"{freezer}/freezer.state") as f:
            self.assertEqual(f.read().strip(), "FROZEN")
        self.tender.call("ResumeWorkload", "s", name)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        with open(count) as f:
            before = int(f.read() or 0)
        self.assertTrue(wait_for(lambda: int(open(count).read() or 0) > before),
                        "the resumed workload does not count on")
        self.tender.call("PauseWorkload", "s", name)
        self.tender.stop(name)
        self.assertEqual(self.tender.prop(name, "State"), "stopped")
        self.assertTrue(wait_for(lambda: not os.path.exists(freezer)),
                        "the freezer cgroup outlived the run")

    def test_lost_run(self):
        """A run whose tender-shim died without a record ends failed, and leaves nothing."""
        name = self.workload("p-lost")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        pid = self.tender.prop(name, "MainPID")
        with open(f"/proc/{pid}/stat") as f:
            shim = int(f.read().rsplit(")", 1)[1].split()[1])
        old = self.tenderd_pid
        run(["systemctl", "stop", "tenderd.service"])
        os.kill(shim, signal.SIGKILL)
        self.assertTrue(wait_for(lambda: not os.path.exists(f"/proc/{shim}")))
        self.assertTrue(os.path.exists(f"/proc/{pid}"))  # the command outlived its shim
        run(["systemctl", "start", "tenderd.service"])
        self.restarted_tenderd(old)
        p = self.tender.props(name)
        self.assertEqual(p["State"], "failed")
        self.assertEqual(p["Reason"], "lost: tender-shim ended without an exit record")
        self.assertTrue(wait_for(lambda: not os.path.exists(f"/proc/{pid}")),
                        "the command of a lost run lives on")


if __name__ == "__main__":
    unittest.main()
