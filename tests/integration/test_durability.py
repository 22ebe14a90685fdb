#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A call succeeds only once what it changed is durable, and a tenderd that dies in the middle
of a start leaves a true state: the run is adopted, or nothing of it runs any more."""

import errno
import glob
import os
import signal
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import (BUS_NAME, MANAGER_IFACE, MANAGER_PATH, SPEC_TYPES,  # noqa: E402
                       DBusError, Gio, GLib, TenderTestCase, proc_cgroup, run, tenderd_dropin,
                       tenderd_pid, unmount, vardict, wait_for)

STATE_DIR = "/var/lib/tender"
WDIR = f"{STATE_DIR}/workloads"
ENOSPC = os.strerror(errno.ENOSPC)
SCOPE_CGROUP = "/sys/fs/cgroup/systemd/tender.slice/tender-{}.scope"


def shims_of(name):
    """PIDs of every tender-shim of workload @name, wherever it is."""
    pids = []
    for path in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(path, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"tender-shim") and b"--name" in argv:
            i = argv.index(b"--name")
            if i + 1 < len(argv) and argv[i + 1] == name.encode():
                pids.append(int(path.split("/")[2]))
    return pids


def scope_pids(name):
    """The processes in the workload's scope cgroup (none if it is gone)."""
    try:
        with open(os.path.join(SCOPE_CGROUP.format(name), "cgroup.procs")) as f:
            return [int(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def scope_active(name):
    return run(["systemctl", "is-active", f"tender-{name}.scope"],
               check=False).stdout.strip() in ("active", "activating", "deactivating")


class DurabilityMixin:
    def restarted_tenderd(self, old_pid):
        """Waits until systemd has started a new tenderd, and adopts it for tearDown."""
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old_pid), timeout=30),
                        "systemd did not restart tenderd")
        self.assertTrue(wait_for(lambda: run(["systemctl", "is-active", "tenderd.service"],
                                             check=False).stdout.strip() == "active",
                                 timeout=30))
        self.tenderd_pid = tenderd_pid()

    def restart_tenderd(self):
        old = self.tenderd_pid
        run(["systemctl", "reset-failed", "tenderd.service"], check=False)
        run(["systemctl", "restart", "tenderd.service"])
        self.restarted_tenderd(old)

    def assertNothingRuns(self, name):
        """No process of the workload is left, and its scope is gone (or going)."""
        self.assertTrue(wait_for(lambda: not shims_of(name) and not scope_pids(name)),
                        f"{name}: shims {shims_of(name)}, scope {scope_pids(name)}")
        self.assertTrue(wait_for(lambda: not scope_active(name)),
                        f"tender-{name}.scope is still active")

    def assertRunsInScope(self, name):
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running", p)
        self.assertTrue(os.path.exists(f"/proc/{p['MainPID']}"), p)
        self.assertEqual(proc_cgroup(p["MainPID"]), f"/tender.slice/tender-{name}.scope")
        return p


class DiskFullTest(DurabilityMixin, TenderTestCase):
    """/var/lib/tender/workloads on a small tmpfs that the test fills up."""

    def setUp(self):
        super().setUp()
        run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", WDIR])
        self.addCleanup(unmount, WDIR)
        self.filler = f"{WDIR}/filler"

    def tearDown(self):
        self.free()
        super().tearDown()

    def fill(self):
        with open(self.filler, "ab", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError as e:
                self.assertEqual(e.errno, errno.ENOSPC)

    def free(self):
        if os.path.exists(self.filler):
            os.unlink(self.filler)

    def saved_state(self, name):
        import json
        with open(f"{WDIR}/{name}.json") as f:
            return json.load(f)["state"]["state"]

    def assertNoTemporaryFiles(self):
        self.assertEqual(glob.glob(f"{WDIR}/*.tmp.*"), [])

    def test_create_and_import_fail_and_leave_nothing(self):
        name = self.workload("df-new")
        kept = self.workload("df-kept")
        self.tender.create(kept, argv=["true"])
        exported = self.tender.export(kept)
        self.fill()
        e = self.assertDBusError("Failed", self.tender.create, name, argv=["sleep", "300"])
        self.assertIn(ENOSPC, e.message)
        self.assertIn(name, e.message)
        self.assertNotIn(name, [n for n, _, _, _ in self.tender.list()])
        e = self.assertDBusError("Failed", lambda: self.tender.import_(exported, name=name))
        self.assertIn(ENOSPC, e.message)
        self.assertNotIn(name, [n for n, _, _, _ in self.tender.list()])
        self.assertFalse(os.path.exists(f"{WDIR}/{name}.json"))
        self.assertNoTemporaryFiles()

        # what tenderd answered is what a restarted tenderd finds
        self.free()
        self.restart_tenderd()
        names = [n for n, _, _, _ in self.tender.list()]
        self.assertIn(kept, names)
        self.assertNotIn(name, names)
        self.tender.create(name, argv=["true"])

    def test_start_fails_before_anything_runs(self):
        name = self.workload("df-start")
        self.tender.create(name, argv=["sleep", "300"])
        self.fill()
        e = self.assertDBusError("Failed", self.tender.start, name)
        self.assertIn(ENOSPC, e.message)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["MainPID"]), ("created", 0))
        self.assertEqual(self.saved_state(name), "created")
        self.assertNothingRuns(name)
        self.assertNoTemporaryFiles()

        # with room again, it starts; a stop on a full disk fails and stops nothing
        self.free()
        self.tender.start(name)
        pid = self.assertRunsInScope(name)["MainPID"]
        self.fill()
        e = self.assertDBusError("Failed", self.tender.stop, name)
        self.assertIn(ENOSPC, e.message)
        self.assertEqual(self.assertRunsInScope(name)["MainPID"], pid)
        self.assertEqual(self.saved_state(name), "running")
        self.free()
        self.tender.stop(name)
        self.assertEqual(self.tender.prop(name, "State"), "stopped")
        self.assertEqual(self.saved_state(name), "stopped")

    def test_start_whose_running_state_cannot_be_saved_is_undone(self):
        """The disk fills up between "starting" and "running" (a pre_start hook fills it): the
        command must not run on, since a restarted tenderd would not know of it."""
        name = self.workload("df-unsaved")
        once = self.tmpfile(f"{name}.filled")
        self.tender.create(name, argv=["sleep", "300"], pre_start=[[
            "sh", "-c", f"[ -e {once} ] || {{ : > {once}; cat /dev/zero > {self.filler}; }}; true"]])
        e = self.assertDBusError("Failed", self.tender.start, name)
        self.assertIn(ENOSPC, e.message)
        p = self.tender.props(name)
        self.assertEqual(p["State"], "failed")
        self.assertTrue(p["Reason"].startswith("unsaved: "), p["Reason"])
        self.assertIn(ENOSPC, p["Reason"])
        self.assertNothingRuns(name)
        # the file still says "starting": a restarted tenderd makes sure nothing runs (and
        # finds the exit record of the run that was stopped)
        self.assertEqual(self.saved_state(name), "starting")
        self.free()
        self.restart_tenderd()
        self.tender.wait_state(name, "failed", timeout=10)
        self.assertNothingRuns(name)
        self.tender.start(name)
        self.assertRunsInScope(name)

    def test_cancelling_a_due_restart_needs_the_disk(self):
        name = self.workload("df-due")
        self.tender.create(name, argv=["false"], restart="on-failure", restart_delay_ms=60000)
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        self.fill()
        self.assertDBusError("Failed", self.tender.stop, name)
        self.free()
        self.restart_tenderd()
        # the restart is still due, so the stop that cancels it works now
        self.tender.stop(name)
        self.restart_tenderd()
        self.assertEqual(self.tender.prop(name, "RestartCount"), 0)
        self.assertEqual(self.tender.prop(name, "State"), "exited")


class CrashDuringStartTest(DurabilityMixin, TenderTestCase):
    """tenderd is killed (SIGKILL) at each step of a start, by TENDER_TEST_CRASH_AT."""

    def arm(self, point):
        undo = tenderd_dropin("test-crash", [f"Environment=TENDER_TEST_CRASH_AT={point}"])
        try:
            self.restart_tenderd()
        finally:
            # the next tenderd, which systemd starts after the crash, is an ordinary one
            undo()

    def crash_during_start(self, point):
        name = self.workload(f"crash-{point}")
        self.tender.create(name, argv=["sleep", "300"])
        self.arm(point)
        old = self.tenderd_pid
        with self.assertRaises(DBusError):
            self.tender.start(name)
        self.restarted_tenderd(old)
        return name, self.tender.wait_state(name, ("running", "failed", "exited"), timeout=15)

    def assertCleanedUp(self, name, p):
        self.assertEqual(p["State"], "failed", p)
        self.assertTrue(p["Reason"].startswith("lost: "), p["Reason"])
        self.assertEqual(p["MainPID"], 0)
        self.assertNothingRuns(name)
        # and it can be started again, in a scope of the same name
        self.tender.start(name)
        self.assertRunsInScope(name)
        self.tender.stop(name, timeout_sec=1)
        self.assertNothingRuns(name)

    def test_crash_once_starting_is_saved(self):
        self.assertCleanedUp(*self.crash_during_start("start-saved"))

    def test_crash_once_the_shim_is_spawned(self):
        self.assertCleanedUp(*self.crash_during_start("start-spawned"))

    def test_crash_once_the_scope_is_there(self):
        self.assertCleanedUp(*self.crash_during_start("start-scope"))

    def test_crash_once_the_shim_may_go(self):
        self.assertCleanedUp(*self.crash_during_start("start-go"))

    def test_crash_once_the_pid_is_known(self):
        self.assertCleanedUp(*self.crash_during_start("start-pid"))

    def test_crash_once_running_is_saved(self):
        """The state file says running: the run is adopted, the same process in its scope."""
        name, p = self.crash_during_start("start-running")
        self.assertRunsInScope(name)
        self.assertEqual(len(shims_of(name)), 1)
        self.tender.stop(name, timeout_sec=1)
        self.assertEqual(self.tender.prop(name, "State"), "stopped")
        self.assertNothingRuns(name)


class KillDuringStartsTest(DurabilityMixin, TenderTestCase):
    """8 clients create and start 40 workloads; tenderd is SIGKILLed in the middle."""

    CLIENTS = 8
    PER_CLIENT = 5

    def client(self, index, started, errors):
        address = Gio.dbus_address_get_for_bus_sync(Gio.BusType.SYSTEM, None)
        bus = Gio.DBusConnection.new_for_address_sync(
            address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        try:
            for i in range(self.PER_CLIENT):
                name = f"ks-{index}-{i}"
                spec = vardict({"argv": ["sleep", "300"]}, SPEC_TYPES)
                bus.call_sync(BUS_NAME, MANAGER_PATH, MANAGER_IFACE, "CreateWorkload",
                              GLib.Variant("(sa{sv}a{sv})", (name, spec, {})), None,
                              Gio.DBusCallFlags.NONE, 30000, None)
                bus.call_sync(BUS_NAME, MANAGER_PATH, MANAGER_IFACE, "StartWorkload",
                              GLib.Variant("(sa{sv})", (name, {})), None,
                              Gio.DBusCallFlags.NONE, 30000, None)
                started.append(name)
        except GLib.Error as e:
            errors.append(e.message)
        finally:
            bus.close_sync(None)

    def round(self, number):
        names = [self.workload(f"ks-{c}-{i}") for c in range(self.CLIENTS)
                 for i in range(self.PER_CLIENT)]
        started, errors = [], []
        threads = [threading.Thread(target=self.client, args=(c, started, errors))
                   for c in range(self.CLIENTS)]
        for t in threads:
            t.start()
        # in the middle of the launches
        self.assertTrue(wait_for(lambda: len(started) >= 12, timeout=60), errors)
        old = self.tenderd_pid
        run(["systemctl", "kill", "-s", "KILL", "tenderd.service"])
        for t in threads:
            t.join(timeout=60)
        self.restarted_tenderd(old)
        listed = {}
        self.assertTrue(wait_for(lambda: listed.update(
            {n: s for n, s, _, _ in self.tender.list()}) or
            "starting" not in [listed.get(n) for n in names], timeout=15))

        # nothing runs that tender believes dead, and what it believes runs, runs
        for name in names:
            state = listed.get(name)
            if state == "running":
                self.assertRunsInScope(name)
                self.assertEqual(len(shims_of(name)), 1, name)
            else:
                self.assertNothingRuns(name)
        # every workload that exists can be started (again)
        for name in names:
            if name not in listed:
                self.tender.create(name, argv=["sleep", "300"])
            if listed.get(name) != "running":
                self.tender.start(name)
        for name in names:
            self.assertRunsInScope(name)
        for name in names:
            self.tender.remove(name, force=True, timeout_sec=1)
        for name in names:
            self.assertNothingRuns(name)
        self.names = []
        run(["systemctl", "reset-failed", "tenderd.service"], check=False)

    def test_kill9_during_forty_starts(self):
        for number in range(2):
            self.round(number)


if __name__ == "__main__":
    unittest.main()
