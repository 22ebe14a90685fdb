#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tenderctl end to end: what a user types and sees, checked against tenderd and the kernel."""

import json
import os
import re
import shutil
import subprocess
import time
import unittest

from tenderlab import TenderTestCase, cgroup_file, proc_cgroup, wait_for

TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"

# what must never reach a user: the D-Bus plumbing behind a message
DBUS_NOISE = ("org.tender", "GDBus.Error", "org.freedesktop")


def tenderctl(*args):
    """Runs tenderctl; returns the CompletedProcess (returncode, stdout, stderr)."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("TENDER_BUS", None)
    return subprocess.run([TENDERCTL, *args], capture_output=True, text=True, env=env,
                          timeout=60)


class TenderctlTest(TenderTestCase):
    def assertExit(self, result, code):
        self.assertEqual(result.returncode, code,
                         f"exit {result.returncode}, stdout={result.stdout!r}, "
                         f"stderr={result.stderr!r}")

    def assertOk(self, result):
        self.assertExit(result, 0)
        self.assertEqual(result.stderr, "")

    def assertPlainError(self, result, *fragments):
        """Exit 1, one plain sentence on stderr with every fragment, nothing on stdout."""
        self.assertExit(result, 1)
        self.assertEqual(result.stdout, "")
        self.assertTrue(result.stderr.startswith("tenderctl: "), result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)
        for noise in DBUS_NOISE:
            self.assertNotIn(noise, result.stderr)

    def assertUsageError(self, result, command, fragment):
        """Exit 2 with the reason and a pointer to --help."""
        self.assertExit(result, 2)
        self.assertEqual(result.stdout, "")
        hint = f"tenderctl {command} --help" if command else "tenderctl --help"
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 2, result.stderr)
        self.assertTrue(lines[0].startswith("tenderctl: "), result.stderr)
        self.assertIn(fragment, lines[0])
        self.assertEqual(lines[1], f"Try '{hint}'.")

    def assertNoWorkload(self, name):
        self.assertDBusError("NotFound", self.tender.path, name)

    def run_sleeper(self, name, *command):
        self.workload(name)
        self.assertOk(tenderctl("run", name, "--", *(command or ("sleep", "300"))))
        return self.tender.wait_state(name, "running")

    def run_trapping_shell(self, name, trap):
        """Runs a shell that installs @trap, then says so: no signal can overtake the trap."""
        ready = self.tmpfile(f"{name}.ready")
        pid = self.run_sleeper(name, "sh", "-c",
                               f"{trap}; : > {ready}; while :; do sleep 0.1 || :; done")["MainPID"]
        self.assertTrue(wait_for(lambda: os.path.exists(ready)), "the shell never got ready")
        return pid

    # ---- run and what it sets up ----

    def test_run(self):
        name = self.workload("ctl-run")
        r = tenderctl("run", name, "--memory", "64M", "--cpu", "50%", "--tasks", "20",
                      "--env", "K=V", "--workdir", "/usr", "--", "sleep", "300")
        self.assertOk(r)
        # run returns once the command runs
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        spec = p["Spec"]
        self.assertEqual(spec["argv"], ["sleep", "300"])
        self.assertEqual(spec["memory_max"], 67108864)
        self.assertEqual(spec["cpu_quota_percent"], 50)
        self.assertEqual(spec["tasks_max"], 20)
        self.assertEqual(spec["env"], ["K=V"])
        self.assertEqual(spec["working_directory"], "/usr")
        # the process is the command, in its scope, with its environment and directory
        pid = p["MainPID"]
        self.assertGreater(pid, 0)
        with open(f"/proc/{pid}/cmdline") as f:
            self.assertEqual(f.read().split("\0")[:2], ["sleep", "300"])
        with open(f"/proc/{pid}/environ") as f:
            self.assertIn("K=V", f.read().split("\0"))
        self.assertEqual(os.readlink(f"/proc/{pid}/cwd"), "/usr")
        cg = p["ControlGroup"]
        self.assertEqual(cg, "/tender.slice/tender-ctl-run.scope")
        for ctrl in ("memory", "cpu", "pids"):
            self.assertEqual(proc_cgroup(pid, ctrl), cg, ctrl)
        # the kernel holds the limits
        self.assertEqual(int(cgroup_file("memory", cg, "memory.limit_in_bytes")), 64 << 20)
        quota = int(cgroup_file("cpu", cg, "cpu.cfs_quota_us"))
        period = int(cgroup_file("cpu", cg, "cpu.cfs_period_us"))
        self.assertEqual(quota * 100 // period, 50)
        self.assertEqual(cgroup_file("pids", cg, "pids.max"), "20")

    # ---- list and inspect ----

    def test_list(self):
        name = "ctl-listed"
        pid = self.run_sleeper(name)["MainPID"]
        r = tenderctl("list")
        self.assertOk(r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "STATE", "UNIT", "MAINPID"])
        rows = [line.split() for line in lines[1:] if line.split()[:1] == [name]]
        self.assertEqual(rows, [[name, "running", f"tender-{name}.scope", str(pid)]])
        n = len(self.tender.list())
        self.assertEqual(lines[-1], f"{n} workload{'' if n == 1 else 's'} listed.")

    def test_list_json(self):
        name = "ctl-listed-json"
        pid = self.run_sleeper(name)["MainPID"]
        r = tenderctl("list", "--json")
        self.assertOk(r)
        data = json.loads(r.stdout)
        self.assertIsInstance(data, list)
        self.assertEqual(len(data), len(self.tender.list()))
        mine = [w for w in data if w["Name"] == name]
        self.assertEqual(mine, [{"Name": name, "State": "running",
                                 "Unit": f"tender-{name}.scope",
                                 "ObjectPath": self.tender.path(name), "MainPID": pid}])

    def test_inspect(self):
        name = self.workload("ctl-inspected")
        self.assertOk(tenderctl("run", name, "--memory", "64M", "--cpu", "50%", "--tasks", "20",
                                "--", "sleep", "300"))
        p = self.tender.wait_state(name, "running")
        r = tenderctl("inspect", name)
        self.assertOk(r)
        out = r.stdout

        def key(k, value):
            self.assertRegex(out, rf"(?m)^ *{k}: {re.escape(value)}$")

        key("Name", name)
        key("State", "running")
        key("Unit", f"tender-{name}.scope")
        key("ControlGroup", p["ControlGroup"])
        key("MainPID", str(p["MainPID"]))
        key("Command", "sleep 300")
        # the spec and the limits the kernel holds, in human units
        spec, limits = out.split("Limits:", 1)
        for text in (spec, limits):
            self.assertRegex(text, r"(?m)\bmemory_max +64M$")
            self.assertRegex(text, r"(?m)\bcpu_quota_percent +50%$")
            self.assertRegex(text, r"(?m)\btasks_max +20$")

    def test_inspect_json(self):
        name = self.workload("ctl-inspected-json")
        self.assertOk(tenderctl("run", name, "--memory", "64M", "--env", "K=V", "--",
                                "sleep", "300"))
        r = tenderctl("inspect", "--json", name)
        self.assertOk(r)
        data = json.loads(r.stdout)
        self.assertIsInstance(data, list)
        self.assertEqual(len(data), 1)
        # the same properties, value for value, as on the bus
        self.assertEqual(data[0], self.tender.props(name))
        self.assertEqual(data[0]["State"], "running")
        self.assertEqual(data[0]["Spec"]["memory_max"], 67108864)

    # ---- the life cycle ----

    def test_create_then_start(self):
        name = self.workload("ctl-later")
        self.assertOk(tenderctl("create", name, "--", "sleep", "300"))
        p = self.tender.props(name)
        self.assertEqual(p["State"], "created")
        self.assertEqual(p["MainPID"], 0)
        self.assertEqual(p["Command"], ["sleep", "300"])
        self.assertOk(tenderctl("start", name))
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        self.assertGreater(p["MainPID"], 0)
        self.assertTrue(os.path.exists(f"/proc/{p['MainPID']}"))

    def test_stop(self):
        name = "ctl-stopped"
        pid = self.run_sleeper(name)["MainPID"]
        self.assertOk(tenderctl("stop", name))
        # stop returns once the workload has ended
        p = self.tender.props(name)
        self.assertEqual(p["State"], "stopped")
        self.assertEqual(p["ExitSignal"], 15)
        self.assertEqual(p["MainPID"], 0)
        self.assertFalse(os.path.exists(f"/proc/{pid}"))

    def test_stop_timeout(self):
        name = "ctl-stubborn"
        self.run_trapping_shell(name, "trap '' TERM")
        before = time.monotonic()
        self.assertOk(tenderctl("stop", "--timeout", "1", name))
        took = time.monotonic() - before
        p = self.tender.props(name)
        self.assertEqual(p["State"], "stopped")
        self.assertEqual(p["ExitSignal"], 9)
        self.assertEqual(p["Reason"], "stop-timeout")
        self.assertGreaterEqual(took, 0.8)
        self.assertLess(took, 8)

    def test_kill(self):
        name = "ctl-killed"
        pid = self.run_sleeper(name)["MainPID"]
        self.assertOk(tenderctl("kill", "-s", "KILL", name))
        p = self.tender.wait_state(name, "failed", timeout=10)
        self.assertEqual(p["ExitSignal"], 9)
        self.assertEqual(p["Reason"], "signal: KILL")
        self.assertFalse(os.path.exists(f"/proc/{pid}"))

    def test_kill_harmless_signal(self):
        name = "ctl-handler"
        flag = self.tmpfile(f"{name}.usr1")
        pid = self.run_trapping_shell(name, f"trap 'echo got > {flag}' USR1")
        self.assertOk(tenderctl("kill", "--signal", "USR1", name))
        self.assertTrue(wait_for(lambda: os.path.exists(flag)), "the shell never got SIGUSR1")
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        self.assertEqual(p["MainPID"], pid)

    def test_remove_refuses_running(self):
        name = "ctl-busy"
        pid = self.run_sleeper(name)["MainPID"]
        r = tenderctl("remove", name)
        self.assertPlainError(r)
        self.assertEqual(r.stderr, f"tenderctl: Failed to remove workload '{name}': Workload "
                         f"'{name}' is running; stop it first or remove it with force\n")
        self.assertEqual(self.tender.prop(name, "State"), "running")
        self.assertTrue(os.path.exists(f"/proc/{pid}"))

    def test_start_running(self):
        name = "ctl-twice"
        pid = self.run_sleeper(name)["MainPID"]
        r = tenderctl("start", name)
        self.assertPlainError(r, f"Workload '{name}' is running")
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        self.assertEqual(p["MainPID"], pid)

    def test_remove_force(self):
        name = "ctl-forced"
        pid = self.run_sleeper(name)["MainPID"]
        self.assertOk(tenderctl("remove", "--force", name))
        self.assertNoWorkload(name)
        self.assertFalse(os.path.exists(f"/proc/{pid}"))

    def test_remove_stopped(self):
        name = self.workload("ctl-idle")
        self.assertOk(tenderctl("create", name, "--", "true"))
        self.assertOk(tenderctl("remove", name))
        self.assertNoWorkload(name)

    # ---- errors ----

    def test_start_missing(self):
        name = "ctl-ghost"
        self.assertNoWorkload(name)
        r = tenderctl("start", name)
        self.assertPlainError(r)
        self.assertEqual(r.stderr, f"tenderctl: Failed to start workload '{name}': "
                         f"No workload named '{name}'\n")
        self.assertNoWorkload(name)

    def test_invalid_name(self):
        r = tenderctl("run", "bad/name", "--", "sleep", "300")
        self.assertPlainError(r)
        self.assertEqual(r.stderr, "tenderctl: Failed to create workload 'bad/name': Invalid "
                         "workload name: character 4 is not one of A-Z a-z 0-9 _ . -\n")
        self.assertNotIn("bad/name", [w[0] for w in self.tender.list()])

    def test_bad_size(self):
        name = "ctl-bad-size"
        self.workload(name)
        r = tenderctl("run", name, "--memory", "12Q", "--", "sleep", "300")
        self.assertUsageError(r, "run", "Invalid size '12Q'")
        self.assertNoWorkload(name)

    def test_run_with_runtime(self):
        name = self.workload("ctl-runtime")
        self.assertOk(tenderctl("run", name, "--runtime", "scope", "--", "sleep", "300"))
        p = self.tender.props(name)
        self.assertEqual(p["State"], "running")
        # the default runtime is left out of Spec
        self.assertNotIn("runtime", p["Spec"])
        self.assertEqual(p["ControlGroup"], f"/tender.slice/tender-{name}.scope")

    def test_run_with_invalid_runtime(self):
        name = "ctl-bad-runtime"
        self.workload(name)
        # what only tenderd can judge comes back as a plain sentence
        for runtime in ("No pe", "", "x" * 33):
            r = tenderctl("run", name, "--runtime", runtime, "--", "sleep", "300")
            self.assertPlainError(r, f"Failed to create workload '{name}'", "'runtime'")
            self.assertNoWorkload(name)

    # a runtime tenderd does not have: refused, naming the runtimes there are
    def test_run_with_unknown_runtime(self):
        name = "ctl-no-runtime"
        self.workload(name)
        r = tenderctl("run", name, "--runtime", "nope", "--", "sleep", "300")
        self.assertPlainError(r, f"Failed to create workload '{name}'", "nope")
        self.assertNoWorkload(name)

    def test_run_with_extension(self):
        name = self.workload("ctl-extension")
        self.assertOk(tenderctl("create", name, "--x", "test={'image': <'nginx'>, 'n': <uint32 3>}",
                                "--x", "other={}", "--", "sleep", "300"))
        spec = self.tender.prop(name, "Spec")
        self.assertEqual(spec["x-test"], {"image": "nginx", "n": 3})
        self.assertEqual(spec["x-other"], {})
        other = "ctl-bad-extension"
        self.workload(other)
        for args, fragment in [(["--x", "test"], "Invalid --x 'test': expected NAME=TEXT"),
                               (["--x", "=x"], "Invalid --x '=x': expected NAME=TEXT"),
                               (["--x", "test={'a': 1"], "Invalid x-test '{'a': 1'"),
                               (["--x", "test=[1]"], "Invalid x-test '[1]'"),
                               (["--x", "a={}", "--x", "a={}"], "Key 'x-a' is given twice")]:
            self.assertUsageError(tenderctl("run", other, *args, "--", "true"), "run", fragment)
        self.assertNoWorkload(other)

    def test_spec_flags_help(self):
        r = tenderctl("create", "--help")
        self.assertOk(r)
        # every key of the spec that a flag can give has one, named as before
        for option in ("--env=KEY=VALUE", "--workdir=DIR", "--description=TEXT",
                       "--label=KEY=VALUE", "--memory=SIZE", "--cpu=PERCENT", "--tasks=N",
                       "--io-read=SIZE", "--io-write=SIZE", "--restart=POLICY",
                       "--restart-max=N", "--restart-delay=DURATION", "--max-runtime=DURATION",
                       "--health-cmd=CMD", "--health-url=URL", "--health-interval=DURATION",
                       "--health-timeout=DURATION", "--health-retries=N",
                       "--health-start-period=DURATION", "--health-on-unhealthy=ACTION",
                       "--user=USER", "--group=GROUP", "--cap=CAPABILITY", "--pre-start=CMD",
                       "--runtime=NAME", "--x=NAME=TEXT"):
            self.assertRegex(r.stdout, rf"(?m)^  {re.escape(option)} ")
        # the help of a flag is the doc of its key, with its default
        self.assertRegex(r.stdout, r"(?m)^  --runtime=NAME +The runtime that runs the workload, "
                         r"default scope$")
        self.assertRegex(r.stdout, r"(?m)^  --health-interval=DURATION +Health: time between two "
                         r"checks, whole seconds, default 30s$")

    def test_missing_separator(self):
        name = "ctl-no-separator"
        self.workload(name)
        r = tenderctl("run", name, "sleep", "300")
        self.assertUsageError(r, "run", "The command must follow '--'")
        self.assertNoWorkload(name)

    def test_help(self):
        r = tenderctl("--help")
        self.assertOk(r)
        self.assertIn("Usage:", r.stdout)
        self.assertIn("tenderctl [OPTION", r.stdout)
        for command in ("list", "create", "run", "start", "stop", "kill", "inspect", "remove"):
            self.assertRegex(r.stdout, rf"(?m)^  {command} ")

    def test_run_help(self):
        r = tenderctl("run", "--help")
        self.assertOk(r)
        self.assertIn("Usage:", r.stdout)
        self.assertRegex(r.stdout, r"tenderctl (\[OPTION\S*\] )?run NAME .*-- CMD")
        for option in ("--memory", "--cpu", "--tasks", "--env", "--workdir"):
            self.assertIn(option, r.stdout)

    def test_unknown_command(self):
        r = tenderctl("frobnicate")
        self.assertUsageError(r, None, "Unknown command 'frobnicate'")

    def test_command_not_found(self):
        name = self.workload("ctl-noexec")
        r = tenderctl("run", name, "--", "/nonexistent")
        self.assertPlainError(r, f"'{name}'", "No such file or directory")
        p = self.tender.props(name)
        self.assertEqual(p["State"], "failed")
        self.assertEqual(p["Reason"], "exec: No such file or directory")
        self.assertEqual(p["MainPID"], 0)


if __name__ == "__main__":
    unittest.main()
