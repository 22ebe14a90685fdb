# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The sessions section of tender's benchmarks (bench.py's section 7): the sessions plugin's
calls beside their peers, in one run, interleaved, timed by the C client (tender-bench
sessions: synchronous GDBus calls, since a call from Python's gi costs 0.3 to 1 ms by itself).

  exec           Session.Exec of `true` into a native session and into one of the docker
                 backend, vs `docker exec CONTAINER true` (the Debian CLI)
  get existing   Sessions.GetSession of a live native session (created false), vs
                 org.freedesktop.DBus.Peer.Ping to tenderd: the bus's floor
  new session    GetSession of a new native session, and of a new docker-backend one, vs
                 `docker run -d IMAGE sleep`; each closed (or removed) after, untimed

The native sessions run the tests' busybox image, imported into tender's image store (on a
tmpfs, as tests/integration/test_sessions.py does: the lab's root is an overlay, which cannot
hold an overlay's upper layer); the Docker peers use the lab's dockerd and its
tender-test/busybox:latest (bench_docker.dockerd), in every few rounds only (--docker-count).
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

import bench_docker

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = "/var/lib/tender"
# the native sessions' image, in tender's store
IMAGE = "bench-sessions-busybox"
# the targets of issue 15 section 5 (ms; the exec ratio against docker exec)
TARGET_EXEC_MS = 5
TARGET_EXEC_RATIO = 1 / 17
TARGET_GET_MS = 1
TARGET_NEW_MS = 50


def integration():
    """the tests' helpers: images (the busybox image) and restart_tenderd"""
    sys.path.insert(0, os.path.join(HERE, "..", "integration"))
    import images  # noqa: E402
    from test_docker_runtime import restart_tenderd  # noqa: E402

    return images, restart_tenderd


@contextlib.contextmanager
def image_store(bench):
    """Yields None once IMAGE is in tender's image store, or why it is not.  The store and
    the containers go on a tmpfs each, for the section, unless they are mounts already."""
    images, restart_tenderd = integration()
    mounted = []
    tmp = tempfile.mkdtemp(prefix="bench-sessions.", dir=os.path.abspath(bench.args.builddir))
    why = None
    try:
        for d in ("images", "containers"):
            path = f"{STATE}/{d}"
            os.makedirs(path, exist_ok=True)
            if not os.path.ismount(path):
                subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0700", f"bench-{d}", path],
                               check=True)
                mounted.append(path)
        if mounted:
            restart_tenderd()
        tar = images.busybox_tar(os.path.join(tmp, "busybox.tar"))
        try:
            images.import_image(IMAGE, tar)
        except Exception as e:  # GLib.Error: an image of that name from an earlier run
            if "exists" not in str(e).lower():
                why = f"ImportImage: {e}"
    except (OSError, subprocess.SubprocessError, AssertionError) as e:
        why = f"the image store: {e}"
    try:
        yield why
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if mounted:
            subprocess.run(["systemctl", "stop", "tenderd.service"], check=False)
            for path in mounted:
                if subprocess.run(["umount", path]).returncode != 0:
                    bench.error(f"umount {path} failed: something of the sessions is left")
                    subprocess.run(["umount", "-l", path])
            restart_tenderd()


def run(bench):
    a = bench.args
    res = {"image": IMAGE}
    with image_store(bench) as why:
        if why is not None:
            bench.error(f"sessions: {why}")
            res["status"] = f"not measured: {why}"
            return res
        with bench_docker.dockerd(bench) as docker_why:
            opts = []
            if docker_why is None:
                deadline = time.monotonic() + 30
                while bench_docker.plugin_status() != "active" and time.monotonic() < deadline:
                    time.sleep(0.1)
                if bench_docker.plugin_status() == "active":
                    res["docker_image"] = bench_docker.dockerlab().BUSYBOX_IMAGE
                    # a smoke run: the Docker peers once (a docker-backend session's
                    # Close alone takes dockerd's 10 s stop timeout)
                    opts = ["--docker-image", res["docker_image"], "--docker-count",
                            1 if a.smoke else a.docker_count]
                else:
                    docker_why = f"the Docker plugin is {bench_docker.plugin_status()}"
                    bench.error(f"sessions: {docker_why} 30 s after dockerd answered")
            res["docker"] = "measured" if opts else f"not measured: {docker_why}"
            bench.log(f"sessions: {a.count} rounds of exec, get and new session, interleaved"
                      + (f" (the Docker peers: {opts[3]})" if opts else ""))
            res["runs"] = bench.client_run("sessions", "--count", a.count, "--image", IMAGE,
                                           *opts)
    res["status"] = "measured" if res["runs"] else "failed"
    return res


# ---- the table ----

ROWS = (
    # key, label, its peer's key
    ("exec-native", "Exec `true`, native session", "docker-exec"),
    ("exec-docker", "Exec `true`, docker-backend session", "docker-exec"),
    ("docker-exec", "docker exec CONTAINER true", None),
    ("get-existing", "GetSession of a live session (native)", "ping"),
    ("ping", "Peer.Ping of tenderd (the bus's floor)", None),
    ("new-native", "GetSession, new native session", "docker-run"),
    ("new-docker", "GetSession, new docker-backend session", "docker-run"),
    ("docker-run", "docker run -d IMAGE sleep", None),
)


def verdict(ok):
    return "met" if ok else "**missed**"


def targets(r):
    """the target of each row, and whether it was met"""
    p50 = {k: (r.get(k) or {}).get("p50_ms") for k, _, _ in ROWS}
    out = {}
    if p50["exec-native"]:
        ok = p50["exec-native"] <= TARGET_EXEC_MS
        text = f"p50 ≤ {TARGET_EXEC_MS} ms: {verdict(ok)}"
        if p50["docker-exec"]:
            ok = p50["exec-native"] <= TARGET_EXEC_RATIO * p50["docker-exec"]
            text += f"; ≥ 17× faster than docker exec: {verdict(ok)}"
        out["exec-native"] = text
    if p50["get-existing"]:
        out["get-existing"] = (f"p50 ≤ {TARGET_GET_MS} ms: "
                               f"{verdict(p50['get-existing'] <= TARGET_GET_MS)}")
    if p50["new-native"]:
        out["new-native"] = (f"p50 ≤ {TARGET_NEW_MS} ms: "
                             f"{verdict(p50['new-native'] <= TARGET_NEW_MS)}")
    return out


def render(res, fmt, ratio, table):
    r = res.get("runs")
    if res.get("status") != "measured" or not r:
        return [f"7. Sessions: {res.get('status')}"]
    out = [
        f"7. Sessions: {r['count']} rounds, one call of each peer per round, the order "
        "rotating; the Docker peers in every "
        f"{r['docker_every']} rounds only (their runs in the table; {res['docker']}). "
        "Synchronous D-Bus calls of the C client, each until its reply; the docker CLI until "
        f"it exits. Native sessions: image {res['image']} of tender's store; the Docker peers "
        f"and the docker backend: {res.get('docker_image', '-')}"
    ]
    out.append("")
    goals = targets(r)
    rows = []
    for key, label, peer in ROWS:
        s = r.get(key)
        if not s or not s.get("count"):
            continue
        p = r.get(peer) or {} if peer else {}
        rows.append([label, s["count"], fmt(s["p50_ms"]), fmt(s["p99_ms"]), fmt(s["mean_ms"]),
                     ratio(s["p50_ms"], p.get("p50_ms")) if peer else "-",
                     goals.get(key, "-")])
    out.append(table(["", "runs", "p50 (ms)", "p99 (ms)", "mean (ms)", "p50 / peer's",
                      "target"], rows))
    closes = [f"{label} {fmt(r[k]['p50_ms'])}" for k, label in
              (("close-native", "native"), ("close-docker", "docker backend"))
              if (r.get(k) or {}).get("count")]
    if closes:
        out.append("")
        out.append("Close(true) of a new session, untimed above, p50 (ms): " + "; ".join(closes))
    return out
