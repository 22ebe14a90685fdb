#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tenderctl session: the sessions plugin through the real tenderctl binary (get-or-create,
list, show, exec with tenderctl's own stdio and exit status, files, background processes,
close), its help and usage errors, and README's "tenderctl session" example as it stands."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
from tenderlab import TenderTestCase, wait_for  # noqa: E402
from test_docker_runtime import TENDERCTL  # noqa: E402
from test_sessions import IMAGE, WORKSPACES, SessionsTest, processes_running  # noqa: E402

VERBS = ("get", "list", "show", "exec", "write", "read", "ls", "rm", "ps", "start", "logs",
         "kill", "close")


def ctl(*args, data=None, text=None, timeout=120):
    """Runs tenderctl session ARGS; @data is its stdin, through a pipe (else /dev/null).  Its
    stdout and stderr are pipes, read to their end: the command's output goes to them as it
    comes, and they end with tenderctl (tenderd keeps no copy of them)."""
    text = not isinstance(data, bytes) if text is None else text
    out = subprocess.run([TENDERCTL, "session", *args], capture_output=True,
                         input=data.encode() if isinstance(data, str) else data,
                         stdin=subprocess.DEVNULL if data is None else None, timeout=timeout)
    if text:
        out.stdout, out.stderr = out.stdout.decode(), out.stderr.decode()
    return out


class SessionsCtlTest(TenderTestCase):
    USER = "ctl"

    setUpClass = classmethod(SessionsTest.setUpClass.__func__)
    tearDownClass = classmethod(SessionsTest.tearDownClass.__func__)
    close_all = SessionsTest.close_all
    call = SessionsTest.call
    session_path = SessionsTest.session_path
    scall = SessionsTest.scall
    describe = SessionsTest.describe

    def setUp(self):
        super().setUp()
        self.opened = []
        self.addCleanup(self.close_all)

    def ok(self, *args, data=None, text=None):
        out = ctl(*args, data=data, text=text)
        self.assertEqual(out.returncode, 0, (args, out.stdout, out.stderr))
        return out.stdout

    def fails(self, status, *args, data=None):
        """tenderctl session ARGS exits @status with a message on stderr: returns it."""
        out = ctl(*args, data=data, text=True)
        self.assertEqual(out.returncode, status, (args, out.stdout, out.stderr))
        self.assertTrue(out.stderr.startswith("tenderctl: "), out.stderr)
        return out.stderr

    def get(self, sid, *options):
        if (self.USER, sid) not in self.opened:
            self.opened.append((self.USER, sid))
        return self.ok("get", self.USER, sid, "--image", IMAGE, *options)

    def test_get_list_show(self):
        """get creates once then finds it; list and show, as tables and JSON."""
        out = self.get("s1")
        path = self.session_path(self.USER, "s1")
        self.assertRegex(out, r"(?m)^ *object_path: " + re.escape(path) + "$")
        self.assertRegex(out, r"(?m)^ *created: yes$")
        self.assertRegex(out, r"(?m)^ *state: running$")
        self.assertRegex(out, r"(?m)^ *workspace: " + re.escape(f"{WORKSPACES}/ctl/s1") + "$")
        self.assertRegex(self.get("s1"), r"(?m)^ *created: no$")
        got = json.loads(self.get("s1", "--json"))
        self.assertEqual((got["created"], got["user"], got["session"], got["object_path"],
                          got["backend"]), (False, "ctl", "s1", path, "native"), got)
        self.assertEqual(self.describe(path)["state"], "running")
        # list: a table with a header, and JSON
        lines = self.ok("list", "--user", self.USER).splitlines()
        self.assertEqual(lines[0].split(), ["USER", "SESSION", "STATE", "HEALTH", "BACKEND",
                                            "IMAGE", "LAST-ACTIVITY"], lines)
        self.assertEqual(lines[1].split()[:6], ["ctl", "s1", "running", "healthy", "native",
                                                IMAGE], lines)
        self.assertEqual(len(lines), 2, lines)
        listed = json.loads(self.ok("list", "--user", self.USER, "--json"))
        self.assertEqual([(s["user"], s["session"]) for s in listed], [("ctl", "s1")])
        self.assertEqual(self.ok("list", "--user", "nobody-here").splitlines()[1:], [])
        self.assertIn("ctl", self.ok("list"))
        # show
        shown = json.loads(self.ok("show", self.USER, "s1", "--json"))
        self.assertEqual((shown["state"], shown["workspace"], "created" in shown),
                         ("running", f"{WORKSPACES}/ctl/s1", False), shown)
        self.assertRegex(self.ok("show", self.USER, "s1"), r"(?m)^ *health: healthy$")
        # a different config is the plugin's InvalidState, naming the key; --recreate takes it
        err = self.fails(1, "get", self.USER, "s1", "--image", IMAGE, "--memory", "64m")
        self.assertIn("memory_limit", err)
        self.assertRegex(self.get("s1", "--memory", "64m", "--recreate"), r"created: yes")

    def test_get_config(self):
        """Every option of get is the config key the XML documents."""
        data = os.path.join(self.tmp, "ctl-data")
        os.makedirs(data, exist_ok=True)
        with open(os.path.join(data, "in.txt"), "w") as f:
            f.write("from the host\n")
        got = json.loads(self.get("cfg", "--memory", "96m", "--cpu", "0.5", "--pids", "64",
                                  "-e", "GREETING=hi there", "--env", "EMPTY=",
                                  "--volume", f"{data}:/data:ro", "--user", "65534",
                                  "--lifetime", "0", "--idle-timeout", "600",
                                  "--no-workspace", "--json"))
        config = got["config"]
        self.assertEqual((config["memory_limit"], config["cpu_limit"], config["pids_limit"],
                          config["env"], config["user"], config["container_lifetime_seconds"],
                          config["inactivity_timeout_seconds"], config["workspace"]),
                         (96 << 20, 0.5, 64, {"GREETING": "hi there", "EMPTY": ""}, "65534", 0,
                          600, False), config)
        self.assertEqual(config["volumes"], [{"source": data, "target": "/data",
                                              "read_only": True}], config)
        script = 'id -u; echo "$GREETING"; cat /data/in.txt; test -e /workspace || echo none'
        out = self.ok("exec", self.USER, "cfg", "--", "sh", "-c", script)
        self.assertEqual(out, "65534\nhi there\nfrom the host\nnone\n")
        out = ctl("exec", self.USER, "cfg", "--", "sh", "-c", "echo x > /data/new")
        self.assertNotEqual(out.returncode, 0, out)
        self.assertFalse(os.path.exists(os.path.join(data, "new")))
        # a published port: [HOST:]CONTAINER[/PROTO]
        got = json.loads(self.get("port", "--port", "18183:8080", "-p", "9090/udp", "--json"))
        self.assertEqual(got["config"]["ports"], [
            {"container_port": 8080, "host_port": 18183, "protocol": "tcp"},
            {"container_port": 9090, "host_port": 9090, "protocol": "udp"}], got)
        self.assertIn("127.0.0.1:18183->8080/tcp", self.ok("show", self.USER, "port"))

    def test_exec(self):
        """Exit codes pass through, stdout and stderr apart, stdin piped in, output whole,
        --workdir and --env, a signal as 128+N, --timeout as 124."""
        self.get("ex")
        out = ctl("exec", self.USER, "ex", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
        self.assertEqual((out.returncode, out.stdout, out.stderr), (3, "out\n", "err\n"))
        out = ctl("exec", self.USER, "ex", "--", "sh", "-c", "cat; pwd", data="piped in\n")
        self.assertEqual((out.returncode, out.stdout), (0, "piped in\n/workspace\n"), out)
        # stdin /dev/null: cat ends at once
        self.assertEqual(self.ok("exec", self.USER, "ex", "--", "cat"), "")
        out = self.ok("exec", "-w", "/tmp", "-e", "A=one", "--env", "B=two words", self.USER,
                      "ex", "--", "sh", "-c", 'echo "$A $B"; pwd')
        self.assertEqual(out, "one two words\n/tmp\n")
        # 3 MB: more than Exec keeps of an output, all of it since it goes to tenderctl's own
        out = ctl("exec", self.USER, "ex", "--", "sh", "-c",
                  "head -c 3000000 /dev/zero | tr '\\0' x", text=False)
        self.assertEqual((out.returncode, len(out.stdout), set(out.stdout)),
                         (0, 3000000, {ord("x")}))
        out = ctl("exec", self.USER, "ex", "--", "sh", "-c", "kill -TERM $$")
        self.assertEqual(out.returncode, 128 + signal.SIGTERM, out)
        start = time.monotonic()
        out = ctl("exec", "--timeout", "1", self.USER, "ex", "--", "sh", "-c",
                  "echo before; sleep 123471")
        self.assertEqual((out.returncode, out.stdout), (124, "before\n"), out)
        self.assertIn("timeout of 1 s", out.stderr)
        self.assertLess(time.monotonic() - start, 20)
        # no such command: the plugin's NotFound
        err = self.fails(1, "exec", self.USER, "ex", "--", "no-such-command")
        self.assertIn("no-such-command", err)
        # the command must follow "--"; usage errors exit 2
        self.assertIn("'--'", self.fails(2, "exec", self.USER, "ex", "ls"))
        self.assertIn("Missing the command", self.fails(2, "exec", self.USER, "ex", "--"))
        self.assertIn("timeout", self.fails(2, "exec", "--timeout", "soon", self.USER, "ex",
                                            "--", "true"))
        self.assertIn("KEY=VALUE", self.fails(2, "exec", "-e", "NOEQUALS", self.USER, "ex",
                                              "--", "true"))

    def test_exec_ends_with_tenderctl(self):
        """Ctrl-C (SIGINT) on tenderctl: the command in the sandbox dies too."""
        self.get("int")
        proc = subprocess.Popen([TENDERCTL, "session", "exec", self.USER, "int", "--",
                                 "sleep", "123472"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertTrue(wait_for(lambda: processes_running(["sleep", "123472"]), timeout=20))
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=20), -signal.SIGINT)
        self.assertTrue(wait_for(lambda: not processes_running(["sleep", "123472"]),
                                 timeout=20), "the command outlived tenderctl")

    def test_files(self):
        """write, read, ls and rm round trip, text and binary; the files are on the host."""
        self.get("f")
        host = f"{WORKSPACES}/ctl/f"
        self.assertEqual(self.ok("write", "--mode", "0600", self.USER, "f", "data/in.csv",
                                 data="a,b\n"), "")
        self.ok("write", "--append", self.USER, "f", "data/in.csv", data="1,2\n")
        self.assertEqual(self.ok("read", self.USER, "f", "data/in.csv"), "a,b\n1,2\n")
        st = os.stat(f"{host}/data/in.csv")
        self.assertEqual((st.st_mode & 0o777, st.st_size), (0o600, 8))
        blob = bytes(range(256)) * 1000 + b"\0\xff\n"
        self.ok("write", self.USER, "f", "/workspace/blob.bin", data=blob, text=False)
        self.assertEqual(self.ok("read", self.USER, "f", "blob.bin", text=False), blob)
        with open(f"{host}/blob.bin", "rb") as f:
            self.assertEqual(f.read(), blob)
        # a path that starts with '-' follows "--"
        self.ok("write", self.USER, "f", "--", "-dash.txt", data="dash\n")
        self.assertEqual(self.ok("read", self.USER, "f", "--", "-dash.txt"), "dash\n")
        os.symlink("blob.bin", f"{host}/link")
        rows = [line.split() for line in self.ok("ls", self.USER, "f").splitlines()]
        self.assertEqual(rows[0], ["NAME", "TYPE", "SIZE", "MODE", "MTIME"])
        byname = {r[0]: r for r in rows[1:]}
        self.assertEqual(byname["blob.bin"][1:4], ["file", str(len(blob)), "0644"], rows)
        self.assertEqual(byname["data"][1], "directory", rows)
        self.assertEqual(byname["link"][:4], ["link", "->", "blob.bin", "symlink"], rows)
        self.assertRegex(byname["blob.bin"][4], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        listed = json.loads(self.ok("ls", self.USER, "f", "data", "--json"))
        self.assertEqual([(e["name"], e["type"], e["size"], e["mode"] & 0o777)
                          for e in listed], [("in.csv", "file", 8, 0o600)])
        self.ok("rm", self.USER, "f", "data/in.csv")
        self.ok("rm", self.USER, "f", "data")
        self.assertFalse(os.path.exists(f"{host}/data"))
        self.assertIn("data", self.fails(1, "read", self.USER, "f", "data/in.csv"))
        self.fails(1, "rm", self.USER, "f", "data")
        # more than [plugin sessions] max-file-size (16 MiB): the plugin's LimitReached
        err = self.fails(1, "write", self.USER, "f", "big", data=b"\0" * (17 << 20))
        self.assertIn("max-file-size", err)
        self.assertFalse(os.path.exists(f"{host}/big"))
        self.assertIn("mode", self.fails(2, "write", "--mode", "999", self.USER, "f", "x",
                                         data=""))

    def test_processes(self):
        """start, ps, logs (--tail), kill (--signal)."""
        self.get("bg")
        pid = self.ok("start", "-e", "WHO=bg", self.USER, "bg", "--", "sh", "-c",
                      'echo "one $WHO"; echo two; echo oops >&2; exec sleep 123473').strip()
        self.assertEqual(pid, "p1")

        def logs():
            return ctl("logs", self.USER, "bg", "p1")
        self.assertTrue(wait_for(lambda: logs().stdout == "one bg\ntwo\n", timeout=20),
                        logs())
        self.assertEqual(logs().stderr, "oops\n")
        self.assertEqual(self.ok("logs", "--tail", "1", self.USER, "bg", "p1"), "two\n")
        rows = self.ok("ps", self.USER, "bg").splitlines()
        self.assertEqual(rows[0].split(), ["ID", "PID", "STATE", "EXIT", "ARGV", "PORTS"])
        self.assertRegex(rows[1], r"^p1 +\d+ +running +- +sh -c ")
        listed = json.loads(self.ok("ps", self.USER, "bg", "--json"))
        self.assertEqual((listed[0]["id"], listed[0]["state"]), ("p1", "running"), listed)
        self.ok("kill", "--signal", "KILL", self.USER, "bg", "p1")
        self.assertTrue(wait_for(lambda: "killed" in self.ok("ps", self.USER, "bg"),
                                 timeout=20))
        self.assertRegex(self.ok("ps", self.USER, "bg").splitlines()[1],
                         r"^p1 +\d+ +killed +signal 9 ")
        self.assertEqual(processes_running(["sleep", "123473"]), [])
        # it ended: the plugin's InvalidState; no such process: its NotFound
        self.fails(1, "kill", self.USER, "bg", "p1")
        self.assertIn("p9", self.fails(1, "logs", self.USER, "bg", "p9"))
        self.assertIn("signal", self.fails(2, "kill", "-s", "NOSUCH", self.USER, "bg", "p1"))
        # a background process that exits
        self.assertEqual(self.ok("start", self.USER, "bg", "--", "sh", "-c", "exit 5").strip(),
                         "p2")
        self.assertTrue(wait_for(lambda: re.search(r"(?m)^p2 +\d+ +exited +5 ",
                                                   self.ok("ps", self.USER, "bg")), timeout=20))
        # --follow: what was kept, then what comes as it comes, until the process ends; the
        # pipes tenderctl writes to end with it
        self.assertEqual(self.ok("start", self.USER, "bg", "--", "sh", "-c",
                                 "echo first; echo err >&2; sleep 1.5; echo second").strip(),
                         "p3")
        started = time.monotonic()
        proc = subprocess.Popen([TENDERCTL, "session", "logs", "-f", self.USER, "bg", "p3"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(proc.stdout.readline(), "first\n")
        self.assertLess(time.monotonic() - started, 1.4, "the kept lines came late")
        out, err = proc.communicate(timeout=30)
        self.assertEqual((proc.returncode, out, err), (0, "second\n", "err\n"))

    def test_close(self):
        """close keeps the workspace on the host; --delete-workspace removes it."""
        host = f"{WORKSPACES}/ctl/cl"
        self.get("cl")
        self.ok("write", self.USER, "cl", "kept.txt", data="kept\n")
        self.assertEqual(self.ok("close", self.USER, "cl"), "")
        with open(f"{host}/kept.txt") as f:
            self.assertEqual(f.read(), "kept\n")
        self.assertIn("No session cl of user ctl", self.fails(1, "show", self.USER, "cl"))
        self.assertEqual(self.ok("list", "--user", self.USER).splitlines()[1:], [])
        # made again over the same workspace
        self.assertRegex(self.get("cl"), r"created: yes")
        self.assertEqual(self.ok("read", self.USER, "cl", "kept.txt"), "kept\n")
        self.ok("close", "--delete-workspace", self.USER, "cl")
        self.assertFalse(os.path.exists(host))
        self.fails(1, "close", self.USER, "cl")

    def test_help(self):
        """The group's help lists every verb; each verb has its own."""
        out = subprocess.run([TENDERCTL, "session", "--help"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        for verb in VERBS:
            self.assertRegex(out.stdout, rf"\n  session {verb} ")
        self.assertIn("session get|list|show|exec", subprocess.run(
            [TENDERCTL, "--help"], capture_output=True, text=True).stdout)
        for verb in VERBS:
            out = ctl(verb, "--help")
            self.assertEqual(out.returncode, 0, (verb, out.stderr))
            self.assertIn(f"tenderctl [OPTION…] session {verb}", out.stdout)
            self.assertIn("Example", out.stdout)
        out = ctl("get", "--help")
        for option in ("--backend", "--image", "--isolation", "--memory", "--cpu", "--pids",
                       "--env", "--volume", "--port", "--network", "--user", "--lifetime",
                       "--idle-timeout", "--no-workspace", "--recreate"):
            self.assertIn(option, out.stdout)
        self.assertIn("124", ctl("exec", "--help").stdout)

    def test_bad_input(self):
        """Missing or extra arguments and bad options are usage errors (exit 2); a session
        that is not there, or a bad id, is the plugin's error (exit 1)."""
        for args in (["get"], ["get", "u"], ["show", "u"], ["exec", "u"], ["write", "u", "s"],
                     ["read", "u", "s"], ["ls", "u"], ["rm", "u", "s"], ["ps"], ["start", "u",
                     "s"], ["logs", "u", "s"], ["kill", "u", "s"], ["close", "u"],
                     ["show", "u", "s", "extra"], ["list", "extra"], ["show", "", "s"]):
            err = self.fails(2, *args)
            self.assertIn(f"tenderctl session {args[0]} --help", err)
        self.assertIn("needs a verb", self.fails(2))
        self.assertIn("Unknown session verb 'bogus'", self.fails(2, "bogus"))
        for option in (["--cpu", "lots"], ["--pids", "-1"], ["--volume", "/srv"],
                       ["--volume", "/srv:/data:rx"], ["--port", "70000"],
                       ["--port", "80/sctp"], ["--idle-timeout", "1h"]):
            self.assertIn(option[1], self.fails(2, "get", "u", "s", *option))
        # the plugin's messages
        for verb, extra in (("show", []), ("exec", ["--", "true"]), ("ps", []),
                            ("read", ["x"]), ("close", [])):
            err = self.fails(1, verb, self.USER, "nosuch", *extra)
            self.assertEqual(err, "tenderctl: No session nosuch of user ctl\n")
        self.assertIn("user", self.fails(1, "show", "bad/user", "s"))
        self.assertIn("Invalid user id 'bad/user'", self.fails(1, "list", "--user", "bad/user"))
        self.opened.append((self.USER, "bad"))
        self.assertIn("Invalid session config 'backend'",
                      self.fails(1, "get", self.USER, "bad", "--backend", "nope"))


class SessionsCtlReadmeTest(TenderTestCase):
    """README's "tenderctl session" example, as it stands there, with busybox imported as
    "busybox"."""
    setUpClass = classmethod(SessionsTest.setUpClass.__func__)
    tearDownClass = classmethod(SessionsTest.tearDownClass.__func__)

    def test_readme(self):
        images.import_image("busybox", os.path.join(self.tmp, "busybox.tar"))
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                               "README.md")) as f:
            readme = f.read()
        sessions = readme.split("\n## Sessions\n", 1)[1].split("\n## ", 1)[0]
        section = re.split(r"\n##+ ", sessions.split("\n### tenderctl session\n", 1)[1])[0]
        script = "set -e\n" + "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))
        env = dict(os.environ, PATH=os.path.dirname(TENDERCTL) + ":" + os.environ["PATH"])
        out = subprocess.run(["bash", "-xc", script], capture_output=True, text=True,
                             timeout=300, env=env, stdin=subprocess.DEVNULL)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        for expected in ("created: yes", "created: no", "from stdin\nhello from /workspace\n",
                         "exit status 3", "a,b\n1,2\n", "input.csv", "p1\n", "started\n"):
            self.assertIn(expected, out.stdout)
        self.assertRegex(out.stdout, r"(?m)^alice +s1 +running +healthy +native +busybox ")
        self.assertRegex(out.stdout, r"(?m)^p1 +\d+ +running +- +sh -c ")
        # the session the example made is closed, its workspace deleted
        self.assertTrue(wait_for(lambda: not any(
            str(w[0]).startswith("session-") for w in self.tender.list()), timeout=30),
            self.tender.list())
        self.assertFalse(os.path.exists(f"{WORKSPACES}/alice/s1"))


if __name__ == "__main__":
    unittest.main()
