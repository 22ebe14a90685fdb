#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tender_plugin_exec_workload_async() (plugin API 0.4): a plugin runs a command in a workload
it owns, as ExecWorkload does, and learns the command's pid once it runs.  The test plugin
execer (tests/plugins/execer.c) calls it from its D-Bus methods: Exec waits for the result,
Start answers with the pid its started callback got, Cancel cancels what Start ran and answers
with its result."""

import os
import sys
import time
import unittest

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import proc_cgroup, tenderd_pid, wait_for  # noqa: E402
from test_exec import scope_procs  # noqa: E402
from test_plugins import HELLO_IFACE, HELLO_PATH, SOURCES, PluginTestCase  # noqa: E402

EXECER_PATH = "/org/tender/Agent1/plugin/execer"
EXECER_IFACE = "org.tender.Test.Execer"
OPTION_TYPES = {"env": "as", "working_directory": "s", "timeout_sec": "u", "max_output": "t",
                "stdin": "ay", "stdout": "s", "colour": "s"}


def cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read()


class PluginExecTest(PluginTestCase):
    def execer(self, method, signature, *args):
        return self.tender.call(method, signature, *args, path=EXECER_PATH, iface=EXECER_IFACE)

    def spawn(self, name, argv=("sleep", "300")):
        """A workload of execer's own, running."""
        self.execer("Spawn", "sas", self.workload(name), list(argv))
        return self.tender.wait_state(name, "running")

    def exec_(self, name, argv, files=None, **options):
        """execer's Exec: the result of tender_plugin_exec_workload_finish(), with what its
        started callback got (started_pid, started_calls)."""
        opts = {k: GLib.Variant(OPTION_TYPES[k], v) for k, v in options.items()}
        (result,) = self.execer("Exec", "sasa{sv}a{ss}", name, argv, opts, files or {})
        for key in ("stdout", "stderr"):
            result[key] = bytes(result[key])
        return result

    def start(self, name, argv, **options):
        opts = {k: GLib.Variant(OPTION_TYPES[k], v) for k, v in options.items()}
        return self.execer("Start", "sasa{sv}", name, argv, opts)[0]

    def test_output_exit_code_and_pid(self):
        self.spawn("pex-out")
        r = self.exec_("pex-out", ["sh", "-c", "echo out; echo err >&2; exit 3"])
        self.assertEqual({k: r[k] for k in ("exit_code", "signal", "stdout", "stderr",
                                            "truncated")},
                         {"exit_code": 3, "signal": 0, "stdout": b"out\n", "stderr": b"err\n",
                          "truncated": False})
        # started was called once, with the pid the result has
        self.assertGreater(r["pid"], 0)
        self.assertEqual((r["started_pid"], r["started_calls"]), (r["pid"], 1))
        self.assertLess(r["duration_ms"], 30000)
        # a command killed by a signal: no exit code, the signal
        r = self.exec_("pex-out", ["sh", "-c", "kill -TERM $$"])
        self.assertEqual((r["exit_code"], r["signal"]), (-1, 15))
        # the pid is the command's own: it says so
        r = self.exec_("pex-out", ["sh", "-c", "echo $$"])
        self.assertEqual(r["stdout"], f"{r['pid']}\n".encode())

    def test_env_working_directory_and_stdin(self):
        self.spawn("pex-env")
        r = self.exec_("pex-env", ["sh", "-c", "pwd; echo $FOO; cat"], env=["FOO=bar baz"],
                       working_directory="/usr/lib", stdin=b"fed\x00bytes\n")
        self.assertEqual((r["exit_code"], r["stderr"]), (0, b""))
        self.assertEqual(r["stdout"], b"/usr/lib\nbar baz\nfed\x00bytes\n")
        # max_output: the rest is discarded, and the result says so
        r = self.exec_("pex-env", ["echo", "123456789"], max_output=4)
        self.assertEqual((r["stdout"], r["truncated"]), (b"1234", True))

    def test_output_to_the_plugins_descriptors(self):
        self.spawn("pex-files")
        src, out, err = (self.tmpfile(f"pex-{n}") for n in ("in", "out", "err"))
        with open(src, "wb") as f:
            f.write(b"from a file\n")
        r = self.exec_("pex-files", ["sh", "-c", "cat; echo to-err >&2"],
                       files={"stdin": src, "stdout": out, "stderr": err})
        self.assertEqual((r["exit_code"], r["stdout"], r["stderr"]), (0, b"", b""))
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"from a file\n")
        with open(err, "rb") as f:
            self.assertEqual(f.read(), b"to-err\n")

    def test_started_pid_is_in_the_workload_and_cancel_kills_it(self):
        props = self.spawn("pex-bg")
        cgroup = props["ControlGroup"]
        before = set(scope_procs(cgroup))  # tender-shim and the workload's sleep
        pid = self.start("pex-bg", ["sh", "-c", "sleep 301 & exec sleep 302"])
        # the pid is the command's, as the host sees it, in the workload's control group
        self.assertTrue(wait_for(lambda: cmdline(pid) == b"sleep\x00302\x00"), cmdline(pid))
        self.assertEqual(proc_cgroup(pid), cgroup)
        self.assertTrue(wait_for(lambda: len(set(scope_procs(cgroup)) - before) == 2),
                        scope_procs(cgroup))
        added = set(scope_procs(cgroup)) - before
        self.assertIn(str(pid), added)
        self.assertEqual(sorted(cmdline(p) for p in added),
                         [b"sleep\x00301\x00", b"sleep\x00302\x00"])
        (r,) = self.execer("Cancel", "u", pid)
        # killed, with its process group: the command and what it left in the background
        self.assertEqual((r["exit_code"], r["signal"], r["pid"]), (-1, 9, pid))
        self.assertEqual((r["started_pid"], r["started_calls"]), (pid, 1))
        self.assertFalse(os.path.exists(f"/proc/{pid}"))
        self.assertTrue(wait_for(lambda: set(scope_procs(cgroup)) == before),
                        scope_procs(cgroup))
        self.assertEqual(self.tender.prop("pex-bg", "State"), "running")

    def test_timeout(self):
        self.spawn("pex-timeout")
        begun = time.monotonic()
        r = self.exec_("pex-timeout", ["sleep", "100"], timeout_sec=1)
        self.assertEqual((r["exit_code"], r["signal"]), (-1, 9))
        # never before the timeout
        self.assertGreaterEqual(r["duration_ms"], 1000)
        self.assertLess(r["duration_ms"], 10000)
        self.assertLess(time.monotonic() - begun, 10)

    def test_errors(self):
        self.spawn("pex-err")
        self.assertDBusError("InvalidArgument", self.exec_, "pex-err", [])
        self.assertDBusError("NotFound", self.exec_, "pex-none", ["true"])
        # a command that is not there: an error, and started never called (no pid to answer)
        e = self.assertDBusError("NotFound", self.start, "pex-err", ["/no/such/command"])
        self.assertIn("there is no such command", e.message)
        # ExecWorkload's options, but no descriptor among them: those are arguments
        e = self.assertDBusError("InvalidArgument", self.exec_, "pex-err", ["true"],
                                 stdout="x")
        self.assertIn("Option 'stdout' is not for plugins", e.message)
        self.assertDBusError("InvalidArgument", self.exec_, "pex-err", ["true"], colour="red")
        src = self.tmpfile("pex-err-in")
        open(src, "w").close()
        e = self.assertDBusError("InvalidArgument", self.exec_, "pex-err", ["cat"],
                                 files={"stdin": src}, stdin=b"x")
        self.assertIn("give one of them", e.message)
        # descriptors are taken, whatever happens: none is left open in tenderd
        fds = len(os.listdir(f"/proc/{tenderd_pid()}/fd"))
        for _ in range(20):
            self.assertDBusError("InvalidArgument", self.exec_, "pex-err", [],
                                 files={"stdin": src, "stdout": src})
        self.assertLess(len(os.listdir(f"/proc/{tenderd_pid()}/fd")), fds + 10)
        # not running
        self.tender.stop("pex-err")
        e = self.assertDBusError("InvalidState", self.exec_, "pex-err", ["true"])
        self.assertIn("commands run only in a running workload", e.message)

    def test_only_in_its_own_workloads(self):
        # as it may manage only its own workloads: the users' may be read, not run in
        marker = self.tmpfile("pex-ran")
        name = self.workload("pex-users")
        self.tender.create(name, argv=["sleep", "300"])
        self.tender.start(name)
        e = self.assertDBusError("AccessDenied", self.exec_, name, ["touch", marker])
        self.assertEqual(e.message,
                         "Workload 'pex-users' belongs to the users, not to plugin 'execer'")
        # another plugin's
        name = self.workload("pex-hellos")
        self.tender.call("Spawn", "sas", name, ["sleep", "300"], path=HELLO_PATH,
                         iface=HELLO_IFACE)
        e = self.assertDBusError("AccessDenied", self.exec_, name, ["touch", marker])
        self.assertEqual(e.message,
                         "Workload 'pex-hellos' belongs to plugin 'hello', not to plugin "
                         "'execer'")
        # nothing ran in either; in its own, it runs
        self.assertFalse(os.path.exists(marker))
        self.spawn("pex-own")
        self.assertEqual(self.exec_("pex-own", ["touch", marker])["exit_code"], 0)
        self.assertTrue(os.path.exists(marker))

    def test_readme_example_is_the_plugins(self):
        """The call of README.md, "Commands in a workload", is execer's, as it stands: the
        one the tests above drive."""
        with open(os.path.join(os.path.dirname(SOURCES), "..", "README.md")) as f:
            readme = f.read()
        section = readme[readme.index("### Commands in a workload"):]
        example = section[section.index("```c\n") + 5:section.index("```\n")]
        self.assertIn("tender_plugin_exec_workload_async(plugin,", example)
        with open(os.path.join(SOURCES, "execer.c")) as f:
            self.assertIn(example, f.read())
        self.assertEqual(self.plugins()["execer"], ("1.0.0", "active"))


if __name__ == "__main__":
    unittest.main()
