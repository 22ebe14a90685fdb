#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tenderctl tool run, show, logs, cancel and list: the Docker plugin's tool runs through
org.tender.Agent1.Docker, against the lab's dockerd; and README's "Tool runs" examples, as
they stand there."""

import json
import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dockerlab import BUSYBOX_IMAGE, docker  # noqa: E402
from tenderlab import wait_for  # noqa: E402
from test_docker_runtime import (CHECKOUT, CONF, TENDERCTL, DockerTestCase,  # noqa: E402
                                 ctl, restart_tenderd, write_file)

# prints its parameters as its result, what came on stdin to stderr, and exits with $CODE
ECHO = 'echo "{\\"got\\": $PARAMETERS}"; cat >&2; exit ${CODE:-0}'


class DockerToolCtlTest(DockerTestCase):
    def test_run(self):
        """The tool's stdout and stderr on tenderctl's, its exit code as tenderctl's, its
        parameters (JSON or strings) in PARAMETERS and on stdin; the defaults of --name and
        --session; --json."""
        out = ctl("tool", "run", "-p", "n=7", "-p", "s=text", "-p", "l=[1, 2]",
                  "-p", "o={\"a\": true}", "-p", "e=", "--env", "CODE=3",
                  "--timeout", "30", "--memory", "64", "--cpus", "0.5", "--pids", "64",
                  BUSYBOX_IMAGE, "--", "sh", "-c", ECHO, check=False)
        self.assertEqual(out.returncode, 3, out.stderr)
        params = {"n": 7, "s": "text", "l": [1, 2], "o": {"a": True}, "e": ""}
        self.assertEqual(json.loads(out.stdout), {"got": params})
        self.assertEqual(json.loads(out.stderr), params)
        # its name and session by default: busybox, cli
        tools = json.loads(ctl("--json", "tool", "list", "--session", "cli").stdout)
        self.assertIn(("busybox", "cli", "failed", 3),
                      [(t["tool_name"], t["session_id"], t["status"], t["exit_code"])
                       for t in tools], tools)
        # --json: the record, every member there, and tenderctl exits with 0 for exit 0
        out = ctl("--json", "tool", "run", "--name", "echo", "--session", "ctl-a",
                  BUSYBOX_IMAGE, "--", "sh", "-c", ECHO)
        record = json.loads(out.stdout)
        self.assertEqual((record["status"], record["exit_code"], record["result"],
                          record["result_error"], record["session_id"]),
                         ("completed", 0, {"got": {}}, None, "ctl-a"), record)
        for member in ("id", "image", "error", "truncated", "container_id", "started_at",
                       "finished_at", "duration_ms", "resource_usage"):
            self.assertIn(member, record)
        self.assertEqual(set(record["resource_usage"]), {"max_memory_bytes", "cpu_time_ns"})
        # show and logs of it
        out = ctl("tool", "show", record["id"])
        keys = dict(re.findall(r"^\s*(\w+): (.*)$", out.stdout, re.M))
        self.assertEqual((keys["id"], keys["tool_name"], keys["status"], keys["exit_code"],
                          keys["result"]),
                         (record["id"], "echo", "completed", "0", '{"got":{}}'), out.stdout)
        self.assertNotIn("stdout", keys)
        out = ctl("tool", "logs", record["id"])
        self.assertEqual((out.stdout, out.stderr), ('{"got": {}}\n', "{}\n"))
        logs = json.loads(ctl("--json", "tool", "logs", record["id"]).stdout)
        self.assertEqual(logs, {"stdout": '{"got": {}}\n', "stderr": "{}\n"})

    def test_no_wait_cancel_list(self):
        """--no-wait prints the id; show says it runs; cancel kills it; list shows the
        session's tools and no others."""
        out = ctl("tool", "run", "--no-wait", "--session", "ctl-b", "--name", "sleeper",
                  BUSYBOX_IMAGE, "--", "sleep", "60")
        tool_id = out.stdout.strip()
        self.assertRegex(tool_id, r"^exec_[0-9a-f]{16}$")
        status = ctl("--json", "tool", "show", tool_id)
        self.assertIn(json.loads(status.stdout)["status"], ("queued", "running"))
        begun = time.monotonic()
        ctl("tool", "cancel", tool_id)
        self.assertLess(time.monotonic() - begun, 20)
        record = json.loads(ctl("--json", "tool", "show", tool_id).stdout)
        self.assertEqual((record["status"], record["exit_code"]), ("cancelled", None))
        out = ctl("tool", "show", tool_id)
        self.assertRegex(out.stdout, r"(?m)^\s+exit_code: -$")
        # cancelled again: it has ended
        out = ctl("tool", "cancel", tool_id, check=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("cancelled", out.stderr)
        ctl("tool", "run", "--session", "ctl-b", BUSYBOX_IMAGE, "--", "true")
        ctl("tool", "run", "--session", "ctl-c", BUSYBOX_IMAGE, "--", "true")
        out = ctl("tool", "list", "--session", "ctl-b")
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "TOOL", "SESSION", "STATUS", "EXIT",
                                            "DURATION"])
        rows = sorted(line.split()[1:5] for line in lines[1:])
        self.assertEqual(rows, [["busybox", "ctl-b", "completed", "0"],
                                ["sleeper", "ctl-b", "cancelled", "-"]], out.stdout)
        self.assertIn(tool_id, out.stdout)
        self.assertIn("ctl-c", ctl("tool", "list").stdout)

    def test_timeout(self):
        """A timeout: no exit code, "tool ID: timeout" and exit status 1."""
        begun = time.monotonic()
        out = ctl("tool", "run", "--timeout", "1", BUSYBOX_IMAGE, "--", "sleep", "60",
                  check=False)
        self.assertLess(time.monotonic() - begun, 30)
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertRegex(out.stderr, r"tenderctl: tool exec_[0-9a-f]{16}: timeout")

    def test_errors(self):
        """An unknown id, bad options, a refused request; and the plugin not active."""
        for verb in ("show", "logs", "cancel"):
            out = ctl("tool", verb, "exec_0000000000000000", check=False)
            self.assertEqual((out.returncode, out.stderr),
                             (1, "tenderctl: no tool exec_0000000000000000\n"))
        out = ctl("tool", "run", "--memory", "lots", BUSYBOX_IMAGE, check=False)
        self.assertEqual(out.returncode, 2)
        self.assertIn("Invalid memory 'lots'", out.stderr)
        out = ctl("tool", "run", "-p", "=1", BUSYBOX_IMAGE, check=False)
        self.assertEqual(out.returncode, 2)
        self.assertIn("expected KEY=VALUE", out.stderr)
        out = ctl("tool", "run", "--memory", "1", BUSYBOX_IMAGE, check=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("resource_limits.memory_mb", out.stderr)
        out = ctl("tool", check=False)
        self.assertEqual(out.returncode, 2)
        self.assertIn("'tool' needs a verb", out.stderr)
        out = ctl("tool", "run", "--help")
        self.assertIn("tool run IMAGE [OPTION...] [-- CMD [ARG...]]", out.stdout)
        self.assertIn("--no-wait", out.stdout)
        # the plugin disabled: its object is not there
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(lambda: setattr(self, "tenderd_pid", restart_tenderd()))
        self.addCleanup(write_file, CONF, saved)
        if "\n[plugins]\n" in saved:
            write_file(CONF, saved.replace("\n[plugins]\n", "\n[plugins]\ndisabled=docker\n", 1))
        else:
            write_file(CONF, f"{saved}\n[plugins]\ndisabled=docker\n")
        self.tenderd_pid = restart_tenderd()
        for args in (("list",), ("show", "exec_0000000000000000")):
            out = ctl("tool", *args, check=False)
            self.assertEqual((out.returncode, out.stderr),
                             (1, "tenderctl: the Docker plugin is not active "
                                 "(tenderctl plugins)\n"))

    def test_readme(self):
        """README's "Tool runs" examples, as they stand there."""
        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = re.split(r"\n##+ ", readme.split("\n### Tool runs\n", 1)[1])[0]
        commands = re.findall(r"```sh\n(.*?)```", section, re.S)
        script = "set -e\n" + "\n".join(commands)
        for tool in ("tenderctl", "busctl", "curl"):
            self.assertIn(tool, script)
        env = dict(os.environ, PATH=os.path.dirname(TENDERCTL) + ":" + os.environ["PATH"])
        out = subprocess.run(["bash", "-xc", script], capture_output=True, text=True,
                             timeout=120, env=env)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn('{"hello": {"who":"world","n":3}}', out.stdout)
        self.assertIn("exit status 3", out.stdout)
        # and nothing of the tools is left in dockerd once their results are read
        self.assertTrue(wait_for(lambda: docker("ps", "-aq", "--filter",
                                                "label=org.tender.kind=tool").stdout == "",
                                 timeout=10))


if __name__ == "__main__":
    unittest.main()
