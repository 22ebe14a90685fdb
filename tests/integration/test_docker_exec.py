#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""ExecWorkload in a workload of the runtime docker (plugin API 0.4's exec, the Docker
plugin's POST /containers/ID/exec and hijacked /exec/ID/start), against the real tenderd and
the lab's dockerd: argv, env, working directory, the workload's x-docker user, exit codes,
stdin, stdout and stderr apart, max_output, timeout_sec (the process really gone), a command
that does not exist, a workload not running, a terminal; over D-Bus, HTTP (captured and
streamed) and tenderctl exec (the caller's own descriptors); the caller gone; and the core's
spec key volumes as binds, read-only ones refusing writes."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dockerlab import docker  # noqa: E402
from tenderlab import GLib, wait_for  # noqa: E402
from test_docker_runtime import LOOP, TENDERCTL, DockerTestCase, x_docker  # noqa: E402
import test_exec  # noqa: E402
from test_exec import MIB, ExecTestCase  # noqa: E402


def top(name):
    """The command lines of the processes of the workload's container, as docker top says
    (its columns: UID PID PPID C STIME TTY TIME CMD)."""
    out = docker("top", f"tender-{name}").stdout
    return [line.split(None, 7)[7] for line in out.splitlines()[1:] if line.strip()]


class DockerExecTest(DockerTestCase, ExecTestCase):
    def run_docker(self, name, **keys):
        spec = x_docker(**keys.pop("x", {}))
        spec.update(keys)
        self.create(name, ["sh", "-c", LOOP], **spec)
        self.tender.start(name)
        return self.tender.wait_state(name, "running")

    def test_dbus(self):
        """argv, env, working directory, exit codes, stdin, stdout and stderr apart."""
        self.run_docker("dx-bus", x={"workdir": "/tmp", "user": "nobody"})
        code, signo, out, err, truncated = self.exec_(
            "dx-bus", ["sh", "-c", 'echo "$A $B $(pwd) $(id -un)"; echo err >&2; exit 7'],
            env=["A=1", "B=two words"])
        self.assertEqual((code, signo, out, err, truncated),
                         (7, 0, b"1 two words /tmp nobody\n", b"err\n", False))
        self.assertEqual(self.sh("dx-bus", "pwd", working_directory="/etc"), "/etc\n")
        self.assertEqual(self.exec_("dx-bus", ["true"])[:4], (0, 0, b"", b""))
        self.assertEqual(self.exec_("dx-bus", ["cat"], stdin=b"hello\n")[2], b"hello\n")
        # more than the socket's buffers hold
        self.assertEqual(self.exec_("dx-bus", ["wc", "-c"], stdin=b"x" * 300000)[2].strip(),
                         b"300000")
        # without stdin: its end at once
        self.assertEqual(self.exec_("dx-bus", ["cat"])[:3], (0, 0, b""))
        # a signal it sends itself is dockerd's exit status 128+N: not tender's doing
        self.assertEqual(self.exec_("dx-bus", ["sh", "-c", "kill -TERM $$"])[:2],
                         (128 + signal.SIGTERM, 0))

    def test_output_cap(self):
        self.run_docker("dx-out")
        code, _, out, err, truncated = self.exec_(
            "dx-out", ["sh", "-c", "head -c 100000 /dev/zero; echo done >&2"], max_output=1000)
        self.assertEqual((code, len(out), err, truncated), (0, 1000, b"done\n", True))
        code, _, out, _, truncated = self.exec_("dx-out", ["head", "-c", str(MIB + 4096),
                                                          "/dev/zero"])
        self.assertEqual((code, len(out), truncated), (0, MIB, True))

    def test_timeout_and_refusals(self):
        self.run_docker("dx-refuse")
        started = time.monotonic()
        code, signo, _, _, _ = self.exec_("dx-refuse", ["sh", "-c", "sleep 60 & sleep 61"],
                                          timeout_sec=1)
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual((code, signo), (-1, signal.SIGKILL))
        # the command and what it started are gone: the container runs its loop alone
        self.assertTrue(wait_for(lambda: not [p for p in top("dx-refuse") if "sleep 6" in p]),
                        top("dx-refuse"))
        self.assertTrue([p for p in top("dx-refuse") if "while" in p], top("dx-refuse"))
        e = self.assertDBusError("NotFound", self.exec_, "dx-refuse", ["no-such-command"])
        self.assertIn("no-such-command", e.message)
        e = self.assertDBusError("InvalidArgument", self.exec_, "dx-refuse", [])
        self.assertIn("argv", e.message)
        self.tender.call("PauseWorkload", "s", "dx-refuse")
        self.assertDBusError("InvalidState", self.exec_, "dx-refuse", ["true"])
        self.tender.call("ResumeWorkload", "s", "dx-refuse")
        self.tender.stop("dx-refuse", timeout_sec=5)
        e = self.assertDBusError("InvalidState", self.exec_, "dx-refuse", ["true"])
        self.assertIn("stopped", e.message)
        self.create("dx-created", ["sh", "-c", LOOP], **x_docker())
        self.assertDBusError("InvalidState", self.exec_, "dx-created", ["true"])

    def test_tty(self):
        self.run_docker("dx-tty")
        # the size is set just after the start (API 1.41 has no ConsoleSize at create): the
        # command may see it a moment later
        script = ("tty; for i in $(seq 50); do s=$(stty size 2>/dev/null); "
                  "[ \"$s\" = '33 77' ] && break; sleep 0.1; done; echo \"$s\"; echo e >&2")
        code, _, out, err, _ = self.exec_("dx-tty", ["sh", "-c", script],
                                          tty=True, terminal_size=(33, 77))
        lines = out.decode().splitlines()
        self.assertEqual(code, 0, out)
        self.assertRegex(lines[0], r"^/dev/pts/\d+\r?$")
        self.assertEqual(lines[1].strip(), "33 77")
        self.assertEqual(lines[2].strip(), "e")
        self.assertEqual(err, b"")

    def run_sleeper(self, name, argv=None, **spec):
        """A running docker workload, for the tests of test_exec.py run here as they stand."""
        return self.run_docker(name, **spec)

    def test_http(self):
        """POST /v1/workloads/NAME/exec, captured; and streamed (the caller's descriptors,
        each chunk as it comes)."""
        test_exec.ExecHttpTest.test_captured(self)
        test_exec.ExecHttpTest.test_streamed(self)

    def test_tenderctl(self):
        """tenderctl exec passes its own stdin, stdout and stderr: the streaming path."""
        test_exec.ExecTenderctlTest.test_streams_and_exit_status(self)
        # a lot through both ways, more than any buffer between
        data = os.urandom(3 * MIB)
        r = subprocess.run([TENDERCTL, "exec", "ex-ctl", "--", "cat"], input=data,
                           capture_output=True, timeout=60)
        self.assertEqual((r.returncode, len(r.stdout), r.stdout == data), (0, len(data), True))

    def test_caller_gone_kills_the_command(self):
        self.run_docker("dx-gone")
        proc = subprocess.Popen([TENDERCTL, "exec", "dx-gone", "--", "sleep", "100"],
                                stdin=subprocess.DEVNULL)
        self.assertTrue(wait_for(lambda: "sleep 100" in top("dx-gone")), top("dx-gone"))
        proc.kill()
        proc.wait()
        self.assertTrue(wait_for(lambda: "sleep 100" not in top("dx-gone")),
                        "the command outlived its caller")

    def test_volumes(self):
        rw = self.tmpfile("dx-vol-rw")
        ro = self.tmpfile("dx-vol-ro")
        for path in (rw, ro):
            os.mkdir(path)
            self.addCleanup(shutil.rmtree, path, True)
        with open(os.path.join(ro, "given"), "w") as f:
            f.write("from the host\n")
        self.run_docker("dx-vol", volumes=GLib.Variant("a(ssb)", [(rw, "/data", False),
                                                                  (ro, "/ro", True)]))
        mounts = {m["Target"]: (m["Type"], m["Source"], m.get("ReadOnly", False))
                  for m in json.loads(docker("inspect", "tender-dx-vol").stdout)[0]
                  ["HostConfig"]["Mounts"]}
        self.assertEqual(mounts, {"/data": ("bind", rw, False), "/ro": ("bind", ro, True)})
        self.assertEqual(self.sh("dx-vol", "echo hi > /data/f; cat /ro/given"),
                         "from the host\n")
        with open(os.path.join(rw, "f")) as f:
            self.assertEqual(f.read(), "hi\n")
        code, _, _, err, _ = self.exec_("dx-vol", ["touch", "/ro/x"])
        self.assertNotEqual(code, 0)
        self.assertIn(b"Read-only file system", err)
        self.assertFalse(os.path.exists(os.path.join(ro, "x")))
        # a source that does not exist: the start fails, saying which
        missing = "/tmp/tender-test.dx-vol-missing"
        self.create("dx-vol-missing", ["sh", "-c", LOOP],
                    volumes=GLib.Variant("a(ssb)", [(missing, "/data", False)]), **x_docker())
        with self.assertRaises(Exception) as ctx:
            self.tender.start("dx-vol-missing")
        self.assertIn(missing, str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
