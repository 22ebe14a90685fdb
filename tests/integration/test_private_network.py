#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Workloads on the private network (spec key network "private"), through tenderd: each gets
an address on the bridge tender0 (its Address property, its /etc/hosts), reaches the host and
the other private workloads, publishes its ports on 127.0.0.1 (a proxy in tenderd) and on the
host's other addresses (nftables DNAT); the bridge, the veths and tender's nftables table go
with the last workload, and a restart of tenderd joins a running workload again without a
rule twice.

The containers are busybox images (tests/integration/images.py) on the image store's tmpfs;
the servers inside are busybox's httpd, the clients its wget and nc.  Everything happens in
the lab's own network namespace."""

import os
import re
import signal
import subprocess
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import GLib, run, tenderd_pid, wait_for  # noqa: E402
from test_isolation import CHECKOUT, IsolationCase, ImageStoreMixin  # noqa: E402
from test_network import BRIDGE, GATEWAY, TABLE, links, ours, serve, stop  # noqa: E402

IMAGE = "net-bb"
TENDERCTL = os.environ.get("TENDERCTL", "tenderctl")
WEB = "mkdir -p /www && echo \"web $(hostname)\" > /www/index.html && exec httpd -f -p {port} -h /www"


def fetch(url):
    """The body at @url, or None if it cannot be reached."""
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode().strip()
    except OSError:
        return None


def table():
    r = run(TABLE, check=False)
    return r.stdout if r.returncode == 0 else None


class PrivateNetworkCase(ImageStoreMixin, IsolationCase):
    IMAGES = {IMAGE: "tar"}

    def setUp(self):
        super().setUp()
        others = [name for name in links() if not ours(name)]
        if others:
            self.fail(f"not in a network namespace of the lab's own: {others}")
        self.servers = []
        self.addCleanup(stop, self.servers)

    def tearDown(self):
        super().tearDown()
        # the last workload gone: nothing of the private network is left
        self.assertTrue(wait_for(lambda: not any(n == BRIDGE or n.startswith("tnd-")
                                                 for n in links()), timeout=15), links())
        self.assertIsNone(table())

    def private(self, name, script, ports=None, **spec):
        if ports is not None:
            spec["ports"] = GLib.Variant("a(qqs)", ports)
        self.create(name, ["/bin/sh", "-c", script], isolation="standard", image=IMAGE,
                    network="private", **spec)

    def web(self, name, port=8080, **spec):
        """A running web server on @port that answers "web NAME"; returns its address."""
        self.private(name, WEB.format(port=port), **spec)
        self.tender.start(name)
        p = self.tender.wait_state(name, "running")
        address = p["Address"]
        self.assertRegex(address, r"^10\.88\.\d+\.\d+$")
        # its server listens once httpd has started
        self.assertTrue(wait_for(lambda: self.inside(name, f"wget -q -O - "
                                                     f"http://127.0.0.1:{port}/") ==
                                 f"web {name}", timeout=15))
        return address

    def inside(self, name, script):
        r = run([TENDERCTL, "exec", name, "--", "/bin/sh", "-c", script], check=False,
                timeout=30)
        return r.stdout.strip() if r.returncode == 0 else None



class PrivateNetworkTest(PrivateNetworkCase):
    def test_address_and_hosts(self):
        address = self.web("net-a")
        # the address is on the container's eth0, the default route the bridge's
        self.assertIn(f"inet {address}/16", self.inside("net-a", "ip -4 addr show eth0"))
        self.assertIn(f"default via {GATEWAY}", self.inside("net-a", "ip route"))
        self.assertIn(f"{address}\tnet-a", self.inside("net-a", "cat /etc/hosts"))
        # and the same in tenderctl
        r = run([TENDERCTL, "inspect", "net-a"], check=False)
        self.assertRegex(r.stdout, rf"(?m)^ +Address: {re.escape(address)}$", r.stderr)
        # kept across a stop and a start, freed on remove
        self.tender.stop("net-a", timeout_sec=5)
        self.tender.wait_state("net-a", "stopped")
        self.assertEqual(self.tender.prop("net-a", "Address"), address)
        self.tender.start("net-a")
        self.tender.wait_state("net-a", "running")
        self.assertEqual(self.tender.prop("net-a", "Address"), address)

    def test_reaches_host_and_other_workloads(self):
        a = self.web("net-a")
        serve([], GATEWAY, 7001, "host", "tcp", self.servers)
        self.private("net-b", f"echo hi | nc {GATEWAY} 7001; echo; "
                     f"wget -q -O - http://{a}:8080/; echo --end--")
        p, out = self.start_and_wait("net-b")
        self.assertExited(p)
        b = self.tender.prop("net-b", "Address")
        self.assertNotEqual(a, b)
        # the host saw the workload's own address (no NAT on the bridge); a saw b
        self.assertEqual(out, [f"host {b}", "web net-a"])

    def test_published_ports(self):
        self.web("net-a", ports=[(18080, 8080, "tcp")])
        # on 127.0.0.1 through tenderd's proxy, on the host's other addresses through DNAT
        self.assertTrue(wait_for(lambda: fetch("http://127.0.0.1:18080/") == "web net-a",
                                 timeout=15))
        self.assertEqual(fetch(f"http://{GATEWAY}:18080/"), "web net-a")
        self.assertIn('tcp dport 18080 dnat ip to', table())
        # a host port taken is refused at create, naming it
        e = self.assertDBusError("InvalidArgument", self.private, self.workload("net-c"),
                                 "true", ports=[(18080, 80, "tcp")])
        self.assertIn("18080", e.message)
        self.assertIn("net-a", e.message)
        # the run ends: the proxy and the rule go
        self.tender.stop("net-a", timeout_sec=5)
        self.tender.wait_state("net-a", "stopped")
        self.assertIsNone(fetch("http://127.0.0.1:18080/"))
        self.assertTrue(wait_for(lambda: table() is None, timeout=15), table())

    def test_restart_joins_again_without_duplicates(self):
        self.web("net-a", ports=[(18081, 8080, "tcp")])
        self.assertTrue(wait_for(lambda: fetch("http://127.0.0.1:18081/") == "web net-a",
                                 timeout=15))
        before = table()
        old = self.tenderd_pid
        os.kill(old, signal.SIGKILL)
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old), timeout=30))
        self.tenderd_pid = tenderd_pid()
        self.assertTrue(wait_for(lambda: fetch("http://127.0.0.1:18081/") == "web net-a",
                                 timeout=30))
        after = table()
        self.assertEqual(len(re.findall(r"dport 18081 dnat", after)), 1, after)
        self.assertEqual(sorted(before.splitlines()), sorted(after.splitlines()))
        self.assertEqual(self.tender.prop("net-a", "State"), "running")

    def test_ended_while_tenderd_was_away(self):
        """tenderd stopped, the workload's scope stopped meanwhile: the next tenderd finds it
        ended and removes what was left of its network."""
        self.web("net-a", ports=[(18083, 8080, "tcp")])
        run(["systemctl", "stop", "tenderd.service"])
        # tenderd is gone, the links and rules stay
        self.assertIn(BRIDGE, links())
        self.assertIsNotNone(table())
        run(["systemctl", "stop", "tender-net-a.scope"])
        self.restart_tenderd()
        self.tenderd_pid = tenderd_pid()
        self.assertEqual(self.tender.prop("net-a", "State"), "failed")
        self.assertTrue(wait_for(lambda: BRIDGE not in links() and table() is None,
                                 timeout=15), (links(), table()))
        # and it starts again, on the same address
        address = self.tender.prop("net-a", "Address")
        self.tender.start("net-a")
        self.assertEqual(self.tender.wait_state("net-a", "running")["Address"], address)

    def test_ports_need_private(self):
        e = self.assertDBusError("InvalidArgument", self.create, self.workload("net-d"),
                                 ["/bin/true"], isolation="standard", image=IMAGE,
                                 network="none",
                                 ports=GLib.Variant("a(qqs)", [(18082, 80, "tcp")]))
        self.assertIn("ports", e.message)


class PrivateNetworkReadmeTest(PrivateNetworkCase):
    # the README imports busybox itself
    IMAGES = {}

    def test_readme_examples(self):
        """The README's private network examples, as they stand there."""
        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = readme.split("## Private network", 1)[1].split("\n## ", 1)[0]
        commands = re.findall(r"```sh\n(.*?)```", section, re.S)
        script = "set -e\n" + "\n".join(commands)
        for tool in ("tenderctl", "busctl", "curl"):
            self.assertIn(tool, script)
        self.workload("web")
        self.addCleanup(self.tender.call, "RemoveImage", "sa{sv}", "busybox",
                        {"force": GLib.Variant("b", True)})
        env = dict(os.environ, PATH=os.path.dirname(TENDERCTL) + ":" + os.environ["PATH"])
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                             timeout=120, env=env, cwd=self.tmp)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[1:3], ["hello", "hello"], out.stdout)
        self.assertRegex(out.stdout, r'"Address":"10\.88\.0\.\d+"')
        self.assertRegex(out.stdout, r"tcp dport 8080 dnat ip to 10\.88\.0\.\d+:80")
        self.assertRegex(out.stdout, r"10\.88\.0\.\d+\tweb")


if __name__ == "__main__":
    unittest.main()
