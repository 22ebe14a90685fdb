#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""At most one durable write of the state directory per API call, counted with strace on the
real tenderd; and a tenderd killed (SIGKILL) between a state written without fsync and its
sync comes back with the true state."""

import os
import re
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import DBusError, TenderTestCase, wait_for  # noqa: E402
from test_durability import WDIR, CrashDuringStartTest, DurabilityMixin, shims_of  # noqa: E402

# fsync(12</var/lib/tender/workloads/x.json>) = 0, with strace -y; a call that strace splits
# ("<unfinished ...>", then "<... fsync resumed>") counts once, by its first half
SYNC_CALL = re.compile(r"\b(fsync|fdatasync|syncfs)\((\d+)<([^>]*)>")


class SyncCounter:
    """strace -f -y of tenderd's sync calls while a block runs (its output goes to a pipe)."""

    def __init__(self, test, pid):
        self.test = test
        self.pid = pid
        self.calls = []

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["strace", "-f", "-y", "-qq", "-e", "trace=fsync,fdatasync,syncfs", "-p",
             str(self.pid)], stderr=subprocess.PIPE, text=True)
        tasks = f"/proc/{self.pid}/task"

        def traced(tid):
            try:
                with open(f"{tasks}/{tid}/status") as f:
                    return f"TracerPid:\t{self.proc.pid}\n" in f.read()
            except FileNotFoundError:
                return True

        # every thread of tenderd is traced before the block runs
        self.test.assertTrue(wait_for(lambda: all(traced(t) for t in os.listdir(tasks)),
                                      timeout=10), "strace did not attach to tenderd")
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=10)
        for line in err.splitlines():
            m = SYNC_CALL.search(line)
            if m:
                self.calls.append((m.group(1), m.group(3)))
        return False

    def of_state_dir(self):
        """(fsyncs of a state file, fsyncs of the state directory, syncfs calls): any syncfs
        counts, since it syncs the state directory's filesystem whatever its fd is."""
        files = [p for c, p in self.calls if c != "syncfs" and p.startswith(WDIR + "/")]
        dirs = [p for c, p in self.calls if c != "syncfs" and p == WDIR]
        syncfs = [p for c, p in self.calls if c == "syncfs"]
        return len(files), len(dirs), len(syncfs)


class StateWritesTest(DurabilityMixin, TenderTestCase):
    def counted(self, call, *args, **kwargs):
        with SyncCounter(self, self.tenderd_pid) as counter:
            call(*args, **kwargs)
        return counter.of_state_dir()

    def test_one_durable_write_per_call(self):
        """create, start, stop, remove: one fsync of the workload's file and one of the
        directory each (remove: the directory's only); kill, pause, resume: none."""
        name = self.workload("sw-count")
        self.assertEqual(self.counted(self.tender.create, name, argv=["sleep", "300"]),
                         (1, 1, 0), "create")
        self.assertEqual(self.counted(self.tender.start, name), (1, 1, 0), "start")
        self.assertEqual(self.tender.prop(name, "State"), "running")
        self.assertEqual(self.counted(self.tender.kill, name, signal.SIGWINCH), (0, 0, 0),
                         "kill")
        self.assertEqual(self.counted(self.tender.call, "PauseWorkload", "s", name),
                         (0, 0, 0), "pause")
        self.assertEqual(self.counted(self.tender.call, "ResumeWorkload", "s", name),
                         (0, 0, 0), "resume")
        self.assertEqual(self.counted(self.tender.stop, name, timeout_sec=5), (1, 1, 0), "stop")
        self.assertEqual(self.tender.prop(name, "State"), "stopped")
        self.assertEqual(self.counted(self.tender.remove, name), (0, 1, 0), "remove")
        self.assertFalse(os.path.exists(f"{WDIR}/{name}.json"))
        self.names.remove(name)


class CrashBeforeSyncTest(DurabilityMixin, TenderTestCase):
    """tenderd is killed (SIGKILL) once a state is written but not synced."""

    arm = CrashDuringStartTest.arm

    def test_crash_once_running_is_written_unsynced(self):
        """The file says running, without fsync: the run is adopted, the same process."""
        name = self.workload("crash-start-unsynced")
        self.tender.create(name, argv=["sleep", "300"])
        self.arm("start-unsynced")
        old = self.tenderd_pid
        with self.assertRaises(DBusError):
            self.tender.start(name)
        self.restarted_tenderd(old)
        self.tender.wait_state(name, ("running", "failed", "exited"), timeout=15)
        pid = self.assertRunsInScope(name)["MainPID"]
        self.assertEqual(len(shims_of(name)), 1)
        self.restart_tenderd()
        self.assertEqual(self.assertRunsInScope(name)["MainPID"], pid)
        self.tender.stop(name, timeout_sec=1)
        self.assertNothingRuns(name)

    def crash_during_stop(self, point):
        name = self.workload(f"crash-{point}")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        self.arm(point)
        self.assertRunsInScope(name)
        old = self.tenderd_pid
        with self.assertRaises(DBusError):
            self.tender.stop(name, timeout_sec=1)
        self.restarted_tenderd(old)
        p = self.tender.wait_state(name, ("stopped", "failed", "exited"), timeout=15)
        self.assertEqual((p["State"], p["Reason"], p["MainPID"]), ("stopped", "", 0), p)
        self.assertNothingRuns(name)
        # and it starts again, in a scope of the same name
        self.tender.start(name)
        self.assertRunsInScope(name)

    def test_crash_once_stopping_is_written(self):
        """The file says stopping, without fsync, and nothing was signalled: the restarted
        tenderd finishes the stop."""
        self.crash_during_stop("stop-saved")

    def test_crash_once_stopped_is_written_unsynced(self):
        self.crash_during_stop("stop-unsynced")


if __name__ == "__main__":
    unittest.main()
