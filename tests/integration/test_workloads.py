#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Workloads in their scopes: limits the kernel enforces, exits, stops, kills."""

import os
import threading
import time
import unittest

from tenderlab import TenderTestCase, cgroup_file, proc_cgroup, run, wait_for

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ppid(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


class LimitsTest(TenderTestCase):
    def test_limits_are_in_the_scope(self):
        name = self.workload("limited")
        self.tender.create(name, argv=["sleep", "300"], memory_max=32 * 1024 * 1024,
                           cpu_quota_percent=50, tasks_max=16)
        self.tender.start(name)
        p = self.tender.props(name)
        cg = p["ControlGroup"]
        self.assertEqual(cg, "/tender.slice/tender-limited.scope")
        pid = p["MainPID"]
        self.assertGreater(pid, 0)
        # MainPID is the command itself, in the scope, child of tender-shim (also in the scope)
        with open(f"/proc/{pid}/cmdline") as f:
            self.assertEqual(f.read().split("\0")[:2], ["sleep", "300"])
        for ctrl in ("name=systemd", "memory", "pids", "cpu"):
            self.assertEqual(proc_cgroup(pid, ctrl), cg, ctrl)
        shim = ppid(pid)
        with open(f"/proc/{shim}/comm") as f:
            self.assertEqual(f.read().strip(), "tender-shim")
        self.assertEqual(proc_cgroup(shim), cg)
        procs = cgroup_file("systemd", cg, "cgroup.procs").split()
        self.assertEqual(sorted(map(int, procs)), sorted([shim, pid]))
        # the kernel holds the limits
        self.assertEqual(int(cgroup_file("memory", cg, "memory.limit_in_bytes")), 32 << 20)
        quota = int(cgroup_file("cpu", cg, "cpu.cfs_quota_us"))
        period = int(cgroup_file("cpu", cg, "cpu.cfs_period_us"))
        self.assertEqual(quota * 100 // period, 50)
        self.assertEqual(cgroup_file("pids", cg, "pids.max"), "16")
        # and tenderd reads them back
        self.assertEqual(p["Limits"], {"memory_max": 32 << 20, "cpu_quota_percent": 50,
                                       "tasks_max": 16})

    def test_io_limits(self):
        """IO bandwidth limits land on the block device behind the working directory."""
        name = self.workload("io-limited")
        self.tender.create(name, argv=["sleep", "300"], working_directory=CHECKOUT,
                           io_read_bandwidth_max=10 << 20, io_write_bandwidth_max=1 << 20)
        self.tender.start(name)
        p = self.tender.props(name)
        cg = p["ControlGroup"]
        st = os.stat(CHECKOUT)
        reads = cgroup_file("blkio", cg, "blkio.throttle.read_bps_device")
        writes = cgroup_file("blkio", cg, "blkio.throttle.write_bps_device")
        self.assertRegex(reads, r"^\d+:\d+ 10485760$")
        self.assertRegex(writes, r"^\d+:\d+ 1048576$")
        # the device is the disk that holds the working directory (or its whole disk)
        dev = reads.split()[0]
        major = int(dev.split(":")[0])
        self.assertEqual(major, os.major(st.st_dev))
        self.assertEqual(p["Limits"]["io_read_bandwidth_max"], 10 << 20)
        self.assertEqual(p["Limits"]["io_write_bandwidth_max"], 1 << 20)

    def test_command_never_runs_outside_its_scope(self):
        """The very first thing the command does already happens inside the scope."""
        name = self.workload("first-breath")
        out = f"/tmp/{name}.cgroup"
        self.tender.create(name, argv=["/bin/cp", "/proc/self/cgroup", out])
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        with open(out) as f:
            text = f.read()
        self.assertIn("name=systemd:/tender.slice/tender-first-breath.scope", text)
        self.assertIn("memory:/tender.slice/tender-first-breath.scope", text)
        os.unlink(out)

    def test_oom_kill(self):
        name = self.workload("hungry")
        # writes 512 MiB into memory: far over its 32 MiB
        self.tender.create(name, argv=["/usr/bin/python3", "-c",
                                       "x = b'a' * (512 << 20); import time; time.sleep(60)"],
                           memory_max=32 << 20)
        self.tender.start(name)
        p = self.tender.wait_state(name, ("failed", "exited"), timeout=60)
        self.assertEqual(p["State"], "failed")
        self.assertEqual(p["ExitSignal"], 9)
        self.assertEqual(p["ExitCode"], -1)
        # the kernel's own OOM counter in the scope says who killed it
        self.assertEqual(p["Reason"], "oom-kill")

    def test_fork_bomb_is_contained(self):
        name = self.workload("bomb")
        self.tender.create(name, argv=["/bin/sh", "-c",
                                       "f() { f | f & }; f; while :; do wait; done"],
                           tasks_max=16)
        self.tender.start(name)
        cg = self.tender.prop(name, "ControlGroup")
        answered = []
        stop = threading.Event()

        def ask():
            from tenderlab import Tender
            t = Tender()
            while not stop.is_set():
                t.list()
                answered.append(time.monotonic())
                time.sleep(0.05)

        asker = threading.Thread(target=ask)
        asker.start()
        most = 0
        try:
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                try:
                    most = max(most, int(cgroup_file("pids", cg, "pids.current")))
                    procs = cgroup_file("systemd", cg, "cgroup.procs").split()
                    most = max(most, len(procs))
                except FileNotFoundError:
                    break
                time.sleep(0.01)
        finally:
            stop.set()
            asker.join()
        self.assertGreaterEqual(most, 10, "the bomb did not go off")
        self.assertLessEqual(most, 16)
        self.assertGreater(len(answered), 20, "tenderd stopped answering")
        failcnt = cgroup_file("pids", cg, "pids.events")
        self.assertRegex(failcnt, r"max [1-9]")
        self.tender.stop(name, timeout_sec=2)
        self.assertEqual(self.tender.prop(name, "State"), "stopped")
        self.assertFalse(os.path.exists(os.path.join("/sys/fs/cgroup/pids", cg.lstrip("/"))))


class LifecycleTest(TenderTestCase):
    def test_exit_code(self):
        name = self.workload("seven")
        self.tender.create(name, argv=["sh", "-c", "exit 7"])
        self.tender.start(name)
        p = self.tender.wait_state(name, "exited")
        self.assertEqual(p["ExitCode"], 7)
        self.assertEqual(p["ExitSignal"], 0)
        self.assertEqual(p["Reason"], "exit-code: 7")
        self.assertEqual(p["MainPID"], 0)
        self.assertRegex(p["StoppedAt"], r"Z$")
        self.assertGreaterEqual(p["StoppedAt"], p["StartedAt"])

    def test_stop(self):
        name = self.workload("sleeper")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        pid = self.tender.prop(name, "MainPID")
        self.tender.stop(name)
        p = self.tender.props(name)
        self.assertEqual(p["State"], "stopped")
        self.assertEqual(p["ExitSignal"], 15)
        self.assertEqual(p["Reason"], "")
        self.assertFalse(os.path.exists(f"/proc/{pid}"))
        r = run(["systemctl", "is-active", "tender-sleeper.scope"], check=False)
        self.assertNotEqual(r.stdout.strip(), "active")
        # and it starts again, in a new scope
        self.tender.start(name)
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        self.assertNotEqual(p["MainPID"], pid)
        self.assertEqual(p["ExitSignal"], 0)
        self.assertEqual(p["StoppedAt"], "")
        self.assertEqual(proc_cgroup(p["MainPID"]), "/tender.slice/tender-sleeper.scope")

    def test_stop_escalates_to_sigkill(self):
        name = "stubborn"
        self.start_trapping_shell(name, "trap '' TERM")
        before = time.monotonic()
        self.tender.stop(name, timeout_sec=2)
        took = time.monotonic() - before
        p = self.tender.props(name)
        self.assertEqual(p["State"], "stopped")
        self.assertEqual(p["ExitSignal"], 9)
        self.assertEqual(p["Reason"], "stop-timeout")
        # it outlived SIGTERM until the timeout
        self.assertGreaterEqual(took, 1.5)

    def test_kill(self):
        name = self.workload("victim")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        self.tender.kill(name, 9)
        p = self.tender.wait_state(name, "failed")
        self.assertEqual(p["ExitSignal"], 9)
        self.assertEqual(p["Reason"], "signal: KILL")

    def test_kill_harmless_signal(self):
        """A signal the command handles does not end it; every process of it gets it."""
        name = "handler"
        flag = self.tmpfile(f"{name}.usr1")
        self.start_trapping_shell(name, f"trap 'echo got > {flag}' USR1")
        pid = self.tender.prop(name, "MainPID")
        self.tender.kill(name, 10)
        self.assertTrue(wait_for(lambda: os.path.exists(flag)), "the command never got SIGUSR1")
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        self.assertEqual(p["MainPID"], pid)

    def test_leftovers_are_reaped(self):
        """When the command exits, what it left in its scope goes too: no orphans."""
        name = self.workload("leaver")
        pidfile = f"/tmp/{name}.pid"
        self.tender.create(name, argv=["sh", "-c", f"sleep 300 & echo $! > {pidfile}; exit 0"])
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        with open(pidfile) as f:
            orphan = int(f.read())
        self.assertTrue(wait_for(lambda: not os.path.exists(f"/proc/{orphan}")),
                        f"process {orphan} outlived its workload")
        os.unlink(pidfile)

    def test_remove(self):
        name = self.workload("removable")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        pid = self.tender.prop(name, "MainPID")
        self.assertDBusError("InvalidState", self.tender.remove, name)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        self.tender.remove(name, force=True, timeout_sec=5)
        self.assertDBusError("NotFound", self.tender.path, name)
        self.assertFalse(os.path.exists(f"/proc/{pid}"))
        # the name is free again
        self.tender.create(name, argv=["true"])
        self.tender.remove(name)

    def test_force_remove_right_after_the_command_ended(self):
        """A forced remove of a short command that ended a moment ago works, also once
        systemd has removed its scope before tenderd has seen the end of the run."""
        for i in range(20):
            name = self.workload(f"short{i}")
            self.tender.create(name, argv=["true"])
            self.tender.start(name)
            self.tender.remove(name, force=True, timeout_sec=5)
            self.assertDBusError("NotFound", self.tender.path, name)

    def test_open_files_limit(self):
        """tenderd may hold more descriptors than systemd's soft limit of 1024 (a few per
        running workload); its workloads still start with the usual soft limit, 1024."""
        def nofile(pid):
            with open(f"/proc/{pid}/limits") as f:
                line = [l for l in f if l.startswith("Max open files")][0]
            return [int(x) for x in line.split()[3:5]]

        soft, hard = nofile(self.tenderd_pid)
        self.assertEqual(soft, hard)
        self.assertGreater(soft, 1024)
        name = self.workload("nofile")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        self.assertEqual(nofile(self.tender.prop(name, "MainPID")), [1024, hard])

    def test_environment_and_workdir(self):
        name = self.workload("envy")
        out = f"/tmp/{name}.out"
        self.tender.create(name, argv=["sh", "-c", f"echo \"$GREETING|$PATH|$(pwd)|$HOME\" > {out}"],
                           env=["GREETING=hello world"], working_directory="/usr")
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        with open(out) as f:
            greeting, path, cwd, home = f.read().strip().split("|")
        self.assertEqual(greeting, "hello world")
        self.assertIn("/usr/bin", path)
        self.assertEqual(cwd, "/usr")
        self.assertEqual(home, "")  # nothing of tenderd's environment leaks
        os.unlink(out)

    def test_workloads_outlive_tenderd(self):
        """SIGTERM ends tenderd cleanly and leaves the workloads running in their scopes, and
        the next tenderd takes them over."""
        name = self.workload("survivor")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        pid = self.tender.prop(name, "MainPID")
        run(["systemctl", "stop", "tenderd.service"])
        result = run(["systemctl", "show", "-P", "Result", "tenderd.service"]).stdout.strip()
        self.assertEqual(result, "success")
        self.assertTrue(os.path.exists(f"/proc/{pid}"))
        self.assertEqual(proc_cgroup(pid), "/tender.slice/tender-survivor.scope")
        self.assertEqual(run(["systemctl", "is-active", "tender-survivor.scope"]).stdout.strip(),
                         "active")
        run(["systemctl", "start", "tenderd.service"])
        self.tenderd_pid = int(run(["systemctl", "show", "-P", "MainPID",
                                    "tenderd.service"]).stdout)
        # the new tenderd has re-adopted it
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["MainPID"]), ("running", pid))
        self.tender.stop(name)
        self.assertEqual(self.tender.prop(name, "State"), "stopped")
        self.assertFalse(os.path.exists(f"/proc/{pid}"))


class DaemonTest(TenderTestCase):
    def test_notify_and_watchdog(self):
        """tenderd is Type=notify and keeps its watchdog fed."""
        show = run(["systemctl", "show", "-p", "Type", "-p", "ActiveState", "-p", "StatusText",
                    "-p", "WatchdogUSec", "tenderd.service"]).stdout
        self.assertIn("Type=notify", show)
        self.assertIn("ActiveState=active", show)
        self.assertIn("StatusText=Serving org.tender.Agent1", show)
        os.makedirs("/run/systemd/system/tenderd.service.d", exist_ok=True)
        with open("/run/systemd/system/tenderd.service.d/watchdog.conf", "w") as f:
            f.write("[Service]\nWatchdogSec=1s\n")
        try:
            run(["systemctl", "daemon-reload"])
            run(["systemctl", "restart", "tenderd.service"])
            pid = int(run(["systemctl", "show", "-P", "MainPID", "tenderd.service"]).stdout)
            time.sleep(3.5)
            self.assertEqual(int(run(["systemctl", "show", "-P", "MainPID",
                                      "tenderd.service"]).stdout), pid)
            self.assertEqual(run(["systemctl", "show", "-P", "NRestarts",
                                  "tenderd.service"]).stdout.strip(), "0")
        finally:
            os.unlink("/run/systemd/system/tenderd.service.d/watchdog.conf")
            run(["systemctl", "daemon-reload"])
            run(["systemctl", "restart", "tenderd.service"])
            self.tenderd_pid = int(run(["systemctl", "show", "-P", "MainPID",
                                        "tenderd.service"]).stdout)


if __name__ == "__main__":
    unittest.main()
