#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Workload logs: the shim's relay into the real journald, GetLogs, FollowLogs, tenderctl logs."""

import json
import os
import re
import select
import shutil
import signal
import subprocess
import time
import unittest

from tenderlab import (BUS_NAME, MANAGER_IFACE, MANAGER_PATH, DBusError, Gio, GLib,
                       TenderTestCase, run, tenderd_pid, vardict, wait_for)

TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"
LOG_OPTION_TYPES = {"lines": "u", "since": "s", "stream": "s"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
LINE_MAX = 16384


def tenderctl(*args, stderr=subprocess.PIPE):
    """Runs tenderctl; stderr=subprocess.STDOUT has both streams in stdout."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("TENDER_BUS", None)
    return subprocess.run([TENDERCTL, *args], stdout=subprocess.PIPE, stderr=stderr, text=True,
                          env=env, timeout=60)


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


class Follower:
    """The read end of a FollowLogs pipe: reads its JSON lines with a timeout."""

    def __init__(self, fd):
        self.fd = fd
        os.set_blocking(fd, False)
        self.buf = b""
        self.eof = False

    def close(self):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], left)
        if not ready:
            return False
        data = os.read(self.fd, 65536)
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def entries(self, n, timeout=20.0):
        """The next n entries; fewer if the pipe ends or the time is up."""
        deadline = time.monotonic() + timeout
        out = []
        while len(out) < n:
            if b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                out.append(json.loads(line))
                continue
            if self.eof or not self._fill(deadline):
                break
        return out

    def wait_eof(self, timeout=20.0):
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self._fill(deadline)
        return self.eof


class LogsTest(TenderTestCase):
    def get_logs(self, name, **options):
        return self.tender.call("GetLogs", "sa{sv}", name,
                                vardict(options, LOG_OPTION_TYPES))[0]

    def get_logs_raw(self, name, options):
        return self.tender.call("GetLogs", "sa{sv}", name, options)[0]

    def follow(self, name, **options):
        params = GLib.Variant("(sa{sv})", (name, vardict(options, LOG_OPTION_TYPES)))
        try:
            reply, fds = self.tender.bus.call_with_unix_fd_list_sync(
                BUS_NAME, MANAGER_PATH, MANAGER_IFACE, "FollowLogs", params,
                GLib.VariantType("(h)"), Gio.DBusCallFlags.NONE, 60000, None, None)
        except GLib.Error as e:
            remote = Gio.DBusError.get_remote_error(e)
            Gio.DBusError.strip_remote_error(e)
            raise DBusError(remote, e.message) from None
        follower = Follower(fds.get(reply.unpack()[0]))
        self.addCleanup(follower.close)
        return follower

    def run_to_end(self, name, script, **spec):
        """Runs `sh -c script` to its end; returns its properties."""
        self.workload(name)
        self.tender.create(name, argv=["sh", "-c", script], **spec)
        self.tender.start(name)
        return self.tender.wait_state(name, ("exited", "failed"), timeout=60)

    def wait_logs(self, name, count, **options):
        """GetLogs until journald has stored @count entries (it stores them asynchronously)."""
        entries = []

        def enough():
            nonlocal entries
            entries = self.get_logs(name, **options)
            return len(entries) >= count

        self.assertTrue(wait_for(enough, timeout=20, interval=0.1),
                        f"{name}: {len(entries)} of {count} entries: {entries}")
        return entries

    def messages(self, entries):
        return [(e["stream"], e["message"]) for e in entries]

    # ---- into the journal ----

    def test_journalctl_unit(self):
        name = "logs-unit"
        self.run_to_end(name, "echo to-stdout; echo to-stderr >&2; printf no-newline")
        self.wait_logs(name, 3)
        out = run(["journalctl", "--no-pager", "-o", "cat", "-u", f"tender-{name}.scope"]).stdout
        # stdout and stderr are two pipes: their lines may interleave either way
        self.assertCountEqual(out.splitlines(), ["to-stdout", "to-stderr", "no-newline"])
        self.assertLess(out.index("to-stdout"), out.index("no-newline"))

    def test_journal_fields(self):
        name = "logs-fields"
        self.run_to_end(name, "echo on-stdout; echo on-stderr >&2")
        self.wait_logs(name, 2)
        out = run(["journalctl", "--no-pager", "-o", "json", f"TENDER_WORKLOAD={name}"]).stdout
        entries = [json.loads(line) for line in out.splitlines()]
        got = {e["MESSAGE"]: e for e in entries}
        self.assertEqual(sorted(got), ["on-stderr", "on-stdout"])
        self.assertEqual(got["on-stdout"]["TENDER_STREAM"], "stdout")
        self.assertEqual(got["on-stdout"]["PRIORITY"], "6")
        self.assertEqual(got["on-stderr"]["TENDER_STREAM"], "stderr")
        self.assertEqual(got["on-stderr"]["PRIORITY"], "3")
        for e in entries:
            self.assertEqual(e["TENDER_WORKLOAD"], name)
            self.assertEqual(e["SYSLOG_IDENTIFIER"], "sh")
            self.assertEqual(e["OBJECT_SYSTEMD_UNIT"], f"tender-{name}.scope")
            self.assertEqual(e["_UID"], "0")

    def test_long_and_binary_lines(self):
        name = "logs-long"
        # a line of 40000 bytes comes back in pieces of at most 16 KiB; invalid UTF-8 and NUL
        # bytes come back as U+FFFD
        self.run_to_end(name, "head -c 40000 /dev/zero | tr '\\0' x; echo; "
                              "printf 'bad \\377 nul \\000 end\\n'")
        entries = self.wait_logs(name, 4)
        self.assertEqual([e["message"] for e in entries[:3]],
                         ["x" * LINE_MAX, "x" * LINE_MAX, "x" * (40000 - 2 * LINE_MAX)])
        self.assertEqual(entries[3]["message"], "bad \ufffd nul \ufffd end")

    # ---- GetLogs ----

    def test_get_logs(self):
        name = "logs-get"
        self.run_to_end(name, "for i in $(seq 1 30); do echo out-$i; "
                              "[ $((i % 10)) = 0 ] && echo err-$((i / 10)) >&2; done; :")
        entries = self.wait_logs(name, 33)
        self.assertEqual(len(entries), 33)
        for e in entries:
            self.assertEqual(sorted(e), ["cursor", "message", "stream", "timestamp"])
            self.assertRegex(e["timestamp"], TIMESTAMP)
            self.assertTrue(e["cursor"])
        # each stream in its order (the two pipes may interleave either way)
        self.assertEqual([m for s, m in self.messages(entries) if s == "stdout"],
                         [f"out-{i}" for i in range(1, 31)])
        self.assertEqual([m for s, m in self.messages(entries) if s == "stderr"],
                         ["err-1", "err-2", "err-3"])
        # oldest first, in the order journald received them
        self.assertEqual([e["timestamp"] for e in entries],
                         sorted(e["timestamp"] for e in entries))
        self.assertEqual(len({e["cursor"] for e in entries}), 33)

        # the last few
        self.assertEqual(self.get_logs(name, lines=4), entries[-4:])
        self.assertEqual(self.get_logs(name, lines=1), entries[-1:])
        self.assertEqual(self.get_logs(name, lines=0), [])
        # one stream
        err = self.get_logs(name, stream="stderr")
        self.assertEqual(self.messages(err), [("stderr", "err-1"), ("stderr", "err-2"),
                                              ("stderr", "err-3")])
        out = self.get_logs(name, stream="stdout", lines=2)
        self.assertEqual(self.messages(out), [("stdout", "out-29"), ("stdout", "out-30")])
        self.assertEqual(self.get_logs(name, stream="both", lines=1), entries[-1:])

    def test_get_logs_default_lines(self):
        name = "logs-default"
        self.run_to_end(name, "seq 1 150")
        self.wait_logs(name, 100)
        # journald may still be storing: wait for the last line
        self.assertTrue(wait_for(lambda: self.get_logs(name, lines=1)[0]["message"] == "150",
                                 timeout=20, interval=0.1))
        entries = self.get_logs(name)
        self.assertEqual([e["message"] for e in entries], [str(i) for i in range(51, 151)])

    def test_get_logs_since(self):
        name = "logs-since"
        # first run
        self.run_to_end(name, "seq 1 20")
        entries = self.wait_logs(name, 20)
        self.assertEqual([e["message"] for e in entries], [str(i) for i in range(1, 21)])
        # paging forward from a cursor: every entry after it, once, in order
        pages = []
        cursor = entries[2]["cursor"]
        while True:
            page = self.get_logs(name, since=cursor, lines=7)
            self.assertLessEqual(len(page), 7)
            if not page:
                break
            pages.extend(page)
            cursor = page[-1]["cursor"]
        self.assertEqual(pages, entries[3:])
        # the logs span runs: resuming from the last cursor yields exactly the new run's lines
        self.tender.start(name)
        self.tender.wait_state(name, "exited", timeout=60)
        new = []

        def resumed():
            nonlocal new
            new = self.get_logs(name, since=entries[-1]["cursor"])
            return len(new) >= 20

        self.assertTrue(wait_for(resumed, timeout=20, interval=0.1), new)
        self.assertEqual([e["message"] for e in new], [str(i) for i in range(1, 21)])
        self.assertEqual(self.get_logs(name, since=new[-1]["cursor"]), [])
        # since and stream together
        self.assertEqual(self.get_logs(name, since=entries[-1]["cursor"], stream="stderr"), [])

    def test_get_logs_never_ran(self):
        name = self.workload("logs-never-ran")
        self.tender.create(name, argv=["true"])
        self.assertEqual(self.get_logs(name), [])
        self.assertEqual(self.get_logs(name, lines=5, stream="stderr"), [])

    def test_get_logs_bad_options(self):
        name = self.workload("logs-bad-options")
        self.tender.create(name, argv=["true"])
        cases = [
            ({"lines": GLib.Variant("u", 10001)}, "'lines'"),
            ({"lines": GLib.Variant("s", "10")}, "'lines'"),
            ({"lines": GLib.Variant("i", 10)}, "'lines'"),
            ({"stream": GLib.Variant("s", "stdin")}, "'stream'"),
            ({"stream": GLib.Variant("s", "")}, "'stream'"),
            ({"since": GLib.Variant("s", "")}, "'since'"),
            ({"since": GLib.Variant("s", "no cursor")}, "'since'"),
            ({"since": GLib.Variant("s", "garbage")}, "'since'"),
            ({"since": GLib.Variant("s", "s=" + "a" * 2000)}, "'since'"),
            ({"follow": GLib.Variant("b", True)}, "'follow'"),
        ]
        for options, key in cases:
            with self.subTest(options=options):
                e = self.assertDBusError("InvalidArgument", self.get_logs_raw, name, options)
                self.assertIn(key, e.message)
                e = self.assertDBusError("InvalidArgument", self.follow, name,
                                         **{k: v for k, v in options.items()})
                self.assertIn(key, e.message)
        # the most lines one may ask for
        self.assertEqual(self.get_logs(name, lines=10000), [])
        self.assertDBusError("NotFound", self.get_logs, "logs-no-such-workload")
        self.assertDBusError("NotFound", self.follow, "logs-no-such-workload")
        self.assertDBusError("InvalidArgument", self.get_logs, "bad/name")

    # ---- FollowLogs ----

    def test_follow_logs(self):
        name = self.workload("logs-follow")
        go = self.tmpfile("logs-follow.go")
        self.tender.create(name, argv=["sh", "-c",
                                       "echo b1; echo b2; echo b3 >&2; "
                                       f"while [ ! -e {go} ]; do sleep 0.05; done; "
                                       "echo a1; echo a2 >&2; exec sleep 300"])
        self.tender.start(name)
        before = self.wait_logs(name, 3)
        # the backlog: the last two entries
        follower = self.follow(name, lines=2)
        self.assertEqual(follower.entries(2), before[1:])
        # nothing more until the workload prints
        self.assertEqual(follower.entries(1, timeout=0.5), [])
        with open(go, "w"):
            pass
        got = follower.entries(2)
        self.assertCountEqual(self.messages(got), [("stdout", "a1"), ("stderr", "a2")])
        for e in got:
            self.assertEqual(sorted(e), ["cursor", "message", "stream", "timestamp"])
            self.assertRegex(e["timestamp"], TIMESTAMP)
        # the same entries GetLogs has
        everything = self.get_logs(name)
        self.assertEqual(everything[-2:], got)
        self.assertEqual(len(everything), 5)

        # another follower: one stream, and the default of 10 lines
        err = self.follow(name, stream="stderr")
        self.assertEqual(self.messages(err.entries(2)), [("stderr", "b3"), ("stderr", "a2")])
        # resuming from a cursor: everything after it, however many lines
        resumed = self.follow(name, since=before[0]["cursor"], lines=1)
        self.assertEqual(resumed.entries(4), everything[1:])

        # removing the workload closes the pipes
        self.tender.remove(name, force=True, timeout_sec=1)
        for f in (follower, err, resumed):
            self.assertTrue(f.wait_eof(), "the pipe stayed open after RemoveWorkload")

    def try_follow(self, name, **options):
        """FollowLogs, or None if tenderd has as many followers as it allows."""
        try:
            return self.follow(name, **options)
        except DBusError as e:
            if e.name != "org.tender.Agent1.Error.Failed":
                raise
            return None

    def follow_when_room(self, name, **options):
        """FollowLogs, once tenderd has dropped the followers whose reader went away."""
        follower = None

        def room():
            nonlocal follower
            follower = self.try_follow(name, **options)
            return follower is not None

        self.assertTrue(wait_for(room, timeout=10, interval=0.05),
                        "followers whose reader went away were not dropped")
        return follower

    def test_follow_reader_closes(self):
        name = self.workload("logs-reader-closes")
        # a workload that prints all the time; followers whose reader went away are dropped
        self.tender.create(name, argv=["sh", "-c", "while :; do echo tick; sleep 0.01; done"])
        self.tender.start(name)
        self.wait_logs(name, 1)
        for _ in range(2 * 64):
            f = self.follow_when_room(name, lines=1)
            self.assertEqual(len(f.entries(1)), 1)
            f.close()
        # none is left behind: 64 fit at once, and not one more
        followers = [self.follow_when_room(name, lines=0) for _ in range(64)]
        e = self.assertDBusError("Failed", self.follow, name)
        self.assertIn("64", e.message)
        # and they all work
        for f in followers:
            self.assertEqual(f.entries(1)[0]["message"], "tick")
            f.close()

    def test_follow_slow_reader(self):
        name = self.workload("logs-slow-reader")
        self.tender.create(name, argv=["sh", "-c", "seq 1 3000; exec sleep 300"])
        self.tender.start(name)
        self.wait_logs(name, 1)
        self.assertTrue(wait_for(lambda: self.get_logs(name, lines=1)[0]["message"] == "3000",
                                 timeout=20, interval=0.1))
        # a reader that does not read: tenderd waits, and loses nothing when it reads on
        f = self.follow(name, lines=3000)
        time.sleep(1)
        got = f.entries(3000, timeout=30)
        self.assertEqual([e["message"] for e in got], [str(i) for i in range(1, 3001)])

    # ---- much output ----

    def test_much_output(self):
        name = self.workload("logs-much")
        pid = tenderd_pid()
        # 100 MB in lines of 1000 bytes, as fast as the shim reads them; journald keeps what
        # its rate limit lets through
        self.tender.create(name, argv=["sh", "-c",
                                       "yes \"$(head -c 999 /dev/zero | tr '\\0' x)\" | "
                                       "head -c 100M; echo done >&2"])
        # a follower that reads nothing meanwhile: tenderd must not buffer for it
        follower = self.follow(name, lines=0)
        rss_before = vm_rss_kb(pid)
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "State") != "running",
                                 timeout=90, interval=0.5), "the workload never ended")
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["ExitCode"]), ("exited", 0), p)
        rss_after = vm_rss_kb(pid)
        self.assertLess(rss_after - rss_before, 8 * 1024,
                        f"tenderd grew from {rss_before} kB to {rss_after} kB")
        # some of it is in the journal, whole lines of it
        got = follower.entries(5)
        self.assertEqual(len(got), 5)
        for e in got:
            self.assertEqual(e["message"], "x" * 999)

    # ---- tenderctl ----

    def test_tenderctl_logs(self):
        name = "logs-ctl"
        self.run_to_end(name, "echo o1; echo e1 >&2; echo o2; echo e2 >&2; echo o3")
        entries = self.wait_logs(name, 5)

        def printed(entries, stream):
            return "".join(e["message"] + "\n" for e in entries if e["stream"] == stream)

        r = tenderctl("logs", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "o1\no2\no3\n")
        self.assertEqual(r.stderr, "e1\ne2\n")
        # the last two entries, each on its stream
        r = tenderctl("logs", name, "-n", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((r.stdout, r.stderr),
                         (printed(entries[-2:], "stdout"), printed(entries[-2:], "stderr")))
        r = tenderctl("logs", "--lines=2", name, "--stream", "stdout")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "o2\no3\n", ""))
        r = tenderctl("logs", name, "--stream=stderr")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", "e1\ne2\n"))
        # both to one pipe: in the journal's order
        r = tenderctl("logs", name, stderr=subprocess.STDOUT)
        self.assertEqual(r.stdout, "".join(e["message"] + "\n" for e in entries))
        # as JSON: one object per line, all on stdout
        r = tenderctl("--json", "logs", name, "-n", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertEqual([json.loads(line) for line in r.stdout.splitlines()], entries[-2:])

    def test_tenderctl_logs_follow(self):
        name = self.workload("logs-ctl-follow")
        go = self.tmpfile("logs-ctl-follow.go")
        self.tender.create(name, argv=["sh", "-c",
                                       "echo first; echo second >&2; "
                                       f"while [ ! -e {go} ]; do sleep 0.05; done; "
                                       "echo third; exec sleep 300"])
        self.tender.start(name)
        self.wait_logs(name, 2)
        env = dict(os.environ, LC_ALL="C.UTF-8")
        proc = subprocess.Popen([TENDERCTL, "logs", "-f", "-n", "5", name],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        out = Follower(proc.stdout.fileno())
        err = Follower(proc.stderr.fileno())

        def line(f):
            deadline = time.monotonic() + 20
            while b"\n" not in f.buf and f._fill(deadline):
                pass
            text, _, f.buf = f.buf.partition(b"\n")
            return text.decode()

        self.assertEqual(line(out), "first")
        self.assertEqual(line(err), "second")
        with open(go, "w"):
            pass
        self.assertEqual(line(out), "third")
        # Ctrl-C ends it, as a normal end
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=20), 0)
        self.assertEqual(err.buf, b"")
        # and removing the workload ends it too
        proc = subprocess.Popen([TENDERCTL, "logs", "--follow", name],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        out = Follower(proc.stdout.fileno())
        self.assertEqual(line(out), "first")
        self.tender.remove(name, force=True, timeout_sec=1)
        self.assertEqual(proc.wait(timeout=20), 0)

    def test_tenderctl_logs_errors(self):
        r = tenderctl("logs", "logs-ctl-missing")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "tenderctl: Failed to read the logs of workload "
                                   "'logs-ctl-missing': No workload named 'logs-ctl-missing'\n")
        r = tenderctl("logs", "-f", "logs-ctl-missing")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "tenderctl: Failed to follow the logs of workload "
                                   "'logs-ctl-missing': No workload named 'logs-ctl-missing'\n")
        for args, fragment in [(["-n", "10001"], "Invalid number of lines '10001'"),
                               (["-n", "-1"], "Invalid number of lines '-1'"),
                               (["-n", "x"], "Invalid number of lines 'x'"),
                               (["--stream", "stdin"], "Invalid stream 'stdin'"),
                               (["other"], "'logs' takes one workload name")]:
            with self.subTest(args=args):
                r = tenderctl("logs", "some", *args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stdout, "")
                lines = r.stderr.splitlines()
                self.assertEqual(len(lines), 2, r.stderr)
                self.assertTrue(lines[0].startswith("tenderctl: "), r.stderr)
                self.assertIn(fragment, lines[0])
                self.assertEqual(lines[1], "Try 'tenderctl logs --help'.")
        r = tenderctl("logs")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'logs' needs a workload name", r.stderr)

    def test_tenderctl_logs_help(self):
        r = tenderctl("logs", "--help")
        self.assertEqual(r.returncode, 0)
        for option in ("-n, --lines=N", "-f, --follow", "--stream=STREAM"):
            self.assertIn(option, r.stdout)
        self.assertIn("logs NAME", r.stdout)
        r = tenderctl("--help")
        self.assertRegex(r.stdout, r"(?m)^  logs NAME .* Show what a workload printed$")


if __name__ == "__main__":
    unittest.main()
