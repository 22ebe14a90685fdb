#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Docker plugin's Engine API client (plugins/docker), against the lab's own dockerd.

tender-docker-check drives TenderDockerClient: connect and the API version, requests and the
errors dockerd's answers map to, a container's stdin (a hijacked attach), its logs demuxed,
and the /events stream, also across a restart of dockerd.  One case has no dockerd at all;
another a fake one on a socket of its own, which speaks an API too old.
"""

import base64
import json
import os
import queue
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler

import dockerlab
from dockerlab import BUSYBOX_IMAGE, docker
from tenderlab import wait_for

CHECK = os.environ.get("TENDER_DOCKER_CHECK")
OWNER = {"org.tender.owner": "tender"}


class Check:
    """tender-docker-check: one command a line, one answer a line (read by a thread of its
    own, so that a command that gets no answer fails the test instead of hanging it)."""

    def __init__(self, socket_path=dockerlab.SOCKET):
        self.proc = subprocess.Popen([CHECK, "--socket", socket_path], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.answers = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.answers.put(line.rstrip("\n"))
        self.answers.put(None)

    def __call__(self, *words, timeout=60):
        command = " ".join(map(str, words))
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        try:
            answer = self.answers.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"tender-docker-check did not answer {command}") from None
        if answer is None:
            raise AssertionError(f"tender-docker-check ended on {command}")
        return answer

    def ok(self, *words, **kwargs):
        answer = self(*words, **kwargs)
        if answer != "ok" and not answer.startswith("ok "):
            raise AssertionError(f"{' '.join(map(str, words))}: {answer}")
        return answer[3:]

    def json(self, *words, **kwargs):
        return json.loads(self.ok(*words, **kwargs))

    def quit(self):
        """Ends it (at the end of its input); returns its exit status."""
        self.proc.stdin.close()
        try:
            status = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = f"still running after 30 s, killed ({self.proc.wait()})"
        self.reader.join()
        self.proc.stdout.close()
        return status


def server_api_version():
    return docker("version", "--format", "{{.Server.APIVersion}}").stdout.strip()


@unittest.skipUnless(CHECK, "TENDER_DOCKER_CHECK is not set")
class DockerClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        dockerlab.start_with_images()

    @classmethod
    def tearDownClass(cls):
        dockerlab.stop_dockerd()

    def setUp(self):
        self.check = Check()
        self.containers = []
        self.addCleanup(self.cleanup)
        self.check.ok("connect")

    def cleanup(self):
        self.assertEqual(self.check.quit(), 0, "tender-docker-check did not end well")
        if self.containers:
            docker("rm", "-f", *self.containers, check=False)

    def create(self, name, cmd, labels=None, **config):
        """Creates a container of the busybox image through the client; returns its id."""
        body = {"Image": BUSYBOX_IMAGE, "Cmd": cmd,
                "Labels": labels if labels is not None else dict(OWNER, **{"org.tender.id": name}),
                **config}
        answer = self.check.json("request", "POST", f"/containers/create?name={name}",
                                 json.dumps(body))
        self.containers.append(answer["Id"])
        return answer["Id"]

    def logs(self, cid, max_):
        """The container's logs: stdout and stderr (bytes) and whether they were cut."""
        logs = self.check.json("logs", cid, max_)
        return (base64.b64decode(logs["stdout"]), base64.b64decode(logs["stderr"]),
                logs["truncated"])

    def start_and_wait(self, cid):
        self.assertEqual(self.check.ok("request", "POST", f"/containers/{cid}/start"), "null")
        return self.check.json("request", "POST", f"/containers/{cid}/wait")["StatusCode"]

    def test_connect(self):
        version, server = self.check.ok("connect").split(" ", 1)
        expected = server_api_version()
        if tuple(map(int, expected.split("."))) > (1, 43):
            expected = "1.43"
        self.assertEqual(version, expected)
        self.assertEqual(server, docker("version", "--format", "{{.Server.Version}}")
                         .stdout.strip())
        # versioned requests go to /vX.Y
        info = self.check.json("request", "GET", "/info")
        self.assertIn("Containers", info)
        self.assertEqual(self.check.ok("request", "GET", "/_ping"), '"OK"')

    def test_stdin_logs(self):
        """A StdinOnce container gets stdin before it starts; its logs come back demuxed,
        each stream capped."""
        labels = dict(OWNER, **{"org.tender.kind": "tool", "org.tender.id": "echo"})
        cid = self.create("tender-check-echo", ["sh", "-c", "cat; echo to-stderr >&2; exit 3"],
                          labels=labels, OpenStdin=True, StdinOnce=True, AttachStdin=True)
        inspect = self.check.json("request", "GET", f"/containers/{cid}/json")
        self.assertEqual(inspect["Config"]["Labels"], labels)
        self.assertEqual(inspect["State"]["Status"], "created")
        data = b"hello\x00 from stdin\n"
        self.assertEqual(self.check.ok("stdin", cid, base64.b64encode(data).decode()), "")
        self.assertEqual(self.start_and_wait(cid), 3)
        self.assertEqual(self.logs(cid, 1024), (data, b"to-stderr\n", False))
        # by name too, and capped
        self.assertEqual(self.logs("tender-check-echo", 5), (b"hello", b"to-st", True))

        # 150 KiB: more than a pipe holds, less than the socket's buffers
        size = 150 * 1024
        cid = self.create("tender-check-count", ["sh", "-c", "cat | wc -c"],
                          OpenStdin=True, StdinOnce=True, AttachStdin=True)
        self.check.ok("stdin-pattern", cid, size)
        self.assertEqual(self.start_and_wait(cid), 0)
        self.assertEqual(self.logs(cid, 100), (f"{size}\n".encode(), b"", False))
        cid = self.create("tender-check-cat", ["cat"],
                          OpenStdin=True, StdinOnce=True, AttachStdin=True)
        self.check.ok("stdin-pattern", cid, size)
        self.assertEqual(self.start_and_wait(cid), 0)
        self.assertEqual(self.logs(cid, 22), (b"0123456789\n0123456789\n", b"", True))
        out, err, truncated = self.logs(cid, size)
        self.assertEqual(out, b"0123456789\n" * (size // 11) + b"0123456789\n"[:size % 11])
        self.assertFalse(truncated)

    def follow_events(self):
        self.check.ok("events-start")
        self.check.ok("wait-connected", "true", 10)

    def run_to_death(self, name, status=0, labels=None):
        """Runs a container that exits with @status; returns its id and the die event."""
        cid = self.create(name, ["sh", "-c", f"exit {status}"], labels=labels)
        self.assertEqual(self.start_and_wait(cid), status)
        if labels is not None and "org.tender.owner" not in labels:
            return cid, None
        event = self.check.json("wait-event", "die", cid, 10)
        self.assertEqual(event["Actor"]["Attributes"]["exitCode"], str(status))
        return cid, event

    def assert_each_once(self, *cids):
        """create, start, die: each once"""
        for cid in cids:
            self.assertEqual(self.check.ok("events-of", cid), "3")

    def test_events(self):
        """The die of a container labelled org.tender.owner comes through ::event; one of a
        container without the label does not."""
        self.follow_events()
        self.assertEqual(self.check.ok("connected"), "true")
        foreign, _ = self.run_to_death("tender-check-foreign", labels={"other": "x"})
        cid, event = self.run_to_death("tender-check-events", 7)
        self.assertEqual(event["Type"], "container")
        self.assertEqual(event["Actor"]["Attributes"]["org.tender.owner"], "tender")
        self.assertGreater(event["timeNano"], 0)
        for action in ("create", "start"):
            self.check.ok("wait-event", action, cid, 10)
        self.assertEqual(self.check.ok("events-of", foreign), "0")
        self.check.ok("events-stop")
        self.assertEqual(self.check.ok("connected"), "false")
        self.assertEqual(self.check.ok("connections"), "1 1")

    def test_events_resume(self):
        """Started again, the events resume after the last one received: what happened
        meanwhile comes, what came already does not come again."""
        self.follow_events()
        first, _ = self.run_to_death("tender-check-first")
        self.check.ok("events-stop")
        meanwhile = self.create("tender-check-meanwhile", ["sh", "-c", "exit 5"])
        self.assertEqual(self.start_and_wait(meanwhile), 5)
        self.check.ok("events-start")
        event = self.check.json("wait-event", "die", meanwhile, 10)
        self.assertEqual(event["Actor"]["Attributes"]["exitCode"], "5")
        last, _ = self.run_to_death("tender-check-last")
        self.assert_each_once(first, meanwhile, last)
        self.assertEqual(self.check.ok("connections"), "2 1")

    def test_events_reconnect(self):
        """When dockerd restarts, the stream drops and comes back by itself, and the events
        after the restart come."""
        self.follow_events()
        before, _ = self.run_to_death("tender-check-before")
        dockerlab.restart_dockerd()
        # dropped, and opened again (maybe before dockerd's restart is through)
        self.assertTrue(wait_for(lambda: self.check.ok("connections") == "2 1", timeout=20),
                        self.check.ok("connections"))
        self.assertEqual(self.check.ok("connected"), "true")
        after, _ = self.run_to_death("tender-check-after", 1)
        self.assert_each_once(before, after)

    def test_errors(self):
        """404 is NotFound, 409 InvalidState, with dockerd's message; 304 is no error."""
        self.assertEqual(
            self.check("request", "GET", "/containers/tender-no-such/json"),
            "error: org.tender.Agent1.Error.NotFound: No such container: tender-no-such")
        self.assertEqual(
            self.check("logs", "tender-no-such", 10),
            "error: org.tender.Agent1.Error.NotFound: No such container: tender-no-such")
        self.assertEqual(
            self.check("stdin", "tender-no-such", "aGkK"),
            "error: org.tender.Agent1.Error.NotFound: No such container: tender-no-such")
        cid = self.create("tender-check-twice", ["sleep", "30"])
        answer = self.check("request", "POST", "/containers/create?name=tender-check-twice",
                            json.dumps({"Image": BUSYBOX_IMAGE, "Cmd": ["true"]}))
        self.assertTrue(answer.startswith(
            "error: org.tender.Agent1.Error.InvalidState: Conflict. The container name "
            '"/tender-check-twice" is already in use'), answer)
        self.assertEqual(self.check.ok("request", "POST", f"/containers/{cid}/start"), "null")
        # started already: 304
        self.assertEqual(self.check.ok("request", "POST", f"/containers/{cid}/start"), "null")
        answer = self.check("request", "DELETE", f"/containers/{cid}")
        self.assertTrue(answer.startswith("error: org.tender.Agent1.Error.InvalidState: "),
                        answer)
        self.assertIn("cannot remove a running container", answer.lower())
        answer = self.check("request", "POST", "/containers/create",
                            json.dumps({"Image": "tender-test/no-such:latest"}))
        self.assertEqual(answer, "error: org.tender.Agent1.Error.NotFound: "
                         "No such image: tender-test/no-such:latest")
        self.assertEqual(self.check.ok("request", "DELETE", f"/containers/{cid}?force=1"),
                         "null")
        self.containers.remove(cid)
        answer = self.check("request", "GET", "containers/json")
        self.assertEqual(answer, "error: org.tender.Agent1.Error.InvalidArgument: "
                         "An Engine API path starts with /, not containers/json")


class FakeDockerd(BaseHTTPRequestHandler):
    """Answers /_ping and /version as a dockerd of API 1.40 (Docker 19.03) would."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/_ping":
            body, kind = b"OK", "text/plain; charset=utf-8"
        elif self.path == "/version":
            body = json.dumps({"Version": "19.03.15", "ApiVersion": "1.40",
                               "MinAPIVersion": "1.12"}).encode()
            kind = "application/json"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Api-Version", "1.40")
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("local", 0)


@unittest.skipUnless(CHECK, "TENDER_DOCKER_CHECK is not set")
class DockerClientAbsentTest(unittest.TestCase):
    """No dockerd of the lab's: nothing is there, or a fake one that is too old."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tender-docker-client.")
        self.addCleanup(shutil.rmtree, self.dir)

    def test_absent(self):
        path = os.path.join(self.dir, "docker.sock")
        check = Check(path)
        try:
            answer = check("connect")
            self.assertTrue(answer.startswith(
                f"error: org.tender.Agent1.Error.NotSupported: dockerd is not answering at "
                f"{path}: "), answer)
            self.assertEqual(check("request", "GET", "/containers/json"),
                             "error: org.tender.Agent1.Error.NotSupported: "
                             f"tender is not connected to dockerd at {path}")
            # the events keep trying
            check.ok("events-start")
            time.sleep(1)
            self.assertEqual(check.ok("connected"), "false")
            self.assertEqual(check.ok("connections"), "0 0")
        finally:
            self.assertEqual(check.quit(), 0)

    def test_old_api(self):
        path = os.path.join(self.dir, "old.sock")
        server = UnixHTTPServer(path, FakeDockerd)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        check = Check(path)
        try:
            self.assertEqual(check("connect"),
                             "error: org.tender.Agent1.Error.NotSupported: dockerd at "
                             f"{path} speaks API 1.40, older than 1.41")
        finally:
            self.assertEqual(check.quit(), 0)
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
