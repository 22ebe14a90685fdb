#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Docker plugin's relics (TenderDockerRelics, plugins/docker), against the lab's dockerd.

tender-docker-check drives them: a web relic that becomes healthy on its session's network,
reached there by its container's name from another container; a health wait that times out
(unhealthy, container kept); the port required of an image that exposes none; the labels,
restart policy and network; list by session, stop, delete; and a new driver recovering the
relics of the first from their records and labels.
"""

import json
import os
import shutil
import tempfile
import unittest

import dockerlab
from dockerlab import BUSYBOX_IMAGE, WEB_IMAGE, docker
from test_docker_client import CHECK, Check

CORTEX_MEMBERS = ["relic_id", "relic_name", "session_id", "status", "started_at",
                  "container_id", "container_name", "network_id", "network_name",
                  "internal_url", "healthy", "last_health_check", "memory_used_mb",
                  "cpu_percent"]


def setUpModule():
    if CHECK:
        unittest.addModuleCleanup(dockerlab.stop_dockerd)
        dockerlab.start_dockerd()
        dockerlab.build_images()


def inspect(what, name):
    return json.loads(docker(what, "inspect", name).stdout)[0]


@unittest.skipUnless(CHECK, "TENDER_DOCKER_CHECK is not set")
class DockerRelicsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tender-docker-relics.")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.sessions = []
        self.addCleanup(self.remove_sessions)
        self.check = self.driver()

    def remove_sessions(self):
        for session in self.sessions:
            ids = docker("ps", "-aq", "--filter", f"label=org.tender.session={session}",
                         check=False).stdout.split()
            if ids:
                docker("rm", "-f", *ids, check=False)
            docker("network", "rm", f"tender-session-{session}", check=False)

    def driver(self):
        check = Check()
        self.addCleanup(self.quit, check)
        check.ok("connect")
        check.ok("relics", self.dir)
        check.ok("relics-recover")
        return check

    def quit(self, check):
        if check.proc.poll() is None:
            self.assertEqual(check.quit(), 0, "tender-docker-check did not end well")

    def start(self, session, check=None, **members):
        if session not in self.sessions:
            self.sessions.append(session)
        body = {"relic_name": "web", "session_id": session, "image": WEB_IMAGE}
        body.update(members)
        return (check or self.check).json("relic-start", json.dumps(body), timeout=120)

    def test_healthy(self):
        """A web relic: healthy, running, on its session's network with its name as alias,
        reached by internal_url from another container there; labelled; Cortex's rendering
        has Cortex's members in its order."""
        relic = self.start("rel_a", resource_limits={"memory_mb": 64})
        self.assertTrue(relic["healthy"], relic)
        self.assertEqual(relic["status"], "running")
        self.assertTrue(relic["relic_id"].startswith("relic_"))
        name = relic["container_name"]
        self.assertEqual(name, f"relic_web_rel_a_{relic['relic_id'][6:14]}")
        self.assertEqual(relic["port"], 8080)
        self.assertEqual(relic["internal_url"], f"http://{name}:8080")
        self.assertEqual(relic["network_name"], "tender-session-rel_a")
        network = inspect("network", "tender-session-rel_a")
        self.assertEqual(relic["network_id"], network["Id"])
        self.assertEqual(network["Labels"], {"org.tender.owner": "tender",
                                             "org.tender.kind": "network",
                                             "org.tender.session": "rel_a"})
        container = inspect("container", relic["container_id"])
        labels = container["Config"]["Labels"]
        self.assertEqual(labels["org.tender.owner"], "tender")
        self.assertEqual(labels["org.tender.kind"], "relic")
        self.assertEqual(labels["org.tender.session"], "rel_a")
        self.assertEqual(labels["org.tender.id"], relic["relic_id"])
        self.assertEqual(container["HostConfig"]["RestartPolicy"]["Name"], "unless-stopped")
        self.assertEqual(container["HostConfig"]["Memory"], 64 * 1024 * 1024)
        self.assertIn(name, container["NetworkSettings"]["Networks"]["tender-session-rel_a"]
                      ["Aliases"])
        self.assertIn("RELIC_NAME=web", container["Config"]["Env"])
        answer = docker("run", "--rm", "--network", "tender-session-rel_a", BUSYBOX_IMAGE,
                        "wget", "-qO-", f"{relic['internal_url']}/health").stdout
        self.assertEqual(answer, "ok\n")
        cortex = json.loads(self.check.ok("relic-cortex", relic["relic_id"]))
        self.assertEqual(list(cortex), CORTEX_MEMBERS)
        self.assertEqual(cortex["status"], "running")
        self.assertTrue(cortex["healthy"])
        self.assertIsNotNone(cortex["last_health_check"])
        with open(os.path.join(self.dir, "relics", f"{relic['relic_id']}.json")) as f:
            self.assertEqual(json.load(f)["status"], "running")
        self.assertGreaterEqual(int(self.check.ok("relic-changed", relic["relic_id"])), 2)

    def test_health_timeout(self):
        """An endpoint that answers 404: not healthy, unhealthy, the container kept running."""
        relic = self.start("rel_b", health_check_endpoint="/nope",
                           health_check_timeout_seconds=2)
        self.assertFalse(relic["healthy"], relic)
        self.assertEqual(relic["status"], "unhealthy")
        self.assertTrue(inspect("container", relic["container_id"])["State"]["Running"])
        cortex = json.loads(self.check.ok("relic-cortex", relic["relic_id"]))
        self.assertEqual(cortex["status"], "running")
        self.assertFalse(cortex["healthy"])

    def test_port_required(self):
        """An image exposing no port needs the request's; with it, the relic starts (and
        nothing answers on it: unhealthy)."""
        answer = self.check("relic-start", json.dumps(
            {"relic_name": "sh", "session_id": "rel_c", "image": BUSYBOX_IMAGE}))
        self.sessions.append("rel_c")
        self.assertEqual(answer, "error: org.tender.Agent1.Error.InvalidArgument: Member 'port' "
                         "is required: the image exposes 0 ports, not one")
        self.assertEqual(self.check.json("relic-list", "rel_c"), [])
        self.assertEqual(docker("ps", "-aq", "--filter", "label=org.tender.session=rel_c")
                         .stdout.split(), [])
        answer = self.check("relic-start", json.dumps(
            {"relic_name": "sh", "session_id": "rel_c", "image": WEB_IMAGE, "port": 0}))
        self.assertTrue(answer.startswith("error: org.tender.Agent1.Error.InvalidArgument: "
                                          "Member 'port' must be"), answer)

    def test_list_stop_delete(self):
        """Relics listed by session; stop keeps the container, stopped; delete removes it and
        the record, and leaves the session's network (cleanup removes it)."""
        a = self.start("rel_d")
        b = self.start("rel_d", relic_name="web2")
        c = self.start("rel_e")
        self.assertEqual(a["network_id"], b["network_id"])
        self.assertNotEqual(a["network_id"], c["network_id"])
        self.assertEqual(self.check.json("relic-list", "rel_d"),
                         sorted([a["relic_id"], b["relic_id"]]))
        self.assertEqual(self.check.json("relic-list", "rel_e"), [c["relic_id"]])
        listed = self.check.json("relic-list")
        self.assertTrue({a["relic_id"], b["relic_id"], c["relic_id"]} <= set(listed))

        stopped = self.check.json("relic-stop", a["relic_id"])
        self.assertEqual(stopped["status"], "stopped")
        self.assertFalse(stopped["healthy"])
        self.assertFalse(inspect("container", a["container_id"])["State"]["Running"])
        self.assertEqual(json.loads(self.check.ok("relic-cortex", a["relic_id"]))["status"],
                         "exited")

        self.check.ok("relic-rm", a["relic_id"])
        self.check.ok("relic-rm", b["relic_id"])
        self.assertEqual(docker("ps", "-aq", "--filter", "label=org.tender.session=rel_d")
                         .stdout.split(), [])
        self.assertEqual(self.check.json("relic-list", "rel_d"), [])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "relics",
                                                     f"{a['relic_id']}.json")))
        self.assertTrue(self.check("relic-show", a["relic_id"]).startswith(
            "error: org.tender.Agent1.Error.NotFound: "))
        inspect("network", "tender-session-rel_d")

    def test_recover(self):
        """A new driver finds the relics again: one from its record, one whose record was lost
        from its container's labels; a record whose container is gone is dropped."""
        a = self.start("rel_f")
        b = self.start("rel_f", relic_name="web2")
        gone = self.start("rel_f", relic_name="web3")
        self.check.quit()
        os.unlink(os.path.join(self.dir, "relics", f"{b['relic_id']}.json"))
        docker("rm", "-f", gone["container_id"])
        check = self.driver()
        self.assertEqual(check.json("relic-list", "rel_f"),
                         sorted([a["relic_id"], b["relic_id"]]))
        again = check.json("relic-show", a["relic_id"])
        self.assertEqual(again, a)
        rebuilt = check.json("relic-show", b["relic_id"])
        for member in ("relic_name", "session_id", "container_id", "container_name",
                       "network_name", "internal_url", "port", "status"):
            self.assertEqual(rebuilt[member], b[member], member)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "relics",
                                                    f"{b['relic_id']}.json")))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "relics",
                                                     f"{gone['relic_id']}.json")))


if __name__ == "__main__":
    unittest.main()
