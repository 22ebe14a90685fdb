# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Docker section of tender's benchmarks (bench.py's section 5), and the lab's dockerd for
the Docker peers of the isolation section.

Each part times its peers in turn, one run of each per iteration, the order rotating:

  tool runs     `true` in the busybox test image: a tool run through tender (POST
                /v1/docker/tools with wait=true on tenderd's unix socket, until the answer),
                `docker run --rm IMAGE true` (the Debian CLI), the same with --network none
                (a tool run's network), and the Engine API called directly (create, start,
                wait, delete on /run/docker.sock, network none: what any client must do)
  launches      tender-bench docker: a workload of runtime docker vs one in a scope vs
                `docker run --rm`, until `true` has exited
  throughput    tool runs with 8 in flight vs 8 `docker run --rm` at a time: runs per second

dockerd is the lab's own (tests/integration/dockerlab.py: a tmpfs on /var/lib/docker, the
unit lab-dockerd); it is started for the section, with the busybox image imported offline,
and stopped after, unless it was running already.
"""

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DOCKER = "/usr/bin/docker"
DOCKER_SOCKET = "/run/docker.sock"
HTTP_SOCKET = "/run/tender/http.sock"
TOOLS = "/v1/docker/tools"
# the tool runs in flight of the throughput part, and the max-concurrent it needs
IN_FLIGHT = 8


def dockerlab():
    sys.path.insert(0, os.path.join(HERE, "..", "integration"))
    import dockerlab  # noqa: E402 (the tests' lab dockerd)

    return dockerlab


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP/1.1 (kept alive) over a unix socket."""

    def __init__(self, path, timeout=120):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        s.settimeout(self.timeout)
        s.connect(self.socket_path)
        self.sock = s


def call(conn, method, path, body=None):
    """(status, parsed JSON body or None)"""
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    resp = conn.getresponse()
    text = resp.read()
    try:
        return resp.status, json.loads(text) if text else None
    except ValueError:
        return resp.status, text.decode(errors="replace")


def stats(samples):
    """p50, p99, mean, min, max of @samples (ms), as tender-bench prints them"""
    s = sorted(samples)
    n = len(s)

    def pct(p):
        if not n:
            return 0
        idx = int(p / 100 * n + 0.999999)
        return s[min(max(idx - 1, 0), n - 1)]

    return {
        "count": n,
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "mean_ms": sum(s) / n if n else 0,
        "min_ms": s[0] if n else 0,
        "max_ms": s[-1] if n else 0,
    }


def set_max_concurrent(text, value):
    """@text (tenderd.conf) with max-concurrent=@value in [plugin docker]"""
    m = re.search(r"(?m)^\[plugin docker\]\n", text)
    if m is None:
        return text.rstrip("\n") + f"\n\n[plugin docker]\nmax-concurrent={value}\n"
    end = re.compile(r"(?m)^\[").search(text, m.end())
    end = end.start() if end else len(text)
    group = text[m.end() : end]
    group, n = re.subn(r"(?m)^max-concurrent=.*$", f"max-concurrent={value}", group)
    if n == 0:
        group = f"max-concurrent={value}\n" + group
    return text[: m.end()] + group + text[end:]


def max_concurrent(conf):
    try:
        with open(conf) as f:
            text = f.read()
    except OSError:
        return None
    m = re.search(r"(?m)^\[plugin docker\]\n((?:(?!\[).*\n?)*)", text)
    if m:
        v = re.search(r"(?m)^max-concurrent=(\d+)", m.group(1))
        if v:
            return int(v.group(1))
    return 4  # the plugin's default (data/tenderd.conf)


@contextlib.contextmanager
def dockerd(bench):
    """Yields None once the lab's dockerd answers with the busybox image, or why it does not;
    stops dockerd after if it was not running before."""
    if not os.access(DOCKER, os.X_OK):
        yield f"no {DOCKER} in the lab"
        return
    lab = dockerlab()
    active = subprocess.run(["systemctl", "is-active", "--quiet", lab.UNIT]).returncode == 0
    was_running = active and lab.ping()
    why = None
    t0 = time.monotonic()
    try:
        lab.start_dockerd()
        lab.build_images(web=False)
        bench.log(f"docker: dockerd and {lab.BUSYBOX_IMAGE} ready in "
                  f"{time.monotonic() - t0:.1f} s")
    except (AssertionError, OSError, subprocess.SubprocessError) as e:
        why = f"dockerd did not start: {str(e).strip().splitlines()[0] if str(e) else e!r}"
    try:
        yield why
    finally:
        if not was_running:
            lab.stop_dockerd()


def plugin_status():
    out = subprocess.run(["tenderctl", "--json", "plugins"], capture_output=True, text=True)
    try:
        return {p["Name"]: p["Status"] for p in json.loads(out.stdout)}.get("docker")
    except (ValueError, KeyError, TypeError):
        return None


class DockerBench:
    def __init__(self, bench, image):
        self.bench = bench
        self.args = bench.args
        self.image = image
        self.local = threading.local()
        self.steps = {}  # engine-api: ms of each call

    def conn(self, path):
        """this thread's kept-alive connection to @path"""
        conns = self.local.__dict__.setdefault("conns", {})
        if path not in conns:
            conns[path] = UnixHTTPConnection(path)
        return conns[path]

    def retry(self, path, method, url, body=None):
        """call() on this thread's connection; once more on a new one if it was closed"""
        try:
            return call(self.conn(path), method, url, body)
        except (http.client.HTTPException, ConnectionError):
            self.conn(path).close()
            return call(self.conn(path), method, url, body)

    # ---- the peers: each returns None or why it failed ----

    def tool(self):
        body = {"tool_name": "bench-true", "session_id": "bench", "image": self.image,
                "command": ["true"], "wait": True}
        status, answer = self.retry(HTTP_SOCKET, "POST", TOOLS, body)
        if status != 200 or not isinstance(answer, dict):
            return f"POST {TOOLS}: {status} {answer}"
        if (answer.get("status"), answer.get("exit_code")) != ("completed", 0):
            return f"tool run: {answer}"
        return None

    def cli(self, *options):
        proc = subprocess.run([DOCKER, "run", "--rm", *options, self.image, "true"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return f"docker run: exit status {proc.returncode}: {proc.stderr.strip()}"
        return None

    def engine_api(self):
        s = DOCKER_SOCKET
        t0 = time.monotonic()
        status, made = self.retry(s, "POST", "/containers/create", {
            "Image": self.image, "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}})
        if status != 201:
            return f"POST /containers/create: {status} {made}"
        times = {"create": (time.monotonic() - t0) * 1000}
        cid = made["Id"]
        steps = (("start", "POST", f"/containers/{cid}/start", 204),
                 ("wait", "POST", f"/containers/{cid}/wait", 200),
                 ("delete", "DELETE", f"/containers/{cid}", 204))
        for step, method, url, want in steps:
            t0 = time.monotonic()
            status, answer = self.retry(s, method, url)
            if status != want:
                return f"{method} {url}: {status} {answer}"
            if step == "wait" and answer.get("StatusCode") != 0:
                return f"the container's `true` ended {answer}"
            times[step] = (time.monotonic() - t0) * 1000
        # where the floor's time goes, step by step
        for step, ms in times.items():
            self.steps.setdefault(step, []).append(ms)
        return None

    def peers(self):
        return {
            "tool": self.tool,
            "docker-run": self.cli,
            "docker-run-none": lambda: self.cli("--network", "none"),
            "engine-api": self.engine_api,
        }

    # ---- the parts ----

    def timed(self, name, fn):
        t0 = time.monotonic()
        try:
            why = fn()
        except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
            why = f"{type(e).__name__}: {e}"
        ms = (time.monotonic() - t0) * 1000
        if why is not None:
            self.bench.error(f"docker {name}: {why}")
            return None
        return ms

    def tool_runs(self, count):
        peers = list(self.peers().items())
        samples = {name: [] for name, _ in peers}
        for i in range(count):
            for k in range(len(peers)):
                name, fn = peers[(i + k) % len(peers)]
                ms = self.timed(name, fn)
                if ms is not None:
                    samples[name].append(ms)
        return {name: stats(s) for name, s in samples.items()}

    def throughput(self, count, rounds):
        """@count runs of each peer with IN_FLIGHT at once, @rounds times: wall times (ms)"""
        peers = [(n, f) for n, f in self.peers().items() if n != "engine-api"]
        out = {name: {"wall_ms": [], "latency": []} for name, _ in peers}
        for r in range(rounds):
            for k in range(len(peers)):
                name, fn = peers[(r + k) % len(peers)]
                left = [count]
                lock = threading.Lock()

                def worker():
                    while True:
                        with lock:
                            if left[0] == 0:
                                return
                            left[0] -= 1
                        ms = self.timed(name, fn)
                        if ms is not None:
                            with lock:
                                out[name]["latency"].append(ms)

                t0 = time.monotonic()
                threads = [threading.Thread(target=worker) for _ in range(IN_FLIGHT)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                out[name]["wall_ms"].append((time.monotonic() - t0) * 1000)
        for v in out.values():
            v["latency"] = stats(v["latency"])
        return out

    def run(self, conf):
        a = self.args
        b = self.bench
        res = {"image": self.image, "count": a.docker_count, "tp_count": a.docker_tp_count,
               "tp_rounds": a.docker_tp_rounds, "in_flight": IN_FLIGHT,
               "max_concurrent": max_concurrent(conf)}
        deadline = time.monotonic() + 30
        while plugin_status() != "active" and time.monotonic() < deadline:
            time.sleep(0.1)
        if plugin_status() != "active":
            b.error(f"the Docker plugin is not active 30 s after dockerd answered: "
                    f"{plugin_status()}")
            res["status"] = "the Docker plugin did not become active"
            return res
        # one untimed run of each: the image's layers in the page cache, the connections up
        for name, fn in self.peers().items():
            if self.timed(name, fn) is None:
                res["status"] = f"{name} failed"
                return res
        b.log(f"docker: {a.docker_count} tool runs of `true` per peer, interleaved")
        self.steps.clear()
        res["tool"] = self.tool_runs(a.docker_count)
        res["engine_api_steps"] = {k: stats(v) for k, v in self.steps.items()}
        b.log(f"docker: {a.docker_count} launches of `true` per peer, interleaved")
        res["launch"] = b.client_run("docker", "--count", a.docker_count,
                                     "--docker-image", self.image)
        b.log(f"docker: throughput, {a.docker_tp_count} runs per peer and round, "
              f"{IN_FLIGHT} in flight, {a.docker_tp_rounds} rounds")
        res["throughput"] = self.throughput(a.docker_tp_count, a.docker_tp_rounds)
        res["status"] = "measured"
        return res
