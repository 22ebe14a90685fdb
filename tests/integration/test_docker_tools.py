#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Docker plugin's tool runs (TenderDockerTools, plugins/docker), against the lab's dockerd.

tender-docker-check drives the engine: a tool printing JSON (its result parsed, its parameters
arriving in PARAMETERS and on stdin), the container's labels and limits, a failing tool, a
timeout and a cancel that kill, output caps, queueing beyond max-concurrent, recovery by a new
driver after the first was killed -9 mid-run (nothing run twice), and results expiring.
"""

import json
import os
import shutil
import tempfile
import time
import unittest

import dockerlab
from dockerlab import BUSYBOX_IMAGE, docker
from tenderlab import wait_for
from test_docker_client import CHECK, Check

SESSION = "session_abc123"
CORTEX_MEMBERS = ["execution_id", "tool_name", "session_id", "status", "started_at",
                  "completed_at", "exit_code", "stdout", "stderr", "result", "container_id",
                  "execution_time_seconds", "memory_used_mb", "error"]
# prints what arrived in PARAMETERS and on stdin, as JSON
ECHO_PARAMETERS = ('read -r line; printf \'{"env": %s, "stdin": %s, "tool": "%s", '
                   '"session": "%s"}\\n\' "$PARAMETERS" "$line" "$TOOL_NAME" "$SESSION_ID"')


def request(script, **members):
    """A tool request running the shell script @script in the busybox image."""
    body = {"tool_name": "probe", "session_id": SESSION, "image": BUSYBOX_IMAGE,
            "command": ["sh", "-c", script]}
    body.update(members)
    return json.dumps(body)


def containers_of(tool_id):
    """The ids of the containers of a tool run, running or not."""
    return docker("ps", "-aq", "--no-trunc", "--filter",
                  f"label=org.tender.id={tool_id}").stdout.split()


def starts_of(tool_id, since):
    """How often a container of the tool run started since @since (a Unix time)."""
    events = docker("events", "--since", str(int(since)), "--until", str(int(time.time()) + 1),
                    "--filter", f"label=org.tender.id={tool_id}", "--filter", "event=start",
                    "--format", "{{.ID}}").stdout.split()
    return len(events)


def setUpModule():
    if CHECK:
        unittest.addModuleCleanup(dockerlab.stop_dockerd)
        dockerlab.start_dockerd()
        dockerlab.build_images()


@unittest.skipUnless(CHECK, "TENDER_DOCKER_CHECK is not set")
class DockerToolsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tender-docker-tools.")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.kept = []
        self.addCleanup(self.remove_kept)
        self.check = self.driver()

    def remove_kept(self):
        if self.kept:
            docker("rm", "-f", *self.kept, check=False)

    def driver(self, max_concurrent=2, ttl=600, output_max=4096, limits=()):
        """A new tender-docker-check with tools of the test's state dir; limits: how many
        runs are kept, how many may wait."""
        check = Check()
        self.addCleanup(self.quit, check)
        check.ok("connect")
        check.ok("tools", self.dir, max_concurrent, ttl, output_max, *limits)
        check.ok("tools-recover")
        return check

    def quit(self, check):
        if check.proc.poll() is None:
            self.assertEqual(check.quit(), 0, "tender-docker-check did not end well")

    def execute(self, body, check=None):
        return (check or self.check).json("tool-exec", body)

    def record(self, tool_id):
        with open(os.path.join(self.dir, "tools", f"{tool_id}.json")) as f:
            return json.load(f)

    def test_result(self):
        """A tool's JSON output is its result; its parameters arrive in PARAMETERS and on
        stdin; its container is removed; Cortex's rendering has Cortex's members."""
        parameters = {"file": "a b.pdf", "quote": "it's \"x\"", "n": [1, 2.5], "ok": True}
        run = self.execute(request(ECHO_PARAMETERS, parameters=parameters))
        expected = {"env": parameters, "stdin": parameters, "tool": "probe", "session": SESSION}
        self.assertEqual(run["status"], "completed", run)
        self.assertEqual(run["exit_code"], 0)
        self.assertEqual(run["result"], expected)
        self.assertIsNone(run["result_error"])
        self.assertEqual(json.loads(run["stdout"]), expected)
        self.assertEqual(run["stderr"], "")
        self.assertFalse(run["truncated"])
        self.assertIsNone(run["error"])
        self.assertTrue(run["id"].startswith("exec_"))
        self.assertIsNotNone(run["duration_ms"], run)
        self.assertGreaterEqual(run["duration_ms"], 0)
        self.assertLess(run["duration_ms"], 10000)
        for member in ("queued_at", "started_at", "finished_at"):
            self.assertTrue(run[member].endswith("Z"), run[member])
        self.assertEqual(containers_of(run["id"]), [])
        self.assertEqual(self.check.ok("tool-finished", run["id"]), "1")
        self.assertEqual(self.check.json("tool-show", run["id"]), run)
        self.assertEqual(self.check.json("tool-list", SESSION), [run["id"]])
        self.assertEqual(self.check.json("tool-list", "other"), [])

        cortex = self.check.json("tool-cortex", run["id"])
        self.assertEqual(list(cortex), CORTEX_MEMBERS)
        self.assertEqual(cortex["execution_id"], run["id"])
        self.assertEqual(cortex["status"], "success")
        self.assertEqual(cortex["result"], expected)
        self.assertEqual(cortex["container_id"], run["container_id"])
        self.assertIsNone(cortex["error"])
        self.assertFalse(cortex["started_at"].endswith("Z"))
        self.assertAlmostEqual(cortex["execution_time_seconds"], run["duration_ms"] / 1000,
                               delta=0.002)
        self.assertEqual(self.check.json("tool-logs", run["id"]),
                         {"stdout": run["stdout"], "stderr": ""})
        saved = self.record(run["id"])
        self.assertEqual(saved["status"], "completed")
        self.assertEqual(saved["result"], expected)

    def test_container(self):
        """The container's labels, env, stdin, limits and network, kept with cleanup false."""
        run = self.execute(request("cat; cat /proc/self/status >/dev/null", cleanup=False,
                                   parameters={"k": "v"}, env={"EXTRA": "1"},
                                   resource_limits={"memory_mb": 64, "cpu_limit": 0.5,
                                                    "timeout_seconds": 30, "pids": 32}))
        self.assertEqual(run["status"], "completed", run)
        self.assertEqual(run["stdout"], '{"k":"v"}\n')
        self.assertEqual(run["result"], {"k": "v"})
        self.assertEqual(containers_of(run["id"]), [run["container_id"]])
        self.kept.append(run["container_id"])
        inspect = json.loads(docker("inspect", run["container_id"]).stdout)[0]
        self.assertEqual(inspect["Name"], f"/tender-tool-{run['id']}")
        self.assertEqual(inspect["Config"]["Labels"], {
            "org.tender.owner": "tender", "org.tender.kind": "tool",
            "org.tender.session": SESSION, "org.tender.id": run["id"],
            "org.tender.tool": "probe"})
        env = inspect["Config"]["Env"]
        for entry in ("EXTRA=1", "TOOL_NAME=probe", f"SESSION_ID={SESSION}",
                      'PARAMETERS={"k":"v"}'):
            self.assertIn(entry, env)
        self.assertTrue(inspect["Config"]["OpenStdin"])
        self.assertTrue(inspect["Config"]["StdinOnce"])
        host = inspect["HostConfig"]
        self.assertEqual(host["Memory"], 64 * 1024 * 1024)
        self.assertEqual(host["NanoCpus"], 500000000)
        self.assertEqual(host["PidsLimit"], 32)
        self.assertEqual(host["NetworkMode"], "none")
        self.assertEqual(host["LogConfig"]["Type"], "json-file")
        self.assertEqual(inspect["State"]["Status"], "exited")

    def test_failures(self):
        """A failing tool, an image that is not there, output that is not JSON, a wrong
        request."""
        run = self.execute(request("echo oops >&2; exit 3"))
        self.assertEqual(run["status"], "failed", run)
        self.assertEqual(run["exit_code"], 3)
        self.assertEqual(run["stderr"], "oops\n")
        self.assertIsNone(run["result"])
        self.assertEqual(run["result_error"], "The tool wrote nothing on stdout")
        cortex = self.check.json("tool-cortex", run["id"])
        self.assertEqual((cortex["status"], cortex["exit_code"], cortex["error"]),
                         ("failed", 3, "Exit code: 3"))
        self.assertEqual(containers_of(run["id"]), [])

        missing = self.execute(json.dumps({"tool_name": "t", "session_id": SESSION,
                                           "image": "tender-test/no-such:latest"}))
        self.assertEqual(missing["status"], "failed")
        self.assertIsNone(missing["exit_code"])
        self.assertEqual(missing["error"],
                         "Image not found: No such image: tender-test/no-such:latest")
        self.assertIsNone(missing["started_at"])

        text = self.execute(request("echo pages: 3"))
        self.assertEqual(text["status"], "completed")
        self.assertIsNone(text["result"])
        self.assertTrue(text["result_error"].startswith("stdout is not JSON: "), text)

        self.assertEqual(self.check("tool-exec", '{"tool_name": "t"}'),
                         "error: org.tender.Agent1.Error.InvalidArgument: "
                         "Member 'session_id' is required")

    def test_timeout(self):
        """The timeout kills the container: status timeout, no exit code, container gone (or
        kept stopped, with cleanup false)."""
        limits = {"timeout_seconds": 1}
        start = time.monotonic()
        run = self.execute(request("echo started; sleep 30", resource_limits=limits))
        self.assertLess(time.monotonic() - start, 10)
        self.assertEqual(run["status"], "timeout", run)
        self.assertIsNone(run["exit_code"])
        self.assertEqual(run["stdout"], "started\n")
        self.assertGreaterEqual(run["duration_ms"], 900)
        self.assertEqual(containers_of(run["id"]), [])
        cortex = self.check.json("tool-cortex", run["id"])
        self.assertEqual((cortex["status"], cortex["exit_code"], cortex["error"]),
                         ("timeout", None, "Execution timed out after 1s"))

        kept = self.execute(request("sleep 30", resource_limits=limits, cleanup=False))
        self.assertEqual(kept["status"], "timeout")
        self.kept.append(kept["container_id"])
        state = json.loads(docker("inspect", kept["container_id"]).stdout)[0]["State"]
        self.assertFalse(state["Running"])
        self.assertEqual(state["ExitCode"], 137)

    def test_cancel(self):
        """A cancel kills the running container: status cancelled, no exit code."""
        run = self.execute(request("sleep 30", wait=False))
        self.assertEqual(run["status"], "running", run)
        self.assertIsNotNone(run["container_id"])
        self.assertTrue(wait_for(lambda: docker("inspect", "-f", "{{.State.Running}}",
                                                run["container_id"]).stdout.strip() == "true"))
        self.check.ok("tool-cancel", run["id"])
        done = self.check.json("tool-show", run["id"])
        self.assertEqual(done["status"], "cancelled", done)
        self.assertIsNone(done["exit_code"])
        self.assertEqual(containers_of(run["id"]), [])
        self.assertEqual(self.check.json("tool-cortex", run["id"])["status"], "cancelled")
        self.assertEqual(self.check("tool-cancel", run["id"]),
                         "error: org.tender.Agent1.Error.InvalidState: "
                         f"Tool run {run['id']} has ended (cancelled)")
        self.assertEqual(self.check("tool-cancel", "exec_0000000000000000"),
                         "error: org.tender.Agent1.Error.NotFound: "
                         "No tool run exec_0000000000000000")

    def test_output_caps(self):
        """Each stream is capped at output_max (4096 here); the result of a cut stdout is
        none."""
        run = self.execute(request("head -c 10000 /dev/zero | tr '\\0' a; "
                                   "head -c 5000 /dev/zero | tr '\\0' b >&2"))
        self.assertEqual(run["status"], "completed", run)
        self.assertEqual(run["stdout"], "a" * 4096)
        self.assertEqual(run["stderr"], "b" * 4096)
        self.assertTrue(run["truncated"])
        self.assertIsNone(run["result"])
        self.assertEqual(run["result_error"],
                         "The tool's output was cut, so stdout is not parsed")
        small = self.execute(request("echo '[1, 2]'; echo warn >&2"))
        self.assertFalse(small["truncated"])
        self.assertEqual(small["result"], [1, 2])

    def test_queue(self):
        """Beyond max-concurrent (2), runs queue (at most 2 here) and start in order as slots
        free; a queued run can be cancelled; a running one tells its resource usage."""
        self.check = self.driver(limits=(16, 2))
        runs = [self.execute(request(f"sleep 2; echo {i}", wait=False)) for i in range(4)]
        self.assertEqual([r["status"] for r in runs], ["running", "running", "queued", "queued"])
        self.assertEqual(self.check("tool-exec", request("true")),
                         "error: org.tender.Agent1.Error.LimitReached: "
                         "2 tool runs wait for a free slot already, as many as may wait")
        self.assertIsNone(runs[2]["container_id"])
        running = docker("ps", "-q", "--filter", "label=org.tender.kind=tool").stdout.split()
        self.assertEqual(len(running), 2)
        self.assertEqual(self.check.json("tool-show", runs[2]["id"])["status"], "queued")
        self.check.ok("tool-cancel", runs[3]["id"])
        cancelled = self.check.json("tool-show", runs[3]["id"])
        self.assertEqual((cancelled["status"], cancelled["container_id"]), ("cancelled", None))

        done = [self.check.json("tool-wait", r["id"], 30) for r in runs[:3]]
        self.assertEqual([d["status"] for d in done], ["completed"] * 3)
        self.assertEqual([d["result"] for d in done], [0, 1, 2])
        # the third started once one of the first two had ended
        self.assertGreaterEqual(done[2]["started_at"], min(d["finished_at"] for d in done[:2]))
        usage = done[0]["resource_usage"]
        self.assertGreater(usage["max_memory_bytes"], 0, done[0])
        self.assertGreater(usage["cpu_time_ns"], 0, done[0])
        cortex = self.check.json("tool-cortex", runs[0]["id"])
        self.assertAlmostEqual(cortex["memory_used_mb"], usage["max_memory_bytes"] / 1048576)
        self.assertEqual(self.check.json("tool-list", SESSION), [r["id"] for r in runs])
        for r in runs:
            self.assertEqual(self.check.ok("tool-finished", r["id"]), "1")

    def test_recover(self):
        """The driver is killed -9 with one run ending, one running, one queued: a new driver
        on the same state dir collects the first, waits for the second and starts the third,
        each container started once."""
        since = time.time() - 1
        first = self.driver(max_concurrent=2)
        ending = self.execute(request("sleep 1; echo '{\"a\": 1}'", wait=False), first)
        running = self.execute(request("sleep 4; echo '{\"b\": 2}'", wait=False), first)
        queued = self.execute(request("echo '{\"c\": 3}'", wait=False), first)
        self.assertEqual([r["status"] for r in (ending, running, queued)],
                         ["running", "running", "queued"])
        self.assertTrue(wait_for(lambda: all(
            os.path.exists(os.path.join(self.dir, "tools", f"{r['id']}.json"))
            for r in (ending, running, queued))))
        first.proc.kill()
        first.proc.wait()
        # the first ends while no driver is there; its container stays
        self.assertEqual(docker("wait", ending["container_id"]).stdout.strip(), "0")
        self.assertEqual(containers_of(ending["id"]), [ending["container_id"]])

        second = self.driver(max_concurrent=2)
        adopted = second.json("tool-show", running["id"])
        self.assertEqual(adopted["status"], "running", adopted)
        results = {r["id"]: second.json("tool-wait", r["id"], 30)
                   for r in (ending, running, queued)}
        self.assertEqual([results[r["id"]]["result"] for r in (ending, running, queued)],
                         [{"a": 1}, {"b": 2}, {"c": 3}])
        for r in (ending, running):
            self.assertEqual(results[r["id"]]["container_id"], r["container_id"])
        for r in (ending, running, queued):
            self.assertEqual(results[r["id"]]["status"], "completed")
            self.assertEqual(containers_of(r["id"]), [])
            self.assertEqual(starts_of(r["id"], since), 1, r["id"])
            self.assertEqual(second.ok("tool-finished", r["id"]), "1")
            self.assertEqual(self.record(r["id"])["status"], "completed")

    def test_expiry(self):
        """A result is kept for the ttl (1 s here), then removed from memory and disk."""
        check = self.driver(ttl=1)
        run = self.execute(request("echo '{}'"), check)
        self.assertEqual(run["status"], "completed")
        path = os.path.join(self.dir, "tools", f"{run['id']}.json")
        self.assertTrue(os.path.exists(path))
        self.assertTrue(wait_for(lambda: not os.path.exists(path), timeout=5))
        self.assertEqual(check("tool-show", run["id"]),
                         f"error: org.tender.Agent1.Error.NotFound: No tool run {run['id']}")


if __name__ == "__main__":
    unittest.main()
