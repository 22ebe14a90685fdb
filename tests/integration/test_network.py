#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The host side of the private network (agent/network), without tenderd's glue.

tender-network-check drives TenderNetworkManager; the "containers" are processes in network
namespaces of their own (unshare --net), looked into with nsenter.  A "remote client" is one
more namespace on a second veth pair, with addresses of 10.89.0.0/30.  Everything happens in
the lab's own network namespace: the test refuses to run where other interfaces exist.
"""

import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
import unittest

from tenderlab import run, wait_for

CHECK = os.environ.get("TENDER_NETWORK_CHECK")
BRIDGE = "tender0"
SUBNET = "10.88.0.0/16"
GATEWAY = "10.88.0.1"
REMOTE_LINK = "tndremote0"
REMOTE_HOST = "10.89.0.1"
REMOTE_CLIENT = "10.89.0.2"
TABLE = ["nft", "list", "table", "inet", "tender"]

# serves forever on HOST:PORT (tcp or udp), answering each connection or datagram with
# "NAME PEER-ADDRESS"; says "ready" once it listens
SERVER = r"""
import socket, sys
host, port, name, proto = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
if proto == "tcp":
    s.listen(16)
print("ready", flush=True)
while True:
    if proto == "udp":
        data, peer = s.recvfrom(100)
        s.sendto(f"{name} {peer[0]}".encode(), peer)
        continue
    c, peer = s.accept()
    c.recv(100)
    c.sendall(f"{name} {peer[0]}".encode())
    c.close()
"""
# one request to HOST:PORT; prints the answer
CLIENT = r"""
import socket, sys
host, port, proto = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if proto == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(b"hi", (host, port))
    print(s.recv(100).decode())
else:
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"hi")
    out = b""
    while True:
        chunk = s.recv(100)
        if not chunk:
            break
        out += chunk
    print(out.decode())
"""


def links():
    return [line.split(":")[1].strip().split("@")[0]
            for line in run(["ip", "-o", "link", "show"]).stdout.splitlines()]


def ours(name):
    return name in ("lo", BRIDGE, REMOTE_LINK) or name.startswith("tnd-")


class Namespace:
    """A process in a network namespace of its own: a container, or the remote client."""

    def __init__(self):
        self.proc = subprocess.Popen(["unshare", "--net", "sleep", "1000"])
        self.pid = self.proc.pid
        own = os.readlink("/proc/self/ns/net")
        if not wait_for(lambda: os.readlink(f"/proc/{self.pid}/ns/net") != own, timeout=10):
            raise AssertionError("unshare --net did not make a namespace")
        self.servers = []

    def run(self, cmd, check=True):
        return run(["nsenter", "-t", str(self.pid), "-n", *cmd], check=check)

    def serve(self, host, port, name, proto="tcp"):
        return serve(["nsenter", "-t", str(self.pid), "-n"], host, port, name, proto,
                     self.servers)

    def ask(self, host, port, proto="tcp"):
        return ask(["nsenter", "-t", str(self.pid), "-n"], host, port, proto)

    def close(self):
        stop(self.servers)
        self.proc.kill()
        self.proc.wait()


def stop(processes):
    for proc in processes:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def serve(prefix, host, port, name, proto, servers):
    server = subprocess.Popen([*prefix, "python3", "-c", SERVER, host, str(port), name, proto],
                              stdout=subprocess.PIPE, text=True)
    servers.append(server)
    ready, _, _ = select.select([server.stdout], [], [], 20)
    if not ready or server.stdout.readline().strip() != "ready":
        raise AssertionError(f"the server on {host}:{port}/{proto} did not start")
    return server


def ask(prefix, host, port, proto="tcp"):
    """The answer of the server at host:port, or None if it cannot be reached."""
    r = run([*prefix, "python3", "-c", CLIENT, host, str(port), proto], check=False,
            timeout=30)
    return r.stdout.strip() if r.returncode == 0 else None


class Check:
    """tender-network-check: one command a line, one answer a line."""

    def __init__(self, state_dir):
        self.proc = subprocess.Popen([CHECK, "--state-dir", state_dir],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)

    def __call__(self, *words, timeout=60):
        self.proc.stdin.write((" ".join(map(str, words)) + "\n").encode())
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"tender-network-check did not answer {words}")
            chunk = os.read(self.proc.stdout.fileno(), 1)
            if not chunk:
                raise AssertionError(f"tender-network-check ended on {words}")
            line += chunk
        return line.decode().strip()

    def ok(self, *words):
        answer = self(*words)
        if not answer.startswith("ok"):
            raise AssertionError(f"{' '.join(map(str, words))}: {answer}")
        return answer[3:]

    def quit(self):
        """Ends it as a stopped tenderd ends: its proxies close, links and rules stay."""
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()


@unittest.skipUnless(CHECK, "TENDER_NETWORK_CHECK is not set")
class NetworkTest(unittest.TestCase):
    def setUp(self):
        others = [name for name in links() if not ours(name)]
        if others:
            self.fail(f"not in a network namespace of the lab's own: {others}")
        with open("/proc/sys/net/ipv4/ip_forward") as f:
            self.forward = f.read().strip()
        self.state_dir = tempfile.mkdtemp(prefix="tender-network-")
        self.namespaces = []
        self.host_servers = []
        self.checks = []
        self.check = self.start_check()

    def tearDown(self):
        for check in self.checks:
            check.quit()
        for ns in self.namespaces:
            ns.close()
        stop(self.host_servers)
        run(["nft", "delete", "table", "inet", "tender"], check=False)
        for name in links():
            if name != "lo" and ours(name):
                run(["ip", "link", "delete", name], check=False)
        with open("/proc/sys/net/ipv4/ip_forward", "w") as f:
            f.write(self.forward)
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def start_check(self):
        check = Check(self.state_dir)
        self.checks.append(check)
        return check

    def container(self):
        ns = Namespace()
        self.namespaces.append(ns)
        return ns

    def remote_client(self):
        """A namespace on a veth of its own: REMOTE_HOST on the host's side."""
        ns = self.container()
        run(["ip", "link", "add", REMOTE_LINK, "type", "veth", "peer", "name", "eth0",
             "netns", str(ns.pid)])
        run(["ip", "addr", "add", f"{REMOTE_HOST}/30", "dev", REMOTE_LINK])
        run(["ip", "link", "set", REMOTE_LINK, "up"])
        ns.run(["ip", "addr", "add", f"{REMOTE_CLIENT}/30", "dev", "eth0"])
        ns.run(["ip", "link", "set", "eth0", "up"])
        ns.run(["ip", "link", "set", "lo", "up"])
        ns.run(["ip", "route", "add", "default", "via", REMOTE_HOST])
        return ns

    def host_serve(self, host, port, name, proto="tcp"):
        return serve([], host, port, name, proto, self.host_servers)

    def table(self):
        r = run(TABLE, check=False)
        return r.stdout if r.returncode == 0 else None

    def test_attach(self):
        """eth0 with its address, the default route via the bridge, lo up; the host's server on
        the bridge address and another container reached."""
        a = self.container()
        b = self.container()
        self.assertEqual(self.check.ok("setup"), "")
        self.assertEqual(self.check.ok("attach", "a", a.pid), "10.88.0.2")
        self.assertEqual(self.check.ok("attach", "b", b.pid), "10.88.0.3")
        self.assertEqual(self.check.ok("address", "a"), "10.88.0.2")

        self.assertIn(f"inet {GATEWAY}/16", run(["ip", "-o", "-4", "addr", "show", BRIDGE]).stdout)
        ports = run(["ip", "-o", "link", "show", "master", BRIDGE]).stdout
        self.assertEqual(len(re.findall(r"tnd-[0-9a-f]{11}", ports)), 2, ports)
        with open("/proc/sys/net/ipv4/ip_forward") as f:
            self.assertEqual(f.read().strip(), "1")

        self.assertIn("inet 10.88.0.2/16", a.run(["ip", "-o", "-4", "addr", "show", "eth0"]).stdout)
        self.assertIn(f"default via {GATEWAY} dev eth0", a.run(["ip", "route"]).stdout)
        self.assertIn("UP", a.run(["ip", "-o", "link", "show", "lo"]).stdout)
        self.assertIn("inet 10.88.0.3/16", b.run(["ip", "-o", "-4", "addr", "show", "eth0"]).stdout)

        self.host_serve(GATEWAY, 7001, "host")
        self.assertEqual(a.ask(GATEWAY, 7001), "host 10.88.0.2")
        self.assertEqual(b.ask(GATEWAY, 7001), "host 10.88.0.3")
        b.serve("0.0.0.0", 7002, "b")
        self.assertEqual(a.ask("10.88.0.3", 7002), "b 10.88.0.2")

        # attaching again, or a process in the host's namespace, is refused
        self.assertIn("InvalidState", self.check("attach", "a", a.pid))
        self.assertIn("InvalidState", self.check("attach", "c", os.getpid()))
        self.assertEqual(self.check.ok("address", "c"), "-")

    def test_outbound_nat(self):
        """A container's traffic leaving the subnet is masqueraded."""
        remote = self.remote_client()
        a = self.container()
        remote.serve("0.0.0.0", 7003, "remote")
        self.check.ok("attach", "a", a.pid)
        self.assertEqual(a.ask(REMOTE_CLIENT, 7003), f"remote {REMOTE_HOST}")
        self.assertIn(f"ip saddr {SUBNET} ip daddr != {SUBNET} masquerade", self.table())

    def test_published_ports(self):
        """On 127.0.0.1 through the proxy, on the host's other addresses through DNAT, for TCP
        and UDP; a host port taken is refused, naming it."""
        remote = self.remote_client()
        a = self.container()
        b = self.container()
        self.check.ok("setup")
        a.serve("0.0.0.0", 80, "a")
        a.serve("0.0.0.0", 53, "a-udp", "udp")
        self.assertEqual(self.check.ok("attach", "a", a.pid, "18080:80", "15353:53/udp"),
                         "10.88.0.2")
        # loopback: the proxy connects from the bridge's address
        self.assertEqual(ask([], "127.0.0.1", 18080), f"a {GATEWAY}")
        self.assertEqual(ask([], "127.0.0.1", 15353, "udp"), f"a-udp {GATEWAY}")
        # another host: DNAT, the client's own address kept
        self.assertEqual(remote.ask(REMOTE_HOST, 18080), f"a {REMOTE_CLIENT}")
        self.assertEqual(remote.ask(REMOTE_HOST, 15353, "udp"), f"a-udp {REMOTE_CLIENT}")
        # the host itself on a non-loopback address: DNAT in the output hook
        self.assertEqual(ask([], REMOTE_HOST, 18080), f"a {REMOTE_HOST}")
        # another workload on the host's address (hairpin): masqueraded back onto the bridge
        self.check.ok("attach", "b", b.pid)
        self.assertEqual(b.ask(REMOTE_HOST, 18080), f"a {GATEWAY}")

        # a host port that a workload has, or that something else on the host listens on
        c = self.container()
        taken = self.check("attach", "c", c.pid, "18080:80")
        self.assertRegex(taken, r"^error: org\.tender\.Agent1\.Error\.InvalidArgument: .*18080/tcp")
        self.host_serve("0.0.0.0", 18081, "host")
        taken = self.check("attach", "c", c.pid, "18081:80")
        self.assertRegex(taken, r"^error: org\.tender\.Agent1\.Error\.InvalidArgument: .*18081/tcp")
        taken = self.check("attach", "c", c.pid, "15353:53/udp")
        self.assertRegex(taken, r"^error: org\.tender\.Agent1\.Error\.InvalidArgument: .*15353/udp")
        self.assertNotIn("eth0", c.run(["ip", "-o", "link"]).stdout)
        self.assertEqual(self.check.ok("address", "c"), "-")
        # the same number in the other protocol is another port
        self.assertEqual(self.check.ok("attach", "c", c.pid, "15353:53"), "10.88.0.4")

        # detached: the proxies and the DNAT are gone
        self.check.ok("detach", "a")
        self.assertIsNone(ask([], "127.0.0.1", 18080))
        self.assertIsNone(remote.ask(REMOTE_HOST, 18080))
        self.assertNotIn("18080", self.table())

    def test_rules_lifecycle(self):
        """Rules per workload; rebuilt, never duplicated, by setup after a restart; the table
        and the bridge go with the last workload."""
        a = self.container()
        b = self.container()
        self.check.ok("attach", "a", a.pid, "18080:80")
        self.check.ok("attach", "b", b.pid, "18090:90", "18091:91/udp")
        table = self.table()
        self.assertIn('tcp dport 18080 dnat ip to 10.88.0.2:80 comment "a"', table)
        self.assertIn('tcp dport 18090 dnat ip to 10.88.0.3:90 comment "b"', table)
        self.assertIn('udp dport 18091 dnat ip to 10.88.0.3:91 comment "b"', table)
        self.assertIn("fib daddr type local ip daddr != 127.0.0.0/8 jump published", table)

        self.check.ok("detach", "a")
        table = self.table()
        self.assertNotIn("18080", table)
        self.assertIn("18090", table)
        self.assertNotIn("eth0", a.run(["ip", "-o", "link"]).stdout)
        b_link = run(["ip", "-o", "link", "show", "master", BRIDGE]).stdout
        self.assertEqual(len(re.findall(r"tnd-", b_link)), 1, b_link)

        # tenderd restarts: its proxies are gone, b runs on; setup twice, then b attached again
        self.check.quit()
        self.check = self.start_check()
        self.check.ok("setup")
        self.check.ok("setup")
        self.assertNotIn("18090", self.table())
        self.assertEqual(self.table().count("masquerade"), 2)
        self.assertEqual(self.check.ok("attach", "b", b.pid, "18090:90", "18091:91/udp"), "10.88.0.3")
        self.check.ok("setup")
        table = self.table()
        self.assertEqual(table.count("dnat ip to 10.88.0.3:90"), 1, table)
        self.assertEqual(table.count("masquerade"), 2, table)
        self.assertEqual(len(re.findall(r"^\s*chain ", table, re.M)), 4, table)
        self.assertEqual(run(["nft", "list", "tables"]).stdout.count("table inet tender"), 1)
        # b kept its veth: the same link as before the restart
        self.assertEqual(run(["ip", "-o", "link", "show", "master", BRIDGE]).stdout.split(":")[0],
                         b_link.split(":")[0])
        b.serve("0.0.0.0", 90, "b")
        self.assertEqual(ask([], "127.0.0.1", 18090), f"b {GATEWAY}")

        self.check.ok("detach", "b")
        self.assertIsNone(self.table())
        self.assertNotIn(BRIDGE, links())
        # detaching what is not attached is fine
        self.check.ok("detach", "b")

    def test_addresses(self):
        """One address per workload, kept across restarts, given again once released."""
        a = self.container()
        b = self.container()
        self.assertEqual(self.check.ok("attach", "a", a.pid), "10.88.0.2")
        self.assertEqual(self.check.ok("attach", "b", b.pid), "10.88.0.3")
        with open(os.path.join(self.state_dir, "network.json")) as f:
            self.assertEqual(json.load(f)["addresses"], {"a": "10.88.0.2", "b": "10.88.0.3"})
        self.assertIn("InvalidState", self.check("release", "a"))

        # a's run ends and it starts again: the same address
        self.check.ok("detach", "a")
        self.assertEqual(self.check.ok("address", "a"), "10.88.0.2")
        a2 = self.container()
        self.assertEqual(self.check.ok("attach", "a", a2.pid, "18080:80"), "10.88.0.2")
        # a restart policy: the next run attached right after the detach, without waiting;
        # the detach of the run before never takes the new run's veth or rules
        a3 = self.container()
        self.assertEqual(self.check.ok("restart", "a", a3.pid, "18080:80"), "10.88.0.2")
        self.assertIn("inet 10.88.0.2/16", a3.run(["ip", "-o", "-4", "addr", "show", "eth0"]).stdout)
        self.assertNotIn("eth0", a2.run(["ip", "-o", "link"]).stdout)
        self.assertEqual(self.table().count("dnat ip to 10.88.0.2:80"), 1)
        a3.serve("0.0.0.0", 80, "a3")
        self.assertEqual(ask([], "127.0.0.1", 18080), f"a3 {GATEWAY}")
        self.check.ok("detach", "a")

        # restarted: the addresses are read back
        self.check.quit()
        self.check = self.start_check()
        self.assertEqual(self.check.ok("address", "a"), "10.88.0.2")
        self.assertEqual(self.check.ok("address", "b"), "10.88.0.3")

        # a removed: its address is free, and the lowest free one goes to the next workload
        self.check.ok("release", "a")
        self.assertEqual(self.check.ok("address", "a"), "-")
        c = self.container()
        self.assertEqual(self.check.ok("attach", "c", c.pid), "10.88.0.2")
        self.assertIn("inet 10.88.0.2/16", c.run(["ip", "-o", "-4", "addr", "show", "eth0"]).stdout)
        with open(os.path.join(self.state_dir, "network.json")) as f:
            self.assertEqual(json.load(f)["addresses"], {"b": "10.88.0.3", "c": "10.88.0.2"})


if __name__ == "__main__":
    unittest.main()
