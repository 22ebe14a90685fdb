#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The benchmarks of tender, run inside the lab, where tenderd.service runs.

tests/bench/run boots the lab, installs a build there and runs this; meson's test
'bench-smoke' (suite 'bench') runs it with --smoke after the integration tests.  Every figure
is measured beside its peer in the same run, interleaved, and given as a ratio:

  1. launch latency   tender-bench latency: tender vs the floor vs systemd-run --scope
  2. throughput       tender-bench throughput: the same with 16 launches in flight
  3. HTTP             wrk on /api/health and /metrics (100 workloads) of tenderd and of a
                      FastAPI + uvicorn server with seed 000's two endpoints; /api/health of
                      a bare libsoup 3 server (bare-soup-server.c); tenderd's RSS before/after
  4. memory, scale    tenderd's RSS idle and with 1,000 and 5,000 sleepers; list and metrics
  5. Docker           (bench_docker.py, with the lab's dockerd) a tool run of `true` through
                      tender (HTTP, wait=true) vs `docker run --rm IMAGE true` vs the Engine
                      API called directly; a workload of runtime docker vs one in a scope vs
                      `docker run --rm`; tool runs with 8 in flight vs 8 `docker run --rm`
  6. isolation        tender-bench launch: `true` at isolation minimal, standard and strict
                      (a busybox rootfs) until it has exited, vs systemd-run --scope bwrap,
                      bwrap, /bin/true spawned and `docker run --rm IMAGE true` (every few
                      rounds: --docker-count runs); tender-bench exec: ExecWorkload of `true`
                      into a minimal and a strict workload vs nsenter into the same, and
                      `docker exec` into a running container (likewise)
  7. sessions         (bench_sessions.py) tender-bench sessions: the sessions plugin's Exec
                      of `true` into a native and a docker-backend session vs `docker exec`,
                      GetSession of a live session vs a D-Bus Ping of tenderd, a new session
                      on each backend vs `docker run -d IMAGE sleep`

and, only when named in --sections, the HTTP soak test (bench_soak.py, section soak).
The table goes to stdout (Markdown); --json FILE writes every raw figure.  Exits 1 if the
machinery failed (a launch, a call, a request that should work did not), whatever the speed.
"""

import argparse
import glob
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
import bench_docker  # noqa: E402 (section 5, beside this file)
import bench_metrics_latency  # noqa: E402 (section 8)
import bench_sessions  # noqa: E402 (section 7)
import bench_soak  # noqa: E402 (the soak test)

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = "/etc/tender/tenderd.conf"
TOKENS = "/etc/tender/tokens"
TENDER_TCP = "http://127.0.0.1:8086"
HTTP_SOCKET = "/run/tender/http.sock"
REF_PORT = 8087
BARE_PORT = 8088
CGROUP_SYSTEMD = "/sys/fs/cgroup/systemd/tender.slice"
PYTHON = "/usr/bin/python3"


class Bench:
    def __init__(self, args):
        self.args = args
        self.errors = []
        self.results = {}
        self.client = args.client or os.environ.get("TENDER_BENCH") or os.path.join(
            args.builddir, "tests/bench/tender-bench"
        )
        self.bare_soup = os.environ.get("TENDER_BARE_SOUP") or os.path.join(
            args.builddir, "tests/bench/bare-soup-server"
        )

    # ---- helpers ----

    def log(self, msg):
        print(f"bench: {msg}", file=sys.stderr, flush=True)

    def error(self, msg):
        self.errors.append(msg)
        print(f"bench: ERROR: {msg}", file=sys.stderr, flush=True)

    def client_run(self, *argv):
        """runs tender-bench, returns its JSON (also when it reports failures)"""
        cmd = [self.client, *[str(a) for a in argv]]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        sys.stderr.write(proc.stderr)
        try:
            out = json.loads(proc.stdout)
        except ValueError:
            self.error(f"{' '.join(cmd[1:])}: no result (exit status {proc.returncode})")
            return None
        if out.get("failures"):
            self.error(
                f"{' '.join(cmd[1:])}: {out['failures']} failed, first: {out['first_error']}"
            )
        return out

    def tenderd_pid(self):
        out = subprocess.run(
            ["systemctl", "show", "-P", "MainPID", "tenderd.service"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return int(out or 0)

    @staticmethod
    def status_kb(pid, key):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    @staticmethod
    def cpu_ms(pid):
        """user + system CPU time of @pid"""
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0

    @staticmethod
    def pss_kb(pid):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def scope_pids(self, prefix):
        """{workload name: [pids]} of the scopes tender-PREFIX*.scope"""
        out = {}
        for d in glob.glob(f"{CGROUP_SYSTEMD}/tender-{prefix}*.scope"):
            name = os.path.basename(d)[len("tender-") : -len(".scope")]
            try:
                with open(f"{d}/cgroup.procs") as f:
                    out[name] = [int(p) for p in f.read().split()]
            except OSError:
                pass
        return out

    def wait_scopes_gone(self, prefix, timeout=120):
        deadline = time.monotonic() + timeout
        left = self.scope_pids(prefix)
        while left and time.monotonic() < deadline:
            time.sleep(0.2)
            left = self.scope_pids(prefix)
        if left:
            self.error(f"{len(left)} scopes tender-{prefix}*.scope left after {timeout} s")
        return len(left)

    def http_unix_get(self, path, headers=None):
        """GET over tenderd's unix socket: (status, body)"""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC) as s:
            s.settimeout(120)
            s.connect(HTTP_SOCKET)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
            chunks = []
            while True:
                b = s.recv(1 << 20)
                if not b:
                    break
                chunks.append(b)
        raw = b"".join(chunks)
        head, _, body = raw.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1]) if head else 0
        return status, body.decode(errors="replace")

    # ---- set-up ----

    def configure(self):
        """raises max-workloads and restarts tenderd, so that it starts idle"""
        with open(CONF) as f:
            text = f.read()
        text, n = re.subn(r"(?m)^#?max-workloads=.*$", "max-workloads=20000", text)
        if n == 0:
            text = text.replace("[daemon]\n", "[daemon]\nmax-workloads=20000\n", 1)
        # the Docker section's throughput: 8 tool runs in flight, none queued
        text = bench_docker.set_max_concurrent(text, bench_docker.IN_FLIGHT)
        with open(CONF, "w") as f:
            f.write(text)
        subprocess.run(["systemctl", "reset-failed", "tenderd.service"], check=False)
        subprocess.run(["systemctl", "restart", "tenderd.service"], check=True)
        time.sleep(1)

    def machine(self):
        cpu = "unknown"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        systemd = subprocess.run(
            ["systemctl", "--version"], capture_output=True, text=True
        ).stdout.split("\n")[0]
        build = {}
        info = os.path.join(self.args.builddir, "meson-info/intro-buildoptions.json")
        try:
            with open(info) as f:
                for o in json.load(f):
                    if o["name"] in ("buildtype", "b_sanitize"):
                        build[o["name"]] = o["value"]
        except (OSError, ValueError):
            pass
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
        self.results["machine"] = {
            "cpus": os.cpu_count(),
            "cpu": cpu,
            "memory_gib": round(mem_kb / 1048576),
            "kernel": platform.release(),
            "systemd": systemd,
            "build": build,
            "cgroup": "v1 (the lab)",
        }

    # ---- 1 and 2: launches ----

    def launches(self):
        a = self.args
        self.log(f"launch latency: {a.count} sequential launches of each peer, interleaved")
        cpu0 = self.cpu_ms(self.tenderd_pid()), self.cpu_ms(1)
        lat = self.client_run("latency", "--count", a.count)
        cpu1 = self.cpu_ms(self.tenderd_pid()), self.cpu_ms(1)
        if lat:
            # tenderd works only for the tender launches; PID 1 for all three peers
            lat["tenderd_cpu_ms_per_launch"] = (cpu1[0] - cpu0[0]) / a.count
            lat["systemd_cpu_ms_per_launch"] = (cpu1[1] - cpu0[1]) / (3 * a.count)
        self.log(
            f"launch throughput: {a.tp_count} launches x {a.rounds} rounds, {a.jobs} in flight"
        )
        tp = self.client_run(
            "throughput", "--count", a.tp_count, "--jobs", a.jobs, "--rounds", a.rounds
        )
        self.results["latency"] = lat
        self.results["throughput"] = tp

    # ---- 3: HTTP ----

    def wrk(self, url, token):
        a = self.args
        env = dict(os.environ, TENDER_BENCH_TOKEN=token or "")
        cmd = [
            "wrk",
            f"-t{a.wrk_threads}",
            f"-c{a.wrk_connections}",
            f"-d{a.http_duration}s",
            "--timeout",
            "10s",
            "-s",
            os.path.join(HERE, "wrk-report.lua"),
            url,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        line = [l for l in proc.stdout.splitlines() if l.startswith("{")]
        if proc.returncode != 0 or not line:
            self.error(f"wrk {url}: exit status {proc.returncode}: {proc.stderr.strip()}")
            return None
        r = json.loads(line[-1])
        r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0
        bad = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["status_errors"]
        bad += r["timeouts"]
        if bad:
            r["errors"] = bad
            self.error(f"wrk {url}: {bad} errors of {r['requests']} requests: {line[-1]}")
        return r

    def http(self):
        prefix = f"bench-http{os.getpid()}-"
        with bench_soak.bearer_token(TOKENS) as token:
            self.http_measure(prefix, token)

    def http_measure(self, prefix, token):
        a = self.args
        ref = bare = None
        pid = self.tenderd_pid()
        rss_before = self.status_kb(pid, "VmRSS")
        pids_file = tempfile.NamedTemporaryFile("w", prefix="bench-pids.", delete=False)
        try:
            self.log(f"HTTP: {a.http_workloads} workloads, then wrk against tenderd, FastAPI "
                     "and a bare libsoup 3 server")
            sp = self.client_run(
                "spawn", "--count", a.http_workloads, "--prefix", prefix.rstrip("-"), "--jobs", a.jobs
            )
            if sp is None:
                return
            for name, pids in sorted(self.scope_pids(prefix).items()):
                mains = [p for p in pids if self.comm(p) != "tender-shim"]
                if mains:
                    pids_file.write(f"{name} {mains[0]}\n")
            pids_file.close()
            ref = subprocess.Popen(
                [PYTHON, os.path.join(HERE, "reference_server.py"), "--port", str(REF_PORT),
                 "--pids-file", pids_file.name],
                stdout=subprocess.DEVNULL,
            )
            bare = subprocess.Popen([self.bare_soup, str(BARE_PORT)], stdout=subprocess.DEVNULL)
            ref_url = f"http://127.0.0.1:{REF_PORT}"
            bare_url = f"http://127.0.0.1:{BARE_PORT}"
            for url in (ref_url, bare_url):
                if not self.wait_http(url + "/api/health", 30):
                    self.error(f"the peer at {url} did not answer within 30 s")
                    return
            # both answer, with every workload, before anything is timed
            for base, tok in ((TENDER_TCP, token), (ref_url, None)):
                body = self.http_get(base + "/metrics", tok)
                want = "tender_workload_memory_bytes{" if tok else "ref_workload_memory_bytes{"
                if body is None or body.count(want) < a.http_workloads:
                    self.error(f"{base}/metrics lacks the {a.http_workloads} workloads")
            runs = {}
            targets = [
                ("tender", "health", TENDER_TCP + "/api/health", None),
                ("fastapi", "health", ref_url + "/api/health", None),
                ("soup", "health", bare_url + "/api/health", None),
                ("tender", "metrics", TENDER_TCP + "/metrics", token),
                ("fastapi", "metrics", ref_url + "/metrics", None),
            ]
            for r in range(a.http_rounds):
                order = targets[r % 3 :] + targets[: r % 3]
                for who, what, url, tok in order:
                    self.log(f"HTTP round {r + 1}/{a.http_rounds}: {who} {what}")
                    res = self.wrk(url, tok)
                    if res is not None:
                        runs.setdefault(f"{who}/{what}", []).append(res)
            self.results["http"] = {
                "workloads": a.http_workloads,
                "wrk": f"-t{a.wrk_threads} -c{a.wrk_connections} -d{a.http_duration}s",
                "rounds": a.http_rounds,
                "runs": runs,
                "tenderd_rss_kb_before": rss_before,
                "tenderd_rss_kb_after": self.status_kb(pid, "VmRSS"),
                "tenderd_requests": sum(x["requests"] for k, v in runs.items()
                                        if k.startswith("tender/") for x in v),
            }
        finally:
            for proc in (ref, bare):
                if proc is not None:
                    proc.terminate()
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
            os.unlink(pids_file.name)
            self.client_run("remove", "--prefix", prefix, "--jobs", a.jobs)
            self.wait_scopes_gone(prefix)

    @staticmethod
    def comm(pid):
        try:
            with open(f"/proc/{pid}/comm") as f:
                return f.read().strip()
        except OSError:
            return ""

    @staticmethod
    def http_get(url, token):
        req = urllib.request.Request(url)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.read().decode()
        except OSError:
            return None

    def wait_http(self, url, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.http_get(url, None) is not None:
                return True
            time.sleep(0.2)
        return False

    # ---- 4: memory and scale ----

    def rss(self):
        pid = self.tenderd_pid()
        return {
            "tenderd_rss_kb": self.status_kb(pid, "VmRSS"),
            "tenderd_pss_kb": self.pss_kb(pid),
            "systemd_rss_kb": self.status_kb(1, "VmRSS"),
        }

    def launch_rate(self, prefix, running):
        """launches/s of --rate-count more sleepers, 16 in flight, beside @running others;
        they are removed again (and their scopes gone) before it returns"""
        a = self.args
        batch = f"{prefix}-rate{running}x"
        pids = {"tenderd": self.tenderd_pid(), "systemd": 1}
        cpu0 = {k: self.cpu_ms(pid) for k, pid in pids.items()}
        sp = self.client_run("spawn", "--count", a.rate_count, "--prefix", batch, "--jobs", a.jobs)
        cpu1 = {k: self.cpu_ms(pid) for k, pid in pids.items()}
        self.client_run("remove", "--prefix", batch, "--jobs", a.jobs)
        self.wait_scopes_gone(batch)
        if not sp or not sp.get("wall_ms") or not sp["started"]:
            return None
        return {"running": running, "started": sp["started"], "wall_ms": sp["wall_ms"],
                "per_s": sp["started"] / (sp["wall_ms"] / 1000),
                # CPU (user + system) per launch while they were spawned
                **{f"{k}_cpu_ms": (cpu1[k] - cpu0[k]) / sp["started"] for k in pids}}

    @staticmethod
    def cpu_ms(pid):
        """utime + stime of @pid so far, in ms"""
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def scale(self, idle):
        a = self.args
        prefix = f"bench-scale{os.getpid()}"
        points = []
        running = 0
        before = self.rss()
        rate0 = None
        try:
            self.log(f"scale: launch rate of {a.rate_count} with none running")
            rate0 = self.launch_rate(prefix, 0)
            for size in a.scale:
                self.log(f"scale: {size} sleepers")
                sp = self.client_run(
                    "spawn", "--count", size - running, "--prefix", f"{prefix}-{size}",
                    "--jobs", a.jobs,
                )
                if sp is None:
                    return
                running = size
                time.sleep(1)
                point = {"workloads": size, "spawn": sp, **self.rss()}
                scopes = self.scope_pids(prefix)
                point["scopes"] = len(scopes)
                if len(scopes) != size:
                    self.error(f"{size} workloads started, but {len(scopes)} scopes exist")
                shim = [p for ps in scopes.values() for p in ps if self.comm(p) == "tender-shim"]
                point["shim_pss_kb_avg"] = (
                    sum(self.pss_kb(p) for p in shim) / len(shim) if shim else 0
                )
                point["list"] = self.client_run("list", "--count", a.list_reps)
                point["list_systemd"] = self.client_run("list", "--systemd", "--count", a.list_reps)
                point["metrics_dbus"] = self.client_run(
                    "metrics", "--prefix", prefix, "--count", a.metrics_reps, "--jobs", a.jobs
                )
                times = []
                for _ in range(a.metrics_reps):
                    t0 = time.monotonic()
                    status, body = self.http_unix_get("/metrics")
                    times.append((time.monotonic() - t0) * 1000)
                    n = body.count("tender_workload_memory_bytes{")
                    if status != 200 or n < size:
                        self.error(f"GET /metrics: status {status}, {n} of {size} workloads")
                point["metrics_http_ms"] = statistics.median(times)
                point["metrics_http_bytes"] = len(body)
                self.log(f"scale: launch rate of {a.rate_count} with {size} running")
                point["launch_rate"] = self.launch_rate(prefix, size)
                points.append(point)
        finally:
            self.log("scale: removing the sleepers")
            t0 = time.monotonic()
            rm = self.client_run("remove", "--prefix", prefix, "--jobs", a.jobs)
            left = self.wait_scopes_gone(prefix)
            self.results["scale"] = {
                "idle": idle,
                "before": before,
                "launch_rate_0": rate0,
                "rate_count": a.rate_count,
                "points": points,
                "remove": rm,
                "remove_until_gone_s": time.monotonic() - t0,
                "scopes_left": left,
                "after": self.rss(),
            }

    # ---- 5: Docker ----

    def docker(self):
        with bench_docker.dockerd(self) as why:
            if why is not None:
                self.log(f"docker: skipped: {why}")
                self.results["docker"] = {"status": f"skipped: {why}"}
                return
            image = bench_docker.dockerlab().BUSYBOX_IMAGE
            self.results["docker"] = bench_docker.DockerBench(self, image).run(CONF)

    # ---- 6: isolation ----

    def isolation(self):
        a = self.args
        sys.path.insert(0, os.path.join(HERE, "..", "integration"))
        from images import busybox_rootfs  # noqa: E402 (the tests' busybox root)

        root = tempfile.mkdtemp(prefix="bench-rootfs.", dir=os.path.abspath(a.builddir))
        launch = execs = None
        try:
            os.chmod(root, 0o755)
            busybox_rootfs(root)
            with bench_docker.dockerd(self) as why:
                opts = []
                if why is None:
                    opts = ["--docker-image", bench_docker.dockerlab().BUSYBOX_IMAGE,
                            "--docker-count", a.docker_count]
                self.log(f"isolation: {a.count} sequential launches of each peer, interleaved"
                         + (f" (docker run: {a.docker_count})" if opts else ""))
                launch = self.client_run("launch", "--count", a.count, "--rootfs", root, *opts)
                self.log(f"isolation: {a.count} execs into running workloads, and nsenter"
                         + (f" (docker exec: {a.docker_count})" if opts else ""))
                execs = self.client_run("exec", "--count", a.count, "--rootfs", root, *opts)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        self.results["isolation"] = {
            "launch": launch,
            "exec": execs,
            "docker": f"not measured: {why}" if why else "measured",
        }

    # ---- 7: sessions ----

    def sessions(self):
        self.results["sessions"] = bench_sessions.run(self)

    # ---- all ----

    def run(self):
        a = self.args
        if a.configure:
            self.configure()
        self.machine()
        idle = self.rss()
        sections = a.sections
        if "launch" in sections:
            self.launches()
        if "isolation" in sections:
            self.isolation()
        if "http" in sections:
            self.http()
        if "scale" in sections:
            self.scale(idle)
        if "docker" in sections:
            self.docker()
        if "sessions" in sections:
            self.sessions()
        if "metrics-latency" in sections:
            self.results["metrics_latency"] = bench_metrics_latency.run(self, TOKENS, TENDER_TCP)
        if "soak" in sections:
            self.results["soak"] = bench_soak.run(self, TOKENS)
        self.results["errors"] = self.errors
        self.results["settings"] = {
            k: v for k, v in vars(a).items() if k not in ("json", "client", "builddir")
        }
        if a.json:
            with open(a.json, "w") as f:
                json.dump(self.results, f, indent=2)
        print(render(self.results))
        if self.errors:
            print(f"bench: {len(self.errors)} errors of the benchmark machinery:", file=sys.stderr)
            for e in self.errors:
                print(f"  {e}", file=sys.stderr)
            return 1
        return 0


# ---- the table ----


def ratio(a, b):
    if not a or not b:
        return "-"
    return f"{a / b:.2f}"


def fmt(v, digits=2):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    out = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(header, widths)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        out.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
    return "\n".join(out)


def render(res):
    out = []
    m = res.get("machine", {})
    b = m.get("build", {})
    out.append(
        f"Machine: {m.get('cpus')} CPUs ({m.get('cpu')}), {m.get('memory_gib')} GiB, "
        f"Linux {m.get('kernel')}, {m.get('systemd')}, cgroup {m.get('cgroup')}; "
        f"tender build: {b.get('buildtype', '?')}, sanitizers: {b.get('b_sanitize', '?')}"
    )
    lat, tp = res.get("latency"), res.get("throughput")
    if lat:
        out.append("")
        out.append(
            f"1. Launch latency: {lat['count']} sequential launches of `true` per peer, "
            "interleaved; from the first call until the command runs in its scope with "
            "MemoryMax and TasksMax applied"
        )
        out.append("")
        t, f, s = lat["tender"], lat["floor"], lat["systemd-run"]
        rows = []
        for key, label in (("p50_ms", "p50 (ms)"), ("p99_ms", "p99 (ms)"), ("mean_ms", "mean (ms)")):
            rows.append([label, fmt(t[key]), fmt(f[key]), fmt(s[key]),
                         ratio(t[key], f[key]), ratio(t[key], s[key])])
        per = [1000 / x["mean_ms"] if x["mean_ms"] else 0 for x in (t, f, s)]
        rows.append(["launches/s (1/mean)", fmt(per[0], 1), fmt(per[1], 1), fmt(per[2], 1),
                     ratio(per[0], per[1]), ratio(per[0], per[2])])
        out.append(table(["", "tender", "floor (no agent)", "systemd-run --scope",
                          "tender/floor", "tender/systemd-run"], rows))
        out.append("")
        out.append(
            f"Of tender's p50, CreateWorkload alone: {fmt(lat['tender_create']['p50_ms'])} ms. "
            f"CPU per launch: tenderd {fmt(lat.get('tenderd_cpu_ms_per_launch'))} ms, "
            f"systemd (PID 1, mean over the three peers) "
            f"{fmt(lat.get('systemd_cpu_ms_per_launch'))} ms."
        )
    if tp:
        out.append("")
        out.append(
            f"2. Launch throughput: {tp['count']} launches per peer and round, {tp['jobs']} in "
            f"flight, {tp['rounds']} rounds (median)"
        )
        out.append("")
        rates = {}
        p50 = {}
        for p in ("tender", "floor", "systemd-run"):
            walls = tp[p]["wall_ms"]
            rates[p] = statistics.median(tp["count"] / (w / 1000) for w in walls) if walls else 0
            p50[p] = tp[p]["latency"]["p50_ms"]
        rows = [
            ["launches/s", fmt(rates["tender"], 1), fmt(rates["floor"], 1),
             fmt(rates["systemd-run"], 1), ratio(rates["tender"], rates["floor"]),
             ratio(rates["tender"], rates["systemd-run"])],
            ["p50 latency under load (ms)", fmt(p50["tender"]), fmt(p50["floor"]),
             fmt(p50["systemd-run"]), ratio(p50["tender"], p50["floor"]),
             ratio(p50["tender"], p50["systemd-run"])],
        ]
        out.append(table(["", "tender", "floor (no agent)", "systemd-run --scope",
                          "tender/floor", "tender/systemd-run"], rows))
    http = res.get("http")
    if http and http.get("runs"):
        out.append("")
        out.append(
            f"3. HTTP: wrk {http['wrk']} over TCP on 127.0.0.1, {http['rounds']} rounds "
            f"(median); /metrics with {http['workloads']} workloads (tenderd: bearer token)"
        )
        out.append("")
        rows, notes = [], []
        for what, label in (("health", "/api/health"), ("metrics", "/metrics")):
            t = http["runs"].get(f"tender/{what}", [])
            f = http["runs"].get(f"fastapi/{what}", [])
            if not t or not f:
                continue
            t_rps = statistics.median(r["rps"] for r in t)
            f_rps = statistics.median(r["rps"] for r in f)
            t_p99 = statistics.median(r["p99_us"] for r in t) / 1000
            f_p99 = statistics.median(r["p99_us"] for r in f) / 1000
            t_p50 = statistics.median(r["p50_us"] for r in t) / 1000
            f_p50 = statistics.median(r["p50_us"] for r in f) / 1000
            s = http["runs"].get(f"soup/{what}", [])
            s_rps, s_p50, s_p99 = (statistics.median(r[k] for r in s) / d if s else None
                                   for k, d in (("rps", 1), ("p50_us", 1000), ("p99_us", 1000)))
            rows.append([f"{label} req/s", fmt(t_rps, 0), fmt(f_rps, 0), ratio(t_rps, f_rps),
                         fmt(s_rps, 0), ratio(t_rps, s_rps)])
            rows.append([f"{label} p50 (ms)", fmt(t_p50), fmt(f_p50), ratio(t_p50, f_p50),
                         fmt(s_p50), ratio(t_p50, s_p50)])
            rows.append([f"{label} p99 (ms)", fmt(t_p99), fmt(f_p99), ratio(t_p99, f_p99),
                         fmt(s_p99), ratio(t_p99, s_p99)])
            if s:
                met = "met" if t_rps >= 0.9 * s_rps else "missed"
                notes.append(f"{label} req/s tenderd / bare libsoup 3: {ratio(t_rps, s_rps)} "
                             f"(target >= 0.90: {met})")
        out.append(table(["", "tenderd", "FastAPI + uvicorn", "tenderd/FastAPI",
                          "bare libsoup 3", "tenderd/libsoup"], rows))
        out.append("")
        rss0, rss1 = http.get("tenderd_rss_kb_before"), http.get("tenderd_rss_kb_after")
        if rss0 and rss1:
            met = "met" if rss1 - rss0 <= 2048 else "missed"
            notes.append(f"tenderd RSS before -> after the section's "
                         f"{fmt(http['tenderd_requests'])} requests to tenderd: {fmt(rss0)} -> "
                         f"{fmt(rss1)} KiB (+{fmt(rss1 - rss0)}; target <= +2,048 KiB after "
                         f"1,000,000: {met} at this count)")
        out.append("; ".join(notes) + ".")
    sc = res.get("scale")
    if sc and sc.get("points"):
        idle, before = sc["idle"], sc["before"]
        out.append("")
        out.append(
            "4. Memory and scale: workloads `sleep infinity` with MemoryMax and TasksMax, "
            "started 16 in flight; systemd (PID 1 of the lab) beside tenderd"
        )
        out.append("")
        rows = [["tenderd RSS (KiB)", fmt(idle["tenderd_rss_kb"]), fmt(before["tenderd_rss_kb"])]
                + [fmt(p["tenderd_rss_kb"]) for p in sc["points"]]]
        rows.append(["tenderd KiB per workload", "-", "-"]
                    + [fmt((p["tenderd_rss_kb"] - before["tenderd_rss_kb"]) / p["workloads"], 1)
                       for p in sc["points"]])
        rows.append(["systemd (PID 1) RSS (KiB)", fmt(idle["systemd_rss_kb"]),
                     fmt(before["systemd_rss_kb"])]
                    + [fmt(p["systemd_rss_kb"]) for p in sc["points"]])
        rows.append(["systemd (PID 1) KiB per workload", "-", "-"]
                    + [fmt((p["systemd_rss_kb"] - before["systemd_rss_kb"]) / p["workloads"], 1)
                       for p in sc["points"]])
        rows.append(["ratio KiB per workload tenderd/systemd", "-", "-"]
                    + [ratio(p["tenderd_rss_kb"] - before["tenderd_rss_kb"],
                             p["systemd_rss_kb"] - before["systemd_rss_kb"])
                       for p in sc["points"]])
        rows.append(["tender-shim PSS per workload (KiB; target <= 64)", "-", "-"]
                    + [fmt(p["shim_pss_kb_avg"], 0) for p in sc["points"]])
        rows.append(["start rate (launches/s, 16 in flight)", "-", "-"]
                    + [fmt(p["spawn"]["started"] / (p["spawn"]["wall_ms"] / 1000), 1)
                       if p.get("spawn") and p["spawn"]["wall_ms"] else "-" for p in sc["points"]])
        r0 = sc.get("launch_rate_0")
        rows.append([f"launch rate at N running ({sc.get('rate_count', '-')} more, launches/s, 16 in flight)",
                     "-", fmt(r0["per_s"], 1) if r0 else "-"]
                    + [fmt(p["launch_rate"]["per_s"], 1) if p.get("launch_rate") else "-"
                       for p in sc["points"]])
        rows.append(["ratio launch rate at N running / at 0 (target >= 0.8)", "-", "-"]
                    + [ratio(p["launch_rate"]["per_s"], r0["per_s"])
                       if r0 and p.get("launch_rate") else "-" for p in sc["points"]])
        for who in ("tenderd", "systemd"):
            key = f"{who}_cpu_ms"
            rows.append([f"{who} CPU per launch at N running (ms)", "-",
                         fmt(r0[key]) if r0 and key in r0 else "-"]
                        + [fmt(p["launch_rate"][key])
                           if p.get("launch_rate") and key in p["launch_rate"] else "-"
                           for p in sc["points"]])
        rows.append(["ListWorkloads, all (ms, p50)", "-", "-"]
                    + [fmt(p["list"]["latency"]["p50_ms"]) if p.get("list") else "-"
                       for p in sc["points"]])
        rows.append(["systemd ListUnitsByPatterns tender-*.scope (ms, p50)", "-", "-"]
                    + [fmt(p["list_systemd"]["latency"]["p50_ms"]) if p.get("list_systemd") else "-"
                       for p in sc["points"]])
        rows.append(["ratio list tender/systemd", "-", "-"]
                    + [ratio(p["list"]["latency"]["p50_ms"], p["list_systemd"]["latency"]["p50_ms"])
                       if p.get("list") and p.get("list_systemd") else "-" for p in sc["points"]])
        rows.append(["GetMetrics of all, 16 in flight (ms, p50)", "-", "-"]
                    + [fmt(p["metrics_dbus"]["wall"]["p50_ms"]) if p.get("metrics_dbus") else "-"
                       for p in sc["points"]])
        rows.append(["GET /metrics, unix socket (ms, median)", "-", "-"]
                    + [fmt(p["metrics_http_ms"]) for p in sc["points"]])
        out.append(table(["", "idle (fresh tenderd)", "0 (after 1-3)"] + [f"{p['workloads']:,} workloads" for p in sc["points"]],
                         rows))
        rm = sc.get("remove") or {}
        out.append("")
        out.append(
            f"Removing all {sc['points'][-1]['workloads']:,}: "
            f"{fmt(rm.get('wall', {}).get('p50_ms', 0) / 1000)} s; every scope gone after "
            f"{fmt(sc['remove_until_gone_s'])} s ({sc['scopes_left']} left); tenderd RSS after: "
            f"{fmt(sc['after']['tenderd_rss_kb'])} KiB"
        )
    if res.get("soak"):
        out.append("")
        out.extend(bench_soak.render(res["soak"], fmt))
    iso = res.get("isolation")
    if iso:
        out.append("")
        out.extend(render_isolation(iso))
    d = res.get("docker")
    if d:
        out.append("")
        out.extend(render_docker(d))
    se = res.get("sessions")
    if se:
        out.append("")
        out.extend(bench_sessions.render(se, fmt, ratio, table))
    if res.get("metrics_latency"):
        out.extend([""] + bench_metrics_latency.render(res["metrics_latency"], fmt, table))
    return "\n".join(out)


def stat_rows(peers, res, base):
    """a row of p50, p99 and mean (ms) for each of @peers in @res, and its ratio of p50
    and mean to @base's"""
    rows = []
    b = res.get(base) or {}
    for key, label in peers:
        s = res.get(key)
        if s and s.get("count"):
            rows.append([label, s["count"], fmt(s["p50_ms"]), fmt(s["p99_ms"]),
                         fmt(s["mean_ms"]), ratio(s["p50_ms"], b.get("p50_ms")),
                         ratio(s["mean_ms"], b.get("mean_ms"))])
    return rows


DOCKER_TOOL = (
    ("tool", "tender tool run (POST /v1/docker/tools, wait=true)"),
    ("docker-run", "docker run --rm IMAGE true"),
    ("docker-run-none", "docker run --rm --network none IMAGE true"),
    ("engine-api", "Engine API: create, start, wait, delete"),
)
DOCKER_LAUNCH = (
    ("docker-runtime", "tender, runtime docker"),
    ("tender-scope", "tender, scope (isolation minimal)"),
    ("docker-run", "docker run --rm IMAGE true"),
)


def render_docker(d):
    if d.get("status") != "measured":
        return [f"5. Docker: {d.get('status')}"]
    out = []
    tool = d.get("tool") or {}
    header = ["", "runs", "p50 (ms)", "p99 (ms)", "mean (ms)", "p50 / docker run",
              "mean / docker run"]
    out.append(
        f"5a. Docker tool runs: {d['count']} runs of `true` in {d['image']} per peer, "
        "interleaved, sequential, each until it has ended (tender: until the HTTP answer, "
        "over the unix socket; a tool run's network is none)"
    )
    out.append("")
    out.append(table(header, stat_rows(DOCKER_TOOL, tool, "docker-run")))
    t, c, n = (tool.get(k) or {} for k in ("tool", "docker-run", "docker-run-none"))
    out.append("")
    out.append(
        f"Target: tender's tool run <= 0.8x the docker CLI's time. p50 ratio tool / docker run "
        f"{ratio(t.get('p50_ms'), c.get('p50_ms'))}, tool / docker run --network none "
        f"{ratio(t.get('p50_ms'), n.get('p50_ms'))}; tool / Engine API floor "
        f"{ratio(t.get('p50_ms'), (tool.get('engine-api') or {}).get('p50_ms'))}"
    )
    steps = d.get("engine_api_steps")
    if steps:
        out.append("")
        out.append("The Engine API's p50 per call (ms): " + ", ".join(
            f"{k} {fmt(v['p50_ms'])}" for k, v in steps.items()))
    lat = d.get("launch")
    if lat:
        out.append("")
        out.append(
            f"5b. Docker launches: {lat['count']} launches of `true` per peer, interleaved, "
            "until it has exited (tender: State \"exited\" by PropertiesChanged; removed "
            "after, untimed; docker run --rm: until the CLI exits, the container removed)"
        )
        out.append("")
        out.append(table(header, stat_rows(DOCKER_LAUNCH, lat, "docker-run")))
        parts = []
        for key, label in DOCKER_LAUNCH[:2]:
            cr, st = lat.get(f"{key}/created"), lat.get(f"{key}/started")
            if cr and st:
                parts.append(f"{label} {fmt(cr['p50_ms'])} / {fmt(st['p50_ms'])}")
        if parts:
            out.append("")
            out.append("tender's p50 until CreateWorkload returned / StartWorkload returned (ms): "
                       + "; ".join(parts))
    tp = d.get("throughput")
    if tp:
        out.append("")
        out.append(
            f"5c. Docker throughput: {d['tp_count']} runs of `true` per peer and round, "
            f"{d['in_flight']} in flight, {d['tp_rounds']} rounds (median); tenderd's "
            f"[plugin docker] max-concurrent={d.get('max_concurrent')}"
        )
        out.append("")
        rates = {k: statistics.median(d["tp_count"] / (w / 1000) for w in v["wall_ms"])
                 for k, v in tp.items() if v["wall_ms"]}
        rows = [[label, fmt(rates[key], 1), fmt(tp[key]["latency"]["p50_ms"]),
                 ratio(rates[key], rates.get("docker-run"))]
                for key, label in DOCKER_TOOL if key in rates]
        out.append(table(["", "runs/s", "p50 latency under load (ms)", "runs/s / docker run"],
                         rows))
    return out


ISO_LAUNCH = (
    ("tender-minimal", "tender minimal"),
    ("tender-standard", "tender standard, rootfs"),
    ("tender-strict", "tender strict, rootfs"),
    ("systemd-run-bwrap", "systemd-run --scope bwrap (standard-like)"),
    ("systemd-run-bwrap-strict", "systemd-run --scope bwrap (strict-like)"),
    ("bwrap-strict", "bwrap alone (strict-like)"),
    ("spawn-true", "spawn /bin/true"),
)
ISO_EXEC = (
    ("exec-minimal", "ExecWorkload, minimal"),
    ("nsenter-minimal", "nsenter -a, minimal"),
    ("exec-strict", "ExecWorkload, strict"),
    ("nsenter-strict", "nsenter -a, strict"),
)


def iso_table(res, peers, docker, status):
    """runs, p50, p99 and mean of each of @peers in @res, then Docker's row (key, label)"""
    rows = []
    for key, label in peers + (docker,):
        s = res.get(key)
        if s:
            rows.append([label, s["count"], fmt(s["p50_ms"]), fmt(s["p99_ms"]),
                         fmt(s["mean_ms"])])
    if not res.get(docker[0]):
        rows.append([docker[1], "-", "-", "-", status])
    return table(["", "runs", "p50 (ms)", "p99 (ms)", "mean (ms)"], rows)


def render_isolation(iso):
    out = []
    lat, ex = iso.get("launch"), iso.get("exec")
    if lat:
        out.append(
            f"6. Isolation, launch: {lat['count']} sequential launches of `true` per peer, "
            "interleaved; from the first call until `true` has exited (tender: State "
            "\"exited\" by PropertiesChanged); rootfs a busybox directory; docker run in "
            "every few rounds only (its runs in the table), the image that directory's files"
        )
        out.append("")
        out.append(iso_table(lat, ISO_LAUNCH, ("docker-run", "docker run --rm IMAGE true"),
                             iso.get("docker", "-")))
        parts = []
        for key, label in ISO_LAUNCH[:3]:
            c, s = lat.get(f"{key}/created"), lat.get(f"{key}/started")
            if c and s and lat.get(key):
                parts.append(f"{label} {fmt(c['p50_ms'])} / {fmt(s['p50_ms'])} / "
                             f"{fmt(lat[key]['p50_ms'])}")
        if parts:
            out.append("")
            out.append("tender's p50 until CreateWorkload returned / StartWorkload returned / "
                       "State \"exited\" seen (ms): " + "; ".join(parts))
        p50 = {k: (lat.get(k) or {}).get("p50_ms") for k, _ in ISO_LAUNCH}
        out.append("")
        out.append(
            "Ratios of p50: tender strict / systemd-run+bwrap strict-like "
            f"{ratio(p50['tender-strict'], p50['systemd-run-bwrap-strict'])} (target <= 1); "
            f"tender strict / tender minimal {ratio(p50['tender-strict'], p50['tender-minimal'])} "
            "(target <= 1.5); tender standard / systemd-run+bwrap standard-like "
            f"{ratio(p50['tender-standard'], p50['systemd-run-bwrap'])}; tender strict / "
            f"docker run {ratio(p50['tender-strict'], (lat.get('docker-run') or {}).get('p50_ms'))}"
        )
    if ex:
        out.append("")
        out.append(
            f"6. Isolation, exec: {ex['count']} runs of `true` per peer into running "
            "workloads, interleaved, until it has exited (ExecWorkload over D-Bus); docker "
            "exec in every few rounds only (its runs in the table)"
        )
        out.append("")
        out.append(iso_table(ex, ISO_EXEC, ("docker-exec", "docker exec CONTAINER true"),
                             iso.get("docker", "-")))
        g = {k: (ex.get(k) or {}).get("p50_ms") for k, _ in ISO_EXEC}
        out.append("")
        out.append(
            "Ratios of p50: ExecWorkload / nsenter, minimal "
            f"{ratio(g['exec-minimal'], g['nsenter-minimal'])}, strict "
            f"{ratio(g['exec-strict'], g['nsenter-strict'])} (target: exec p50 <= 5 ms); "
            "ExecWorkload strict / docker exec "
            f"{ratio(g['exec-strict'], (ex.get('docker-exec') or {}).get('p50_ms'))}"
        )
    return out


def main():
    p = argparse.ArgumentParser(
        description="tender's benchmarks, inside the lab (see tests/bench/run)."
    )
    p.add_argument("--smoke", action="store_true",
                   help="tiny counts, a minute or two: checks the machinery only")
    p.add_argument("-n", "--count", type=int, default=500, help="launches per peer (latency)")
    p.add_argument("--tp-count", type=int, default=200,
                   help="launches per peer and round (throughput)")
    p.add_argument("--rounds", type=int, default=3, help="throughput rounds")
    p.add_argument("--jobs", type=int, default=16, help="calls in flight")
    p.add_argument("--http-duration", type=int, default=10, help="seconds of each wrk run")
    p.add_argument("--http-rounds", type=int, default=3)
    p.add_argument("--http-workloads", type=int, default=100)
    p.add_argument("--scale", default="1000,5000", help="workload counts, ascending")
    p.add_argument("--rate-count", type=int, default=200,
                   help="scale: sleepers launched (and removed) to measure the launch rate with "
                   "none and with each count running")
    p.add_argument("--docker-count", type=int, default=40,
                   help="runs of each Docker peer (Docker section; isolation and sessions: "
                   "about as many)")
    p.add_argument("--docker-tp-count", type=int, default=48,
                   help="Docker throughput: runs per peer and round, 8 in flight")
    p.add_argument("--docker-tp-rounds", type=int, default=2, help="Docker throughput rounds")
    p.add_argument("--sections",
                   default="launch,isolation,http,scale,docker,sessions,metrics-latency",
                   help="of launch,isolation,http,scale,docker,sessions,metrics-latency,soak "
                   "(soak: the HTTP soak test, only when named)")
    p.add_argument("--soak-requests", type=int, default=200000)
    p.add_argument("--soak-warmup", type=int, default=20000)
    p.add_argument("--soak-rss-kb", type=int, default=2048,
                   help="the soak test fails if tenderd's RSS grows by more (KiB)")
    p.add_argument("--configure", action="store_true",
                   help="raise max-workloads in tenderd.conf and restart tenderd first")
    p.add_argument("--json", help="also write every raw figure to this file")
    p.add_argument("--builddir", default="build")
    p.add_argument("--client", help="the tender-bench program (default: from --builddir)")
    args = p.parse_args()
    if args.smoke:
        args.count, args.tp_count, args.rounds, args.jobs = 3, 6, 1, 4
        args.http_duration, args.http_rounds, args.http_workloads = 1, 1, 5
        args.scale = "5,12"
        args.rate_count = 4
        args.docker_count, args.docker_tp_count, args.docker_tp_rounds = 2, 8, 1
        args.list_reps, args.metrics_reps = 2, 1
        args.wrk_threads, args.wrk_connections = 1, 4
    else:
        args.list_reps, args.metrics_reps = 20, 5
        args.wrk_threads, args.wrk_connections = 2, 32
    args.scale = [int(x) for x in args.scale.split(",")]
    args.sections = args.sections.split(",")
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
