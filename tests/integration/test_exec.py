#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""ExecWorkload (issue 13 §4): a command in a running workload, as the workload's processes
run: in its control groups (every hierarchy), as its user with its capabilities, with its
environment and resource limits, in its namespaces when it has its own (a workload made
namespaced by `unshare`, until the isolation levels are there); its exit status and signal,
output kept up to max_output, stdin fed, timeout_sec, errors; tenderctl exec with its own stdio
and -t; POST /v1/workloads/NAME/exec, captured and streamed; polkit's
org.tender.workloads.exec."""

import base64
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import (BUS_NAME, MANAGER_IFACE, MANAGER_PATH, DBusError,  # noqa: E402
                       Gio, GLib, TenderTestCase, proc_cgroup, run, wait_for)
from test_http import CHECKOUT, UnixConnection, curl  # noqa: E402
from test_polkit import CALLER, DENIED, GROUP, RULES_DIR, USER, ensure_user  # noqa: E402
from test_privileges import caps, privileges, status  # noqa: E402
from test_tenderctl import TENDERCTL, tenderctl  # noqa: E402

OPTION_TYPES = {"env": "as", "working_directory": "s", "timeout_sec": "u", "max_output": "t",
                "tty": "b", "terminal_size": "(qq)", "stdin": "ay"}
CAP_NET_BIND_SERVICE = 10
MIB = 1024 * 1024


def scope_procs(cgroup):
    """The processes of a scope, in the hierarchy that tracks them."""
    for root in ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
        path = os.path.join(root, cgroup.lstrip("/"), "cgroup.procs")
        if os.path.exists(path):
            with open(path) as f:
                return f.read().split()
    raise AssertionError(f"no cgroup.procs of {cgroup}")


class ExecTestCase(TenderTestCase):
    def exec_(self, name, argv, fds=None, timeout_ms=60000, **options):
        """ExecWorkload → (exit_code, signal, stdout bytes, stderr bytes, truncated); @fds
        maps stdin, stdout, stderr to descriptors passed with the call."""
        opts = {k: GLib.Variant(OPTION_TYPES[k], v) for k, v in options.items()}
        fd_list = Gio.UnixFDList.new()
        for key, fd in (fds or {}).items():
            opts[key] = GLib.Variant("h", fd_list.append(fd))
        try:
            reply, _ = self.tender.bus.call_with_unix_fd_list_sync(
                BUS_NAME, MANAGER_PATH, MANAGER_IFACE, "ExecWorkload",
                GLib.Variant("(sasa{sv})", (name, argv, opts)),
                GLib.VariantType("(iiayayb)"), Gio.DBusCallFlags.NONE, timeout_ms, fd_list,
                None)
        except GLib.Error as e:
            remote = Gio.DBusError.get_remote_error(e)
            Gio.DBusError.strip_remote_error(e)
            raise DBusError(remote, e.message) from None
        code, signo, out, err, truncated = reply.unpack()
        return code, signo, bytes(out), bytes(err), truncated

    def run_sleeper(self, name, argv=("sleep", "300"), **spec):
        self.tender.create(self.workload(name), argv=list(argv), **spec)
        self.tender.start(name)
        return self.tender.wait_state(name, "running")

    def sh(self, name, script, **options):
        """The exit status and stdout (text) of `sh -c SCRIPT` run in @name."""
        code, signo, out, err, _ = self.exec_(name, ["sh", "-c", script], **options)
        self.assertEqual((code, signo), (0, 0), err)
        return out.decode()


class ExecMinimalTest(ExecTestCase):
    def test_in_every_cgroup_of_the_workload(self):
        p = self.run_sleeper("ex-cgroup")
        with open(f"/proc/{p['MainPID']}/cgroup") as f:
            main = sorted(f.read().splitlines())
        out = self.sh("ex-cgroup", "cat /proc/self/cgroup")
        self.assertEqual(sorted(out.splitlines()), main)
        self.assertIn(f":name=systemd:{p['ControlGroup']}", out)
        # the exec's process was one of the scope's while it ran, and is gone with it
        self.assertEqual(self.tender.prop("ex-cgroup", "State"), "running")

    def test_user_capabilities_and_environment(self):
        p = self.run_sleeper("ex-user", env=["FOO=from-spec", "BAR=spec"],
                             **privileges(user="nobody", capabilities=["net_bind_service"]))
        main = status(p["MainPID"])
        out = self.sh("ex-user", "cat /proc/self/status; echo ENV $FOO $BAR $USER $HOME",
                      env=["BAR=exec", "BAZ=1"])
        st = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        st = {k: v.strip() for k, v in st.items()}
        for key in ("Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
                    "NoNewPrivs"):
            self.assertEqual(st[key], main[key], key)
        self.assertEqual(caps(st, "CapEff"), 1 << CAP_NET_BIND_SERVICE)
        env_line = [line for line in out.splitlines() if line.startswith("ENV ")][0]
        self.assertEqual(env_line, f"ENV from-spec exec nobody {os.path.expanduser('~nobody')}")

    def test_root_workload_keeps_every_capability(self):
        p = self.run_sleeper("ex-root")
        main = status(p["MainPID"])
        out = self.sh("ex-root", "grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs)' /proc/self/status")
        for line in out.splitlines():
            key, value = line.split(":", 1)
            self.assertEqual(value.strip(), main[key])

    def test_resource_limits_of_the_workload(self):
        # tenderd raises its own soft limit of open files; the workload has the usual one
        p = self.run_sleeper("ex-limits")
        with open(f"/proc/{p['MainPID']}/limits") as f:
            soft = [line.split()[3] for line in f if line.startswith("Max open files")][0]
        with open(f"/proc/{self.tenderd_pid}/limits") as f:
            own = [line.split()[3] for line in f if line.startswith("Max open files")][0]
        self.assertNotEqual(soft, own, "the test needs tenderd's limit to differ")
        self.assertEqual(self.sh("ex-limits", "ulimit -n").strip(), soft)

    def test_exit_code_and_signal(self):
        self.run_sleeper("ex-status")
        self.assertEqual(self.exec_("ex-status", ["sh", "-c", "exit 7"])[:2], (7, 0))
        self.assertEqual(self.exec_("ex-status", ["sh", "-c", "kill -TERM $$"])[:2],
                         (-1, signal.SIGTERM))
        self.assertEqual(self.exec_("ex-status", ["true"])[:2], (0, 0))

    def test_output_captured_and_truncated(self):
        self.run_sleeper("ex-out")
        code, signo, out, err, truncated = self.exec_(
            "ex-out", ["sh", "-c", "echo out; echo err >&2"])
        self.assertEqual((code, out, err, truncated), (0, b"out\n", b"err\n", False))
        # more than max_output: the rest is discarded while the command goes on to its end
        code, _, out, err, truncated = self.exec_(
            "ex-out", ["sh", "-c", "head -c 100000 /dev/zero; echo done >&2"], max_output=1000)
        self.assertEqual((code, len(out), err, truncated), (0, 1000, b"done\n", True))
        # the default is 1 MiB of each
        code, _, out, _, truncated = self.exec_("ex-out", ["head", "-c", str(MIB + 4096),
                                                          "/dev/zero"])
        self.assertEqual((code, len(out), truncated), (0, MIB, True))

    def test_stdin(self):
        self.run_sleeper("ex-stdin")
        self.assertEqual(self.exec_("ex-stdin", ["cat"], stdin=b"hello\n")[2], b"hello\n")
        # more than a pipe holds
        big = b"x" * 300000
        self.assertEqual(self.exec_("ex-stdin", ["wc", "-c"], stdin=big)[2].strip(), b"300000")
        # without stdin: its end at once
        self.assertEqual(self.exec_("ex-stdin", ["cat"])[:3], (0, 0, b""))

    def test_timeout_kills(self):
        p = self.run_sleeper("ex-timeout")
        started = time.monotonic()
        code, signo, _, _, _ = self.exec_("ex-timeout", ["sh", "-c", "sleep 60 & sleep 61"],
                                          timeout_sec=1)
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual((code, signo), (-1, signal.SIGKILL))
        # its whole process group went: the scope holds tender-shim and the workload's sleep
        self.assertTrue(wait_for(lambda: len(scope_procs(p["ControlGroup"])) == 2),
                        scope_procs(p["ControlGroup"]))

    def test_working_directory(self):
        self.run_sleeper("ex-cwd", working_directory="/tmp")
        self.assertEqual(self.sh("ex-cwd", "pwd"), "/tmp\n")
        self.assertEqual(self.sh("ex-cwd", "pwd", working_directory="/usr"), "/usr\n")
        e = self.assertDBusError("InvalidArgument", self.exec_, "ex-cwd", ["true"],
                                 working_directory="/no/such/dir")
        self.assertIn("working_directory", e.message)

    def test_refusals(self):
        self.tender.create(self.workload("ex-created"), argv=["sleep", "300"])
        e = self.assertDBusError("InvalidState", self.exec_, "ex-created", ["true"])
        self.assertIn("created", e.message)
        self.assertDBusError("NotFound", self.exec_, "ex-nosuch-workload", ["true"])
        self.run_sleeper("ex-refuse")
        e = self.assertDBusError("InvalidArgument", self.exec_, "ex-refuse", [])
        self.assertIn("argv", e.message)
        e = self.assertDBusError("NotFound", self.exec_, "ex-refuse", ["no-such-command"])
        self.assertIn("no-such-command", e.message)
        for options, key in (({"max_output": 17 * MIB}, "max_output"),
                             ({"working_directory": "relative"}, "working_directory"),
                             ({"env": ["1X=2"]}, "env"),
                             ({"terminal_size": (24, 80)}, "terminal_size")):
            with self.subTest(option=key):
                e = self.assertDBusError("InvalidArgument", self.exec_, "ex-refuse", ["true"],
                                         **options)
                self.assertIn(f"'{key}'", e.message)
        with self.assertRaises(DBusError) as ctx:
            self.tender.call("ExecWorkload", "sasa{sv}", "ex-refuse", ["true"],
                             {"bogus": GLib.Variant("b", True)})
        self.assertIn("'bogus'", ctx.exception.message)
        # paused: not running
        self.tender.call("PauseWorkload", "s", "ex-refuse")
        self.assertDBusError("InvalidState", self.exec_, "ex-refuse", ["true"])
        self.tender.call("ResumeWorkload", "s", "ex-refuse")
        self.tender.stop("ex-refuse", timeout_sec=1)
        self.assertDBusError("InvalidState", self.exec_, "ex-refuse", ["true"])

    def test_ends_with_the_workload(self):
        self.run_sleeper("ex-stop")
        proc = subprocess.Popen([TENDERCTL, "exec", "ex-stop", "--", "sleep", "100"],
                                stdin=subprocess.DEVNULL)
        self.addCleanup(proc.kill)
        time.sleep(1)
        self.tender.stop("ex-stop", timeout_sec=1)
        # the stop's SIGTERM goes to every process of the scope: the exec's too
        self.assertEqual(proc.wait(timeout=20), 128 + signal.SIGTERM)

    def test_caller_gone_kills_the_command(self):
        p = self.run_sleeper("ex-gone")
        marker = self.tmpfile("ex-gone.pid")
        proc = subprocess.Popen([TENDERCTL, "exec", "ex-gone", "--", "sh", "-c",
                                 f"echo $$ > {marker}; exec sleep 100"],
                                stdin=subprocess.DEVNULL)
        self.assertTrue(wait_for(lambda: os.path.exists(marker) and open(marker).read()))
        pid = int(open(marker).read())
        self.assertIn(p["ControlGroup"], proc_cgroup(pid))
        proc.kill()
        proc.wait()
        self.assertTrue(wait_for(lambda: not os.path.exists(f"/proc/{pid}")),
                        "the command outlived its caller")

    def test_tty_over_dbus(self):
        self.run_sleeper("ex-tty")
        code, _, out, err, _ = self.exec_("ex-tty", ["sh", "-c", "tty; stty size; echo e >&2"],
                                          tty=True, terminal_size=(33, 77))
        lines = out.decode().splitlines()
        self.assertEqual(code, 0)
        self.assertRegex(lines[0], r"^/dev/pts/\d+\r?$")
        self.assertEqual(lines[1].strip(), "33 77")
        # stderr is the terminal too
        self.assertEqual(lines[2].strip(), "e")
        self.assertEqual(err, b"")


class ExecTenderctlTest(ExecTestCase):
    def test_streams_and_exit_status(self):
        self.run_sleeper("ex-ctl")
        started = time.monotonic()
        proc = subprocess.Popen([TENDERCTL, "exec", "ex-ctl", "--", "sh", "-c",
                                 "echo first; sleep 2; echo second; exit 3"],
                                stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.addCleanup(proc.kill)
        # the first line comes while the command still runs
        self.assertEqual(proc.stdout.readline(), b"first\n")
        self.assertLess(time.monotonic() - started, 1.8)
        self.assertIsNone(proc.poll())
        self.assertEqual(proc.stdout.read(), b"second\n")
        self.assertEqual(proc.wait(timeout=20), 3)
        r = subprocess.run([TENDERCTL, "exec", "-e", "A=1", "-e", "B=two", "-w", "/tmp",
                            "ex-ctl", "--", "sh", "-c", 'read x; echo "$x $A $B $(pwd)" >&2'],
                           input=b"in\n", capture_output=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, b"", b"in 1 two /tmp\n"))
        r = tenderctl("exec", "ex-ctl", "--", "sh", "-c", "kill -TERM $$")
        self.assertEqual(r.returncode, 128 + signal.SIGTERM)
        r = tenderctl("exec", "--timeout", "1", "ex-ctl", "--", "sleep", "30")
        self.assertEqual(r.returncode, 128 + signal.SIGKILL)
        r = tenderctl("exec", "ex-ctl", "--", "no-such-command")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no-such-command", r.stderr)

    def drive_tty(self, argv, keys, rows=25, cols=91):
        """Runs tenderctl on a pty of @rows × @cols, types @keys; returns (status, output)."""
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(TENDERCTL, [TENDERCTL] + argv)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        out = b""
        sent = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], 0.2)
            if not r:
                if not sent and b"READY" in out:
                    os.write(fd, keys)
                    sent = True
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            out += data
        _, st = os.waitpid(pid, 0)
        os.close(fd)
        return os.waitstatus_to_exitcode(st), out.decode(errors="replace")

    def test_tty(self):
        self.run_sleeper("ex-ctl-tty")
        code, out = self.drive_tty(
            ["exec", "-t", "ex-ctl-tty", "--", "sh", "-c",
             "tty; stty size; echo READY; read x; echo got:$x; exit 4"],
            b"typed\r")
        self.assertEqual(code, 4, out)
        self.assertRegex(out, r"/dev/pts/\d+\r\n")
        self.assertIn("25 91\r\n", out)
        self.assertIn("got:typed", out)
        # Ctrl-C goes to the command through the pty (tenderctl's terminal is raw)
        code, out = self.drive_tty(
            ["exec", "-t", "ex-ctl-tty", "--", "sh", "-c", "echo READY; exec sleep 30"],
            b"\x03")
        self.assertEqual(code, 128 + signal.SIGINT, out)


class ExecHttpTest(ExecTestCase):
    def test_captured(self):
        self.run_sleeper("ex-http")
        status, _, text = curl("POST", "/v1/workloads/ex-http/exec",
                               {"argv": ["sh", "-c", "cat; echo err >&2; exit 2"],
                                "env": ["X=1"], "stdin": base64.b64encode(b"abc").decode(),
                                "max_output": 2, "timeout_sec": 30, "working_directory": "/"})
        self.assertEqual(status, 200, text)
        body = json.loads(text)
        self.assertEqual(body, {"exit_code": 2, "signal": 0,
                                "stdout": base64.b64encode(b"ab").decode(),
                                "stderr": base64.b64encode(b"er").decode(),
                                "truncated": True})
        status, _, text = curl("POST", "/v1/workloads/ex-http/exec", {"argv": []})
        self.assertEqual(status, 400, text)
        status, _, text = curl("POST", "/v1/workloads/ex-http/exec",
                               {"argv": ["true"], "bogus": 1})
        self.assertEqual(status, 400, text)
        self.assertIn("bogus", text)
        status, _, text = curl("POST", "/v1/workloads/ex-http/exec?other=1", {"argv": ["true"]})
        self.assertEqual(status, 400, text)

    def test_streamed(self):
        self.run_sleeper("ex-http-stream")
        conn = UnixConnection()
        conn.request("POST", "/v1/workloads/ex-http-stream/exec?stream=1",
                     body=json.dumps({"argv": ["sh", "-c",
                                               "echo one; echo two >&2; sleep 2; echo three"]}),
                     headers={"Content-Type": "application/json"})
        started = time.monotonic()
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/x-ndjson")
        lines = []
        while True:
            line = resp.readline()
            if not line:
                break
            lines.append((time.monotonic() - started, json.loads(line)))
        conn.close()
        chunks = [(at, obj) for at, obj in lines if "stream" in obj]
        got = {s: b"".join(base64.b64decode(o["data"]) for _, o in chunks if o["stream"] == s)
               for s in ("stdout", "stderr")}
        self.assertEqual(got, {"stdout": b"one\nthree\n", "stderr": b"two\n"})
        # "one" came as it was printed, before the command's sleep was over
        self.assertLess(chunks[0][0], 1.5)
        self.assertEqual(lines[-1][1], {"exit_code": 0, "signal": 0})

    def test_not_running(self):
        self.tender.create(self.workload("ex-http-created"), argv=["sleep", "300"])
        status, _, text = curl("POST", "/v1/workloads/ex-http-created/exec?stream=1",
                               {"argv": ["true"]})
        self.assertEqual(json.loads(text)["error"]["name"],
                         "org.tender.Agent1.Error.InvalidState")
        self.assertEqual(status, 409, text)


class ExecReadmeTest(ExecTestCase):
    def test_readme_examples(self):
        """The README's Exec section: its tenderctl, busctl and curl examples, as they stand."""
        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = readme.split("\n## Exec\n", 1)[1].split("\n## ", 1)[0]
        script = "set -e\n" + "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))
        for tool in ("tenderctl exec", "busctl call", "curl"):
            self.assertIn(tool, script)
        self.run_sleeper("web")
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("hello from /tmp\n", out.stdout)
        self.assertIn("from stdin\n", out.stdout)
        self.assertIn('"stdout":"aGVsbG8K"', out.stdout)
        self.assertIn('{"exit_code":0,"signal":0}', out.stdout)


class ExecPolkitTest(ExecTestCase):
    @classmethod
    def setUpClass(cls):
        cls.uid, created_group = ensure_user()
        undo = [["userdel", USER]] + ([["groupdel", GROUP]] if created_group else [])
        for cmd in undo:
            cls.addClassCleanup(run, cmd, check=False)

    def call_as_user(self, name, argv):
        text = f'("{name}", {json.dumps(argv)}, @a{{sv}} {{}})'
        r = subprocess.run([sys.executable, "-c", CALLER, MANAGER_PATH, MANAGER_IFACE,
                            "ExecWorkload", "sasa{sv}", text], user=self.uid,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_unprivileged_user(self):
        self.run_sleeper("ex-pk")
        out = self.call_as_user("ex-pk", ["/bin/true"])
        self.assertEqual(out.get("error"), DENIED, out)
        # managing does not imply exec
        path = os.path.join(RULES_DIR, "10-tender-test-exec.rules")
        # afterwards, until polkitd has dropped the rule: the next test sees the defaults
        self.addCleanup(lambda: self.assertTrue(wait_for(
            lambda: self.call_as_user("ex-pk", ["/bin/echo"]).get("error") == DENIED,
            timeout=30), "polkitd never dropped the rule"))
        self.addCleanup(lambda: os.path.exists(path) and os.unlink(path))
        with open(path, "w") as f:
            f.write(f"""polkit.addRule(function(action, subject) {{
    if (subject.user != "{USER}")
        return polkit.Result.NOT_HANDLED;
    if (action.id == "org.tender.workloads.manage")
        return polkit.Result.YES;
    if (action.id == "org.tender.workloads.exec" && action.lookup("workload") == "ex-pk" &&
        action.lookup("program") == "/bin/echo")
        return polkit.Result.YES;
}});
""")
        self.assertTrue(wait_for(lambda: "reply" in self.call_as_user("ex-pk", ["/bin/echo", "hi"]),
                                 timeout=30), "polkitd never applied the rule")
        reply = self.call_as_user("ex-pk", ["/bin/echo", "hi"])["reply"]
        self.assertIn("0, 0", reply)
        # the details are the exec's command, not the workload's
        self.assertEqual(self.call_as_user("ex-pk", ["/bin/true"]).get("error"), DENIED)


class ExecNamespacesTest(ExecTestCase):
    """A workload with namespaces of its own, made by unshare(1) as root: the exec joins
    them (tender-nsenter compares /proc/PID/ns/*), until isolation levels make them."""

    def test_joins_the_workloads_namespaces(self):
        self.run_sleeper("ex-ns", argv=[
            "unshare", "--pid", "--mount", "--uts", "--ipc", "--fork", "--mount-proc",
            "sh", "-c",
            "hostname inside; mount -t tmpfs none /mnt && touch /mnt/ns-marker; exec sleep 1000"])
        main = self.tender.prop("ex-ns", "MainPID")
        self.assertTrue(wait_for(lambda: self.sh("ex-ns", "hostname") == "inside\n"))
        self.assertNotEqual(os.uname().nodename, "inside")
        # the mount namespace: its tmpfs, not the host's /mnt
        self.assertEqual(self.sh("ex-ns", "ls /mnt"), "ns-marker\n")
        self.assertFalse(os.path.exists("/mnt/ns-marker"))
        # the PID namespace: the workload's processes only, the exec's among them
        pids = sorted(int(p) for p in self.sh("ex-ns", "ls /proc").split() if p.isdigit())
        self.assertEqual(pids[0], 1)
        self.assertLess(len(pids), 6, pids)
        # its PID 1 is the workload's command (sh, which became sleep)
        self.assertEqual(self.sh("ex-ns", "tr '\\0' ' ' < /proc/1/cmdline"), "sleep 1000 ")
        # the IPC and UTS namespaces are the workload's; and still its control groups
        for ns in ("ipc", "uts", "mnt"):
            self.assertEqual(self.sh("ex-ns", f"readlink /proc/self/ns/{ns}").strip(),
                             os.readlink(f"/proc/{main}/ns/{ns}"))
        self.assertIn(self.tender.prop("ex-ns", "ControlGroup"),
                      self.sh("ex-ns", "cat /proc/self/cgroup"))
        # and a terminal there
        code, _, out, _, _ = self.exec_("ex-ns", ["tty"], tty=True)
        self.assertEqual(code, 0)
        self.assertRegex(out.decode(), r"^/dev/pts/\d+")


if __name__ == "__main__":
    unittest.main()
