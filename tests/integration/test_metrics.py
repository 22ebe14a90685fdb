#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""GetMetrics, PauseWorkload and ResumeWorkload, and tenderctl stats, pause and resume: what
tenderd says of a workload's use, checked against what the processes did, and the cgroup
freezer, checked against the processes themselves."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import (CGROUP_ROOT, GLib, TenderTestCase, cgroup_file, run,  # noqa: E402
                       wait_for)

TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIB = 1 << 20
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
BUSY = ["sh", "-c", "while :; do :; done"]
# the lab runs cgroup v1: the freezer is a hierarchy of its own there
V1_FREEZER = os.path.isdir(os.path.join(CGROUP_ROOT, "freezer"))


def tenderctl(*args, **kwargs):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("TENDER_BUS", None)
    return subprocess.run([TENDERCTL, *args], capture_output=True, text=True, env=env,
                          timeout=60, **kwargs)


def cpu_time_nsec(pid):
    """utime + stime of a process, from /proc, in nanoseconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def read_text(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


class MetricsCase(TenderTestCase):
    def metrics(self, name):
        return self.tender.call("GetMetrics", "s", name)[0]

    def pause(self, name):
        self.tender.call("PauseWorkload", "s", name)

    def resume(self, name):
        self.tender.call("ResumeWorkload", "s", name)

    def start_with_ready(self, name, script, **spec):
        """Starts `sh -c SCRIPT`, where $READY is a file to create once it is set up."""
        ready = self.tmpfile(f"{name}.ready")
        self.tender.create(self.workload(name), argv=["sh", "-c", script],
                           env=[f"READY={ready}"], **spec)
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: os.path.exists(ready), timeout=30),
                        f"{name} never got ready")
        return self.tender.props(name)

    def frozen_pids(self, cg):
        return set(cgroup_file("freezer", cg, "cgroup.procs").split())


class MetricsTest(MetricsCase):
    def test_metrics_keys_and_types(self):
        name = self.workload("m-keys")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        m = self.metrics(name)
        self.assertEqual(set(m), {"cpu_usage_nsec", "cpu_percent", "memory_bytes",
                                  "memory_peak_bytes", "tasks", "io_read_bytes",
                                  "io_write_bytes", "timestamp"})
        reply = self.tender.bus.call_sync("org.tender.Agent1", "/org/tender/Agent1",
                                          "org.tender.Agent1.Manager", "GetMetrics",
                                          GLib.Variant("(s)", (name,)), None, 0, 10000, None)
        types = {k: reply.get_child_value(0).lookup_value(k, None).get_type_string()
                 for k in m}
        self.assertEqual(types, {"cpu_usage_nsec": "t", "cpu_percent": "d", "memory_bytes": "t",
                                 "memory_peak_bytes": "t", "tasks": "t", "io_read_bytes": "t",
                                 "io_write_bytes": "t", "timestamp": "s"})
        self.assertRegex(m["timestamp"], TIMESTAMP)

    def test_memory(self):
        """A process that holds 64 MiB shows at least that, now and as the peak."""
        p = self.start_with_ready(
            "m-memory", 'exec python3 -c "import os, time\n'
            "data = b'x' * (64 << 20)\n"
            "open(os.environ['READY'], 'w').close()\n"
            'time.sleep(300)"')
        m = self.metrics("m-memory")
        self.assertGreaterEqual(m["memory_bytes"], 64 * MIB)
        self.assertGreaterEqual(m["memory_peak_bytes"], m["memory_bytes"])
        # and it is the workload's own: a sleeper next to it has far less
        self.tender.create(self.workload("m-memory-small"), argv=["sleep", "300"])
        self.tender.start("m-memory-small")
        self.assertLess(self.metrics("m-memory-small")["memory_bytes"], 16 * MIB)
        self.assertGreater(p["MainPID"], 0)

    def test_memory_peak_stays(self):
        """The peak is the most ever in use: it stays after the memory is given back."""
        done = self.tmpfile("m-peak.done")
        self.start_with_ready(
            "m-peak", 'exec python3 -c "import os, time\n'
            "data = b'x' * (96 << 20)\n"
            "open(os.environ['READY'], 'w').close()\n"
            "time.sleep(0.5)\n"
            "del data\n"
            f"open('{done}', 'w').close()\n"
            'time.sleep(300)"')
        self.assertTrue(wait_for(lambda: os.path.exists(done)))
        m = self.metrics("m-peak")
        self.assertGreaterEqual(m["memory_peak_bytes"], 96 * MIB)
        self.assertLess(m["memory_bytes"], 64 * MIB)

    def test_cpu(self):
        """A busy loop uses CPU: its usage rises, at a rate well above 0, and at least by the
        CPU time the kernel counts for the loop itself; a sleeper uses next to none."""
        name = self.workload("m-busy")
        self.tender.create(name, argv=BUSY)
        self.tender.start(name)
        idle = self.workload("m-idle")
        self.tender.create(idle, argv=["sleep", "300"])
        self.tender.start(idle)
        pid = self.tender.prop(name, "MainPID")
        first = self.metrics(name)
        self.metrics(idle)
        time.sleep(1.5)
        own = cpu_time_nsec(pid)
        time.sleep(0.1)  # the cgroup's count is as fresh as the last scheduler tick
        second = self.metrics(name)
        self.assertGreater(second["cpu_usage_nsec"], first["cpu_usage_nsec"])
        self.assertGreaterEqual(second["cpu_usage_nsec"], own)
        self.assertGreater(second["cpu_percent"], 10.0)
        self.assertLessEqual(second["cpu_percent"], 100.0 * os.cpu_count() + 1)
        self.assertLess(self.metrics(idle)["cpu_percent"], 5.0)

    def test_cpu_percent_of_a_new_run(self):
        """cpu_percent starts anew with each run: the first one of a new run is not measured
        against the last one of the run before."""
        name = self.workload("m-rerun")
        self.tender.create(name, argv=BUSY)
        self.tender.start(name)
        self.metrics(name)
        time.sleep(3)
        busy = self.metrics(name)
        self.assertGreater(busy["cpu_percent"], 10.0)
        self.tender.stop(name, timeout_sec=5)
        self.tender.start(name)
        time.sleep(0.5)
        rerun = self.metrics(name)
        # a new scope, which has used less than the first one, and busy all the same
        self.assertLess(rerun["cpu_usage_nsec"], busy["cpu_usage_nsec"])
        self.assertGreater(rerun["cpu_percent"], 10.0)

    def test_tasks(self):
        """tasks counts processes and threads, tender-shim included."""
        p = self.start_with_ready("m-procs", "sleep 300 & sleep 300 & : > $READY; wait")
        self.assertTrue(wait_for(lambda: len(cgroup_file(
            "systemd", p["ControlGroup"], "cgroup.procs").split()) == 4))
        # tender-shim, sh and two sleeps
        self.assertEqual(self.metrics("m-procs")["tasks"], 4)

        self.start_with_ready(
            "m-threads", 'exec python3 -c "import os, threading, time\n'
            "for _ in range(3):\n"
            "    threading.Thread(target=time.sleep, args=(300,), daemon=True).start()\n"
            "open(os.environ['READY'], 'w').close()\n"
            'time.sleep(300)"')
        # tender-shim, and python3 with its main thread and three more
        self.assertEqual(self.metrics("m-threads")["tasks"], 5)

    def test_block_io(self):
        """Direct I/O to the disk under the checkout is counted, read and written.

        On cgroup v1 the kernel counts a cgroup's block I/O in blk-throttle, which recent
        kernels set up on a device only once a bandwidth limit is set on it: the workload sets
        a limit far above anything it does."""
        iodir = tempfile.mkdtemp(prefix=".tender-io-", dir=CHECKOUT)
        self.addCleanup(shutil.rmtree, iodir, True)
        data = os.path.join(iodir, "data")
        self.start_with_ready(
            "m-io", f"dd if=/dev/zero of={data} bs=1M count=16 oflag=direct conv=fsync "
            f"&& dd if={data} of=/dev/null bs=1M iflag=direct && : > $READY && exec sleep 300",
            working_directory=iodir, io_read_bandwidth_max=1 << 40,
            io_write_bandwidth_max=1 << 40)
        m = self.metrics("m-io")
        self.assertGreaterEqual(m["io_write_bytes"], 16 * MIB)
        self.assertGreaterEqual(m["io_read_bytes"], 16 * MIB)
        # a workload that does no I/O has none
        self.tender.create(self.workload("m-no-io"), argv=["sleep", "300"])
        self.tender.start("m-no-io")
        m = self.metrics("m-no-io")
        self.assertEqual((m["io_read_bytes"], m["io_write_bytes"]), (0, 0))

    def test_states(self):
        name = self.workload("m-states")
        self.tender.create(name, argv=["true"])
        e = self.assertDBusError("InvalidState", self.metrics, name)
        self.assertIn("created", e.message)
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        self.assertDBusError("InvalidState", self.metrics, name)
        self.assertDBusError("NotFound", self.metrics, "m-nothing")
        self.assertDBusError("InvalidArgument", self.metrics, "-bad name")


class PauseTest(MetricsCase):
    def start_counter(self, name):
        """A busy loop that counts into a file, always whole numbers of the same width."""
        count = self.tmpfile(f"{name}.count")
        p = self.start_with_ready(
            name, 'exec python3 -c "import os\n'
            f"fd = os.open('{count}', os.O_WRONLY | os.O_CREAT)\n"
            "open(os.environ['READY'], 'w').close()\n"
            "i = 0\n"
            "while True:\n"
            "    i += 1\n"
            "    os.pwrite(fd, b'%015d' % i, 0)\n"
            '"')
        self.assertTrue(wait_for(lambda: int(read_text(count) or 0) > 0))
        return p, count

    def test_pause_and_resume(self):
        name = "p-counter"
        p, count = self.start_counter(name)
        pid = p["MainPID"]
        self.pause(name)
        self.assertEqual(self.tender.prop(name, "State"), "paused")
        if V1_FREEZER:
            self.assertEqual(cgroup_file("freezer", p["ControlGroup"], "freezer.state"),
                             "FROZEN")
        before, counted = self.metrics(name), read_text(count)
        own = cpu_time_nsec(pid)
        time.sleep(1)
        after = self.metrics(name)
        # frozen: no CPU at all, and the count stands still
        self.assertEqual(after["cpu_usage_nsec"], before["cpu_usage_nsec"])
        self.assertEqual(after["cpu_percent"], 0.0)
        self.assertEqual(cpu_time_nsec(pid), own)
        self.assertEqual(read_text(count), counted)
        # it keeps its memory and its processes
        self.assertGreater(after["memory_bytes"], 0)
        self.assertEqual(after["tasks"], before["tasks"])

        self.resume(name)
        p2 = self.tender.props(name)
        self.assertEqual(p2["State"], "running")
        # the same process counts on from where it was
        self.assertEqual(p2["MainPID"], pid)
        self.assertTrue(wait_for(lambda: int(read_text(count)) > int(counted)))
        self.assertTrue(wait_for(
            lambda: self.metrics(name)["cpu_usage_nsec"] > after["cpu_usage_nsec"]))
        if V1_FREEZER:
            self.assertEqual(cgroup_file("freezer", p["ControlGroup"], "freezer.state"),
                             "THAWED")

    def test_forking_workload_is_frozen_whole(self):
        """Processes forked while the workload is being moved into the freezer are frozen
        too: none is left running outside it."""
        name = self.workload("p-forker")
        self.tender.create(name, argv=["sh", "-c", "while :; do (:) & wait; done"])
        self.tender.start(name)
        cg = self.tender.prop(name, "ControlGroup")
        for _ in range(3):
            self.pause(name)
            before = self.metrics(name)["cpu_usage_nsec"]
            if V1_FREEZER:
                procs = set(cgroup_file("systemd", cg, "cgroup.procs").split())
                self.assertTrue(procs <= self.frozen_pids(cg), procs - self.frozen_pids(cg))
            time.sleep(0.5)
            self.assertEqual(self.metrics(name)["cpu_usage_nsec"], before)
            self.resume(name)

    def test_stop_paused(self):
        """A paused workload stops as a running one does: SIGTERM ends it, no SIGKILL needed,
        and its freezer cgroup goes."""
        name = self.workload("p-stop")
        self.tender.create(name, argv=BUSY)
        self.tender.start(name)
        cg = self.tender.prop(name, "ControlGroup")
        self.pause(name)
        self.tender.stop(name, timeout_sec=60)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"]), ("stopped", ""))
        self.assertEqual(p["ExitSignal"], signal.SIGTERM)
        if V1_FREEZER:
            self.assertTrue(wait_for(lambda: not os.path.exists(
                os.path.join(CGROUP_ROOT, "freezer", cg.lstrip("/")))))
        # and it starts again as usual
        self.tender.start(name)
        self.assertEqual(self.tender.prop(name, "State"), "running")

    def test_remove_paused(self):
        name = self.workload("p-remove")
        self.tender.create(name, argv=BUSY)
        self.tender.start(name)
        self.pause(name)
        self.assertDBusError("InvalidState", self.tender.remove, name)
        self.tender.remove(name, force=True, timeout_sec=60)
        self.assertDBusError("NotFound", self.tender.path, name)

    def test_signals_wait_for_resume(self):
        """A signal sent to a paused workload is taken once it is resumed."""
        got = self.tmpfile("p-signal.got")
        self.start_trapping_shell("p-signal", f"trap ': > {got}' USR1")
        self.pause("p-signal")
        self.tender.kill("p-signal", signal.SIGUSR1)
        time.sleep(0.5)
        self.assertFalse(os.path.exists(got))
        self.assertEqual(self.tender.prop("p-signal", "State"), "paused")
        self.resume("p-signal")
        self.assertTrue(wait_for(lambda: os.path.exists(got)))
        self.assertEqual(self.tender.prop("p-signal", "State"), "running")

    def test_state_errors(self):
        name = self.workload("p-states")
        self.tender.create(name, argv=["sleep", "300"])
        e = self.assertDBusError("InvalidState", self.pause, name)
        self.assertIn("created", e.message)
        self.assertDBusError("InvalidState", self.resume, name)
        self.tender.start(name)
        e = self.assertDBusError("InvalidState", self.resume, name)
        self.assertIn("not paused", e.message)
        self.pause(name)
        e = self.assertDBusError("InvalidState", self.pause, name)
        self.assertIn("not running", e.message)
        self.resume(name)
        self.tender.stop(name, timeout_sec=5)
        self.assertDBusError("InvalidState", self.pause, name)
        self.assertDBusError("NotFound", self.pause, "p-nothing")
        self.assertDBusError("NotFound", self.resume, "p-nothing")
        self.assertDBusError("InvalidArgument", self.pause, "")

    def test_busctl(self):
        """The README's busctl examples."""
        name = self.workload("p-busctl")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        mgr = ["busctl", "--system", "--json=short", "call", "org.tender.Agent1",
               "/org/tender/Agent1", "org.tender.Agent1.Manager"]
        reply = json.loads(run(mgr + ["GetMetrics", "s", name]).stdout)
        self.assertEqual(reply["type"], "a{sv}")
        self.assertEqual(reply["data"][0]["tasks"], {"type": "t", "data": 2})
        run(mgr + ["PauseWorkload", "s", name])
        self.assertEqual(self.tender.prop(name, "State"), "paused")
        run(mgr + ["ResumeWorkload", "s", name])
        self.assertEqual(self.tender.prop(name, "State"), "running")


class TenderctlStatsTest(MetricsCase):
    def assertOk(self, r):
        self.assertEqual(r.returncode, 0, f"stdout={r.stdout!r} stderr={r.stderr!r}")
        self.assertEqual(r.stderr, "")

    def table(self, text):
        lines = text.splitlines()
        header = re.split(r"\s{2,}", lines[0].strip())
        self.assertEqual(header, ["NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PEAK", "PIDS",
                                  "BLOCK I/O"])
        return {row[0]: row for row in (re.split(r"\s{2,}", line.strip())
                                        for line in lines[1:] if line.strip())}

    def test_stats(self):
        busy = self.workload("s-busy")
        self.tender.create(busy, argv=BUSY, memory_max=256 * MIB)
        self.tender.start(busy)
        idle = self.workload("s-idle")
        self.tender.create(idle, argv=["sleep", "300"])
        self.tender.start(idle)
        self.pause(idle)
        created = self.workload("s-created")
        self.tender.create(created, argv=["sleep", "300"])

        rows = self.table(tenderctl("stats").stdout)
        self.assertIn(busy, rows)
        self.assertIn(idle, rows)
        self.assertNotIn(created, rows)
        r = tenderctl("stats", busy)
        self.assertOk(r)
        row = self.table(r.stdout)[busy]
        self.assertGreater(float(row[1].rstrip("%")), 10.0)
        self.assertRegex(row[2], r"^\d+(\.\d)?[BKMG] / 256M$")
        self.assertRegex(row[3], r"^\d+\.\d\d%$")
        self.assertEqual(row[5], "2")
        self.assertRegex(row[6], r"^\S+ / \S+$")
        row = self.table(tenderctl("stats", idle).stdout)[idle]
        self.assertEqual(row[1], "0.00%")
        self.assertEqual(row[3], "-")

    def test_stats_json(self):
        name = self.workload("s-json")
        self.tender.create(name, argv=["sleep", "300"], memory_max=64 * MIB)
        self.tender.start(name)
        r = tenderctl("stats", name, "--json")
        self.assertOk(r)
        data = json.loads(r.stdout)
        self.assertEqual([d["Name"] for d in data], [name])
        self.assertEqual(data[0]["memory_max"], 64 * MIB)
        self.assertEqual(data[0]["Metrics"]["tasks"], 2)
        self.assertRegex(data[0]["Metrics"]["timestamp"], TIMESTAMP)

    def test_stats_watch(self):
        """--watch prints again and again, until Ctrl-C, which is no failure."""
        name = self.workload("s-watch")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        env = dict(os.environ, LC_ALL="C.UTF-8")
        env.pop("TENDER_BUS", None)
        proc = subprocess.Popen([TENDERCTL, "stats", name, "--watch"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        try:
            headers = 0
            while headers < 2:
                line = proc.stdout.readline()
                self.assertNotEqual(line, "", "tenderctl stats --watch ended")
                headers += line.startswith("NAME")
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 0, proc.stderr.read())

    def test_stats_errors(self):
        r = tenderctl("stats", "s-nothing")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "tenderctl: Failed to read the metrics of workload "
                                   "'s-nothing': No workload named 's-nothing'\n")
        name = self.workload("s-created-only")
        self.tender.create(name, argv=["sleep", "300"])
        r = tenderctl("stats", name)
        self.assertEqual(r.returncode, 1)
        self.assertIn("is created", r.stderr)
        r = tenderctl("stats", "--bogus")
        self.assertEqual(r.returncode, 2)

    def test_pause_resume(self):
        name = self.workload("s-pause")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        pid = self.tender.prop(name, "MainPID")
        self.assertOk(tenderctl("pause", name))
        self.assertEqual(self.tender.prop(name, "State"), "paused")
        r = tenderctl("pause", name)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, f"tenderctl: Failed to pause workload '{name}': Workload "
                                   f"'{name}' is paused, not running\n")
        self.assertOk(tenderctl("resume", name))
        self.assertEqual(self.tender.prop(name, "State"), "running")
        self.assertEqual(self.tender.prop(name, "MainPID"), pid)
        r = tenderctl("resume", name)
        self.assertEqual(r.returncode, 1)
        self.assertIn("is running, not paused", r.stderr)
        r = tenderctl("pause")
        self.assertEqual(r.returncode, 2)

    def test_help(self):
        for command in ("stats", "pause", "resume"):
            r = tenderctl(command, "--help")
            self.assertOk(r)
            self.assertRegex(r.stdout, rf"tenderctl (\[OPTION\S*\] )?{command} ")
        self.assertIn("--watch", tenderctl("stats", "--help").stdout)
        overview = tenderctl("--help").stdout
        for command in ("stats", "pause", "resume"):
            self.assertRegex(overview, rf"(?m)^  {command} ")


if __name__ == "__main__":
    unittest.main()
